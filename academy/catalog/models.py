"""Published content in the database: what pages serve, pre-rendered at sync."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from academy.dbtypes import JSONType, UTCDateTime
from academy.extensions import db
from academy.timeutil import utcnow


class Module(db.Model):
    """The published revision of one course module."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # discipline/slug
    discipline: Mapped[str] = mapped_column(String(16))
    slug: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)  # the file's `order`
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    objectives: Mapped[list[str]] = mapped_column(JSONType, default=list)
    axes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitised at sync
    toc: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    # Pocket-card lines and the pre-shift guide, built at sync (`academy.courses.handouts`).
    handout: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # The full quiz including its answer key: server-side only, never sent as is.
    quiz: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    question_count: Mapped[int] = mapped_column(Integer, default=0)
    source_path: Mapped[str] = mapped_column(String(500))
    source_hash: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    published: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_modules_discipline_position", "discipline", "position"),)

    @property
    def has_quiz(self) -> bool:
        return bool(self.quiz)

    def __repr__(self) -> str:
        return f"<Module {self.key} r{self.revision}>"


class ContentRevision(db.Model):
    """Every version of every content file ever published (modules and scenarios)."""

    __tablename__ = "content_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # module | scenario | rules
    key: Mapped[str] = mapped_column(String(120))
    revision: Mapped[int] = mapped_column(Integer)
    source_hash: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    # Where this revision was published from: a file (`content sync`) or the studio.
    origin: Mapped[str] = mapped_column(String(16), default="file", server_default="file")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "key", "revision"),)

    def __repr__(self) -> str:
        return f"<ContentRevision {self.kind}:{self.key} r{self.revision}>"

"""The `statements` table: learning records shaped like xAPI statements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.dbtypes import JSONType, UTCDateTime
from academy.extensions import db
from academy.timeutil import utcnow


class Statement(db.Model):
    """One learning record: actor · verb · object, with result and context.

    Content is referred to by stable key (``object_id`` such as
    ``"listen/one-visit-three-asks"``), never by a row id, so re-syncing or
    renaming content never breaks history. ``dedupe_key`` makes a writer
    idempotent: the same key can be recorded only once, even concurrently.
    """

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    verb: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(200))
    score: Mapped[float | None] = mapped_column(Float)  # 0..100
    success: Mapped[bool | None] = mapped_column(Boolean)
    duration_s: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    initiative: Mapped[str] = mapped_column(String(16), default="self")  # self | assigned
    assignment_id: Mapped[int | None] = mapped_column(Integer)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    context: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    dedupe_key: Mapped[str | None] = mapped_column(String(255), unique=True)

    actor: Mapped[User] = relationship(foreign_keys=[actor_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    __table_args__ = (
        Index("ix_statements_actor_object", "actor_id", "object_type", "object_id"),
        Index("ix_statements_object_verb", "object_type", "object_id", "verb"),
        Index("ix_statements_actor_time", "actor_id", "timestamp"),
        Index("ix_statements_verb_time", "verb", "timestamp"),
    )

    def __repr__(self) -> str:
        return (
            f"<Statement {self.id} user={self.actor_id} {self.verb} "
            f"{self.object_type}:{self.object_id}>"
        )

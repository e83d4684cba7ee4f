"""The studio's tables: documents being authored, their revisions, reviews and media."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.dbtypes import UTCDateTime
from academy.extensions import db
from academy.timeutil import utcnow


class StudioDocument(db.Model):
    """One module or drill as the studio knows it: its workflow state and latest revision.

    `lock_version` is the optimistic lock: every save names the version it
    started from, and a save from an older version is a conflict.
    """

    __tablename__ = "studio_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # module | drill
    key: Mapped[str] = mapped_column(String(120))  # discipline/slug or the drill slug
    path: Mapped[str] = mapped_column(String(500))  # look/01-x.md or scenarios/x.yaml
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default="draft")
    lock_version: Mapped[int] = mapped_column(Integer, default=0)
    head_number: Mapped[int] = mapped_column(Integer, default=0)  # latest revision
    published_number: Mapped[int | None] = mapped_column(Integer)  # live revision, if any
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    revisions: Mapped[list[StudioRevision]] = relationship(
        back_populates="document", order_by="StudioRevision.number"
    )

    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_studio_documents_kind_key"),
        Index("ix_studio_documents_state_updated", "state", "updated_at"),
    )


class StudioRevision(db.Model):
    """Every save: the whole file text, who wrote it, when and why."""

    __tablename__ = "studio_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("studio_documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    document: Mapped[StudioDocument] = relationship(back_populates="revisions")
    author = relationship("User", foreign_keys=[author_id], lazy="joined")

    __table_args__ = (UniqueConstraint("document_id", "number"),)


class StudioReview(db.Model):
    """A step of the workflow: submitted, approved, returned (with comment), published…"""

    __tablename__ = "studio_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("studio_documents.id", ondelete="CASCADE"))
    revision_number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", foreign_keys=[actor_id], lazy="joined")

    __table_args__ = (Index("ix_studio_reviews_document", "document_id", "created_at"),)


class StudioMedia(db.Model):
    """An uploaded image, stored once under its SHA-256 in the media folder."""

    __tablename__ = "studio_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    mime: Mapped[str] = mapped_column(String(40))
    extension: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def filename(self) -> str:
        return f"{self.sha256}.{self.extension}"

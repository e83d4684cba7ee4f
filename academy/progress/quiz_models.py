"""The `quiz_versions` and `quiz_attempts` tables: what was asked, answered and scored.

An attempt keeps everything needed to grade and explain it later, even after
the module changes: the exact quiz it was drawn from (a `QuizVersion`, shared
by every attempt on the same quiz content), its paper (draw and shuffles), the
answers read from the form and the graded result.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.dbtypes import JSONType, UTCDateTime
from academy.extensions import db
from academy.timeutil import utcnow

_OPEN = text("submitted_at IS NULL")


class QuizVersion(db.Model):
    """One distinct content of a module's quiz (``Quiz.to_data()``, answer key included).

    Content-addressed by `digest` (SHA-256 of the canonical JSON), so a module
    re-synced for a typo in its lesson body keeps the same version, and each
    attempt points at the exact questions it was graded on without copying
    them (a quiz is about 4 KB; attempts are many).
    """

    __tablename__ = "quiz_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_key: Mapped[str] = mapped_column(String(120))
    digest: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    module_revision: Mapped[int] = mapped_column(Integer)  # first revision seen with it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("module_key", "digest"),)

    def __repr__(self) -> str:
        return f"<QuizVersion {self.id} {self.module_key} {self.digest[:8]}>"


class QuizAttempt(db.Model):
    """One learner's attempt at one module's quiz: opened, then submitted exactly once.

    `token` is the unguessable id the form and the result page use. While
    `submitted_at` is NULL the attempt is open (at most one per learner and
    module); submitting fills `answers`, `result`, `score`, `passed`,
    `duration_s` and `initiative` in one conditional UPDATE. `pass_mark` is the
    rule that applied, kept so a later change of the module never rewrites
    history.
    """

    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_key: Mapped[str] = mapped_column(String(120))
    module_revision: Mapped[int] = mapped_column(Integer)
    quiz_version_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_versions.id", ondelete="RESTRICT")
    )
    paper: Mapped[dict[str, Any]] = mapped_column(JSONType)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    score: Mapped[float | None] = mapped_column(Float)  # 0..100, 2 decimals
    passed: Mapped[bool | None] = mapped_column(Boolean)
    pass_mark: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[int | None] = mapped_column(Integer)
    initiative: Mapped[str | None] = mapped_column(String(16))  # self | assigned
    #: Answers saved as they are given while the attempt is open (field → values,
    #: cleaned against the paper by `academy.quizzes.drafts`); cleared on submission.
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    version: Mapped[QuizVersion] = relationship()

    __table_args__ = (
        # A learner's attempts at a module: lesson summary, attempt gate, open attempt.
        Index("ix_quiz_attempts_user_module", "user_id", "module_key", "submitted_at"),
        # A learner's history, newest first.
        Index("ix_quiz_attempts_user_submitted", "user_id", "submitted_at"),
        # Trainer statistics: per module, per quiz version.
        Index("ix_quiz_attempts_module_submitted", "module_key", "submitted_at"),
        Index("ix_quiz_attempts_version_submitted", "quiz_version_id", "submitted_at"),
        # At most one open attempt per learner and module, even under concurrent opens.
        Index(
            "uq_quiz_attempts_open",
            "user_id",
            "module_key",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
    )

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def __repr__(self) -> str:
        state = f"{self.score}" if self.is_submitted else "open"
        return f"<QuizAttempt {self.id} user={self.user_id} {self.module_key} {state}>"

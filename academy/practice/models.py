"""Tables of practice evidence: observations, feedback cards, reflections, refreshers,
and the materialised growth snapshots HR reads.

Each evidence row keeps what the person entered (texts, the checklist, the
ratings) and points at its ledger statement; the ledger statement carries what
the growth model reads (`docs/growth-model.md`, the evidence contract). These
tables live on their own migration branch, so they refer to content and to
other features' rows by stable key or plain id, never by a foreign key into
another branch's tables.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import Department, User
from academy.dbtypes import JSONType, UTCDateTime
from academy.extensions import db
from academy.timeutil import utcnow

_OPEN = text("submitted_at IS NULL")


class Observation(db.Model):
    """A trainer watched an employee at work: the seven ones, axis ratings, a note."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    observer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The employee's department when observed (history stays where it happened).
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seven_ones: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)  # one -> status
    ratings: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)  # axis -> 1..5
    note: Mapped[str] = mapped_column(Text, default="")
    # The form's one-time key: a resubmitted form finds the row it already stored.
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[User] = relationship(foreign_keys=[employee_id])
    observer: Mapped[User | None] = relationship(foreign_keys=[observer_id])

    __table_args__ = (
        Index("ix_observations_employee_time", "employee_id", "observed_at"),
        Index("ix_observations_department_time", "department_id", "observed_at"),
    )

    def __repr__(self) -> str:
        return f"<Observation {self.id} employee={self.employee_id} by={self.observer_id}>"


class FeedbackPoint(db.Model):
    """A QR code residents scan to fill a feedback card: a window / service point, or a badge.

    A point's cards count for its department; a badge's name its worker.
    """

    __tablename__ = "feedback_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # random, in the QR's URL
    kind: Mapped[str] = mapped_column(String(16))  # point | badge
    name: Mapped[str] = mapped_column(String(120))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Department | None] = relationship()
    employee: Mapped[User | None] = relationship(foreign_keys=[employee_id])

    __table_args__ = (Index("ix_feedback_points_department", "department_id", "active"),)

    def __repr__(self) -> str:
        return f"<FeedbackPoint {self.id} {self.kind} {self.code} {self.name!r}>"


class FeedbackCard(db.Model):
    """A resident's feedback card (意见反馈卡), for an employee or for a department."""

    __tablename__ = "feedback_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )
    rating: Mapped[int] = mapped_column(SmallInteger)  # 1..5
    good: Mapped[str] = mapped_column(Text, default="")
    bad: Mapped[str] = mapped_column(Text, default="")
    # window | paper (entered by staff) | resident (filled on the resident's phone)
    source: Mapped[str] = mapped_column(String(16), default="window")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The QR code a resident's card came through (a window or a worker's badge).
    point_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_points.id", ondelete="SET NULL")
    )

    employee: Mapped[User | None] = relationship(foreign_keys=[employee_id])
    department: Mapped[Department | None] = relationship()
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])

    __table_args__ = (
        Index("ix_feedback_cards_department_time", "department_id", "received_at"),
        Index("ix_feedback_cards_employee_time", "employee_id", "received_at"),
    )

    def __repr__(self) -> str:
        who = f"employee={self.employee_id}" if self.employee_id else f"dept={self.department_id}"
        return f"<FeedbackCard {self.id} {who} rating={self.rating}>"


class Reflection(db.Model):
    """A journal entry: what the employee will do differently, with optional self-ratings.

    Private to its author; their trainers read it, HR only counts it.
    """

    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    self_ratings: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)  # axis -> 1..5
    about: Mapped[str | None] = mapped_column(String(100))  # scenario slug, if after a drill
    run_id: Mapped[int | None] = mapped_column(Integer)  # the drill run it follows, if any
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship()

    __table_args__ = (
        Index("ix_reflections_user_time", "user_id", "written_at"),
        Index("ix_reflections_department_time", "department_id", "written_at"),
    )

    def __repr__(self) -> str:
        return f"<Reflection {self.id} user={self.user_id} {len(self.text)} chars>"


class RefresherAttempt(db.Model):
    """A short refresher quiz on a module whose quiz was passed: opened, submitted once.

    Like a `QuizAttempt`, it keeps the exact quiz version (by id), the drawn
    paper, the answers and the graded result; `interval` and `due_on` say which
    refresher of the schedule it answered, `initiative` whether it came unprompted.
    """

    __tablename__ = "refresher_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_key: Mapped[str] = mapped_column(String(120))
    quiz_version_id: Mapped[int] = mapped_column(Integer)  # quiz_versions.id
    paper: Mapped[dict[str, Any]] = mapped_column(JSONType)
    pass_mark: Mapped[float] = mapped_column(Float)
    interval: Mapped[int | None] = mapped_column(SmallInteger)  # 0, 1, 2 … of the schedule
    due_on: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    initiative: Mapped[str | None] = mapped_column(String(16))
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship()

    __table_args__ = (
        Index("ix_refresher_attempts_user_module", "user_id", "module_key", "submitted_at"),
        # At most one open refresher per learner and module, even under concurrent opens.
        Index(
            "uq_refresher_attempts_open",
            "user_id",
            "module_key",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
    )

    def __repr__(self) -> str:
        state = self.score if self.submitted_at else "open"
        return f"<RefresherAttempt {self.id} user={self.user_id} {self.module_key} {state}>"


class GrowthSnapshot(db.Model):
    """One employee's four axes for one month, as HR's report reads them.

    ``{axis}_score`` is the month-end score (the current month: as of
    `computed_at`), NULL when there was not enough evidence for a stage, and
    ``{axis}_stage`` the stage at that moment (current month only). The current
    month's row also keeps what the nightly refresh needs to age it without
    reloading the evidence: the raw score, total weight and items per axis,
    which stage gates were met (bit 1: stage 3, bit 2: stage 4), the day until
    which those gates hold (`valid_until`, days since the epoch; NULL: for ever)
    and the newest ledger statement read (`watermark`). Derived data:
    `academy growth snapshot` rebuilds it.
    """

    __tablename__ = "growth_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    behaviour_score: Mapped[float | None] = mapped_column(Float)
    language_score: Mapped[float | None] = mapped_column(Float)
    attitude_score: Mapped[float | None] = mapped_column(Float)
    work_score: Mapped[float | None] = mapped_column(Float)
    behaviour_stage: Mapped[int | None] = mapped_column(SmallInteger)
    language_stage: Mapped[int | None] = mapped_column(SmallInteger)
    attitude_stage: Mapped[int | None] = mapped_column(SmallInteger)
    work_stage: Mapped[int | None] = mapped_column(SmallInteger)
    behaviour_raw: Mapped[float | None] = mapped_column(Float)
    language_raw: Mapped[float | None] = mapped_column(Float)
    attitude_raw: Mapped[float | None] = mapped_column(Float)
    work_raw: Mapped[float | None] = mapped_column(Float)
    behaviour_weight: Mapped[float | None] = mapped_column(Float)
    language_weight: Mapped[float | None] = mapped_column(Float)
    attitude_weight: Mapped[float | None] = mapped_column(Float)
    work_weight: Mapped[float | None] = mapped_column(Float)
    behaviour_items: Mapped[int | None] = mapped_column(Integer)
    language_items: Mapped[int | None] = mapped_column(Integer)
    attitude_items: Mapped[int | None] = mapped_column(Integer)
    work_items: Mapped[int | None] = mapped_column(Integer)
    behaviour_gates: Mapped[int | None] = mapped_column(SmallInteger)
    language_gates: Mapped[int | None] = mapped_column(SmallInteger)
    attitude_gates: Mapped[int | None] = mapped_column(SmallInteger)
    work_gates: Mapped[int | None] = mapped_column(SmallInteger)
    valid_until: Mapped[float | None] = mapped_column(Float)
    watermark: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("user_id", "month"),
        Index("ix_growth_snapshots_department_month", "department_id", "month"),
        Index("ix_growth_snapshots_month", "month"),
    )

    def __repr__(self) -> str:
        return f"<GrowthSnapshot user={self.user_id} {self.month:%Y-%m}>"

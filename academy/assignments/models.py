"""Assignment tables: what was assigned, to whom, by when, and when it was done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import Department, User
from academy.dbtypes import UTCDateTime
from academy.extensions import db
from academy.timeutil import utcnow


class Assignment(db.Model):
    """One piece of work (a module, a drill or a certificate) given with a due date."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # module | scenario | certificate
    object_id: Mapped[str] = mapped_column(String(200))  # stable content key
    title: Mapped[str] = mapped_column(String(200))  # as shown when assigned
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )  # set when given to a whole department
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
    department: Mapped[Department | None] = relationship()
    targets: Mapped[list[AssignmentTarget]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_assignments_object", "kind", "object_id"),
        Index("ix_assignments_due", "due_at"),
    )

    def __repr__(self) -> str:
        return f"<Assignment {self.id} {self.kind}:{self.object_id} due {self.due_at:%Y-%m-%d}>"


class AssignmentTarget(db.Model):
    """One person's share of an assignment, closed by the evidence that completed it."""

    __tablename__ = "assignment_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Denormalised from the assignment so "open work of user X for object Y" is one index hit.
    kind: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    statement_id: Mapped[int | None] = mapped_column(Integer)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)

    assignment: Mapped[Assignment] = relationship(back_populates="targets")
    user: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("assignment_id", "user_id"),
        Index("ix_assignment_targets_open", "user_id", "completed_at", "due_at"),
        Index("ix_assignment_targets_object", "user_id", "kind", "object_id"),
        Index("ix_assignment_targets_due", "completed_at", "due_at"),
    )

    def __repr__(self) -> str:
        return (
            f"<AssignmentTarget a={self.assignment_id} u={self.user_id} done={self.completed_at}>"
        )


class TrainerDepartment(db.Model):
    """Which departments a trainer coaches (trainers see and assign within these)."""

    __tablename__ = "trainer_departments"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True
    )

    def __repr__(self) -> str:
        return f"<TrainerDepartment user={self.user_id} department={self.department_id}>"

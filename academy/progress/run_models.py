"""The `drill_runs` and `drill_steps` tables: role-play drills as they were played.

A run keeps the engine's whole state (`academy.scenarios.RunState.to_data()`)
after every step, so closing the browser and coming back resumes it. It
points at the `ScenarioVersion` it started on (the slug and revision are
copied for reading history without a join), so a re-sync never changes the
drill under a player. `step` counts the choices applied: every update is
conditional on the step the request saw, which makes a choice apply exactly
once (see `academy.progress.drills`).

`drill_steps` has one row per choice applied: the trainers' reach statistics
are grouped counts over it, and its unique ``(run_id, number)`` refuses a
second step with the same number even if two writers raced past every other
check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.catalog.scenario_models import ScenarioVersion
from academy.dbtypes import JSONType, UTCDateTime
from academy.extensions import db
from academy.timeutil import utcnow


class DrillRun(db.Model):
    """One employee's play-through of one drill, saved at every step."""

    __tablename__ = "drill_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scenario_slug: Mapped[str] = mapped_column(String(100))
    scenario_revision: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id", ondelete="RESTRICT"))
    # A random key from the start form: posting the same form twice opens one run.
    start_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSONType)  # RunState.to_data()
    step: Mapped[int] = mapped_column(Integer, default=0)  # choices applied so far
    # Orders the choices this run shows (`academy.scenarios.presented_order`); runs
    # started before it existed have none and use their id instead.
    choice_seed: Mapped[int | None] = mapped_column(Integer)
    node: Mapped[str] = mapped_column(String(100))  # the current node (copied from state)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ending: Mapped[str | None] = mapped_column(String(100))  # the ending node's id
    ending_type: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)  # 0..100, one decimal
    passed: Mapped[bool | None] = mapped_column(Boolean)
    debrief: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # Debrief.to_data()

    user: Mapped[User] = relationship()
    version: Mapped[ScenarioVersion] = relationship()

    __table_args__ = (
        # The player's runs per drill (best result, unfinished runs to resume).
        Index("ix_drill_runs_user_scenario", "user_id", "scenario_slug", "finished_at"),
        # Reach statistics: where the runs of a drill stand (or ended).
        Index("ix_drill_runs_scenario_node", "scenario_slug", "node"),
    )

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def __repr__(self) -> str:
        state = f"{self.ending} {self.score}" if self.is_finished else f"at {self.node}"
        return f"<DrillRun {self.id} user={self.user_id} {self.scenario_slug} {state}>"


class DrillStep(db.Model):
    """One choice applied in a run: at `node`, the choice with file index `choice`."""

    __tablename__ = "drill_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("drill_runs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1-based, equals the run's step after it
    scenario_slug: Mapped[str] = mapped_column(String(100))
    node: Mapped[str] = mapped_column(String(100))
    choice: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("run_id", "number"),
        # Reach statistics: how often each choice of each node is taken.
        Index("ix_drill_steps_scenario_node_choice", "scenario_slug", "node", "choice"),
    )

    def __repr__(self) -> str:
        return f"<DrillStep run={self.run_id} #{self.number} {self.node}:{self.choice}>"

"""Published drills in the database: the current revision of each scenario and every
revision a run may still be playing.

`Scenario` is what the list and start pages read (one light row per slug).
`ScenarioVersion` is immutable: one row per published revision holding the
validated definition (`academy.scenarios.Scenario.to_data()`) and its HTML,
rendered and sanitised once at sync. A drill run points at the version it
started on, so re-syncing a changed file in the middle of a run never moves
the nodes or choice indexes under the player's feet.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.dbtypes import JSONType, UTCDateTime
from academy.extensions import db
from academy.timeutil import utcnow


class ScenarioVersion(db.Model):
    """One published revision of one scenario, exactly as runs on it play it.

    `rendered` holds the sanitised HTML of every authored text::

        {"setting": html, "summary": html,
         "nodes": {node id: {"text": html, "summary": html,
                             "choices": [{"text": inline html, "feedback": html,
                                          "better": html or null}, ...]}}}

    `discipline_max` is the most points any complete run can earn in each
    discipline (the radar chart's outer ring); `max_points` the best total.
    """

    __tablename__ = "scenario_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100))
    revision: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    source_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JSONType)
    rendered: Mapped[dict[str, Any]] = mapped_column(JSONType)
    pass_score: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float | None] = mapped_column(Float)
    discipline_max: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("slug", "revision"),)

    def __repr__(self) -> str:
        return f"<ScenarioVersion {self.id} {self.slug} r{self.revision}>"


class Scenario(db.Model):
    """The published revision of one drill, with what the list pages show."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")  # rendered at sync
    setting_html: Mapped[str] = mapped_column(Text, default="")  # rendered at sync
    disciplines: Mapped[list[str]] = mapped_column(JSONType, default=list)
    minutes: Mapped[float | None] = mapped_column(Float)
    pass_score: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float | None] = mapped_column(Float)
    node_count: Mapped[int] = mapped_column(Integer)
    ending_count: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id", ondelete="RESTRICT"))
    source_path: Mapped[str] = mapped_column(String(500))
    source_hash: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    published: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[ScenarioVersion] = relationship()

    def __repr__(self) -> str:
        return f"<Scenario {self.slug} r{self.revision}>"

"""The growth read side: one person's assessment, the trainer's cohort, the catalogue.

Loads evidence from the ledger in a constant number of queries and calls the
pure model (`academy.growth`): `person_growth` for the employee's dashboard and
the coaching page, `cohort` for a trainer's departments. The web layer
translates what comes back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from academy.accounts.models import Department, User
from academy.assignments.services import COMPANY_TZ
from academy.catalog.queries import ModuleView, published_modules
from academy.catalog.scenario_models import Scenario, ScenarioVersion
from academy.evidence import Evidence
from academy.extensions import db
from academy.growth import (
    DEFAULT,
    Assessment,
    Catalogue,
    CatalogueModule,
    CatalogueScenario,
    DepartmentSignal,
    DueRefresher,
    Movers,
    Recommendation,
    department_signal,
    evaluate,
    extract,
    movers,
    recommend,
    refresher_schedule,
    stage_distribution,
)
from academy.practice.cards import as_card_evidence, department_cards
from academy.practice.evidence import evidence_for_departments
from academy.practice.people import coaching_scope, departments_in, people_in
from academy.progress.models import Statement
from academy.timeutil import utcnow
from academy.vocabulary import AXES

#: How far back "this month" looks for the trainer's movers.
MONTH = timedelta(days=30)
_axes_lock = threading.Lock()


# --- content -------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentIndex:
    """What can be recommended, and the titles explanations and timelines name."""

    catalogue: Catalogue
    modules: Mapping[str, ModuleView]  # published, by key
    scenario_titles: Mapping[str, str]  # published, by slug

    def title(self, object_type: str, key: str) -> str:
        """A module's or drill's title; its key when it is not published (any more)."""
        if object_type in ("module", "quiz", "refresher"):
            module = self.modules.get(key)
            return module.title if module is not None else key
        if object_type == "scenario":
            return self.scenario_titles.get(key, key)
        return key


def _choice_axes(definition: Any) -> tuple[str, ...]:
    """The axes any choice of a stored drill definition gives evidence on."""
    found: set[str] = set()
    nodes = definition.get("nodes") if isinstance(definition, dict) else None
    for node in nodes.values() if isinstance(nodes, dict) else ():
        choices = node.get("choices") if isinstance(node, dict) else None
        for choice in choices if isinstance(choices, list) else ():
            axes = choice.get("axes") if isinstance(choice, dict) else None
            if isinstance(axes, dict):
                found.update(axis for axis, value in axes.items() if axis in AXES and value)
    return tuple(axis for axis in AXES if axis in found)


def _scenario_axes(version_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Version id → the axes its choices evidence; versions never change, so cached."""
    cache: dict[int, tuple[str, ...]] = current_app.extensions.setdefault(
        "academy.growth.scenario_axes", {}
    )
    wanted = set(version_ids)
    missing = sorted(wanted - set(cache))
    if missing:
        rows = db.session.execute(
            select(ScenarioVersion.id, ScenarioVersion.definition).where(
                ScenarioVersion.id.in_(missing)
            )
        ).all()
        with _axes_lock:
            for version_id, definition in rows:
                cache[version_id] = _choice_axes(definition)
    return {v: cache.get(v, ()) for v in wanted}


def content_index() -> ContentIndex:
    """Published modules (cached per process) and drills: one or two queries."""
    modules = published_modules()
    drills = db.session.execute(
        select(Scenario.slug, Scenario.title, Scenario.disciplines, Scenario.version_id)
        .where(Scenario.published.is_(True))
        .order_by(Scenario.title)
    ).all()
    axes = _scenario_axes(row.version_id for row in drills)
    catalogue = Catalogue(
        modules=tuple(
            CatalogueModule(m.key, m.title, m.discipline, tuple(m.axes), m.position)
            for m in modules
        ),
        scenarios=tuple(
            CatalogueScenario(
                row.slug, row.title, tuple(row.disciplines or ()), axes.get(row.version_id, ())
            )
            for row in drills
        ),
    )
    return ContentIndex(
        catalogue=catalogue,
        modules={m.key: m for m in modules},
        scenario_titles={row.slug: row.title for row in drills},
    )


# --- one person -----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One ledger statement as the timeline shows it."""

    id: int
    at: datetime
    verb: str
    object_type: str
    object_id: str
    score: float | None
    success: bool | None
    initiative: str
    on_time: bool | None
    detail: Mapping[str, Any]
    recorded_by: str | None  # the name of whoever else recorded it (a trainer, a colleague)


@dataclass(frozen=True)
class PersonGrowth:
    """Everything the dashboard and the coaching page show about one person's growth."""

    person: User
    assessment: Assessment
    due: list[DueRefresher]  # due today or overdue, most overdue first
    upcoming: list[DueRefresher]  # not yet due, soonest first
    recommendation: Recommendation
    timeline: list[TimelineEntry]  # newest first
    content: ContentIndex

    @property
    def evidence_count(self) -> int:
        return len(self.timeline)


def person_timeline(person_id: int) -> list[TimelineEntry]:
    """A person's statements, oldest first, with who recorded them (one query)."""
    recorder = User.__table__.alias("recorder")
    rows = db.session.execute(
        select(
            Statement.id,
            Statement.timestamp,
            Statement.verb,
            Statement.object_type,
            Statement.object_id,
            Statement.score,
            Statement.success,
            Statement.initiative,
            Statement.on_time,
            Statement.result,
            Statement.recorded_by_id,
            recorder.c.display_name,
        )
        .outerjoin(recorder, recorder.c.id == Statement.recorded_by_id)
        .where(Statement.actor_id == person_id, Statement.verb != "assigned")
        .order_by(Statement.timestamp, Statement.id)
    ).all()
    return [
        TimelineEntry(
            id=row.id,
            at=row.timestamp,
            verb=row.verb,
            object_type=row.object_type,
            object_id=row.object_id,
            score=row.score,
            success=row.success,
            initiative=row.initiative or "self",
            on_time=row.on_time,
            detail=row.result or {},
            recorded_by=(
                row.display_name
                if row.recorded_by_id is not None and row.recorded_by_id != person_id
                else None
            ),
        )
        for row in rows
    ]


def as_evidence(entry: TimelineEntry) -> Evidence:
    """A timeline entry as the model's `Evidence`."""
    return Evidence(
        entry.verb,
        entry.object_type,
        entry.object_id,
        entry.at,
        entry.score,
        entry.success,
        entry.initiative,
        entry.on_time,
        entry.detail,
    )


def person_growth(person: User, now: datetime | None = None) -> PersonGrowth:
    """Assess one person now, with due refreshers and one recommendation (≤ 3 queries)."""
    now = now or utcnow()
    timeline = person_timeline(person.id)
    evidence = [as_evidence(entry) for entry in timeline]
    content = content_index()
    assessment = evaluate(extract(evidence, DEFAULT), now, DEFAULT)
    local = now.astimezone(COMPANY_TZ)  # refresher due dates are the company's calendar days
    schedule = refresher_schedule(evidence, local)
    today = local.date()
    due = sorted(
        (item for item in schedule if item.due <= today and item.module in content.modules),
        key=lambda item: (item.due, item.module),
    )
    upcoming = [item for item in schedule if item.due > today and item.module in content.modules]
    return PersonGrowth(
        person=person,
        assessment=assessment,
        due=due,
        upcoming=upcoming,
        recommendation=recommend(assessment, content.catalogue, due),
        timeline=timeline[::-1],
        content=content,
    )


# --- a trainer's cohort -----------------------------------------------------------


@dataclass(frozen=True)
class CohortRow:
    """One employee of the cohort: stages now and a month ago."""

    person: User
    now: Assessment
    before: Assessment
    last_observed: datetime | None
    evidence: int


@dataclass(frozen=True)
class Cohort:
    """A trainer's departments: everyone's stages, who moved, what residents say."""

    departments: list[Department]
    rows: list[CohortRow]
    movers: Movers
    signals: Mapping[int, DepartmentSignal]  # department id → cards naming no one
    distribution: Mapping[str, Mapping[int | None, int]]
    at: datetime

    def row(self, person_id: int) -> CohortRow | None:
        return next((r for r in self.rows if r.person.id == person_id), None)


def cohort(viewer: User, now: datetime | None = None, department_id: int | None = None) -> Cohort:
    """The employees of the viewer's departments (or one of them), assessed now and a
    month ago: four queries whatever the size."""
    now = now or utcnow()
    departments = departments_in(coaching_scope(viewer))
    if department_id is not None:
        departments = [d for d in departments if d.id == department_id]
    ids = [d.id for d in departments]
    people = people_in(set(ids)) if ids else []
    evidence = evidence_for_departments(db.session.connection(), ids)
    rows: list[CohortRow] = []
    for person in people:
        mine = evidence.get(person.id, [])
        timeline = extract(mine, DEFAULT)
        observed = [e.at for e in mine if e.verb == "observed"]
        rows.append(
            CohortRow(
                person=person,
                now=evaluate(timeline, now, DEFAULT, explain=False),
                before=evaluate(timeline, now - MONTH, DEFAULT, explain=False),
                last_observed=max(observed) if observed else None,
                evidence=len(mine),
            )
        )
    cards = department_cards(ids, now - timedelta(days=365)) if ids else []
    by_department: dict[int, list[Evidence]] = {}
    for card in cards:
        if card.department_id is not None:
            by_department.setdefault(card.department_id, []).append(as_card_evidence(card))
    return Cohort(
        departments=departments,
        rows=rows,
        movers=movers({r.person.id: r.now for r in rows}, {r.person.id: r.before for r in rows}),
        signals={d: department_signal(found, now) for d, found in by_department.items()},
        distribution=stage_distribution(r.now for r in rows),
        at=now,
    )


def stages_of(assessment: Assessment) -> Sequence[int | None]:
    """The four stages in axis order."""
    return [assessment.axes[axis].stage for axis in AXES]

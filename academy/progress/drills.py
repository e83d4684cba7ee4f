"""Drill runs: start one, apply each choice exactly once, finish with a debrief and one
ledger record; best results, runs to resume, and the trainers' reach statistics.

Playing is the pure engine of `academy.scenarios`; this module stores what it
produces. Services flush, the caller commits once.

Revision pinning: a run points at the `ScenarioVersion` it started on (an
immutable row holding the validated definition and its rendered HTML), never
at "the current file", so a re-sync in the middle of a run cannot move its
nodes or choice indexes. Loaded definitions are cached per app process by
version id (versions never change).

Exactly once: a run's `step` counts the choices applied. Applying a choice is
one conditional ``UPDATE drill_runs … WHERE id = :id AND step = :seen AND
finished_at IS NULL``; a request that saw an older step (back button, double
click, second tab, two concurrent posts) updates no row and gets
`StaleChoiceError`, and the view shows the run where it stands. On PostgreSQL
the second of two concurrent UPDATEs waits for the first and then finds the
step changed; on SQLite posting requests already hold the write lock
(``BEGIN IMMEDIATE``). The step row's unique ``(run_id, number)`` backs this up,
and the ledger record carries ``dedupe_key = "drill-run:<id>"``.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError

from academy.accounts.models import User
from academy.catalog.scenario_models import Scenario, ScenarioVersion
from academy.extensions import db
from academy.progress import ledger
from academy.progress.run_models import DrillRun, DrillStep
from academy.scenarios import (
    Choice,
    RunState,
    RunStateError,
    StaleChoiceError,
    available_choices,
    choose,
    debrief,
    is_finished,
    parse_scenario,
    presented_order,
    start_run,
)
from academy.scenarios import Scenario as Drill
from academy.timeutil import as_utc, utcnow

logger = logging.getLogger(__name__)

#: Start keys: ``secrets.token_urlsafe(16)`` gives 22 characters.
START_KEY_LENGTH = (16, 64)
#: Loaded drill versions kept per app process.
CACHE_SIZE = 32

__all__ = [
    "BestResult",
    "DrillUnavailableError",
    "Playable",
    "ReachStatistics",
    "RunSummary",
    "StaleChoiceError",
    "apply_choice",
    "best_results",
    "find_run",
    "new_start_key",
    "playable",
    "presented_choices",
    "published_scenario",
    "published_scenarios",
    "reach_statistics",
    "run_state",
    "runs_of",
    "start_drill",
    "unfinished_runs",
]


class DrillUnavailableError(Exception):
    """A stored drill version that no longer loads (the validator became stricter)."""


@dataclass(frozen=True)
class Playable:
    """One drill version ready to play: the pure scenario and its pre-rendered HTML."""

    version_id: int
    slug: str
    revision: int
    title: str
    scenario: Drill
    rendered: Mapping[str, Any]
    discipline_max: Mapping[str, Any]
    pass_score: float

    def node_html(self, node_id: str) -> Mapping[str, Any]:
        """The rendered texts of one node (empty texts if the node is unknown)."""
        return self.rendered["nodes"].get(node_id, {"text": "", "summary": "", "choices": []})

    def choice_html(self, node_id: str, index: int) -> Mapping[str, Any]:
        """The rendered texts of one choice of one node."""
        choices = self.node_html(node_id)["choices"]
        if 0 <= index < len(choices):
            return choices[index]
        return {"text": "", "feedback": "", "better": None}


# --- the content store's side ------------------------------------------------------


def published_scenarios() -> list[Scenario]:
    """Published drills by title (one query)."""
    return list(
        db.session.scalars(
            select(Scenario).where(Scenario.published.is_(True)).order_by(Scenario.title)
        )
    )


def published_scenario(slug: str) -> Scenario | None:
    """The published drill with this slug, or None."""
    return db.session.scalar(
        select(Scenario).where(Scenario.slug == slug, Scenario.published.is_(True))
    )


_cache_lock = threading.Lock()


def playable(version_id: int) -> Playable:
    """The drill version `version_id`, parsed once per app process (raises on failure)."""
    cache: OrderedDict[int, Playable] = current_app.extensions.setdefault(
        "academy.drills", OrderedDict()
    )
    with _cache_lock:
        found = cache.get(version_id)
        if found is not None:
            cache.move_to_end(version_id)
            return found
    version = db.session.get(ScenarioVersion, version_id)
    if version is None:
        raise DrillUnavailableError(f"drill version {version_id} does not exist")
    scenario, problems = parse_scenario(version.definition, version.slug)
    if scenario is None:
        logger.error("drill version %s no longer loads: %s", version_id, problems[:3])
        raise DrillUnavailableError(f"drill {version.slug} r{version.revision} no longer loads")
    scenario.analysis  # noqa: B018 - explore once here, not on the first debrief
    loaded = Playable(
        version_id=version.id,
        slug=version.slug,
        revision=version.revision,
        title=version.title,
        scenario=scenario,
        rendered=version.rendered,
        discipline_max=version.discipline_max,
        pass_score=version.pass_score,
    )
    with _cache_lock:
        cache[version_id] = loaded
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return loaded


# --- playing -------------------------------------------------------------------------


def new_start_key() -> str:
    """A random key for one start form (posting it twice opens one run)."""
    return secrets.token_urlsafe(16)


def new_choice_seed() -> int:
    """A random seed for the order a new run shows its choices in."""
    return secrets.randbelow(2**31)


def _valid_start_key(key: str | None) -> str | None:
    low, high = START_KEY_LENGTH
    if key and low <= len(key) <= high and all(c.isalnum() or c in "-_" for c in key):
        return key
    return None


def start_drill(
    user: User, scenario: Scenario, *, start_key: str | None = None, now: datetime | None = None
) -> DrillRun:
    """A new run of the drill's current version; the same start key gives the same run."""
    key = _valid_start_key(start_key)
    if key is not None:
        existing = _run_by_start_key(user, key)
        if existing is not None:
            return existing
    version = playable(scenario.version_id)
    state = start_run(version.scenario)
    when = now or utcnow()
    run = DrillRun(
        user_id=user.id,
        scenario_slug=scenario.slug,
        scenario_revision=version.revision,
        version_id=version.version_id,
        start_key=key,
        choice_seed=new_choice_seed(),
        state=state.to_data(),
        step=0,
        node=state.node,
        started_at=when,
        updated_at=when,
    )
    try:
        with db.session.begin_nested():
            db.session.add(run)
    except IntegrityError:
        # The same form was posted twice at once: the other request opened the run.
        existing = _run_by_start_key(user, key) if key else None
        if existing is not None:
            return existing
        if key is None:  # pragma: no cover - a different integrity problem
            raise
        # Someone else's key (replayed, never guessed): a run of one's own without it.
        return start_drill(user, scenario, now=now)
    logger.info("drill started: %s %s run %s", user.username, scenario.slug, run.id)
    return run


def _run_by_start_key(user: User, key: str) -> DrillRun | None:
    run = db.session.scalar(select(DrillRun).where(DrillRun.start_key == key))
    if run is not None and run.user_id != user.id:
        return None  # a key is random; someone else's is never shown
    return run


def find_run(user: User, run_id: int) -> DrillRun | None:
    """The user's own run with this id, or None (another user's run is not found)."""
    return db.session.scalar(
        select(DrillRun).where(DrillRun.id == run_id, DrillRun.user_id == user.id)
    )


def run_state(run: DrillRun) -> RunState:
    """The engine's state of a stored run (raises `RunStateError` on broken data)."""
    return RunState.from_data(run.state)


def offered_choices(run: DrillRun, state: RunState | None = None) -> list[tuple[int, Choice]]:
    """The choices the run's current node offers now: ``(index in the file, choice)``."""
    return available_choices(playable(run.version_id).scenario, state or run_state(run))


def presented_choices(run: DrillRun, state: RunState | None = None) -> list[tuple[int, Choice]]:
    """The offered choices in the order this run shows them (the same on every render).

    Each keeps its index in the file: the form posts that, so a posted choice names
    the choice itself, never a position a shuffle could change.
    """
    state = state or run_state(run)
    offered = dict(offered_choices(run, state))
    seed = run.choice_seed if run.choice_seed is not None else run.id
    return [(index, offered[index]) for index in presented_order(seed, state.node, offered)]


def apply_choice(
    user: User,
    run: DrillRun,
    node_id: str,
    choice_index: int,
    *,
    step: int | None = None,
    now: datetime | None = None,
) -> DrillRun:
    """Take a choice exactly once; finishing writes the debrief and one ledger record.

    Raises `StaleChoiceError` when the post does not apply to the run as it
    stands: another step was taken since (`step` given and different, or the
    conditional update found another step), the node is not the current one,
    the choice is not offered now, or the run has ended.
    """
    if run.user_id != user.id:
        raise StaleChoiceError("not this user's run")
    if run.finished_at is not None:
        raise StaleChoiceError("the run has already ended")
    if step is not None and step != run.step:
        raise StaleChoiceError(f"the run is at step {run.step}, not {step}")
    version = playable(run.version_id)
    try:
        after = choose(version.scenario, run_state(run), node_id, choice_index)
    except RunStateError as exc:
        raise StaleChoiceError(str(exc)) from None
    when = now or utcnow()
    # Read before the update below expires the object.
    seen, run_id, slug = run.step, run.id, run.scenario_slug
    revision, started = run.scenario_revision, as_utc(run.started_at)
    values: dict[str, Any] = {
        "state": after.to_data(),
        "step": seen + 1,
        "node": after.node,
        "updated_at": when,
    }
    review = None
    if is_finished(version.scenario, after):
        review = debrief(version.scenario, after)
        values.update(
            finished_at=when,
            ending=review.ending,
            ending_type=review.ending_type,
            score=review.score,
            passed=review.passed,
            debrief=review.to_data(),
        )
    claimed = db.session.execute(
        update(DrillRun)
        .where(DrillRun.id == run_id, DrillRun.step == seen, DrillRun.finished_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.expire(run)
        raise StaleChoiceError(f"run {run_id} moved on from step {seen}")
    db.session.add(
        DrillStep(
            run_id=run_id,
            number=seen + 1,
            scenario_slug=slug,
            node=node_id,
            choice=choice_index,
            created_at=when,
        )
    )
    db.session.flush()
    db.session.expire(run)
    if review is not None:
        evidence = review.to_evidence(when)
        ledger.record(
            user,
            evidence.verb,
            evidence.object_type,
            evidence.object_id,
            score=evidence.score,
            success=evidence.success,
            duration_s=max(0, int((when - started).total_seconds())),
            result={**evidence.detail, "discipline_max": dict(version.discipline_max)},
            context={"run_id": run_id, "revision": revision},
            at=when,
            dedupe_key=f"drill-run:{run_id}",
        )
        logger.info(
            "drill finished: %s %s run %s %s score %s",
            user.username,
            slug,
            run_id,
            review.ending_type,
            review.score,
        )
    return run


# --- the player's history -------------------------------------------------------------


@dataclass(frozen=True)
class BestResult:
    """A player's best finished run of one drill."""

    slug: str
    best_score: float
    passed: bool  # any finished run passed
    finished: int  # finished runs


@dataclass(frozen=True)
class RunSummary:
    """Enough of a run to list and link it."""

    id: int
    slug: str
    title: str
    step: int
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    ending_type: str | None
    score: float | None
    passed: bool | None


def best_results(user: User) -> dict[str, BestResult]:
    """Best score, passed-ever and finished count per drill slug (one grouped query)."""
    rows = db.session.execute(
        select(
            DrillRun.scenario_slug,
            func.max(DrillRun.score),
            func.max(case((DrillRun.passed.is_(True), 1), else_=0)),
            func.count(),
        )
        .where(DrillRun.user_id == user.id, DrillRun.finished_at.is_not(None))
        .group_by(DrillRun.scenario_slug)
    ).all()
    return {
        slug: BestResult(slug, float(best or 0), bool(passed), count)
        for slug, best, passed, count in rows
    }


def _summaries(query: Any) -> list[RunSummary]:
    return [
        RunSummary(
            id=row.id,
            slug=row.scenario_slug,
            title=row.title,
            step=row.step,
            started_at=as_utc(row.started_at),
            updated_at=as_utc(row.updated_at),
            finished_at=as_utc(row.finished_at) if row.finished_at else None,
            ending_type=row.ending_type,
            score=row.score,
            passed=row.passed,
        )
        for row in db.session.execute(query)
    ]


def _summary_query() -> Any:
    return select(
        DrillRun.id,
        DrillRun.scenario_slug,
        ScenarioVersion.title,
        DrillRun.step,
        DrillRun.started_at,
        DrillRun.updated_at,
        DrillRun.finished_at,
        DrillRun.ending_type,
        DrillRun.score,
        DrillRun.passed,
    ).join(ScenarioVersion, ScenarioVersion.id == DrillRun.version_id)


def unfinished_runs(user: User, slug: str | None = None) -> list[RunSummary]:
    """The user's runs still in progress, most recently played first (one query)."""
    query = _summary_query().where(DrillRun.user_id == user.id, DrillRun.finished_at.is_(None))
    if slug is not None:
        query = query.where(DrillRun.scenario_slug == slug)
    return _summaries(query.order_by(DrillRun.updated_at.desc(), DrillRun.id.desc()))


def runs_of(user: User, slug: str, limit: int = 20) -> list[RunSummary]:
    """The user's runs of one drill, newest first (one query)."""
    query = _summary_query().where(DrillRun.user_id == user.id, DrillRun.scenario_slug == slug)
    return _summaries(query.order_by(DrillRun.started_at.desc(), DrillRun.id.desc()).limit(limit))


# --- trainers: reach statistics ---------------------------------------------------------


@dataclass(frozen=True)
class ReachStatistics:
    """How real runs of a drill went through its graph."""

    visits: dict[str, int]  # node id → times a run stood at it
    choice_counts: dict[tuple[str, int], int]  # (node id, choice index) → times taken
    runs: int
    finished: int
    passed: int
    average_score: float | None
    endings: dict[str, int]  # ending type → finished runs
    older_revisions: int  # runs on an earlier revision than `revision`


def reach_statistics(slug: str, revision: int) -> ReachStatistics:
    """Visits per node and choice counts over every run of the drill (two grouped queries)."""
    choice_counts: dict[tuple[str, int], int] = {}
    visits: dict[str, int] = {}
    for node, choice, count in db.session.execute(
        select(DrillStep.node, DrillStep.choice, func.count())
        .where(DrillStep.scenario_slug == slug)
        .group_by(DrillStep.node, DrillStep.choice)
    ):
        choice_counts[(node, choice)] = count
        visits[node] = visits.get(node, 0) + count
    endings: dict[str, int] = {}
    runs = finished = passed = older = 0
    score_sum = 0.0
    for node, ending_type, did_pass, run_revision, count, scores in db.session.execute(
        select(
            DrillRun.node,
            DrillRun.ending_type,
            DrillRun.passed,
            DrillRun.scenario_revision,
            func.count(),
            func.sum(DrillRun.score),
        )
        .where(DrillRun.scenario_slug == slug)
        .group_by(DrillRun.node, DrillRun.ending_type, DrillRun.passed, DrillRun.scenario_revision)
    ):
        # Where a run stands now is a visit too (its ending, or the node it waits at).
        visits[node] = visits.get(node, 0) + count
        runs += count
        if run_revision < revision:
            older += count
        if ending_type is not None:  # finished: only a finished run has an ending
            finished += count
            score_sum += float(scores or 0)
            endings[ending_type] = endings.get(ending_type, 0) + count
            if did_pass:
                passed += count
    return ReachStatistics(
        visits=visits,
        choice_counts=choice_counts,
        runs=runs,
        finished=finished,
        passed=passed,
        average_score=round(score_sum / finished, 1) if finished else None,
        endings=endings,
        older_revisions=older,
    )


# --- assignable like lessons and certificates -------------------------------------------


def _list_drills() -> list[Any]:
    from academy.assignments.services import Assignable

    return [Assignable("scenario", s.slug, s.title, "drill") for s in published_scenarios()]


def _register_assignable() -> None:
    """Drills can be assigned; a run that passes completes the work (the ledger's rule)."""
    from academy.assignments import services as assignments

    assignments.ASSIGNABLES["scenario"] = _list_drills


_register_assignable()

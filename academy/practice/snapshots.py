"""HR's growth figures, materialised: one row per employee and month (`growth_snapshots`).

HR's report averages the four axes over whole departments for twelve months
and counts staff per stage. Assessing thousands of people on every page view
is too slow, so the figures are stored: per employee, the month-end score of
each of the last twelve months (`academy.growth.employee_trend`, the values
`monthly_trend` averages) and, for the current month, the score and stage as
of the computation.

Two ways to bring them up to date, once a day (`academy growth snapshot`
from cron, HR's "recompute now" button, or the first HR visit of the day in a
small organisation):

- `rebuild`: load everyone's evidence in batches and run the model (optionally
  in worker processes, each with its own database connection);
- `refresh` (the default): run the model only for employees with new ledger
  statements since the last computation (or whose stage gates may have
  changed, `academy.growth.unchanged_until`), and *age* everyone else's stored
  figures with `academy.growth.aged_axis` — exact, because without new evidence
  every item of an axis fades by the same factor. New months are added as the
  calendar moves on.
"""

from __future__ import annotations

import gc
import logging
import math
import multiprocessing as mp
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, case, delete, func, select, text, update

from academy.accounts.models import User
from academy.assignments.services import COMPANY_TZ
from academy.evidence import Evidence
from academy.extensions import db
from academy.growth import (
    DEFAULT,
    aged_axis,
    employee_trend,
    evaluate,
    extract,
    last_months,
    month_end,
    stage_gates,
    unchanged_until,
)
from academy.growth.signals import days
from academy.practice.evidence import evidence_for_users
from academy.practice.models import GrowthSnapshot
from academy.progress.models import Statement
from academy.timeutil import utcnow
from academy.vocabulary import AXES

logger = logging.getLogger(__name__)

MONTHS = 12
BATCH = 500
#: Statements this far below the last watermark still mark their author as changed:
#: on PostgreSQL a transaction can commit after a later one took a higher id.
WATERMARK_MARGIN = 1000
#: Advisory lock key that serialises rebuilds on PostgreSQL ("GROW").
_LOCK_KEY = 0x47524F57
_GATE_BITS = {3: 1, 4: 2}


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild or refresh did and how long each part took (seconds)."""

    employees: int
    statements: int
    rows: int
    load_s: float
    assess_s: float
    store_s: float
    total_s: float
    workers: int
    assessed: int = 0  # employees run through the model (the rest were aged)


def months_for(now: datetime, count: int = MONTHS) -> list[date]:
    """The first days of the last `count` months in the company's calendar, oldest first."""
    return last_months(now.astimezone(COMPANY_TZ), count)


def _latest_statement_id() -> int:
    return db.session.scalar(select(func.max(Statement.id))) or 0


def snapshot_rows(
    person: tuple[int, int | None],
    evidence: Sequence[Evidence],
    now: datetime,
    months: list[date],
    watermark: int = 0,
) -> list[dict[str, Any]]:
    """One employee's rows: month-end scores for past months, score, stage and state now."""
    user_id, department_id = person
    local = now.astimezone(COMPANY_TZ)
    timeline = extract(evidence, DEFAULT)
    past = employee_trend(timeline, months[:-1], DEFAULT, zone=COMPANY_TZ)
    current = evaluate(timeline, local, DEFAULT, explain=False)
    until = unchanged_until(timeline, local, DEFAULT, assessment=current)
    rows = []
    for index, month in enumerate(months):
        row = _blank(user_id, department_id, month, now)
        if index < len(months) - 1:
            for axis in AXES:
                row[f"{axis}_score"] = past[axis][index]
        else:
            for axis in AXES:
                result = current.axes[axis]
                unmet = stage_gates(axis, current.facts, DEFAULT)
                row[f"{axis}_score"] = result.score if result.enough_evidence else None
                row[f"{axis}_stage"] = result.stage
                row[f"{axis}_raw"] = result.score
                row[f"{axis}_weight"] = result.weight
                row[f"{axis}_items"] = result.items
                row[f"{axis}_gates"] = sum(bit for n, bit in _GATE_BITS.items() if not unmet[n])
            row["valid_until"] = None if math.isinf(until) else until
            row["watermark"] = watermark
        rows.append(row)
    return rows


def _blank(user_id: int, department_id: int | None, month: date, now: datetime) -> dict[str, Any]:
    row: dict[str, Any] = {
        "user_id": user_id,
        "department_id": department_id,
        "month": month,
        "computed_at": now,
        "valid_until": None,
        "watermark": None,
    }
    for axis in AXES:
        for column in ("score", "stage", "raw", "weight", "items", "gates"):
            row[f"{axis}_{column}"] = None
    return row


def _compute(
    conn: Any,
    people: Sequence[tuple[int, int | None]],
    now: datetime,
    months: list[date],
    watermark: int,
) -> tuple[list[dict[str, Any]], int, float, float]:
    started = time.perf_counter()
    # A batch allocates many short-lived objects and no cycles: the cyclic garbage
    # collector would only walk them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        evidence = evidence_for_users(conn, [uid for uid, _ in people])
        loaded = time.perf_counter()
        rows: list[dict[str, Any]] = []
        statements = 0
        for person in people:
            mine = evidence.get(person[0], [])
            statements += len(mine)
            rows.extend(snapshot_rows(person, mine, now, months, watermark))
    finally:
        if collecting:
            gc.enable()
    return rows, statements, loaded - started, time.perf_counter() - loaded


# Worker processes get a bare engine (no Flask app) and return plain rows.
_worker_engine: Any = None
_parent_engine: Any = None


def _worker_init(url: str) -> None:
    global _worker_engine
    from sqlalchemy import create_engine

    if _parent_engine is not None:
        # Forked: never close the parent's pooled connections from here.
        _parent_engine.dispose(close=False)
    _worker_engine = create_engine(url)


def _worker_batch(
    args: tuple[Sequence[tuple[int, int | None]], datetime, list[date], int],
) -> tuple[list[dict[str, Any]], int, float, float]:
    people, now, months, watermark = args
    with _worker_engine.connect() as conn:
        return _compute(conn, people, now, months, watermark)


def _batches(
    people: Sequence[tuple[int, int | None]], size: int
) -> Iterator[Sequence[tuple[int, int | None]]]:
    for start in range(0, len(people), size):
        yield people[start : start + size]


def _store(rows: Sequence[dict[str, Any]]) -> None:
    """Insert snapshot rows: COPY on PostgreSQL (ten times faster), else one executemany."""
    if not rows:
        return
    conn = db.session.connection()
    if conn.dialect.name != "postgresql":
        db.session.execute(GrowthSnapshot.__table__.insert(), list(rows))
        return
    columns = list(rows[0])
    raw: Any = conn.connection.dbapi_connection
    with raw.cursor() as cursor:
        sql = f"COPY {GrowthSnapshot.__tablename__} ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])


def _lock() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _employees(user_ids: Iterable[int] | None = None) -> list[tuple[int, int | None]]:
    query = select(User.id, User.department_id).where(
        User.role == "employee", User.active.is_(True)
    )
    if user_ids is not None:
        query = query.where(User.id.in_(sorted(set(user_ids)) or [-1]))
    return [(uid, dep) for uid, dep in db.session.execute(query.order_by(User.id)).all()]


def _assess(
    people: Sequence[tuple[int, int | None]],
    now: datetime,
    months: list[date],
    watermark: int,
    workers: int,
    batch: int,
    replace_all: bool,
) -> tuple[int, int, float, float, float, int]:
    """Run the model for `people` and store their rows: (statements, rows, load, assess,
    store seconds, workers used)."""
    load_s = assess_s = store_s = 0.0
    statements = stored = 0
    results: Iterable[tuple[list[dict[str, Any]], int, float, float]]
    pool = None
    if workers > 1 and len(people) > batch:
        global _parent_engine
        _parent_engine = db.engine
        url = db.engine.url.render_as_string(hide_password=False)
        pool = mp.get_context("fork").Pool(workers, _worker_init, (url,))
        results = pool.imap(
            _worker_batch, ((b, now, months, watermark) for b in _batches(people, batch))
        )
    else:
        conn = db.session.connection()
        results = (_compute(conn, b, now, months, watermark) for b in _batches(people, batch))
    try:
        for index, (rows, count, loading, assessing) in enumerate(results):
            statements += count
            load_s += loading
            assess_s += assessing
            began = time.perf_counter()
            if not replace_all:
                ids = [p[0] for p in people[index * batch : (index + 1) * batch]]
                db.session.execute(
                    delete(GrowthSnapshot).where(GrowthSnapshot.user_id.in_(ids)),
                    execution_options={"synchronize_session": False},
                )
            _store(rows)
            stored += len(rows)
            store_s += time.perf_counter() - began
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return statements, stored, load_s, assess_s, store_s, workers if pool is not None else 1


def rebuild(
    now: datetime | None = None,
    *,
    user_ids: Iterable[int] | None = None,
    workers: int = 1,
    batch: int = BATCH,
) -> RebuildReport:
    """Run the model for every active employee (or `user_ids`) and store their rows. Flushes.

    With `workers` > 1, batches are loaded and assessed in that many processes
    (each with its own database connection); this process stores the rows.
    """
    started = time.perf_counter()
    now = now or utcnow()
    months = months_for(now)
    _lock()
    watermark = _latest_statement_id()  # before reading: later statements count as new
    people = _employees(user_ids)
    if user_ids is None:
        db.session.execute(delete(GrowthSnapshot), execution_options={"synchronize_session": False})
    statements, stored, load_s, assess_s, store_s, used = _assess(
        people, now, months, watermark, workers, batch, replace_all=user_ids is None
    )
    report = RebuildReport(
        employees=len(people),
        statements=statements,
        rows=stored,
        load_s=load_s,
        assess_s=assess_s,
        store_s=store_s,
        total_s=time.perf_counter() - started,
        workers=used,
        assessed=len(people),
    )
    _log("rebuild", report)
    return report


def _log(what: str, report: RebuildReport) -> None:
    logger.info(
        "growth snapshots (%s): %d employees (%d assessed), %d statements, %d rows in %.1f s",
        what,
        report.employees,
        report.assessed,
        report.statements,
        report.rows,
        report.total_s,
    )


def _aged_rows(
    state: GrowthSnapshot,
    department_id: int | None,
    now: datetime,
    months: list[date],
    watermark: int,
) -> list[dict[str, Any]]:
    """Rows from the stored state's month to now, aged with no new evidence since it."""
    made = state.computed_at
    rows = []
    for month in months:
        if month < state.month:
            continue
        current = month == months[-1]
        until = now if current else month_end(month, COMPANY_TZ)
        elapsed = max(0.0, (until - made).total_seconds() / 86400.0)
        row = _blank(state.user_id, department_id, month, now)
        for axis in AXES:
            gates_bits = getattr(state, f"{axis}_gates") or 0
            aged = aged_axis(
                getattr(state, f"{axis}_raw"),
                getattr(state, f"{axis}_weight") or 0.0,
                getattr(state, f"{axis}_items") or 0,
                {2: True, **{n: bool(gates_bits & bit) for n, bit in _GATE_BITS.items()}},
                elapsed,
                DEFAULT,
            )
            row[f"{axis}_score"] = aged.score if aged.enough_evidence else None
            if current:
                row[f"{axis}_stage"] = aged.stage
                row[f"{axis}_raw"] = aged.score
                row[f"{axis}_weight"] = aged.weight
                row[f"{axis}_items"] = getattr(state, f"{axis}_items")
                row[f"{axis}_gates"] = gates_bits
        if current:
            row["valid_until"] = state.valid_until
            row["watermark"] = watermark  # nothing new for them up to here
        rows.append(row)
    return rows


def refresh(now: datetime | None = None, *, workers: int = 1, batch: int = BATCH) -> RebuildReport:
    """Bring the figures up to `now`: the model for employees with news, ageing for the rest.

    Falls back to `rebuild` when there is nothing stored yet. Flushes.
    """
    started = time.perf_counter()
    now = now or utcnow()
    months = months_for(now)
    _lock()
    people = _employees()
    latest = db.session.scalar(select(func.max(GrowthSnapshot.month)))
    if latest is None or latest < months[0] or latest > months[-1]:
        return rebuild(now, workers=workers, batch=batch)
    states = {
        row.user_id: row
        for row in db.session.scalars(select(GrowthSnapshot).where(GrowthSnapshot.month == latest))
    }
    watermark = _latest_statement_id()
    known = min((s.watermark or 0 for s in states.values()), default=0)
    news = set(
        db.session.scalars(
            select(Statement.actor_id)
            .where(Statement.id > known - WATERMARK_MARGIN)
            .group_by(Statement.actor_id)
        )
    )
    today = days(now)
    assess: list[tuple[int, int | None]] = []
    aged: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    for person in people:
        state = states.get(person[0])
        if (
            state is None
            or person[0] in news
            or state.watermark is None
            or (state.valid_until is not None and today > state.valid_until)
        ):
            assess.append(person)
            continue
        aged.extend(_aged_rows(state, person[1], now, months, watermark))
        if state.department_id != person[1]:  # counted in their department now, as rebuilt
            moved.append({"uid": person[0], "dep": person[1]})
    began = time.perf_counter()
    # The latest month is rewritten for everyone (aged rows below, assessed ones in
    # `_assess`); months that fell out of the twelve, and people who left, go.
    active = select(User.id).where(User.role == "employee", User.active.is_(True))
    db.session.execute(
        delete(GrowthSnapshot).where(
            (GrowthSnapshot.month >= latest)
            | (GrowthSnapshot.month < months[0])
            | GrowthSnapshot.user_id.not_in(active)
        ),
        execution_options={"synchronize_session": False},
    )
    if moved:
        db.session.execute(
            update(GrowthSnapshot.__table__)
            .where(GrowthSnapshot.__table__.c.user_id == bindparam("uid"))
            .values(department_id=bindparam("dep")),
            moved,
        )
    _store(aged)
    store_s = time.perf_counter() - began
    statements, stored, load_s, assess_s, more_store, used = _assess(
        assess, now, months, watermark, workers, batch, replace_all=False
    )
    report = RebuildReport(
        employees=len(people),
        statements=statements,
        rows=stored + len(aged),
        load_s=load_s,
        assess_s=assess_s,
        store_s=store_s + more_store,
        total_s=time.perf_counter() - started,
        workers=used,
        assessed=len(assess),
    )
    _log("refresh", report)
    return report


# --- the read side for HR --------------------------------------------------------------


def computed_at() -> datetime | None:
    """When the figures were last brought up to date (None: never).

    The latest month's rows are rewritten for everyone at each update (older
    months only for people the model ran for), so they tell.
    """
    latest = select(func.max(GrowthSnapshot.month)).scalar_subquery()
    return db.session.scalar(
        select(func.min(GrowthSnapshot.computed_at)).where(GrowthSnapshot.month == latest)
    )


def is_stale(now: datetime | None = None) -> bool:
    """True when there is no snapshot, or it was made before today (company calendar)."""
    now = now or utcnow()
    made = computed_at()
    if made is None:
        return True
    return made.astimezone(COMPANY_TZ).date() < now.astimezone(COMPANY_TZ).date()


def employee_count() -> int:
    """Active employees: what a rebuild would assess."""
    return (
        db.session.scalar(
            select(func.count(User.id)).where(User.role == "employee", User.active.is_(True))
        )
        or 0
    )


@dataclass(frozen=True)
class TrendPoint:
    """One month of the department trend: mean score per axis, staff counted per axis."""

    month: date
    means: dict[str, float | None]
    staff: dict[str, int]


def _scope(query: Any, department_id: int | None) -> Any:
    if department_id is not None:
        query = query.where(GrowthSnapshot.department_id == department_id)
    return query


def trend(department_id: int | None, months: Sequence[date]) -> list[TrendPoint]:
    """Mean score per axis and month over staff with enough evidence (one query)."""
    columns = []
    for axis in AXES:
        score = getattr(GrowthSnapshot, f"{axis}_score")
        columns += [func.avg(score), func.count(score)]
    query = _scope(
        select(GrowthSnapshot.month, *columns)
        .where(GrowthSnapshot.month.in_(list(months)))
        .group_by(GrowthSnapshot.month),
        department_id,
    )
    found = {row[0]: row[1:] for row in db.session.execute(query).all()}
    points = []
    for month in months:
        values = found.get(month)
        means: dict[str, float | None] = {}
        staff: dict[str, int] = {}
        for index, axis in enumerate(AXES):
            mean = values[2 * index] if values else None
            means[axis] = None if mean is None else float(mean)
            staff[axis] = int(values[2 * index + 1]) if values else 0
        points.append(TrendPoint(month, means, staff))
    return points


def stage_counts(department_id: int | None, month: date) -> dict[str, dict[int | None, int]]:
    """{axis: {1..4 or None: staff}} in `month`'s snapshot (one query)."""
    columns = []
    for axis in AXES:
        stage = getattr(GrowthSnapshot, f"{axis}_stage")
        for value in (1, 2, 3, 4):
            columns.append(func.sum(case((stage == value, 1), else_=0)))
        columns.append(func.count(GrowthSnapshot.id) - func.count(stage))
    query = _scope(select(*columns).where(GrowthSnapshot.month == month), department_id)
    row = db.session.execute(query).one()
    result: dict[str, dict[int | None, int]] = {}
    for index, axis in enumerate(AXES):
        values = [int(v or 0) for v in row[5 * index : 5 * index + 5]]
        result[axis] = {1: values[0], 2: values[1], 3: values[2], 4: values[3], None: values[4]}
    return result

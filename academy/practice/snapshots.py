"""HR's growth figures, materialised: one row per employee and month (`growth_snapshots`).

HR's report averages the four axes over whole departments for twelve months
and counts staff per stage. Assessing thousands of people on every page view
is too slow, so a rebuild stores, per employee, the month-end score of each of
the last twelve months (`academy.growth.employee_trend`, the values
`monthly_trend` averages) and, for the current month, the score and stage as of
the rebuild. The page then reads two aggregate queries. The rebuild runs once a
day: from `academy growth snapshot` (cron), from HR's "recompute now" button,
or on the first HR visit of the day when the organisation is small.

Loading evidence in batches and assessing are independent per employee, so a
rebuild can spread the batches over worker processes (`workers`).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing as mp
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, delete, func, insert, select, text
from sqlalchemy.engine import Connection

from academy.accounts.models import User
from academy.assignments.services import COMPANY_TZ
from academy.evidence import Evidence
from academy.extensions import db
from academy.growth import DEFAULT, employee_trend, evaluate, extract, last_months
from academy.practice.evidence import evidence_for_users
from academy.practice.models import GrowthSnapshot
from academy.timeutil import utcnow
from academy.vocabulary import AXES

logger = logging.getLogger(__name__)

MONTHS = 12
BATCH = 500
#: Advisory lock key that serialises rebuilds on PostgreSQL ("GROW").
_LOCK_KEY = 0x47524F57


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild did and how long each part took (seconds)."""

    employees: int
    statements: int
    rows: int
    load_s: float
    assess_s: float
    store_s: float
    total_s: float
    workers: int


def months_for(now: datetime, count: int = MONTHS) -> list[date]:
    """The first days of the last `count` months in the company's calendar, oldest first."""
    return last_months(now.astimezone(COMPANY_TZ), count)


def snapshot_rows(
    person: tuple[int, int | None], evidence: Sequence[Evidence], now: datetime, months: list[date]
) -> list[dict[str, Any]]:
    """One employee's rows: month-end scores for past months, score and stage now."""
    user_id, department_id = person
    local = now.astimezone(COMPANY_TZ)
    timeline = extract(evidence, DEFAULT)
    past = employee_trend(timeline, months[:-1], DEFAULT, zone=COMPANY_TZ)
    current = evaluate(timeline, local, DEFAULT, explain=False)
    rows = []
    for index, month in enumerate(months):
        row: dict[str, Any] = {
            "user_id": user_id,
            "department_id": department_id,
            "month": month,
            "computed_at": now,
        }
        last = index == len(months) - 1
        for axis in AXES:
            if last:
                result = current.axes[axis]
                row[f"{axis}_score"] = result.score if result.enough_evidence else None
                row[f"{axis}_stage"] = result.stage
            else:
                row[f"{axis}_score"] = past[axis][index]
                row[f"{axis}_stage"] = None
        rows.append(row)
    return rows


def _compute(
    conn: Connection, people: Sequence[tuple[int, int | None]], now: datetime, months: list[date]
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
            rows.extend(snapshot_rows(person, mine, now, months))
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
    args: tuple[Sequence[tuple[int, int | None]], datetime, list[date]],
) -> tuple[list[dict[str, Any]], int, float, float]:
    people, now, months = args
    with _worker_engine.connect() as conn:
        return _compute(conn, people, now, months)


def _batches(
    people: Sequence[tuple[int, int | None]], size: int
) -> Iterator[Sequence[tuple[int, int | None]]]:
    for start in range(0, len(people), size):
        yield people[start : start + size]


def _lock() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def rebuild(
    now: datetime | None = None,
    *,
    user_ids: Iterable[int] | None = None,
    workers: int = 1,
    batch: int = BATCH,
) -> RebuildReport:
    """Recompute the snapshot rows of every active employee (or of `user_ids`). Flushes.

    With `workers` > 1, batches are loaded and assessed in that many processes
    (each with its own database connection); this process stores the rows.
    """
    started = time.perf_counter()
    now = now or utcnow()
    months = months_for(now)
    _lock()
    query = select(User.id, User.department_id).where(
        User.role == "employee", User.active.is_(True)
    )
    if user_ids is not None:
        query = query.where(User.id.in_(sorted(set(user_ids)) or [-1]))
    people = [(uid, dep) for uid, dep in db.session.execute(query.order_by(User.id)).all()]
    load_s = assess_s = store_s = 0.0
    statements = stored = 0
    if user_ids is None:
        db.session.execute(delete(GrowthSnapshot))
    results: Iterable[tuple[list[dict[str, Any]], int, float, float]]
    pool = None
    if workers > 1 and len(people) > batch:
        global _parent_engine
        _parent_engine = db.engine
        url = db.engine.url.render_as_string(hide_password=False)
        pool = mp.get_context("fork").Pool(workers, _worker_init, (url,))
        results = pool.imap(_worker_batch, ((b, now, months) for b in _batches(people, batch)))
    else:
        conn = db.session.connection()
        results = (_compute(conn, b, now, months) for b in _batches(people, batch))
    try:
        for index, (rows, count, loading, assessing) in enumerate(results):
            statements += count
            load_s += loading
            assess_s += assessing
            began = time.perf_counter()
            if user_ids is not None:
                ids = [p[0] for p in people[index * batch : (index + 1) * batch]]
                db.session.execute(delete(GrowthSnapshot).where(GrowthSnapshot.user_id.in_(ids)))
            if rows:
                db.session.execute(insert(GrowthSnapshot), rows)
            stored += len(rows)
            store_s += time.perf_counter() - began
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    report = RebuildReport(
        employees=len(people),
        statements=statements,
        rows=stored,
        load_s=load_s,
        assess_s=assess_s,
        store_s=store_s,
        total_s=time.perf_counter() - started,
        workers=workers if pool is not None else 1,
    )
    logger.info(
        "growth snapshots: %d employees, %d statements, %d rows in %.1f s",
        report.employees,
        report.statements,
        report.rows,
        report.total_s,
    )
    return report


# --- the read side for HR --------------------------------------------------------------


def computed_at() -> datetime | None:
    """When the snapshot was last rebuilt (None: never)."""
    return db.session.scalar(select(func.min(GrowthSnapshot.computed_at)))


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

"""Who holds which certificate: the HR matrix, the filtered list and its exports.

Everything here reads `certificate_states` (one row per person × certificate,
kept current by `academy.credentials.services`), never evaluates rules, so a
page costs the same few queries for 10 or 10,000 employees. Whether a held
certificate is *expiring* or *expired* is derived from its dates in SQL at
query time. People without a state row count as *not started*.

The desk counts active people with the role ``employee``. One function builds
the list query (`rows_query`): the page, the CSV download and
``academy certs report`` all use it, so their filters mean the same.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from academy.accounts.models import Department, User
from academy.assignments.models import AssignmentTarget
from academy.credentials.models import CertificateState
from academy.extensions import db
from academy.paging import PageNumbers
from academy.timeutil import utcnow

COMPANY_TZ = ZoneInfo("Asia/Shanghai")
#: Every status a person can have with a certificate, in the order pages show them.
STATUSES = ("certified", "expiring", "expired", "revoked", "in_progress", "not_started")
#: Filter choices: every status, plus "valid" (valid today: certified or expiring soon).
FILTER_STATUSES = ("valid", *STATUSES)
VALID_NOW = ("certified", "expiring")
SORTS = ("name", "department", "expiry")
MAX_EXPIRING_DAYS = 3650
NO_DEPARTMENT = 0  # the matrix row of people without a department


@dataclass(frozen=True)
class Filters:
    """What the list shows. `departments` limits to a scope (None: everyone)."""

    department_id: int | None = None
    certificate_id: str | None = None
    status: str | None = None
    expiring_days: int | None = None
    overdue: bool = False
    sort: str = "name"
    descending: bool = False
    departments: frozenset[int] | None = None
    search: str = ""  # name, username or employee number contains this

    def query_args(self) -> dict[str, Any]:
        """The filters as URL query arguments (for links and the CSV download)."""
        args: dict[str, Any] = {}
        if self.department_id is not None:
            args["department"] = self.department_id
        if self.certificate_id:
            args["certificate"] = self.certificate_id
        if self.status:
            args["status"] = self.status
        if self.expiring_days is not None:
            args["expiring"] = self.expiring_days
        if self.overdue:
            args["overdue"] = 1
        if self.sort != "name":
            args["sort"] = self.sort
        if self.descending:
            args["desc"] = 1
        if self.search:
            args["q"] = self.search
        return args


def parse_filters(
    args: Any, certificate_ids: Sequence[str], departments: frozenset[int] | None
) -> Filters:
    """Filters from query arguments; unknown or malformed values are ignored."""

    def number(name: str, high: int) -> int | None:
        value = (args.get(name) or "").strip()
        return min(int(value), high) if value.isdigit() else None

    certificate = args.get("certificate") or None
    status = args.get("status") or None
    sort = args.get("sort") or "name"
    department = number("department", 2**31 - 1)
    return Filters(
        department_id=department,
        certificate_id=certificate if certificate in certificate_ids else None,
        status=status if status in FILTER_STATUSES else None,
        expiring_days=number("expiring", MAX_EXPIRING_DAYS),
        overdue=(args.get("overdue") or "") in ("1", "true", "yes", "on"),
        sort=sort if sort in SORTS else "name",
        descending=(args.get("desc") or "") in ("1", "true"),
        departments=departments,
        search=(args.get("q") or "").strip()[:100],
    )


def derived_status(state: Any, now: datetime) -> ColumnElement[str]:
    """The status now, from a stored state row (NULL: never evaluated, not started)."""
    return case(
        (state.status.is_(None), "not_started"),
        (and_(state.status == "certified", state.valid_until <= now), "expired"),
        (and_(state.status == "certified", state.renewal_opens_at <= now), "expiring"),
        else_=state.status,
    )


def _employees(departments: frozenset[int] | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [User.role == "employee", User.active.is_(True)]
    if departments is not None:
        conditions.append(User.department_id.in_(departments) if departments else false())
    return conditions


def _certificates(ids: Sequence[str]) -> Any:
    """The certificate ids as a row source (to pair with every employee)."""
    parts = [
        select(
            cast(literal(cid), String(64)).label("certificate_id"),
            cast(literal(position), Integer).label("position"),
        )
        for position, cid in enumerate(ids)
    ]
    source = parts[0] if len(parts) == 1 else union_all(*parts)
    return source.subquery("certs")


def _overdue_counts(now: datetime) -> Any:
    return (
        select(AssignmentTarget.user_id, func.count(AssignmentTarget.id).label("n"))
        .where(
            AssignmentTarget.completed_at.is_(None),
            AssignmentTarget.cancelled.is_(False),
            AssignmentTarget.due_at < now,
        )
        .group_by(AssignmentTarget.user_id)
        .subquery("overdue")
    )


def rows_query(filters: Filters, certificate_ids: Sequence[str], now: datetime) -> Select:
    """One row per employee × certificate matching `filters`, sorted.

    Columns: user_id, display_name, username, employee_no, department,
    certificate_id, status, valid_until, renewal_opens_at, issued_at, code,
    done, total, overdue.
    """
    ids = [filters.certificate_id] if filters.certificate_id else list(certificate_ids)
    certs = _certificates(ids or [""])
    state = CertificateState.__table__.alias("state")
    overdue = _overdue_counts(now)
    status = derived_status(state.c, now).label("status")
    query = (
        select(
            User.id.label("user_id"),
            User.display_name,
            User.username,
            User.employee_no,
            Department.name.label("department"),
            certs.c.certificate_id,
            status,
            state.c.valid_until,
            state.c.renewal_opens_at,
            state.c.issued_at,
            state.c.code,
            func.coalesce(state.c.done, 0).label("done"),
            func.coalesce(state.c.total, 0).label("total"),
            func.coalesce(overdue.c.n, 0).label("overdue"),
        )
        .select_from(User)
        .join(certs, true())
        .outerjoin(Department, Department.id == User.department_id)
        .outerjoin(
            state,
            and_(state.c.user_id == User.id, state.c.certificate_id == certs.c.certificate_id),
        )
        .outerjoin(overdue, overdue.c.user_id == User.id)
        .where(*_employees(filters.departments))
    )
    if not ids:
        query = query.where(false())
    if filters.department_id is not None:
        if filters.department_id == NO_DEPARTMENT:
            query = query.where(User.department_id.is_(None))
        else:
            query = query.where(User.department_id == filters.department_id)
    if filters.status == "valid":
        query = query.where(derived_status(state.c, now).in_(VALID_NOW))
    elif filters.status:
        query = query.where(derived_status(state.c, now) == filters.status)
    if filters.expiring_days is not None:
        query = query.where(
            state.c.status == "certified",
            state.c.valid_until > now,
            state.c.valid_until <= now + timedelta(days=filters.expiring_days),
        )
    if filters.overdue:
        query = query.where(overdue.c.n > 0)
    if filters.search:
        from academy.search.queries import people_match

        match = people_match(filters.search)
        if match is not None:  # matched once per person, not once per person × certificate
            query = query.where(User.id.in_(select(User.id).where(match)))
    name_order = [User.display_name, User.id, certs.c.position]
    if filters.sort == "department":
        first = Department.name.desc() if filters.descending else Department.name.asc()
        order = [first.nulls_last(), *name_order]
    elif filters.sort == "expiry":
        first = state.c.valid_until.desc() if filters.descending else state.c.valid_until.asc()
        order = [first.nulls_last(), *name_order]
    else:
        order = [User.display_name.desc() if filters.descending else User.display_name.asc()]
        order += [User.id, certs.c.position]
    return query.order_by(*order)


@dataclass(frozen=True)
class RowsPage(PageNumbers):
    """One page of rows, shaped like Flask-SQLAlchemy's pagination for the templates."""

    items: list[Any]
    page: int
    per_page: int
    total: int


def paginate(query: Select, page: int, per_page: int) -> RowsPage:
    """Count the rows (one query) and fetch one page of them (one query)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    total = int(total or 0)
    last = max(1, -(-total // per_page))
    page = min(max(1, page), last)
    items = list(db.session.execute(query.limit(per_page).offset((page - 1) * per_page)))
    return RowsPage(items, page, per_page, total)


# --- the matrix ---------------------------------------------------------------------------


@dataclass
class MatrixRow:
    """One department's counts: certificate id → status → number of employees."""

    department_id: int
    name: str
    employees: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Matrix:
    """Departments × certificates with counts by status, and the totals row."""

    certificate_ids: list[str]
    rows: list[MatrixRow]
    totals: MatrixRow


def matrix(
    certificate_ids: Sequence[str], departments: frozenset[int] | None, now: datetime
) -> Matrix:
    """Counts by department, certificate and status (three queries, any headcount)."""
    ids = list(certificate_ids)
    state = CertificateState.__table__.alias("state")
    inner = (
        select(
            func.coalesce(User.department_id, NO_DEPARTMENT).label("department_id"),
            state.c.certificate_id,
            derived_status(state.c, now).label("status"),
        )
        .select_from(state)
        .join(User, User.id == state.c.user_id)
        .where(*_employees(departments), state.c.certificate_id.in_(ids or [""]))
        .subquery("judged")
    )
    counted = db.session.execute(
        select(
            inner.c.department_id, inner.c.certificate_id, inner.c.status, func.count()
        ).group_by(inner.c.department_id, inner.c.certificate_id, inner.c.status)
    ).all()
    people = (
        select(func.coalesce(User.department_id, NO_DEPARTMENT).label("department_id"))
        .where(*_employees(departments))
        .subquery("people")
    )
    headcount = dict(
        db.session.execute(
            select(people.c.department_id, func.count()).group_by(people.c.department_id)
        ).all()
    )
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    rows: dict[int, MatrixRow] = {}
    for department_id, employees in headcount.items():
        rows[department_id] = MatrixRow(
            department_id,
            names.get(department_id, ""),
            employees,
            {cid: dict.fromkeys(STATUSES, 0) for cid in ids},
        )
    for department_id, certificate_id, status, count in counted:
        row = rows.get(department_id)
        if row is None or status == "not_started":
            continue
        row.counts[certificate_id][status] += count
    for row in rows.values():
        for cid in ids:
            cell = row.counts[cid]
            cell["not_started"] = max(0, row.employees - sum(cell.values()))
    ordered = sorted(rows.values(), key=lambda r: (r.department_id == NO_DEPARTMENT, r.name))
    totals = MatrixRow(-1, "", sum(r.employees for r in ordered))
    totals.counts = {
        cid: {s: sum(r.counts[cid][s] for r in ordered) for s in STATUSES} for cid in ids
    }
    return Matrix(ids, ordered, totals)


# --- exports ------------------------------------------------------------------------------

CSV_COLUMNS = (
    "employee_no",
    "name",
    "username",
    "department",
    "certificate_id",
    "certificate",
    "status",
    "issued_on",
    "valid_until",
    "renewal_opens_on",
    "progress_done",
    "progress_total",
    "overdue_assignments",
    "code",
)


def local_date(value: datetime | None) -> str:
    """A UTC datetime as the company's calendar date (YYYY-MM-DD), '' for none."""
    return value.astimezone(COMPANY_TZ).date().isoformat() if value is not None else ""


def record(row: Any, titles: dict[str, str]) -> dict[str, Any]:
    """One exported row as plain values."""
    return {
        "employee_no": row.employee_no or "",
        "name": row.display_name,
        "username": row.username,
        "department": row.department or "",
        "certificate_id": row.certificate_id,
        "certificate": titles.get(row.certificate_id, row.certificate_id),
        "status": row.status,
        "issued_on": local_date(_aware(row.issued_at)),
        "valid_until": local_date(_aware(row.valid_until)),
        "renewal_opens_on": local_date(_aware(row.renewal_opens_at)),
        "progress_done": int(row.done or 0),
        "progress_total": int(row.total or 0),
        "overdue_assignments": int(row.overdue or 0),
        "code": row.code or "",
    }


def _aware(value: datetime | None) -> datetime | None:
    # Rows read through an aliased Core table come back naive on SQLite.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=ZoneInfo("UTC"))
    return value


def stream_rows(query: Select, batch: int = 1000) -> Iterator[Any]:
    """Rows of `query`, fetched `batch` at a time (a server-side cursor on PostgreSQL)."""
    result = db.session.execute(query.execution_options(yield_per=batch, stream_results=True))
    try:
        yield from result
    finally:
        result.close()


def _safe_cell(value: Any) -> Any:
    """Keep spreadsheet programs from running a cell as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_chunks(rows: Iterable[Any], titles: dict[str, str], *, bom: bool = True) -> Iterator[str]:
    """CSV text in chunks: a UTF-8 BOM (Excel then reads Chinese right), header, rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    head = buffer.getvalue()
    yield ("\ufeff" + head) if bom else head
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, 1):
        values = record(row, titles)
        writer.writerow([_safe_cell(values[c]) for c in CSV_COLUMNS])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def json_chunks(rows: Iterable[Any], titles: dict[str, str]) -> Iterator[str]:
    """A JSON array of row objects, streamed."""
    yield "["
    for count, row in enumerate(rows):
        yield ("," if count else "") + "\n" + json.dumps(record(row, titles), ensure_ascii=False)
    yield "\n]\n"


def now() -> datetime:
    """The moment the reports judge by (one place, so tests can freeze it)."""
    return utcnow()

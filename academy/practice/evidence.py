"""Load ledger statements as the growth model's `Evidence`, many people at a time.

Pages and batch jobs read thousands of statements, so this reads plain rows
(no ORM objects, no per-column type processing) and keeps the per-row work
small: the JSON detail is fetched and decoded only for the kinds whose detail
the model reads (drill runs, observations, cards, reflections), with orjson
when it is installed; SQLite's timestamp text is parsed directly; rows are not
sorted by the database (the model puts evidence in its own canonical order;
each person's list is sorted by time here, which is cheaper). It works on any
SQLAlchemy connection: the app's session or a bare engine in a worker process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from academy.evidence import Evidence

try:  # a C JSON parser, when the environment has one: four times faster here
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - orjson is optional
    _loads = json.loads

#: Object types whose `result` the model reads (others need only the columns).
DETAILED = ("scenario", "observation", "feedback_card", "reflection")
#: Statements that are bookkeeping, not evidence.
SKIPPED_VERBS = ("assigned",)
#: Ids per query: well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 500

_SELECT = (
    "SELECT s.actor_id, s.verb, s.object_type, s.object_id, s.timestamp, s.score, s.success,"
    " s.initiative, s.on_time,"
    f" CASE WHEN s.object_type IN ({', '.join(repr(t) for t in DETAILED)}) THEN s.result END"
    " FROM statements s"
)
_BY_ACTORS = text(f"{_SELECT} WHERE s.actor_id IN :ids AND s.verb NOT IN :skipped").bindparams(
    bindparam("ids", expanding=True), bindparam("skipped", expanding=True)
)
_BY_DEPARTMENTS = text(
    f"{_SELECT} JOIN users u ON u.id = s.actor_id"
    " WHERE u.department_id IN :departments AND u.role = 'employee' AND s.verb NOT IN :skipped"
).bindparams(bindparam("departments", expanding=True), bindparam("skipped", expanding=True))
_by_time = attrgetter("at")


def _time(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite: naive UTC text, "2026-11-03 09:12:00.123456"
        try:
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:
            value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _detail(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, str | bytes):
        value = _loads(value)
    return value if isinstance(value, dict) else {}


def _rows_to_evidence(rows: Iterable[Sequence[Any]], into: dict[int, list[Evidence]]) -> None:
    for actor, verb, otype, oid, at, score, success, initiative, on_time, result in rows:
        found = into.get(actor)
        if found is None:
            found = into[actor] = []
        found.append(
            Evidence(
                verb,
                otype,
                oid,
                _time(at),
                None if score is None else float(score),
                None if success is None else bool(success),
                initiative or "self",
                None if on_time is None else bool(on_time),
                _detail(result),
            )
        )


def _fast_json(conn: Connection) -> None:
    """On PostgreSQL, decode JSONB with the fast parser too (psycopg's per-connection hook)."""
    if conn.dialect.name != "postgresql" or _loads is json.loads:
        return
    from psycopg.types.json import set_json_loads

    raw: Any = conn.connection.dbapi_connection
    set_json_loads(_loads, raw)


def _load(
    conn: Connection, query: Any, key: str, values: list[int], chunk: int
) -> dict[int, list[Evidence]]:
    _fast_json(conn)
    result: dict[int, list[Evidence]] = {}
    for start in range(0, len(values), chunk):
        rows = conn.execute(
            query, {key: values[start : start + chunk], "skipped": list(SKIPPED_VERBS)}
        ).fetchall()
        _rows_to_evidence(rows, result)
    for found in result.values():
        found.sort(key=_by_time)
    return result


def evidence_for_users(conn: Connection, user_ids: Iterable[int]) -> dict[int, list[Evidence]]:
    """{user id: evidence, oldest first} for these users (one query per 500 ids)."""
    ids = sorted(set(user_ids))
    found = _load(conn, _BY_ACTORS, "ids", ids, CHUNK)
    return {uid: found.get(uid, []) for uid in ids}


def evidence_for_departments(
    conn: Connection, department_ids: Iterable[int]
) -> dict[int, list[Evidence]]:
    """{employee id: evidence, oldest first} for the employees of these departments (one query).

    Employees with no statements are absent: pair it with the list of people.
    """
    departments = sorted(set(department_ids))
    if not departments:
        return {}
    return _load(conn, _BY_DEPARTMENTS, "departments", departments, len(departments))

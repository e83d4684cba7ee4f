"""Load ledger statements as the growth model's `Evidence`, many people at a time.

Pages and batch jobs read thousands of statements, so this reads plain rows
(no ORM objects, no per-column type processing), parses timestamps with
`datetime.fromisoformat` and decodes the JSON detail only for the kinds whose
detail the model reads (drill runs, observations, cards, reflections). It
works on any SQLAlchemy connection: the app's session or a bare engine in a
worker process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from academy.evidence import Evidence

#: Object types whose `result` the model reads (others need only the columns).
DETAILED = frozenset({"scenario", "observation", "feedback_card", "reflection"})
#: Statements that are bookkeeping, not evidence.
SKIPPED_VERBS = ("assigned",)
#: Ids per query: well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 500

_COLUMNS = (
    "actor_id, verb, object_type, object_id, timestamp, score, success, initiative, on_time, result"
)
_BY_ACTORS = text(
    f"SELECT {_COLUMNS} FROM statements WHERE actor_id IN :ids AND verb NOT IN :skipped"
    " ORDER BY actor_id, timestamp, id"
).bindparams(bindparam("ids", expanding=True), bindparam("skipped", expanding=True))
_BY_DEPARTMENTS = text(
    f"SELECT {', '.join('s.' + c.strip() for c in _COLUMNS.split(','))}"
    " FROM statements s JOIN users u ON u.id = s.actor_id"
    " WHERE u.department_id IN :departments AND u.role = 'employee'"
    " AND s.verb NOT IN :skipped ORDER BY s.actor_id, s.timestamp, s.id"
).bindparams(bindparam("departments", expanding=True), bindparam("skipped", expanding=True))


def _time(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite: naive UTC text
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _detail(object_type: str, value: Any) -> dict[str, Any]:
    if object_type not in DETAILED or value is None:
        return {}
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def _rows_to_evidence(rows: Iterable[Sequence[Any]], into: dict[int, list[Evidence]]) -> None:
    for actor, verb, otype, oid, at, score, success, initiative, on_time, result in rows:
        into.setdefault(actor, []).append(
            Evidence(
                verb,
                otype,
                oid,
                _time(at),
                None if score is None else float(score),
                None if success is None else bool(success),
                initiative or "self",
                None if on_time is None else bool(on_time),
                _detail(otype, result),
            )
        )


def evidence_for_users(conn: Connection, user_ids: Iterable[int]) -> dict[int, list[Evidence]]:
    """{user id: evidence, oldest first} for these users (one query per 500 ids)."""
    ids = sorted(set(user_ids))
    result: dict[int, list[Evidence]] = {uid: [] for uid in ids}
    for start in range(0, len(ids), CHUNK):
        rows = conn.execute(
            _BY_ACTORS, {"ids": ids[start : start + CHUNK], "skipped": list(SKIPPED_VERBS)}
        )
        _rows_to_evidence(rows, result)
    return result


def evidence_for_departments(
    conn: Connection, department_ids: Iterable[int]
) -> dict[int, list[Evidence]]:
    """{employee id: evidence, oldest first} for the employees of these departments (one query).

    Employees with no statements are absent: pair it with the list of people.
    """
    departments = sorted(set(department_ids))
    result: dict[int, list[Evidence]] = {}
    if departments:
        rows = conn.execute(
            _BY_DEPARTMENTS, {"departments": departments, "skipped": list(SKIPPED_VERBS)}
        )
        _rows_to_evidence(rows, result)
    return result

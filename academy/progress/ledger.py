"""Write and read the evidence ledger. `record` is the only writer.

Every feature that produces evidence (lesson completion, quiz attempts, drill
runs, observations, feedback cards, reflections) calls `record`. It flushes;
the caller owns the one commit of the user action, so the evidence and
whatever it triggers land together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from academy.accounts.models import User
from academy.evidence import Evidence
from academy.extensions import db
from academy.progress.models import Statement
from academy.timeutil import utcnow

logger = logging.getLogger(__name__)

VERBS = frozenset(
    {
        "experienced",
        "completed",
        "passed",
        "failed",
        "observed",
        "rated",
        "reflected",
        "earned",
        "revoked",
        "assigned",
    }
)
OBJECT_TYPES = frozenset(
    {
        "module",
        "quiz",
        "scenario",
        "observation",
        "feedback_card",
        "reflection",
        "refresher",
        "certificate",
    }
)

#: Hooks run after a statement is written, in the same transaction (e.g. issue
#: certificates). Each takes the new statement. Registered by feature packages.
AFTER_RECORD: list[Callable[[Statement], None]] = []
#: Resolves (actor, object_type, object_id) → (initiative, assignment_id, on_time)
#: when the caller does not say. Registered by the assignments feature.
INITIATIVE_RESOLVERS: list[
    Callable[[User, str, str, datetime], tuple[str, int | None, bool | None] | None]
] = []


class LedgerError(ValueError):
    """A statement that cannot be recorded (unknown verb or object type)."""


def record(
    actor: User,
    verb: str,
    object_type: str,
    object_id: str,
    *,
    score: float | None = None,
    success: bool | None = None,
    duration_s: int | None = None,
    result: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    initiative: str | None = None,
    assignment_id: int | None = None,
    recorded_by: User | None = None,
    at: datetime | None = None,
    dedupe_key: str | None = None,
) -> Statement:
    """Record one learning statement and return it.

    With a `dedupe_key`, recording the same key again (double submit, two
    tabs, concurrent requests) returns the statement already stored instead
    of writing a second one.
    """
    if verb not in VERBS:
        raise LedgerError(f"unknown verb {verb!r}")
    if object_type not in OBJECT_TYPES:
        raise LedgerError(f"unknown object type {object_type!r}")
    if score is not None and not 0 <= score <= 100:
        raise LedgerError(f"score {score} is outside 0..100")
    if dedupe_key is not None:
        existing = find_by_dedupe_key(dedupe_key)
        if existing is not None:
            return existing
    when = at or utcnow()
    on_time = None
    if initiative is None:
        initiative = "self"
        for resolve in INITIATIVE_RESOLVERS:
            found = resolve(actor, object_type, object_id, when)
            if found is not None:
                initiative, assignment_id, on_time = found
                break
    statement = Statement(
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        score=score,
        success=success,
        duration_s=duration_s,
        result=result,
        context=context,
        initiative=initiative,
        assignment_id=assignment_id,
        on_time=on_time,
        recorded_by=recorded_by or actor,
        timestamp=when,
        dedupe_key=dedupe_key,
    )
    if dedupe_key is None:
        db.session.add(statement)
        db.session.flush()
    else:
        try:
            with db.session.begin_nested():
                db.session.add(statement)
        except IntegrityError:
            # Someone else recorded the same key between our check and insert.
            existing = find_by_dedupe_key(dedupe_key)
            if existing is None:  # pragma: no cover - a different integrity problem
                raise
            return existing
    for hook in AFTER_RECORD:
        hook(statement)
    logger.info("ledger: %s %s %s:%s", actor.username, verb, object_type, object_id)
    return statement


def find_by_dedupe_key(key: str) -> Statement | None:
    """The statement recorded under `key`, if any."""
    return db.session.scalar(select(Statement).where(Statement.dedupe_key == key))


def statements_for(
    actor_id: int,
    *,
    object_type: str | None = None,
    verbs: Iterable[str] | None = None,
) -> list[Statement]:
    """One actor's statements, oldest first (one query)."""
    query = select(Statement).where(Statement.actor_id == actor_id)
    if object_type is not None:
        query = query.where(Statement.object_type == object_type)
    if verbs is not None:
        query = query.where(Statement.verb.in_(list(verbs)))
    return list(db.session.scalars(query.order_by(Statement.timestamp, Statement.id)))


def as_evidence(statement: Statement) -> Evidence:
    """The pure-domain view of a stored statement."""
    return Evidence(
        verb=statement.verb,
        object_type=statement.object_type,
        object_id=statement.object_id,
        at=statement.timestamp,
        score=statement.score,
        success=statement.success,
        initiative=statement.initiative,
        on_time=statement.on_time,
        detail=statement.result or {},
    )


def to_xapi(statement: Statement, base_url: str) -> dict[str, Any]:
    """The statement as an xAPI 1.0.3 JSON object (for export and integrations)."""
    verb_iri = {
        "experienced": "http://adlnet.gov/expapi/verbs/experienced",
        "completed": "http://adlnet.gov/expapi/verbs/completed",
        "passed": "http://adlnet.gov/expapi/verbs/passed",
        "failed": "http://adlnet.gov/expapi/verbs/failed",
    }.get(statement.verb, f"{base_url}/xapi/verbs/{statement.verb}")
    result: dict[str, Any] = {}
    if statement.score is not None:
        result["score"] = {
            "scaled": round(statement.score / 100, 4),
            "raw": statement.score,
            "min": 0,
            "max": 100,
        }
    if statement.success is not None:
        result["success"] = statement.success
    if statement.duration_s is not None:
        result["duration"] = f"PT{statement.duration_s}S"
    if statement.result:
        result["extensions"] = {f"{base_url}/xapi/result": statement.result}
    return {
        "id": f"{base_url}/xapi/statements/{statement.id}",
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": base_url, "name": statement.actor.username},
        },
        "verb": {"id": verb_iri, "display": {"en-US": statement.verb}},
        "object": {
            "objectType": "Activity",
            "id": f"{base_url}/xapi/activities/{statement.object_type}/{statement.object_id}",
        },
        "result": result,
        "context": {
            "extensions": {
                f"{base_url}/xapi/initiative": statement.initiative,
                **({f"{base_url}/xapi/context": statement.context} if statement.context else {}),
            }
        },
        "timestamp": statement.timestamp.isoformat(),
        "stored": statement.stored_at.isoformat(),
    }

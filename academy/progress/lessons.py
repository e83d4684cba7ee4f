"""Lesson progress: read and completed, recorded in the ledger."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from academy.accounts.models import User
from academy.catalog.models import Module
from academy.extensions import db
from academy.progress import ledger
from academy.progress.models import Statement

logger = logging.getLogger(__name__)

NOT_STARTED, READ, COMPLETED = "not_started", "read", "completed"


def lesson_statuses(user: User, keys: list[str] | None = None) -> dict[str, str]:
    """Module key → read / completed for one user, all modules or only `keys` (one query).

    Modules missing from the result are not started.
    """
    query = select(Statement.object_id, Statement.verb).where(
        Statement.actor_id == user.id,
        Statement.object_type == "module",
        Statement.verb.in_(("experienced", "completed")),
    )
    if keys is not None:
        query = query.where(Statement.object_id.in_(keys))
    status: dict[str, str] = {}
    for key, verb in db.session.execute(query).all():
        if verb == "completed":
            status[key] = COMPLETED
        else:
            status.setdefault(key, READ)
    return status


def lesson_status(user: User, module: Module) -> str:
    """One module's status for one user."""
    return lesson_statuses(user, [module.key]).get(module.key, NOT_STARTED)


def complete_lesson(user: User, module: Module) -> Statement:
    """Record that `user` completed `module` (idempotent: once per user and module)."""
    return ledger.record(
        user,
        "completed",
        "module",
        module.key,
        success=True,
        context={"revision": module.revision},
        dedupe_key=f"module-completed:{user.id}:{module.key}",
    )


def note_lesson_opened(user: User, module: Module) -> None:
    """Record the first time a user opens a lesson; never fails the page.

    Runs on a GET, so it commits on its own: a busy database only means the
    'read' mark waits for the next visit.
    """
    try:
        ledger.record(
            user,
            "experienced",
            "module",
            module.key,
            context={"revision": module.revision},
            dedupe_key=f"module-read:{user.id}:{module.key}",
        )
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        logger.warning("could not record that %s opened %s", user.username, module.key)

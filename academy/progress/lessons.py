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

    The rule: a lesson with a quiz is completed when its quiz is passed; a
    lesson without one when it is marked read (completed). Modules missing from
    the result are not started.
    """
    query = select(Statement.object_type, Statement.object_id, Statement.verb).where(
        Statement.actor_id == user.id,
        ((Statement.object_type == "module") & Statement.verb.in_(("experienced", "completed")))
        | ((Statement.object_type == "quiz") & (Statement.verb == "passed")),
    )
    if keys is not None:
        query = query.where(Statement.object_id.in_(keys))
    with_quiz = quiz_module_keys()
    status: dict[str, str] = {}
    for object_type, key, verb in db.session.execute(query).all():
        done = (object_type == "quiz") if key in with_quiz else (verb == "completed")
        if done:
            status[key] = COMPLETED
        else:
            status.setdefault(key, READ)
    return status


def completion_rule(module: Module) -> str:
    """How a lesson completes: ``quiz`` (pass its quiz) or ``read`` (mark it read)."""
    return "quiz" if module.question_count else "read"


def quiz_module_keys() -> frozenset[str]:
    """Keys of the published modules that have a quiz (from the content cache, no query)."""
    from academy.catalog.queries import published_modules

    return frozenset(m.key for m in published_modules() if m.question_count)


def lesson_status(user: User, module: Module) -> str:
    """One module's status for one user."""
    return lesson_statuses(user, [module.key]).get(module.key, NOT_STARTED)


class CompletionRuleError(ValueError):
    """A lesson with a quiz cannot be marked completed: passing its quiz completes it."""


def complete_lesson(user: User, module: Module) -> Statement:
    """Record that `user` completed `module` (idempotent: once per user and module).

    Only for a lesson without a quiz; raises `CompletionRuleError` otherwise.
    """
    if completion_rule(module) == "quiz":
        raise CompletionRuleError(module.key)
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

"""Refresher quizzes: a passed module's quiz comes back, short, after 7, 21 and 60 days.

The schedule is the pure `academy.growth.refresher_schedule` over the ledger.
A refresher is three questions drawn from the module's current quiz (those not
seen in the last refresher nor the last quiz attempt first), graded by
the same pure grader as the full quiz (`academy.quizzes`), with its own pass
mark (two right answers of three). It is opened once (a reload shows the same
paper) and submitted exactly once, like a quiz attempt (`academy.progress.quizzing`),
and recorded in the ledger as ``passed``/``failed`` · ``refresher`` · module key,
with ``initiative`` ``self`` when done before its due date (`refresher_initiative`).
"""

from __future__ import annotations

import dataclasses
import logging
import random
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from academy.accounts.models import User
from academy.assignments.services import COMPANY_TZ
from academy.catalog.queries import ModuleView
from academy.evidence import Evidence
from academy.extensions import db
from academy.growth import DueRefresher, refresher_initiative, refresher_schedule
from academy.practice.models import RefresherAttempt
from academy.progress import ledger, quizzing
from academy.progress.models import Statement
from academy.progress.quiz_models import QuizVersion
from academy.quizzes import (
    Paper,
    Quiz,
    QuizError,
    Result,
    grade,
    make_paper,
    read_answers,
    seen_prompts,
)
from academy.timeutil import utcnow

logger = logging.getLogger(__name__)

QUESTIONS = 3
PASS_MARK = 60.0  # two of three right


class RefresherUnavailableError(Exception):
    """No refresher for this module: it has no quiz, or the learner never passed it."""


def refresher_of(quiz: Quiz) -> Quiz:
    """The module's quiz as a refresher: a few questions drawn, its own pass mark, no limits."""
    return dataclasses.replace(
        quiz,
        draw=min(QUESTIONS, len(quiz.questions)),
        pass_mark=min(quiz.pass_mark, PASS_MARK),
        max_attempts=None,
        retry_after_minutes=None,
    )


def _module_evidence(user: User, module_key: str) -> list[Evidence]:
    rows = db.session.scalars(
        select(Statement)
        .where(
            Statement.actor_id == user.id,
            Statement.object_id == module_key,
            Statement.object_type.in_(("quiz", "refresher")),
            Statement.verb.in_(("passed", "failed")),
        )
        .order_by(Statement.timestamp, Statement.id)
    )
    return [ledger.as_evidence(row) for row in rows]


def next_refresher(user: User, module_key: str, now: datetime) -> DueRefresher | None:
    """The module's next refresher for the learner (None: never passed, or graduated)."""
    local = now.astimezone(COMPANY_TZ)  # due dates are the company's calendar days
    schedule = refresher_schedule(_module_evidence(user, module_key), local)
    return next((item for item in schedule if item.module == module_key), None)


def has_passed(user: User, module_key: str) -> bool:
    """Whether the learner ever passed the module's quiz."""
    return (
        db.session.scalar(
            select(Statement.id)
            .where(
                Statement.actor_id == user.id,
                Statement.object_type == "quiz",
                Statement.object_id == module_key,
                Statement.verb == "passed",
            )
            .limit(1)
        )
        is not None
    )


def open_refresher(
    user: User,
    module: ModuleView,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> RefresherAttempt:
    """The learner's open refresher of `module`, or a new paper. Flushes.

    Raises `RefresherUnavailableError` when the module has no quiz or the learner
    has not passed it yet (a refresher refreshes what was learnt).
    """
    now = now or utcnow()
    found = _open_attempt(user, module.key)
    if found is not None:
        return found
    if not module.quiz or not has_passed(user, module.key):
        raise RefresherUnavailableError(module.key)
    quiz = refresher_of(quizzing.quiz_of(module))  # type: ignore[arg-type]
    version = quizzing._version_of(module)  # type: ignore[arg-type]  # the same stored version
    upcoming = next_refresher(user, module.key, now)
    seen = _seen_before(user, module.key)
    attempt = RefresherAttempt(
        token=secrets.token_urlsafe(24),
        user_id=user.id,
        module_key=module.key,
        quiz_version_id=version.id,
        paper=make_paper(quiz, rng or random.SystemRandom(), seen).to_data(),
        pass_mark=quiz.pass_mark,
        interval=upcoming.interval if upcoming else None,
        due_on=upcoming.due if upcoming else None,
        started_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Opened at the same moment in another tab: use that one.
        found = _open_attempt(user, module.key)
        if found is None:  # pragma: no cover - a different integrity problem
            raise
        return found
    logger.info("refresher: %s opened %s", user.username, module.key)
    return attempt


def _seen_before(user: User, module_key: str) -> list[frozenset[str]]:
    """Prompt keys the learner saw last: the last refresher's, then the last quiz attempt's.

    A new refresher draws questions seen in neither first, so spaced repetition
    brings back the bank rather than the same three questions.
    """
    last = db.session.scalar(
        select(RefresherAttempt)
        .where(
            RefresherAttempt.user_id == user.id,
            RefresherAttempt.module_key == module_key,
            RefresherAttempt.submitted_at.is_not(None),
        )
        .order_by(RefresherAttempt.submitted_at.desc(), RefresherAttempt.id.desc())
        .limit(1)
    )
    seen = []
    if last is not None:
        try:
            seen.append(seen_prompts(*quiz_and_paper(last)))
        except QuizError:
            pass  # a stored version that no longer loads: nothing to avoid
    seen.append(quizzing.last_seen(quizzing.attempts_at(user, module_key)))
    return seen


def _open_attempt(user: User, module_key: str) -> RefresherAttempt | None:
    return db.session.scalar(
        select(RefresherAttempt).where(
            RefresherAttempt.user_id == user.id,
            RefresherAttempt.module_key == module_key,
            RefresherAttempt.submitted_at.is_(None),
        )
    )


def find_refresher(user: User, token: str) -> RefresherAttempt | None:
    """The learner's refresher with this token (None for anyone else's or a bad token)."""
    if not quizzing.is_token(token):
        return None
    return db.session.scalar(
        select(RefresherAttempt).where(
            RefresherAttempt.token == token, RefresherAttempt.user_id == user.id
        )
    )


def quiz_and_paper(attempt: RefresherAttempt) -> tuple[Quiz, Paper]:
    """The refresher quiz the attempt was drawn from, and its paper."""
    data = db.session.scalar(
        select(QuizVersion.data).where(QuizVersion.id == attempt.quiz_version_id)
    )
    quiz = dataclasses.replace(refresher_of(Quiz.from_data(data)), pass_mark=attempt.pass_mark)
    return quiz, Paper.from_data(attempt.paper)


def submit_refresher(
    user: User,
    attempt: RefresherAttempt,
    form: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> RefresherAttempt:
    """Grade the posted answers once and record the refresher in the ledger.

    A second submission of the same attempt changes nothing and returns it.
    """
    if attempt.submitted_at is not None:
        return attempt
    now = now or utcnow()
    quiz, paper = quiz_and_paper(attempt)
    answers = read_answers(quiz, paper, form)
    result = grade(quiz, paper, answers)
    initiative = refresher_initiative(
        now.astimezone(COMPANY_TZ),
        attempt.due_on,
        assigned=False,
        reminded=attempt.due_on is not None,
    )
    attempt_id, token, key = attempt.id, attempt.token, attempt.module_key
    interval, due = attempt.interval, attempt.due_on
    duration = max(0, int((now - attempt.started_at).total_seconds()))
    claimed = db.session.execute(
        update(RefresherAttempt)
        .where(RefresherAttempt.id == attempt_id, RefresherAttempt.submitted_at.is_(None))
        .values(
            submitted_at=now,
            answers=answers.to_data(),
            result=result.to_data(),
            score=result.score,
            passed=result.passed,
            initiative=initiative,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(attempt)
    if claimed != 1:
        return attempt
    statement = ledger.record(
        user,
        "passed" if result.passed else "failed",
        "refresher",
        key,
        score=result.score,
        success=result.passed,
        duration_s=duration,
        initiative=initiative,
        result={
            "attempt": token,
            "interval": interval,
            "due": due.isoformat() if due else None,
            "questions": len(result.questions),
            "correct": sum(1 for q in result.questions if q.correct),
            "pass_mark": result.pass_mark,
        },
        at=now,
        dedupe_key=f"refresher-attempt:{token}",
    )
    db.session.execute(
        update(RefresherAttempt)
        .where(RefresherAttempt.id == attempt_id)
        .values(statement_id=statement.id)
        .execution_options(synchronize_session=False)
    )
    logger.info(
        "refresher: %s %s %s with %s (%s)",
        user.username,
        "passed" if result.passed else "failed",
        key,
        result.score,
        initiative,
    )
    return attempt


def result_of(attempt: RefresherAttempt) -> Result:
    """The graded result stored with a submitted refresher."""
    return Result.from_data(attempt.result)

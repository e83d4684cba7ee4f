"""Quiz attempts: open a paper, submit it exactly once, history, best scores, statistics.

The rules (papers, grading, attempt limits, statistics) are the pure functions of
`academy.quizzes`; this module stores what they produce. Services flush, the
caller commits once.

Exactly once: a submission claims the attempt with a conditional
``UPDATE … WHERE submitted_at IS NULL``. Whoever updates the row records the
ledger statement (deduplicated by the attempt's token as well); a second
submission of the same token (double click, back button, two tabs, two
concurrent requests) updates nothing and gets the stored result back.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only

from academy.accounts.models import User
from academy.catalog.models import Module
from academy.catalog.queries import ModuleView, parsed_quiz
from academy.extensions import db
from academy.progress import ledger
from academy.progress.quiz_models import QuizAttempt, QuizVersion
from academy.quizzes import (
    Answers,
    AttemptGate,
    Paper,
    QuestionStats,
    Quiz,
    QuizError,
    Result,
    attempt_gate,
    grade,
    make_paper,
    present,
    question_stats,
    read_answers,
    seen_prompts,
)
from academy.quizzes.drafts import Draft, clean_draft, draft_from_data
from academy.timeutil import as_utc, utcnow

logger = logging.getLogger(__name__)

#: Attempt tokens: ``secrets.token_urlsafe(24)`` gives 32 characters.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")

#: Columns of an attempt that lists and summaries need (not the JSON payloads).
_LIGHT = (
    QuizAttempt.id,
    QuizAttempt.token,
    QuizAttempt.user_id,
    QuizAttempt.module_key,
    QuizAttempt.module_revision,
    QuizAttempt.quiz_version_id,
    QuizAttempt.started_at,
    QuizAttempt.submitted_at,
    QuizAttempt.score,
    QuizAttempt.passed,
    QuizAttempt.pass_mark,
    QuizAttempt.duration_s,
    QuizAttempt.initiative,
)


class QuizClosedError(Exception):
    """A new attempt is not allowed now; `gate` says why (max_attempts, retry_after)."""

    def __init__(self, gate: AttemptGate) -> None:
        super().__init__(gate.reason)
        self.gate = gate


def is_token(value: object) -> bool:
    """Whether `value` looks like an attempt token (before any database lookup)."""
    return isinstance(value, str) and TOKEN_RE.fullmatch(value) is not None


def quiz_of(module: Module) -> Quiz:
    """The module's published quiz (validated at sync; raises `QuizError` if it has none)."""
    if not module.quiz:
        raise QuizError(f"module {module.key} has no quiz")
    if isinstance(module, ModuleView):
        return parsed_quiz(module)  # parsed once per content version
    return Quiz.from_data(module.quiz)


def quiz_digest(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a quiz's data (equal quizzes, equal digests)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- taking a quiz ----------------------------------------------------------------


def attempts_at(user: User, module_key: str) -> list[QuizAttempt]:
    """One learner's attempts at one module, oldest first, without answers or result."""
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .options(load_only(*_LIGHT, QuizAttempt.paper))
            .where(QuizAttempt.user_id == user.id, QuizAttempt.module_key == module_key)
            .order_by(QuizAttempt.started_at, QuizAttempt.id)
        )
    )


def gate_for(quiz: Quiz, attempts: Iterable[QuizAttempt], now: datetime) -> AttemptGate:
    """May the learner start a new attempt now, given their attempts at this quiz?"""
    finished = [a.submitted_at for a in attempts if a.submitted_at is not None]
    return attempt_gate(quiz, finished, now)


def open_attempt(
    user: User,
    module: Module,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """The learner's open attempt at the module's quiz, or a new paper if the rules allow.

    A reload returns the same attempt, so the same paper. Raises `QuizClosedError`
    when `max_attempts` or `retry_after_minutes` forbid a new attempt.
    """
    now = now or utcnow()
    attempts = attempts_at(user, module.key)
    for attempt in attempts:
        if attempt.submitted_at is None:
            return attempt
    quiz = quiz_of(module)
    gate = gate_for(quiz, attempts, now)
    if not gate.allowed:
        raise QuizClosedError(gate)
    paper = make_paper(quiz, rng or random.SystemRandom(), [last_seen(attempts)])
    attempt = QuizAttempt(
        token=secrets.token_urlsafe(24),
        user_id=user.id,
        module_key=module.key,
        module_revision=module.revision,
        version=_version_of(module),
        paper=paper.to_data(),
        started_at=now,
        pass_mark=quiz.pass_mark,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # The same learner opened it at the same moment (two tabs): use that one.
        found = db.session.scalar(
            select(QuizAttempt).where(
                QuizAttempt.user_id == user.id,
                QuizAttempt.module_key == module.key,
                QuizAttempt.submitted_at.is_(None),
            )
        )
        if found is None:  # pragma: no cover - a different integrity problem
            raise
        return found
    logger.info("quiz: %s opened attempt %s at %s", user.username, attempt.id, module.key)
    return attempt


def last_seen(attempts: Iterable[QuizAttempt]) -> frozenset[str]:
    """Prompt keys of the questions the learner's last submitted attempt showed.

    A retake draws others from the bank first (`academy.quizzes.draw_indices`).
    """
    submitted = [a for a in attempts if a.submitted_at is not None]
    if not submitted:
        return frozenset()
    last = max(submitted, key=lambda a: (as_utc(a.submitted_at), a.id))
    try:
        quiz, paper = quiz_and_paper(last)
    except QuizError:
        return frozenset()  # a stored version that no longer loads: nothing to avoid
    return seen_prompts(quiz, paper)


def _version_of(module: Module) -> QuizVersion:
    """The stored version of the module's current quiz, added on first use."""
    digest = quiz_digest(module.quiz or {})
    query = select(QuizVersion).where(
        QuizVersion.module_key == module.key, QuizVersion.digest == digest
    )
    version = db.session.scalar(query)
    if version is not None:
        return version
    version = QuizVersion(
        module_key=module.key, digest=digest, data=module.quiz, module_revision=module.revision
    )
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except IntegrityError:
        # Another learner's first attempt on this version was stored meanwhile.
        found = db.session.scalar(query)
        if found is None:  # pragma: no cover - a different integrity problem
            raise
        return found
    return version


def quiz_and_paper(attempt: QuizAttempt) -> tuple[Quiz, Paper]:
    """The exact quiz the attempt was drawn from, and its paper."""
    return Quiz.from_data(attempt.version.data), Paper.from_data(attempt.paper)


def find_attempt(user: User, token: str) -> QuizAttempt | None:
    """The learner's attempt with this token; None for anyone else's or an unknown token."""
    if not is_token(token):
        return None
    return db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.token == token, QuizAttempt.user_id == user.id)
    )


def submit_attempt(
    user: User,
    attempt: QuizAttempt,
    form: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> QuizAttempt:
    """Grade the posted answers and record them exactly once; return the submitted attempt.

    `form` is the posted form (``request.form``: a MultiDict, or a mapping of
    field → list of values). An attempt already submitted is returned as it is,
    whatever was posted the second time.
    """
    if attempt.submitted_at is not None:
        return attempt
    now = now or utcnow()
    quiz, paper = quiz_and_paper(attempt)
    answers = read_answers(quiz, paper, form)
    result = grade(quiz, paper, answers)
    duration = max(0, int((now - attempt.started_at).total_seconds()))
    attempt_id, token, key, revision, version_id = (
        attempt.id,
        attempt.token,
        attempt.module_key,
        attempt.module_revision,
        attempt.quiz_version_id,
    )
    # The claim: only one request can turn submitted_at from NULL to a time. On
    # PostgreSQL a concurrent claim waits for the row lock, then finds it taken.
    claimed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt_id, QuizAttempt.submitted_at.is_(None))
        .values(
            submitted_at=now,
            answers=answers.to_data(),
            result=result.to_data(),
            score=result.score,
            passed=result.passed,
            duration_s=duration,
            draft=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(attempt)
    if claimed != 1:
        logger.info("quiz: %s resubmitted attempt %s (ignored)", user.username, attempt_id)
        return attempt
    statement = ledger.record(
        user,
        "passed" if result.passed else "failed",
        "quiz",
        key,
        score=result.score,
        success=result.passed,
        duration_s=duration,
        result={
            "attempt": token,
            "pass_mark": result.pass_mark,
            "points": result.points,
            "earned": round(result.earned, 4),
            "questions": len(result.questions),
            "correct": sum(1 for q in result.questions if q.correct),
        },
        context={"revision": revision, "quiz_version": version_id},
        at=now,
        dedupe_key=f"quiz-attempt:{token}",
    )
    db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt_id)
        .values(initiative=statement.initiative)
        .execution_options(synchronize_session=False)
    )
    logger.info(
        "quiz: %s submitted attempt %s at %s: %s (%s)",
        user.username,
        attempt_id,
        key,
        result.score,
        "passed" if result.passed else "failed",
    )
    return attempt


def save_draft(
    user: User,
    attempt: QuizAttempt,
    form: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> tuple[bool, Draft]:
    """Keep the answers given so far with the open attempt: (saved, the cleaned draft).

    Only the learner's own open attempt takes a draft: one conditional
    ``UPDATE … WHERE submitted_at IS NULL``, so a save racing the submission
    never writes over a graded attempt (it returns False). Saving the same
    answers twice leaves the same draft (idempotent). Flushes.
    """
    if attempt.user_id != user.id or attempt.submitted_at is not None:
        return False, {}
    quiz, paper = quiz_and_paper(attempt)
    draft = clean_draft(present(quiz, paper), form)
    saved = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(draft=draft, draft_saved_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(attempt)
    return saved == 1, draft


def draft_of(attempt: QuizAttempt) -> Draft:
    """The answers saved with an open attempt so far (cleaned again against its paper)."""
    if attempt.submitted_at is not None or not attempt.draft:
        return {}
    quiz, paper = quiz_and_paper(attempt)
    return clean_draft(present(quiz, paper), draft_from_data(attempt.draft))


def result_of(attempt: QuizAttempt) -> Result:
    """The graded result stored with a submitted attempt."""
    return Result.from_data(attempt.result)


# --- progress -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuizSummary:
    """A learner's standing on one module's quiz (module page, result page)."""

    attempts: int
    best: float | None
    passed: bool
    open_token: str | None
    last_token: str | None
    gate: AttemptGate


def quiz_summary(user: User, module: Module, now: datetime | None = None) -> QuizSummary:
    """Attempts, best score, passed, and whether a new attempt may start (one query)."""
    attempts = attempts_at(user, module.key)
    finished = [a for a in attempts if a.submitted_at is not None]
    scores = [a.score for a in finished if a.score is not None]
    last = finished[-1] if finished else None
    return QuizSummary(
        attempts=len(finished),
        best=max(scores) if scores else None,
        passed=any(a.passed for a in finished),
        open_token=next((a.token for a in attempts if a.submitted_at is None), None),
        last_token=last.token if last is not None else None,
        gate=gate_for(quiz_of(module), attempts, now or utcnow()),
    )


def best_scores(user: User, keys: Iterable[str] | None = None) -> dict[str, float]:
    """Module key → the learner's best quiz score (the one that counts for progress)."""
    query = (
        select(QuizAttempt.module_key, func.max(QuizAttempt.score))
        .where(QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.module_key)
    )
    if keys is not None:
        query = query.where(QuizAttempt.module_key.in_(list(keys)))
    return {key: best for key, best in db.session.execute(query).all() if best is not None}


def history_query(user: User) -> Select[tuple[QuizAttempt]]:
    """The learner's submitted attempts, newest first (for `db.paginate`)."""
    return (
        select(QuizAttempt)
        .options(load_only(*_LIGHT))
        .where(QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_not(None))
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
    )


@dataclass(frozen=True)
class ModuleRef:
    """Enough of a module (published or not) to name it and link to it."""

    key: str
    discipline: str
    slug: str
    title: str
    published: bool


def module_refs(keys: Iterable[str]) -> dict[str, ModuleRef]:
    """Module key → title and link parts, for the given keys (one query)."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Module.key, Module.discipline, Module.slug, Module.title, Module.published).where(
            Module.key.in_(wanted)
        )
    ).all()
    return {row.key: ModuleRef(*row) for row in rows}


# --- trainer statistics -------------------------------------------------------------


@dataclass(frozen=True)
class ModuleQuizRow:
    """One module's quiz in the trainers' overview."""

    module: Module
    attempts: int
    learners: int
    passed: int
    average: float | None
    last_at: datetime | None

    @property
    def pass_rate(self) -> float | None:
        return round(100 * self.passed / self.attempts, 1) if self.attempts else None


def quiz_overview() -> list[ModuleQuizRow]:
    """Every published module with a quiz and its attempt figures (two queries)."""
    from academy.catalog.queries import published_modules

    figures = {
        row.module_key: row
        for row in db.session.execute(
            select(
                QuizAttempt.module_key,
                func.count(QuizAttempt.id).label("attempts"),
                func.count(func.distinct(QuizAttempt.user_id)).label("learners"),
                func.sum(case((QuizAttempt.passed.is_(True), 1), else_=0)).label("passed"),
                func.avg(QuizAttempt.score).label("average"),
                func.max(QuizAttempt.submitted_at).label("last_at"),
            )
            .where(QuizAttempt.submitted_at.is_not(None))
            .group_by(QuizAttempt.module_key)
        )
    }
    rows = []
    for module in published_modules():
        if not module.question_count:
            continue
        found = figures.get(module.key)
        rows.append(
            ModuleQuizRow(
                module=module,
                attempts=found.attempts if found else 0,
                learners=found.learners if found else 0,
                passed=int(found.passed or 0) if found else 0,
                average=round(float(found.average), 1)
                if found and found.average is not None
                else None,
                last_at=_aware(found.last_at) if found else None,
            )
        )
    return rows


@dataclass(frozen=True)
class VersionRow:
    """A stored version of a module's quiz and how many finished attempts it has."""

    id: int
    module_revision: int
    created_at: datetime
    attempts: int
    current: bool


@dataclass(frozen=True)
class QuestionReport:
    """Per-question statistics of one version of a module's quiz."""

    quiz: Quiz
    version_id: int | None
    versions: list[VersionRow]
    attempts: int
    learners: int
    passed: int
    questions: list[QuestionStats]


def question_report(module: Module, version_id: int | None = None) -> QuestionReport:
    """Statistics per question for the current quiz, or for an earlier `version_id`.

    Attempts are only comparable on the exact questions they answered, so each
    version is reported on its own. Constant number of queries.
    """
    digest = quiz_digest(module.quiz or {})
    counts = (
        select(QuizAttempt.quiz_version_id, func.count(QuizAttempt.id).label("n"))
        .where(QuizAttempt.module_key == module.key, QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.quiz_version_id)
        .subquery()
    )
    versions = [
        VersionRow(row.id, row.module_revision, _aware(row.created_at), row.n or 0, row.current)
        for row in db.session.execute(
            select(
                QuizVersion.id,
                QuizVersion.module_revision,
                QuizVersion.created_at,
                counts.c.n,
                (QuizVersion.digest == digest).label("current"),
            )
            .outerjoin(counts, counts.c.quiz_version_id == QuizVersion.id)
            .where(QuizVersion.module_key == module.key)
            .order_by(QuizVersion.id.desc())
        )
    ]
    chosen = next((v for v in versions if v.id == version_id), None)
    if chosen is None:
        chosen = next((v for v in versions if v.current), None)
    if chosen is None or chosen.current:
        quiz = quiz_of(module)
    else:
        data = db.session.scalar(select(QuizVersion.data).where(QuizVersion.id == chosen.id))
        quiz = Quiz.from_data(data)
    graded: list[tuple[Paper, Answers]] = []
    learners: set[int] = set()
    passed = 0
    if chosen is not None:
        rows = db.session.execute(
            select(
                QuizAttempt.id,
                QuizAttempt.user_id,
                QuizAttempt.passed,
                QuizAttempt.paper,
                QuizAttempt.answers,
            ).where(QuizAttempt.quiz_version_id == chosen.id, QuizAttempt.submitted_at.is_not(None))
        )
        for row in rows:
            try:
                graded.append((Paper.from_data(row.paper), Answers.from_data(row.answers)))
            except QuizError as exc:
                logger.warning("quiz stats: attempt %s skipped: %s", row.id, exc)
                continue
            learners.add(row.user_id)
            passed += bool(row.passed)
    return QuestionReport(
        quiz=quiz,
        version_id=chosen.id if chosen is not None else None,
        versions=versions,
        attempts=len(graded),
        learners=len(learners),
        passed=passed,
        questions=question_stats(quiz, graded),
    )


def _aware(value: datetime | str | None) -> datetime | None:
    """Aggregates may bypass the column type: SQLite can give naive UTC or text back."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite's max() over a datetime column returns text
        value = datetime.fromisoformat(value)
    return as_utc(value)

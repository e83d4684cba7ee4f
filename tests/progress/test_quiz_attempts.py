"""Quiz attempt services: papers kept, exactly-once submit, ledger records, best score."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from quiz_fixtures import EVERY_KIND, MODULE, RIGHT_FORM, set_quiz
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value


@pytest.fixture
def ctx(app, make_user):
    """An app context with the every-kind quiz, a learner and the module loaded."""
    from academy.accounts.models import User
    from academy.catalog.models import Module
    from academy.extensions import db

    set_quiz(app, EVERY_KIND)
    ids = [make_user("employee").id for _ in range(5)]
    with app.app_context():
        yield (
            db.session.get(User, ids[0]),
            db.session.scalar(select(Module).where(Module.key == MODULE)),
        )


@pytest.fixture
def others(ctx):
    """Four more learners, loaded in the same context as `ctx`."""
    from academy.accounts.models import User
    from academy.extensions import db

    first = ctx[0].id
    return [db.session.get(User, first + n) for n in range(1, 5)]


def _statements(user):
    from academy.extensions import db
    from academy.progress.models import Statement

    return list(
        db.session.scalars(
            select(Statement).where(Statement.actor_id == user.id, Statement.object_type == "quiz")
        )
    )


def test_open_attempt_reuses_the_open_paper(ctx):
    """Opening twice gives the same attempt and paper until it is submitted."""
    from academy.extensions import db
    from academy.progress import quizzing

    user, module = ctx
    first = quizzing.open_attempt(user, module, rng=random.Random(1))
    db.session.commit()
    again = quizzing.open_attempt(user, module, rng=random.Random(2))
    assert again.id == first.id and again.paper == first.paper
    quizzing.submit_attempt(user, first, {})
    db.session.commit()
    assert quizzing.open_attempt(user, module).id != first.id


def test_tokens_are_long_random_and_unique(ctx, make_user):
    """Attempt tokens are unguessable (urlsafe, 32 characters) and differ per attempt."""
    from academy.progress import quizzing

    user, module = ctx
    token = quizzing.open_attempt(user, module).token
    assert len(token) == 32 and quizzing.is_token(token)
    assert not quizzing.is_token("short") and not quizzing.is_token("a/b" * 10)


def test_submit_grades_and_writes_one_ledger_statement(ctx):
    """A submit stores answers and result, and records `passed` with score and duration."""
    from academy.extensions import db
    from academy.progress import quizzing

    user, module = ctx
    attempt = quizzing.open_attempt(user, module)
    started = attempt.started_at
    db.session.commit()
    done = quizzing.submit_attempt(user, attempt, RIGHT_FORM, now=started + timedelta(seconds=95))
    db.session.commit()
    assert (done.score, done.passed, done.duration_s, done.initiative) == (100.0, True, 95, "self")
    assert quizzing.result_of(done).score == 100.0 and done.answers["responses"]
    [statement] = _statements(user)
    assert (statement.verb, statement.object_type, statement.object_id) == (
        "passed",
        "quiz",
        MODULE,
    )
    assert (statement.score, statement.success, statement.duration_s) == (100.0, True, 95)
    assert statement.dedupe_key == f"quiz-attempt:{done.token}"
    assert statement.result == {
        "attempt": done.token,
        "pass_mark": 80,
        "points": 7,
        "earned": 7,
        "questions": 7,
        "correct": 7,
    }
    assert statement.context["revision"] == module.revision
    assert statement.timestamp == done.submitted_at


def test_a_failed_attempt_records_failed(ctx):
    """Below the pass mark the statement's verb is `failed` and success is false."""
    from academy.extensions import db
    from academy.progress import quizzing

    user, module = ctx
    done = quizzing.submit_attempt(user, quizzing.open_attempt(user, module), {"q1": "1"})
    db.session.commit()
    [statement] = _statements(user)
    assert (statement.verb, statement.success, done.passed) == ("failed", False, False)
    assert statement.score == done.score == pytest.approx(100 / 7, abs=0.01)


def test_submit_is_exactly_once_even_from_a_stale_read(ctx):
    """A second submit, even one that read the attempt before the first commit, does nothing."""
    from academy.extensions import db
    from academy.progress import quizzing

    user, module = ctx
    attempt = quizzing.open_attempt(user, module)
    db.session.commit()
    quizzing.submit_attempt(user, attempt, RIGHT_FORM)
    db.session.commit()
    # What a concurrent request that loaded the attempt earlier still believes:
    set_committed_value(attempt, "submitted_at", None)
    again = quizzing.submit_attempt(user, attempt, {})
    db.session.commit()
    assert again.score == 100.0 and again.submitted_at is not None
    assert len(_statements(user)) == 1


def test_initiative_comes_from_the_ledger_resolvers(ctx, monkeypatch):
    """An assigned quiz is recorded as assigned on the statement and the attempt."""
    from academy.extensions import db
    from academy.progress import ledger, quizzing

    monkeypatch.setattr(
        ledger, "INITIATIVE_RESOLVERS", [lambda actor, kind, key, when: ("assigned", None, True)]
    )
    user, module = ctx
    done = quizzing.submit_attempt(user, quizzing.open_attempt(user, module), RIGHT_FORM)
    db.session.commit()
    assert done.initiative == "assigned"
    assert _statements(user)[0].initiative == "assigned"


def test_only_one_open_attempt_per_learner_and_module(ctx):
    """The database refuses a second open attempt at the same module (partial unique index)."""
    from academy.extensions import db
    from academy.progress import quizzing
    from academy.progress.quiz_models import QuizAttempt

    user, module = ctx
    first = quizzing.open_attempt(user, module)
    db.session.commit()
    twin = QuizAttempt(
        token="B" * 32,
        user_id=user.id,
        module_key=module.key,
        module_revision=module.revision,
        quiz_version_id=first.quiz_version_id,
        paper=first.paper,
        pass_mark=80,
    )
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_grading_uses_the_quiz_the_paper_was_drawn_from(app, ctx):
    """A module change after opening never regrades the open attempt on other questions."""
    from academy.extensions import db
    from academy.progress import quizzing
    from academy.progress.quiz_models import QuizVersion

    user, module = ctx
    attempt = quizzing.open_attempt(user, module)
    db.session.commit()
    changed = {**EVERY_KIND, "questions": EVERY_KIND["questions"][:1]}
    set_quiz(app, changed)
    done = quizzing.submit_attempt(user, attempt, RIGHT_FORM)
    db.session.commit()
    assert done.score == 100.0 and len(quizzing.result_of(done).questions) == 7
    fresh = quizzing.open_attempt(user, module)
    db.session.commit()
    assert fresh.quiz_version_id != done.quiz_version_id
    assert len(fresh.paper["questions"]) == 1
    assert db.session.scalar(select(func.count(QuizVersion.id))) == 2


def test_equal_quiz_content_shares_one_version(ctx, others):
    """Attempts on the same quiz content point at one stored version, across learners."""
    from academy.extensions import db
    from academy.progress import quizzing

    user, module = ctx
    other = others[0]
    a = quizzing.open_attempt(user, module)
    b = quizzing.open_attempt(other, module)
    db.session.commit()
    assert a.quiz_version_id == b.quiz_version_id
    assert a.version.data == module.quiz


def test_best_score_and_summary(ctx):
    """The best score counts; the summary has attempts, best, passed and the gate."""
    from academy.extensions import db
    from academy.progress import quizzing

    user, module = ctx
    for form in ({"q1": "1"}, RIGHT_FORM, {}):
        quizzing.submit_attempt(user, quizzing.open_attempt(user, module), form)
        db.session.commit()
    assert quizzing.best_scores(user) == {MODULE: 100.0}
    assert quizzing.best_scores(user, ["look/second-look"]) == {}
    summary = quizzing.quiz_summary(user, module)
    assert (summary.attempts, summary.best, summary.passed) == (3, 100.0, True)
    assert summary.open_token is None and summary.gate.allowed


def test_max_attempts_and_retry_after_close_new_attempts(app, ctx):
    """The attempt gate refuses a new paper with the reason and the time it reopens."""
    from academy.extensions import db
    from academy.progress import quizzing

    user, module = ctx
    db.session.commit()  # end the read: the quiz changes underneath
    set_quiz(app, {**EVERY_KIND, "max_attempts": 2, "retry_after_minutes": 30})
    first = quizzing.open_attempt(user, module)
    start = first.started_at
    quizzing.submit_attempt(user, first, {}, now=start + timedelta(minutes=1))
    with pytest.raises(quizzing.QuizClosedError) as closed:
        quizzing.open_attempt(user, module, now=start + timedelta(minutes=20))
    assert closed.value.gate.reason == "retry_after"
    assert closed.value.gate.retry_at == start + timedelta(minutes=31)
    second = quizzing.open_attempt(user, module, now=start + timedelta(minutes=40))
    quizzing.submit_attempt(user, second, {}, now=start + timedelta(minutes=41))
    with pytest.raises(quizzing.QuizClosedError) as closed:
        quizzing.open_attempt(user, module, now=start + timedelta(days=3))
    assert closed.value.gate.reason == "max_attempts"


def test_question_report_feeds_the_pure_statistics(ctx, others):
    """Per-question statistics count answers and the most chosen wrong option."""
    from academy.extensions import db
    from academy.progress import quizzing

    _user, module = ctx
    forms = ({"q1": "0"}, {"q1": "0"}, {"q1": "2"}, RIGHT_FORM)
    for learner, form in zip(others, forms, strict=True):
        quizzing.submit_attempt(learner, quizzing.open_attempt(learner, module), form)
        db.session.commit()
    report = quizzing.question_report(module)
    assert (report.attempts, report.learners, report.passed) == (4, 4, 1)
    single = report.questions[0]
    assert (single.shown, single.answered, single.correct) == (4, 4, 1)
    assert (single.top_wrong, single.top_wrong_count) == ("Wait until they speak", 2)
    assert report.questions[6].answered == 1


def test_demo_gives_employees_failed_then_passed_attempts(app):
    """The demo history goes through the services: attempts, ledger records, a retake pass."""
    from academy.demo import build_demo
    from academy.extensions import db
    from academy.progress.models import Statement
    from academy.progress.quiz_models import QuizAttempt

    with app.app_context():
        summary = build_demo(employees=4)
        attempts = list(db.session.scalars(select(QuizAttempt)))
        statements = db.session.scalar(
            select(func.count(Statement.id)).where(Statement.object_type == "quiz")
        )
    assert "quiz history" in summary
    assert attempts and all(a.submitted_at is not None for a in attempts)
    assert statements == len(attempts)
    by_learner_module = {}
    for attempt in sorted(attempts, key=lambda a: a.submitted_at):
        by_learner_module.setdefault((attempt.user_id, attempt.module_key), []).append(attempt)
    assert any(not tries[0].passed and tries[-1].passed for tries in by_learner_module.values()), (
        "no failed-then-passed history"
    )


def test_a_retake_draws_the_questions_not_seen_last_time(app, make_user):
    """A bank of 15 with draw 10: the second attempt has the 5 the first did not show."""
    from academy.accounts.models import User
    from academy.catalog.models import Module
    from academy.extensions import db
    from academy.progress import quizzing

    set_quiz(
        app,
        {
            "pass_mark": 50,
            "draw": 10,
            "questions": [
                {"kind": "true_false", "prompt": f"情境 {n}", "answer": True} for n in range(15)
            ],
        },
    )
    user_id = make_user("employee").id
    with app.app_context():
        user = db.session.get(User, user_id)
        module = db.session.scalar(select(Module).where(Module.key == MODULE))
        first = quizzing.open_attempt(user, module, rng=random.Random(1))
        quizzing.submit_attempt(user, first, {})
        db.session.commit()
        shown = set(quizzing.quiz_and_paper(first)[1].indices)
        second = quizzing.open_attempt(user, module, rng=random.Random(1))
        again = set(quizzing.quiz_and_paper(second)[1].indices)
        assert len(again) == 10 and len(again - shown) == 5

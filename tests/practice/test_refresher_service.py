"""Refreshers: a passed quiz comes back short, is graded by the quiz grader, once, and counts."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from growth_support import load, passed_quiz
from sqlalchemy import select

from academy.quizzes import key_form

KEY = "look/first-look"


@pytest.fixture
def learner(app, make_user):
    return make_user("employee", username="zhangwei", department="客服窗口")


def module():
    from academy.catalog.queries import published_module

    return published_module("look", "first-look")


def refresher_statements():
    from academy.extensions import db
    from academy.progress.models import Statement

    return list(db.session.scalars(select(Statement).where(Statement.object_type == "refresher")))


def test_a_refresher_is_a_few_questions_with_its_own_pass_mark():
    """Three questions at most, drawn from the quiz; two right of three passes; no limits."""
    from academy.practice.refreshers import refresher_of
    from academy.quizzes import Quiz

    quiz = Quiz.from_data(
        {
            "pass_mark": 80,
            "max_attempts": 2,
            "questions": [
                {"kind": "true_false", "prompt": f"Q{n}", "answer": True} for n in range(6)
            ],
        }
    )
    short = refresher_of(quiz)
    assert (short.draw, short.pass_mark, short.max_attempts) == (3, 60.0, None)
    assert short.questions == quiz.questions


def test_no_refresher_before_the_quiz_was_passed(app, learner):
    """A module never passed has nothing to refresh."""
    from academy.practice import refreshers

    with app.app_context():
        with pytest.raises(refreshers.RefresherUnavailableError):
            refreshers.open_refresher(load(app, learner), module())


def test_refresher_done_before_its_date_is_self_initiated_and_in_the_ledger(app, learner):
    """Passed 5 days ago (due on day 7): graded right, ``passed`` · ``refresher`` · self."""
    from academy.extensions import db
    from academy.practice import refreshers

    passed_quiz(app, learner, KEY, days_ago=5)
    with app.app_context():
        user = load(app, learner)
        attempt = refreshers.open_refresher(user, module(), rng=random.Random(1))
        db.session.commit()
        again = refreshers.open_refresher(user, module())
        assert again.id == attempt.id  # a reload shows the same paper
        assert attempt.interval == 0 and attempt.due_on is not None
        quiz, paper = refreshers.quiz_and_paper(attempt)
        assert len(paper.items) == min(3, len(quiz.questions))
        refreshers.submit_refresher(user, attempt, key_form(quiz, paper))
        refreshers.submit_refresher(user, attempt, {})  # a second post changes nothing
        db.session.commit()
        (st,) = refresher_statements()
        assert (st.verb, st.object_id, st.score, st.initiative) == ("passed", KEY, 100.0, "self")
        assert st.result["interval"] == 0 and st.dedupe_key.startswith("refresher-attempt:")
        assert attempt.passed is True and attempt.statement_id == st.id


def test_overdue_refresher_done_after_the_reminder_is_not_self_initiated(app, learner):
    """Passed 20 days ago, due on day 7, listed as due since: taken now, it was reminded."""
    from academy.extensions import db
    from academy.practice import refreshers

    passed_quiz(app, learner, KEY, days_ago=20)
    with app.app_context():
        user = load(app, learner)
        attempt = refreshers.open_refresher(user, module(), rng=random.Random(2))
        refreshers.submit_refresher(user, attempt, {})  # nothing answered: failed
        db.session.commit()
        (st,) = refresher_statements()
        assert (st.verb, st.success, st.initiative) == ("failed", False, "assigned")


def test_refreshers_due_come_from_the_ledger_and_move_on_when_done(app, learner):
    """Due 7 days after the pass; after a passed refresher the next is due 21 days later."""
    from academy.assignments.services import COMPANY_TZ
    from academy.extensions import db
    from academy.practice import refreshers
    from academy.practice.growth import person_growth
    from academy.timeutil import utcnow

    passed_quiz(app, learner, KEY, days_ago=9)
    with app.app_context():
        user = load(app, learner)
        growth = person_growth(user)
        assert [d.module for d in growth.due] == [KEY] and growth.due[0].days_overdue >= 1
        attempt = refreshers.open_refresher(user, module())
        quiz, paper = refreshers.quiz_and_paper(attempt)
        refreshers.submit_refresher(user, attempt, key_form(quiz, paper))
        db.session.commit()
        growth = person_growth(user)
        assert growth.due == []
        (upcoming,) = [u for u in growth.upcoming if u.module == KEY]
        assert upcoming.interval == 1
        assert upcoming.due == (utcnow() + timedelta(days=21)).astimezone(COMPANY_TZ).date()


def test_the_next_refresher_draws_questions_not_seen_in_the_last(app, learner):
    """A bank of six: the second refresher shows the three the first did not."""
    from quiz_fixtures import set_quiz

    from academy.extensions import db
    from academy.practice import refreshers

    set_quiz(
        app,
        {
            "pass_mark": 50,
            "questions": [
                {"kind": "true_false", "prompt": f"情境 {n}", "answer": True} for n in range(6)
            ],
        },
        key=KEY,
    )
    passed_quiz(app, learner, KEY, days_ago=9)
    with app.app_context():
        user = load(app, learner)
        first = refreshers.open_refresher(user, module(), rng=random.Random(1))
        refreshers.submit_refresher(user, first, {})
        db.session.commit()
        seen = set(refreshers.quiz_and_paper(first)[1].indices)
        second = refreshers.open_refresher(user, module(), rng=random.Random(1))
        assert set(refreshers.quiz_and_paper(second)[1].indices) == set(range(6)) - seen

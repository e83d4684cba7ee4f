"""Spaced repetition: when passed quizzes come back, and what moves the schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from growth.growth_samples import MODULES, NOW, quiz, refresher
from hypothesis import given
from hypothesis import strategies as st

from academy.evidence import Evidence
from academy.growth import refresher_initiative, refresher_schedule, refreshers_due

KEY = "listen/module-1"


def at(day: float) -> datetime:
    """Day `day` of a fictional calendar starting 1 March 2025, 09:00 UTC."""
    return datetime(2025, 3, 1, 9, tzinfo=UTC) + timedelta(days=day)


def passed(day: float, key: str = KEY) -> Evidence:
    """The quiz of `key` passed on `day`."""
    return Evidence("passed", "quiz", key, at(day), score=90, success=True)


def refreshed(day: float, ok: bool = True, key: str = KEY) -> Evidence:
    """A refresher of `key` on `day`, passed or failed."""
    verb = "passed" if ok else "failed"
    return Evidence(verb, "refresher", key, at(day), score=90 if ok else 30, success=ok)


def test_a_passed_quiz_comes_back_after_seven_days():
    """Due on day 7 (not overdue), overdue from day 8, with the interval it belongs to."""
    assert refreshers_due([passed(0)], at(6)) == []
    (due,) = refreshers_due([passed(0)], at(7))
    assert (due.module, due.due, due.interval, due.interval_days) == (KEY, date(2025, 3, 8), 0, 7)
    assert not due.overdue and due.days_overdue == 0 and due.is_first
    (late,) = refreshers_due([passed(0)], at(10))
    assert late.overdue and late.days_overdue == 3


def test_each_passed_refresher_moves_to_the_next_interval():
    """7 days after the pass, 21 after the first refresher, 60 after the second, then done."""
    history = [passed(0), refreshed(7)]
    (step,) = refresher_schedule(history, at(8))
    assert (step.interval, step.due) == (1, date(2025, 3, 29))
    history.append(refreshed(28))
    (step,) = refresher_schedule(history, at(29))
    assert (step.interval, step.interval_days, step.due) == (2, 60, (at(28) + timedelta(60)).date())
    history.append(refreshed(88))
    assert refresher_schedule(history, at(400)) == []


def test_a_refresher_done_early_still_counts():
    """Done after half the interval but before the due date, it moves the schedule on."""
    (step,) = refresher_schedule([passed(0), refreshed(4)], at(5))
    assert step.interval == 1 and step.since == at(4)


def test_a_refresher_done_far_too_early_leaves_the_schedule():
    """Done before half the interval has run, it is practice but does not advance."""
    (step,) = refresher_schedule([passed(0), refreshed(2)], at(5))
    assert step.interval == 0 and step.since == at(0)


def test_a_failed_refresher_starts_over():
    """A failed refresher sends the module back to the first interval, from that day."""
    (step,) = refresher_schedule([passed(0), refreshed(7), refreshed(30, ok=False)], at(31))
    assert (step.interval, step.since, step.due) == (0, at(30), date(2025, 4, 7))


def test_passing_the_quiz_again_restarts_the_interval():
    """A new pass restarts the current interval from its date without advancing."""
    (step,) = refresher_schedule([passed(0), refreshed(7), passed(20)], at(21))
    assert (step.interval, step.since) == (1, at(20))


def test_failed_quizzes_and_other_evidence_schedule_nothing():
    """Only passed quizzes start a schedule."""
    failed = Evidence("failed", "quiz", KEY, at(0), score=40, success=False)
    lesson = Evidence("completed", "module", KEY, at(0))
    assert refresher_schedule([failed, lesson], at(100)) == []


def test_evidence_after_now_is_ignored():
    """A pass recorded later does not exist yet."""
    assert refresher_schedule([passed(10)], at(5)) == []


def test_custom_intervals():
    """Intervals are a parameter; they must be positive."""
    (step,) = refreshers_due([passed(0)], at(3), intervals=(3, 9))
    assert step.interval_days == 3
    with pytest.raises(ValueError, match="positive"):
        refreshers_due([passed(0)], at(3), intervals=(3, 0))


def test_dates_are_calendar_days_in_the_zone_of_now():
    """A pass at 23:00 in Beijing is due seven Beijing calendar days later."""
    beijing = timezone(timedelta(hours=8))
    late_evening = datetime(2025, 3, 1, 15, 0, tzinfo=UTC)  # 23:00 in Beijing
    history = [Evidence("passed", "quiz", KEY, late_evening, score=90, success=True)]
    (step,) = refresher_schedule(history, datetime(2025, 3, 2, tzinfo=beijing))
    assert step.due == date(2025, 3, 8)
    (utc_step,) = refresher_schedule(history, datetime(2025, 3, 2, tzinfo=UTC))
    assert utc_step.due == date(2025, 3, 8)
    shanghai_morning = datetime(2025, 3, 1, 17, 0, tzinfo=UTC)  # 01:00 on 2 March in Beijing
    history = [Evidence("passed", "quiz", KEY, shanghai_morning, score=90, success=True)]
    (step,) = refresher_schedule(history, datetime(2025, 3, 3, tzinfo=beijing))
    assert step.due == date(2025, 3, 9)


@pytest.mark.parametrize(
    ("assigned", "reminded", "day", "expected"),
    [
        (False, False, 9, "self"),  # nobody asked: self, even after the due date
        (False, True, 6, "self"),  # before the due date, reminder or not
        (False, True, 9, "assigned"),  # after the due date and a reminder
        (True, False, 6, "assigned"),
    ],
)
def test_refresher_initiative(assigned, reminded, day, expected):
    """Unassigned and before the due date (or never reminded) counts as self-initiated."""
    due = date(2025, 3, 8)
    assert refresher_initiative(at(day), due, assigned=assigned, reminded=reminded) == expected


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["quiz+", "quiz-", "ref+", "ref-"]),
        st.sampled_from(MODULES[:4]),
        st.floats(min_value=0, max_value=300, allow_nan=False),
    ),
    max_size=25,
)


def history_of(steps: list[tuple[str, str, float]]) -> list[Evidence]:
    """Evidence from (kind, module, days before NOW) triples."""
    made = {
        "quiz+": lambda k, d: quiz(k, d, 90),
        "quiz-": lambda k, d: quiz(k, d, 40),
        "ref+": lambda k, d: refresher(k, d, 90),
        "ref-": lambda k, d: refresher(k, d, 30),
    }
    return [made[kind](key, days) for kind, key, days in steps]


@given(STEPS)
def test_schedule_items_are_consistent(steps):
    """Every item is due one interval after its start; overdue iff its date has passed."""
    history = history_of(steps)
    today = NOW.date()
    items = refresher_schedule(history, NOW)
    assert len({i.module for i in items}) == len(items)
    started = {ev.object_id for ev in history if ev.verb == "passed"}
    for item in items:
        assert item.module in started
        assert 0 <= item.interval < 3
        assert item.interval_days == (7, 21, 60)[item.interval]
        assert item.due == item.since.date() + timedelta(days=item.interval_days)
        assert item.overdue == (item.due < today)
        assert item.days_overdue == max(0, (today - item.due).days)
    assert [(i.due, i.module) for i in items] == sorted((i.due, i.module) for i in items)
    due = refreshers_due(history, NOW)
    assert due == [i for i in items if i.due <= today]


@given(STEPS.flatmap(lambda s: st.tuples(st.just(s), st.permutations(s))))
def test_schedule_ignores_input_order(pair):
    """The schedule depends on the evidence, not on the order of the list."""
    steps, shuffled = pair
    assert refresher_schedule(history_of(shuffled), NOW) == refresher_schedule(
        history_of(steps), NOW
    )


@given(STEPS, st.integers(min_value=0, max_value=200))
def test_due_refreshers_stay_due_until_done(steps, later):
    """With no new evidence, a due refresher stays due, and an overdue one stays overdue."""
    history = history_of(steps)
    before = {i.module: i for i in refreshers_due(history, NOW)}
    after = {i.module: i for i in refreshers_due(history, NOW + timedelta(days=later))}
    for module, item in before.items():
        assert module in after
        assert after[module].due == item.due
        assert after[module].overdue or not item.overdue


@given(STEPS)
def test_passing_a_due_refresher_moves_it_later(steps):
    """Passing the refresher the day it is due pushes the next one further out (or ends it)."""
    history = history_of(steps)
    for item in refreshers_due(history, NOW):
        done = refresher(item.module, 0, 95)
        next_items = {i.module: i for i in refresher_schedule([*history, done], NOW)}
        if item.interval == 2:
            assert item.module not in next_items
        else:
            assert next_items[item.module].interval == item.interval + 1
            assert next_items[item.module].due > NOW.date()

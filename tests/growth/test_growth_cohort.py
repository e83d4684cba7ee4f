"""Cohort helpers: stage counts, monthly trends, movers and the department's cards."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from growth.growth_samples import EVIDENCE, NOW, card, observation, quiz
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.evidence import Evidence
from academy.growth import (
    assess,
    department_signal,
    last_months,
    month_end,
    monthly_trend,
    movers,
    stage_distribution,
    stage_shares,
)
from academy.growth.synthetic import synthetic_history
from academy.vocabulary import AXES


def test_stage_distribution_counts_every_stage_and_none():
    """Each axis maps stages 1..4 and None to head counts, zeros included."""
    strong = [observation(f"o{i}", 5 + i, dict.fromkeys(AXES, 5)) for i in range(3)]
    weak = [observation(f"o{i}", 5 + i, dict.fromkeys(AXES, 1)) for i in range(3)]
    found = stage_distribution([assess(strong, NOW), assess(weak, NOW), assess([], NOW)])
    assert found["language"] == {1: 1, 2: 0, 3: 1, 4: 0, None: 1}
    assert list(found) == list(AXES)
    assert all(sum(counts.values()) == 3 for counts in found.values())


def test_stage_shares_are_percentages_of_the_assessed():
    """Shares leave out 'not enough evidence' unless asked to include it."""
    distribution = {"work": {1: 1, 2: 1, 3: 2, 4: 0, None: 4}}
    assert stage_shares(distribution)["work"] == {1: 25.0, 2: 25.0, 3: 50.0, 4: 0.0}
    shares = stage_shares(distribution, include_unknown=True)["work"]
    assert shares[None] == 50.0 and shares[3] == 25.0
    assert stage_shares({"work": {None: 2}})["work"] == {1: None, 2: None, 3: None, 4: None}


def test_month_helpers():
    """Month ends are the last microsecond of the month; last_months counts back."""
    assert month_end(date(2025, 2, 14)) == datetime(2025, 2, 28, 23, 59, 59, 999999, tzinfo=UTC)
    beijing = timezone(timedelta(hours=8))
    assert month_end(date(2024, 12, 1), beijing).tzinfo is beijing
    assert last_months(datetime(2025, 2, 3), 3) == [
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


def reference_trend(staff, months):
    """The trend computed the slow way: a full assessment at every month end."""
    result = {axis: [] for axis in AXES}
    for month in months:
        found = [assess(history, month_end(month)) for history in staff.values()]
        for axis in AXES:
            assessed = [a.axes[axis].score for a in found if a.axes[axis].enough_evidence]
            mean = sum(assessed) / len(assessed) if assessed else None
            result[axis].append((month.replace(day=1), mean))
    return result


def assert_same_trend(fast, slow):
    """Equal month by month, up to float rounding."""
    assert fast.keys() == slow.keys()
    for axis in AXES:
        assert [m for m, _ in fast[axis]] == [m for m, _ in slow[axis]]
        for (_, a), (_, b) in zip(fast[axis], slow[axis], strict=True):
            assert (a is None) == (b is None)
            if a is not None:
                assert a == pytest.approx(b, rel=1e-9, abs=1e-9)


def test_monthly_trend_equals_assessing_at_each_month_end():
    """The precomputed trend gives exactly what assess gives at every month end."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    staff = {
        i: synthetic_history(random.Random(i), start, persona=p)
        for i, p in enumerate(["growing", "directed", "compliant", "self_disciplined"] * 3)
    }
    months = last_months(datetime(2025, 12, 15), 12)
    assert_same_trend(monthly_trend(staff, months), reference_trend(staff, months))


@settings(max_examples=40)
@given(st.lists(EVIDENCE, max_size=4), st.integers(min_value=1, max_value=6))
def test_monthly_trend_matches_assess_on_any_evidence(histories, count):
    """Property: for any small department, trend = mean of assessments at month ends."""
    staff = dict(enumerate(histories))
    months = last_months(NOW + timedelta(days=40), count)
    assert_same_trend(monthly_trend(staff, months), reference_trend(staff, months))


def test_growing_department_shows_its_shift():
    """A department of 'growing' staff trends upward on behaviour over the year."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    staff = {i: synthetic_history(random.Random(i), start) for i in range(12)}
    trend = monthly_trend(staff, last_months(datetime(2025, 12, 31), 12))
    behaviour = [score for _, score in trend["behaviour"] if score is not None]
    assert behaviour[-1] > behaviour[0] + 15
    assert trend["behaviour"][0][0] == date(2025, 1, 1)


def test_monthly_trend_empty_cases():
    """No months: empty lists; nobody with enough evidence: None."""
    assert monthly_trend({1: []}, []) == {axis: [] for axis in AXES}
    assert monthly_trend({1: []}, [date(2025, 1, 1)])["work"] == [(date(2025, 1, 1), None)]


def test_movers_improved_declined_and_stuck():
    """Stage changes and 5-point moves are movers; anyone who did not improve is stuck."""
    good = [observation(f"o{i}", 5 + i, dict.fromkeys(AXES, 5)) for i in range(3)]
    poor = [observation(f"o{i}", 5 + i, dict.fromkeys(AXES, 2)) for i in range(3)]
    now = {"ann": assess(good, NOW), "bo": assess(poor, NOW), "cy": assess(poor, NOW)}
    before = {"ann": assess(poor, NOW), "bo": assess(good, NOW), "cy": assess(poor, NOW)}
    found = movers(now, before)
    assert {(m.employee, m.axis) for m in found.improved} == {("ann", a) for a in AXES}
    assert {(m.employee, m.axis) for m in found.declined} == {("bo", a) for a in AXES}
    assert found.stuck == ("bo", "cy")
    first = found.improved[0]
    assert first.stage_after > first.stage_before and first.change > 0


def test_movers_skip_newcomers_and_small_changes():
    """Staff without an earlier assessment are left out; moves under min_change are not moves."""
    history = [observation(f"o{i}", 5 + i, {"work": 4}) for i in range(3)]
    nudged = history + [card("c1", 1, 4)]
    found = movers(
        {"new": assess(history, NOW), "old": assess(nudged, NOW)}, {"old": assess(history, NOW)}
    )
    assert found.improved == () and found.declined == ()
    assert found.stuck == ("old",)


def test_department_signal_weighs_recent_cards_more():
    """A recent 5 outweighs an old 1; satisfaction is the weighted share of 4s and 5s."""
    cards = [card("c1", 0, 5), card("c2", 180, 1)]
    signal = department_signal(cards, NOW)
    assert signal.cards == 2
    assert signal.score == pytest.approx(100 * 1 / (1 + 0.25))
    assert signal.mean_rating == pytest.approx((5 * 1 + 1 * 0.25) / 1.25)
    assert signal.satisfied_share == pytest.approx(80.0)


def test_department_signal_comments_and_filters():
    """Only feedback cards up to now count; comments with text, newest first."""
    said = Evidence(
        "rated",
        "feedback_card",
        "c3",
        NOW - timedelta(days=2),
        score=0.0,
        detail={"rating": 1, "good": "", "bad": "  Nobody called back "},
    )
    praised = Evidence(
        "rated",
        "feedback_card",
        "c4",
        NOW - timedelta(days=1),
        score=100.0,
        detail={"rating": 5, "good": "Fixed the same day", "bad": ""},
    )
    future = card("c5", -3, 1)
    other = quiz("look/module-1", 1, 90)
    signal = department_signal([said, praised, future, other, card("c6", 5, 3)], NOW)
    assert signal.cards == 3
    assert [c.bad or c.good for c in signal.comments] == [
        "Fixed the same day",
        "Nobody called back",
    ]
    empty = department_signal([other], NOW)
    assert (empty.cards, empty.score, empty.satisfied_share, empty.comments) == (0, None, None, ())

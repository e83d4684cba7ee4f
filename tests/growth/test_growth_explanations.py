"""Every score explains itself: the evidence that moved it most, in order, in words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from growth.growth_samples import (
    NOW,
    card,
    drill,
    lesson,
    observation,
    quiz,
    reflection,
    refresher,
)

from academy.growth import NextStep, assess, axis_title, describe, describe_next_step
from academy.growth.explain import LABELS, NEXT_STEP_TEXT, signed
from academy.growth.model import LABEL_PARAMS


def test_contributors_list_the_biggest_effects_first():
    """The observation rated 5 outweighs the card rated 4 and the drill's -1."""
    history = [
        card("c1", 10, 4),
        observation("o1", 20, {"attitude": 5}),
        drill("outage-complaint", 5, axes={"attitude": -1}),
        card("c2", 60, 3),
    ]
    attitude = assess(history, NOW).axes["attitude"]
    kinds = [c.kind for c in attitude.contributors]
    assert kinds[0] == "observation"
    assert [abs(c.points) for c in attitude.contributors] == sorted(
        (abs(c.points) for c in attitude.contributors), reverse=True
    )
    assert attitude.helped[0].kind == "observation"
    assert {c.kind for c in attitude.held_back} == {"drill_axis", "card"}
    assert len(attitude.helped) + len(attitude.held_back) == len(attitude.contributors)
    assert all(c in attitude.contributors for c in (*attitude.helped, *attitude.held_back))


def test_points_are_what_removing_the_item_would_change():
    """For records (never repeats), points equal the score change when that evidence is removed."""
    history = [
        observation("o1", 80, {"attitude": 2}),
        observation("o2", 30, {"attitude": 4}),
        observation("o3", 3, {"attitude": 5}),
        card("c1", 10, 3),
    ]
    full = assess(history, NOW).axes["attitude"]
    for c in full.contributors:
        rest = [ev for ev in history if ev is not c.evidence]
        without = assess(rest, NOW).axes["attitude"].score
        assert c.points == pytest.approx(full.score - without)


def test_describe_reads_like_the_page():
    """``Observation on 3 Nov 2025: attitude rated 5 (+N)`` for the top contributor."""
    when = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)
    history = [observation("o1", (NOW - when).days, {"attitude": 5}), card("c1", 2, 3)]
    top = assess(history, NOW).axes["attitude"].contributors[0]
    assert top.at.date() == when.date()
    assert describe(top) == f"Observation on 3 Nov 2025: attitude rated 5 ({signed(top.points)})"
    assert top.points >= 10
    assert signed(top.points) == f"+{round(top.points)}"


@pytest.mark.parametrize(("points", "text"), [(12.4, "+12"), (-3.46, "-3.5"), (0.04, "+0.0")])
def test_signed_points(points, text):
    """Whole points from 10 up, one decimal below."""
    assert signed(points) == text


def test_every_kind_of_contribution_can_be_described():
    """Each signal kind has label parameters and an English label."""
    history = [
        lesson("look/module-1", 9),
        lesson("look/module-2", 9, read=True),
        quiz("look/module-1", 8, 85, initiative="assigned", on_time=False),
        refresher("look/module-1", 1, 60),
        drill("outage-complaint", 4, points={"look": 2}, best={"look": 4}, axes={"work": 1}),
        observation("o1", 6, {"behaviour": 4, "work": 3}, {"record": "partly"}, note="tidy log"),
        card("c1", 2, 1),
        reflection("j1", 3, ratings={"work": 5}),
    ]
    result = assess(history, NOW)
    seen = set()
    for found in (*result.axes.values(), *result.disciplines.values()):
        for c in found.contributors:
            text = describe(c)
            assert c.at.strftime("%b %Y") in text
            seen.add(c.kind)
    assert seen == set(LABEL_PARAMS) == set(LABELS)


def test_calibration_and_observation_params_carry_the_facts():
    """The page can show self vs trainer ratings and the seven ones that were ticked."""
    history = [
        observation("o1", 30, {"work": 3}, {"record": "done"}, note="good log"),
        reflection("j1", 10, length=5, ratings={"work": 5}),
    ]
    result = assess(history, NOW)
    calibration = next(c for c in result.axes["behaviour"].contributors if c.kind == "calibration")
    assert calibration.params["pairs"] == (
        {"axis": "work", "self": 5.0, "observed": 3.0, "gap": 2.0},
    )
    assert describe(calibration).startswith("Self-rating on ")
    work = result.axes["work"].contributors[0]
    assert work.params["seven_ones"] == {"record": "done"}
    assert work.params["note"] == "good log"
    assert work.params["rating"] == 3.0


@pytest.mark.parametrize("key", sorted(NEXT_STEP_TEXT))
def test_every_next_step_has_words(key):
    """Each next-step key renders in English with its target stage."""
    params = {
        "score": 55.0,
        "threshold": 60.0,
        "gap": 5.0,
        "sources": ("observation", "drill", "card"),
        "items_needed": 1,
        "weight_needed": 2.0,
    }
    step = NextStep(key, None if key == "more_evidence" else 3, params, (key,))
    text = describe_next_step(step)
    assert text
    if key not in ("more_evidence", "keep_practising"):
        assert text.endswith("(for stage 3, Practising)")


def test_axis_titles_carry_the_chinese_terms():
    """Axes are shown with the terms staff know."""
    assert axis_title("behaviour") == "behaviour (他律→自律)"
    assert axis_title("work") == "work (习惯→标准)"
    result = assess([], NOW)
    assert result.axes["language"].terms == ("粗俗", "文明")

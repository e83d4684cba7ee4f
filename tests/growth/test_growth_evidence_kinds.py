"""Each kind of evidence feeds the targets, values and weights the docs promise."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from growth.growth_samples import (
    NOW,
    ago,
    card,
    drill,
    lesson,
    observation,
    quiz,
    reflection,
    refresher,
    scores,
)
from hypothesis import given
from hypothesis import strategies as st

from academy.evidence import Evidence
from academy.growth import DEFAULT, EVIDENCE_KINDS, Params, assess, extract
from academy.growth.signals import Signal


def signals(*evidence: Evidence, params: Params = DEFAULT) -> list[Signal]:
    """The signals of `evidence`, in canonical order."""
    return list(extract(list(evidence), params).signals)


def by_target(*evidence: Evidence) -> dict[str, Signal]:
    """Signals by target (for evidence with one signal per target)."""
    return {s.target: s for s in signals(*evidence)}


@pytest.mark.parametrize(
    ("how", "value"),
    [
        ({"initiative": "self"}, 100.0),
        ({"initiative": "assigned", "on_time": True}, 50.0),
        ({"initiative": "assigned", "on_time": None}, 45.0),
        ({"initiative": "assigned", "on_time": False}, 15.0),
    ],
)
def test_practice_value_follows_initiative_and_punctuality(how, value):
    """Self-initiated practice says 100 for behaviour, on time 50, no due date 45, late 15."""
    found = by_target(lesson("look/module-1", 1, **how))
    assert found["behaviour"].value == value
    assert found["behaviour"].kind == "practice"
    assert found["behaviour"].weight == DEFAULT.practice_weights["lesson"]


def test_completed_lesson_feeds_its_discipline_and_behaviour():
    """A completed lesson is practice (behaviour) and a small item for its discipline."""
    found = by_target(lesson("listen/module-1", 3))
    assert set(found) == {"behaviour", "listen"}
    assert found["listen"].value == 100.0
    assert found["listen"].weight == DEFAULT.lesson_completed_weight


def test_read_lesson_feeds_only_its_discipline():
    """Reading a lesson says nothing about behaviour; it weighs 0.25 for the discipline."""
    found = by_target(lesson("smile/module-1", 3, read=True, initiative="self"))
    assert set(found) == {"smile"}
    assert found["smile"].weight == DEFAULT.lesson_read_weight


def test_quiz_score_is_its_discipline_value():
    """A quiz attempt says its score about the module's discipline, passed or failed."""
    passed = by_target(quiz("speak/module-1", 5, 92))
    failed = by_target(quiz("speak/module-1", 5, 40))
    assert passed["speak"].value == 92.0 and failed["speak"].value == 40.0
    assert passed["speak"].weight == DEFAULT.quiz_weight
    assert passed["behaviour"].kind == failed["behaviour"].kind == "practice"


def test_module_key_without_known_discipline_gives_no_proficiency():
    """A module key whose prefix is not a discipline still counts as practice, nothing else."""
    found = by_target(quiz("misc/other", 5, 90))
    assert set(found) == {"behaviour"}


def test_refresher_weighs_more_as_practice_and_feeds_the_discipline():
    """A refresher is practice of weight 1.5 and proficiency evidence of weight 1.5."""
    found = by_target(refresher("act/module-2", 2, 75, initiative="self"))
    assert found["behaviour"].weight == DEFAULT.practice_weights["refresher"] == 1.5
    assert found["act"].kind == "refresher" and found["act"].value == 75.0


def test_drill_discipline_points_against_their_maximum():
    """Per-discipline points over the best possible give the value; negatives count 0."""
    run = drill(
        "angry-resident-window", 1, points={"look": 3, "speak": -2}, best={"look": 4, "speak": 4}
    )
    found = by_target(run)
    assert found["look"].value == 75.0
    assert found["speak"].value == 0.0
    assert found["look"].weight == DEFAULT.drill_discipline_weight


def test_drill_without_maxima_uses_the_run_score():
    """Without discipline_max, each discipline scored (not negative) gets the run's score."""
    found = by_target(drill("outage-complaint", 1, points={"act": 2, "look": -1}, score=64))
    assert found["act"].value == 64.0
    assert found["look"].value == 0.0


def test_drill_axis_evidence_is_25_points_per_unit_around_50():
    """Axis evidence +1 → 75, -1 → 25, +2 or more → 100, -2 or less → 0."""
    found = by_target(
        drill("outage-complaint", 1, axes={"language": 1, "attitude": -1, "work": 3}),
    )
    assert (found["language"].value, found["attitude"].value, found["work"].value) == (75, 25, 100)
    assert found["language"].kind == "drill_axis"


def test_drill_behaviour_axis_does_not_count_the_run_twice():
    """A drill's behaviour evidence and its practice signal count as one evidence item."""
    run = drill("outage-complaint", 1, axes={"behaviour": 1}, initiative="self")
    result = assess([run], NOW)
    assert result.axes["behaviour"].items == 1
    assert {s.kind for s in signals(run) if s.target == "behaviour"} == {"practice", "drill_axis"}


def test_drill_accepts_the_scenario_debrief_keys():
    """`points` and `ending_type` (ScenarioRun.to_evidence) read like the contract keys."""
    run = Evidence(
        "completed",
        "scenario",
        "outage-complaint",
        ago(1),
        score=80,
        success=True,
        detail={
            "ending": "resolved",
            "ending_type": "success",
            "points": {"listen": 2},
            "axes": {"work": 1},
        },
    )
    found = by_target(run)
    assert found["listen"].value == 80.0
    assert found["work"].value == 75.0
    result = assess([run], NOW)
    assert result.disciplines["listen"].contributors[0].params["ending"] == "success"


def test_observation_rating_and_seven_ones_merge_per_axis():
    """An axis rating (weight 3) and that axis's seven ones (0.5 each) make one signal."""
    obs = observation("o1", 2, {"attitude": 4}, {"smile": "done", "seat": "partly"})
    found = by_target(obs)
    attitude = found["attitude"]
    assert attitude.weight == 3.0 + 0.5 + 0.5
    assert attitude.value == pytest.approx((3 * 75 + 0.5 * 100 + 0.5 * 50) / 4)
    assert found["smile"].value == 100.0  # the smile one feeds the smile discipline
    assert found["act"].value == 50.0  # offering a seat is acting
    assert "behaviour" not in found


def test_observation_maps_every_one_of_the_seven():
    """Each of the seven ones feeds one axis and one discipline."""
    obs = observation("o1", 2, {}, dict.fromkeys(DEFAULT.seven_ones_axes, "not"))
    found = by_target(obs)
    assert set(found) == {"language", "attitude", "work", "smile", "act", "speak", "listen"}
    assert all(s.value == 0.0 for s in found.values())


def test_feedback_card_feeds_attitude_most():
    """A card says its score to behaviour and attitude (weight 1), language and work (0.5)."""
    found = by_target(card("c1", 4, 4))
    assert {k: (s.value, s.weight) for k, s in found.items()} == {
        "behaviour": (75.0, 1.0),
        "attitude": (75.0, 1.0),
        "language": (75.0, 0.5),
        "work": (75.0, 0.5),
    }


def test_feedback_card_without_score_uses_the_rating():
    """A card with only a rating maps 1..5 to 0..100."""
    bare = Evidence("rated", "feedback_card", "c9", ago(1), detail={"rating": 2})
    assert by_target(bare)["attitude"].value == 25.0


@pytest.mark.parametrize(
    ("length", "weight"), [(10, None), (20, 1.5), (100, 1.5), (200, 1.5), (900, 1.5)]
)
def test_a_reflection_weighs_the_same_whatever_its_length(length, weight):
    """Reflections under 20 characters do not count; from 20 each weighs 1.5, long or short."""
    found = by_target(reflection("j1", 1, length=length))
    if weight is None:
        assert found == {}
    else:
        assert found["behaviour"].weight == pytest.approx(weight)
        assert found["behaviour"].value == 100.0


def test_calibration_pairs_self_ratings_with_the_latest_trainer_rating_before():
    """Agreement or modesty says 100; each point of over-rating costs 40."""
    evidence = [
        observation("o1", 50, {"attitude": 2}),
        observation("o2", 20, {"attitude": 3, "language": 4}),
        observation("o3", 5, {"attitude": 5}),  # after the reflection: not used
        reflection("j1", 10, ratings={"attitude": 4, "language": 4, "work": 5}),
    ]
    calibration = [s for s in signals(*evidence) if s.kind == "calibration"]
    assert len(calibration) == 1
    pairs = {axis: (mine, seen) for axis, mine, seen, _ in calibration[0].info}
    assert pairs == {"attitude": (4.0, 3.0), "language": (4.0, 4.0)}
    assert calibration[0].value == pytest.approx((60 + 100) / 2)
    assert calibration[0].weight == DEFAULT.calibration_weight


def test_calibration_ignores_observations_older_than_the_window():
    """A trainer rating more than 60 days before the reflection is not compared."""
    evidence = [observation("o1", 100, {"work": 3}), reflection("j1", 30, ratings={"work": 3})]
    assert [s for s in signals(*evidence) if s.kind == "calibration"] == []


def test_short_reflection_with_ratings_still_calibrates_and_counts_once():
    """Self-ratings count even in a short entry, and then the calibration is the counted item."""
    evidence = [
        observation("o1", 10, {"work": 4}),
        reflection("j1", 5, length=5, ratings={"work": 4}),
    ]
    found = [s for s in signals(*evidence) if s.target == "behaviour"]
    assert [(s.kind, s.counts) for s in found] == [("calibration", True)]


def test_certificates_are_known_but_carry_no_signal():
    """A certificate is derived from other evidence: it is read, and adds nothing."""
    earned = Evidence("earned", "certificate", "look-basic", ago(1))
    assert ("earned", "certificate") in EVIDENCE_KINDS
    assert signals(earned) == []
    assert assess([earned], NOW).ignored == 0


def test_unknown_kinds_are_counted_as_ignored():
    """Evidence the model does not read is ignored, and the assessment says how many."""
    odd = Evidence("liked", "video", "v1", ago(1))
    result = assess([odd, odd], NOW)
    assert result.ignored == 2
    assert all(r.score is None for r in result.axes.values())


def test_naive_datetimes_are_read_as_utc():
    """SQLite gives naive datetimes back: they mean UTC."""
    aware = [quiz("look/module-1", 3, 70), observation("o1", 40, {"work": 4})]
    naive = [replace(ev, at=ev.at.replace(tzinfo=None)) for ev in aware]
    assert scores(assess(naive, NOW)) == scores(assess(aware, NOW))
    assert scores(assess(naive, NOW.replace(tzinfo=None))) == scores(assess(aware, NOW))


def test_evidence_after_now_is_not_yet_known():
    """Assessing at a past date ignores everything recorded later."""
    later = quiz("look/module-1", -3, 95)
    result = assess([later], NOW)
    assert result.disciplines["look"].score is None
    assert result.completed_modules == frozenset()


GARBAGE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


@given(
    verb=st.sampled_from(
        ["completed", "experienced", "passed", "failed", "observed", "rated", "reflected"]
    ),
    object_type=st.sampled_from(
        ["module", "quiz", "refresher", "scenario", "observation", "feedback_card", "reflection"]
    ),
    score=st.none() | st.floats() | st.integers(-1000, 1000),
    detail=st.dictionaries(
        st.sampled_from(
            [
                "disciplines",
                "points",
                "discipline_max",
                "axes",
                "seven_ones",
                "rating",
                "self_ratings",
                "length",
                "about",
                "ending",
                "note",
                "good",
                "bad",
            ]
        ),
        GARBAGE,
        max_size=6,
    ),
)
def test_malformed_detail_never_raises_and_scores_stay_in_range(verb, object_type, score, detail):
    """Bad data from the ledger is skipped or clamped: scores stay within 0..100."""
    ev = Evidence(verb, object_type, "look/x", NOW - timedelta(days=1), score=score, detail=detail)
    result = assess([ev, ev], NOW)
    for found in (*result.axes.values(), *result.disciplines.values()):
        assert found.score is None or 0.0 <= found.score <= 100.0


def test_assessment_date_is_kept():
    """The assessment records the date it was made for."""
    when = datetime(2025, 6, 30, 23, 59)
    assert assess([], when).at == when

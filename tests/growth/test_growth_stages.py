"""Stage rules: thresholds, minimum evidence, the stage 3 and 4 gates, and next steps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from growth.growth_samples import (
    MODULES,
    NOW,
    card,
    drill,
    lesson,
    observation,
    quiz,
    reflection,
)

from academy.evidence import Evidence
from academy.growth import DEFAULT, STAGES, Params, assess, stage_for
from academy.vocabulary import AXES, SEVEN_ONES

ALL_FIVE = dict.fromkeys(AXES, 5)
ALL_DONE = dict.fromkeys(SEVEN_ONES, "done")


def exemplary(*, reflections: bool = True, self_rating: int = 5, self_made: bool = True) -> list:
    """Four months of excellent, self-initiated, reflected and calibrated practice."""
    how = {"initiative": "self"} if self_made else {"initiative": "assigned", "on_time": True}
    evidence: list[Evidence] = [quiz(key, 100 - 9 * i, 95, **how) for i, key in enumerate(MODULES)]
    evidence += [
        drill(f"drill-{i}", 7 + 11 * i, axes=dict.fromkeys(AXES, 2), score=95, **how)
        for i in range(6)
    ]
    evidence += [observation(f"o{i}", d, ALL_FIVE, ALL_DONE) for i, d in enumerate((90, 45, 12))]
    evidence += [card(f"c{i}", 3 + 20 * i, 5) for i in range(4)]
    if reflections:
        ratings = dict.fromkeys(AXES, self_rating)
        evidence += [reflection(f"j{i}", d, ratings=ratings) for i, d in enumerate((80, 40, 5))]
    return evidence


@pytest.mark.parametrize(
    ("score", "stage"),
    [(0, 1), (39.99, 1), (40, 2), (59.9, 2), (60, 3), (79.99, 3), (80, 4), (100, 4)],
)
def test_stage_thresholds(score, stage):
    """Stage 2 from 40, stage 3 from 60, stage 4 from 80."""
    assert stage_for(score) == stage


def test_stage_needs_a_score_and_enough_evidence():
    """No score or not enough evidence: no stage, whatever the score."""
    assert stage_for(None) is None
    assert stage_for(95.0, enough=False) is None


def test_gates_hold_the_stage_back_but_never_raise_it():
    """An unmet gate for stage k caps the stage at k - 1."""
    assert stage_for(95.0, gates={4: False}) == 3
    assert stage_for(95.0, gates={3: False, 4: True}) == 2
    assert stage_for(50.0, gates={3: True, 4: True}) == 2


def test_stage_keys_are_stable():
    """The stage keys the web layer translates."""
    assert dict(STAGES) == {
        1: "directed",
        2: "compliant",
        3: "practising",
        4: "self_disciplined",
    }


def test_exemplary_employee_reaches_stage_four_on_every_axis():
    """Excellent, self-initiated, reflected and calibrated practice is stage 4 everywhere."""
    result = assess(exemplary(), NOW)
    for axis in AXES:
        found = result.axes[axis]
        assert found.stage == 4, (axis, found.score, found.next_step)
        assert found.next_step.key == "keep_practising"
        assert found.stage_key == "self_disciplined"


def test_stage_four_needs_a_reflection():
    """Without a reflection in the last 180 days, a high score stops at stage 3."""
    result = assess(exemplary(reflections=False), NOW)
    behaviour = result.axes["behaviour"]
    assert behaviour.score_stage == 4
    assert behaviour.stage == 3
    assert behaviour.next_step.key == "needs_reflection"
    assert behaviour.next_step.missing == ("needs_reflection", "needs_calibration")


def test_stage_four_needs_self_ratings_that_match_the_trainer():
    """Self-ratings three points above the trainer's: calibration_gap holds stage 4 back."""
    evidence = [ev for ev in exemplary(reflections=False) if ev.object_type != "observation"]
    seen = {**ALL_FIVE, "work": 2}
    evidence += [observation(f"o{i}", d, seen, ALL_DONE) for i, d in enumerate((90, 45, 12))]
    evidence += [reflection(f"j{i}", d, ratings={"work": 5}) for i, d in enumerate((80, 40, 5))]
    result = assess(evidence, NOW)
    behaviour = result.axes["behaviour"]
    assert result.facts.calibration_gaps["all"] == pytest.approx(3.0)
    assert behaviour.score_stage == 4
    assert behaviour.stage == 3
    assert behaviour.next_step.key == "calibration_gap"
    assert behaviour.next_step.params["calibration_gap"] == pytest.approx(3.0)


def test_inflated_self_ratings_fall_short_of_stage_four_on_every_axis():
    """Self-ratings two points above a trainer's 3s: every axis stays below stage 4."""
    evidence = [ev for ev in exemplary() if ev.object_type != "observation"]
    evidence += [
        observation(f"o{i}", d, dict.fromkeys(AXES, 3), ALL_DONE)
        for i, d in enumerate((90, 45, 12))
    ]
    result = assess(evidence, NOW)
    assert result.facts.calibration_gaps["all"] == pytest.approx(2.0)
    for axis in AXES:
        assert result.axes[axis].stage == 3
        assert result.axes[axis].next_step.missing == ("raise_score", "calibration_gap")


def test_over_rating_lowers_behaviour_and_agreement_raises_it():
    """With the same history, honest self-ratings score higher than none, none than inflated."""
    base = [ev for ev in exemplary(reflections=False) if ev.object_type != "observation"]
    base += [observation(f"o{i}", d, dict.fromkeys(AXES, 3)) for i, d in enumerate((90, 45, 12))]
    honest = base + [reflection("j1", 5, ratings=dict.fromkeys(AXES, 3))]
    inflated = base + [reflection("j1", 5, ratings=dict.fromkeys(AXES, 5))]
    silent = base + [reflection("j1", 5)]
    score = {
        name: assess(history, NOW).axes["behaviour"].score
        for name, history in (("honest", honest), ("inflated", inflated), ("silent", silent))
    }
    assert score["honest"] > score["silent"] > score["inflated"]


def test_stage_four_needs_mostly_self_initiated_practice():
    """All practice assigned (on time): stage 4 is out of reach, whatever else is there."""
    result = assess(exemplary(self_made=False), NOW)
    behaviour = result.axes["behaviour"]
    assert result.facts.self_share == 0.0
    assert behaviour.stage is not None and behaviour.stage < 4
    assert result.axes["attitude"].stage == 3
    assert result.axes["attitude"].next_step.key == "needs_self_practice"


def test_stage_three_needs_a_trainer_observation():
    """Excellent drills alone: the score says stage 4, the stage stays 2 until someone observes."""
    runs = [
        drill(f"d{i}", 3 + 9 * i, axes={"language": 3}, score=95, initiative="self")
        for i in range(8)
    ]
    result = assess(runs, NOW)
    language = result.axes["language"]
    assert language.score_stage == 4
    assert language.stage == 2
    assert language.next_step.key == "needs_observation"
    seen = assess([*runs, observation("o1", 20, {"language": 5})], NOW)
    assert seen.axes["language"].stage == 3


def test_not_enough_evidence_is_a_valid_answer():
    """Two items are not enough for a stage: the next step says how much more is needed."""
    result = assess([observation("o1", 3, {"work": 5}), card("c1", 2, 5)], NOW)
    work = result.axes["work"]
    assert work.score is not None
    assert work.stage is None and not work.enough_evidence
    assert work.next_step.key == "more_evidence"
    assert work.next_step.params["items_needed"] == 1
    assert "observation" in work.next_step.params["sources"]


def test_no_evidence_means_no_score_and_no_stage():
    """An empty ledger: every axis and discipline has neither score nor stage."""
    result = assess([], NOW)
    assert all(r.score is None and r.stage is None for r in result.axes.values())
    assert all(r.score is None for r in result.disciplines.values())
    assert result.facts.self_share is None


def test_old_evidence_fades_below_the_minimum():
    """The same history a year and a half later has faded: no stage any more."""
    history = exemplary()
    later = assess(history, NOW + timedelta(days=550))
    assert all(r.stage is None for r in later.axes.values())
    assert all(r.score is not None for r in later.axes.values())


def test_assigned_work_done_late_is_directed():
    """Practice only when assigned, and late: behaviour stage 1, next step towards stage 2."""
    history = [
        quiz(key, 5 + 7 * i, 85, initiative="assigned", on_time=False)
        for i, key in enumerate(MODULES)
    ]
    behaviour = assess(history, NOW).axes["behaviour"]
    assert behaviour.stage == 1
    assert behaviour.next_step.key == "raise_score"
    assert behaviour.next_step.target_stage == 2
    assert behaviour.next_step.params["threshold"] == 40.0


def test_assigned_work_done_on_time_is_compliant():
    """Practice when assigned and on time: behaviour stage 2, Compliant."""
    history = [
        lesson(key, 3 + 6 * i, initiative="assigned", on_time=True) for i, key in enumerate(MODULES)
    ] + [
        quiz(key, 2 + 6 * i, 85, initiative="assigned", on_time=True)
        for i, key in enumerate(MODULES)
    ]
    assert assess(history, NOW).axes["behaviour"].stage == 2


def test_gate_window_is_documented_in_the_facts():
    """The facts the gates used are reported with their window."""
    facts = assess(exemplary(), NOW).facts
    assert facts.window_days == DEFAULT.gate_window_days
    assert facts.reflections == 3
    assert facts.calibrations == 3
    assert facts.calibration_pairs == {"all": 12, **dict.fromkeys(AXES, 3)}
    assert facts.observations == dict.fromkeys(AXES, 3)
    assert facts.self_share == 1.0


@pytest.mark.parametrize(
    "change",
    [
        {"half_life_days": 0},
        {"prior_weight": -1},
        {"repeat_factor": 1.5},
        {"stage_thresholds": (60, 40, 80)},
        {"behaviour_elearning_cap": 0},
    ],
)
def test_params_refuse_nonsense(change):
    """A Params that cannot mean anything is refused when it is made."""
    with pytest.raises(ValueError):
        Params(**change)


def test_params_can_be_tuned():
    """A stricter Params changes the stage, not the score."""
    history = exemplary()
    strict = Params(stage_thresholds=(40.0, 60.0, 99.0))
    assert assess(history, NOW).axes["attitude"].stage == 4
    tuned = assess(history, NOW, strict).axes["attitude"]
    assert tuned.stage == 3
    assert tuned.score == assess(history, NOW).axes["attitude"].score

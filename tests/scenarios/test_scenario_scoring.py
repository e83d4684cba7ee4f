"""Scoring and the debrief: best path = 100, the rule at the edges, the replay."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from academy.scenarios import (
    RunState,
    RunStateError,
    Scenario,
    choose,
    debrief,
    parse_scenario,
    run_score,
    start_run,
)


def build(data: dict[str, Any]) -> Scenario:
    """Parse data that must be valid."""
    scenario, problems = parse_scenario(data, "t")
    assert scenario is not None, problems
    return scenario


def play(scenario: Scenario, steps: list[tuple[str, int]]) -> RunState:
    """Play the given (node, choice) steps from the start."""
    run = start_run(scenario)
    for node, index in steps:
        run = choose(scenario, run, node, index)
    return run


def test_best_path_and_max_points(tiny: Scenario) -> None:
    """The best path is the calm route and it earns max_points."""
    assert tiny.max_points == 6
    assert tiny.best_path() == (("arrive", 0), ("listening", 0))


def test_best_path_scores_exactly_100(tiny: Scenario) -> None:
    """Playing the best path gives 100 and passes."""
    report = debrief(tiny, play(tiny, list(tiny.best_path())))
    assert report.score == 100.0
    assert report.passed
    assert report.total_points == report.max_points == 6


def test_negative_points_score_zero(tiny: Scenario) -> None:
    """A run with negative points scores 0, not less."""
    report = debrief(tiny, play(tiny, [("arrive", 1)]))
    assert report.total_points == -2
    assert report.score == 0.0
    assert not report.passed
    assert report.ending_type == "failure"


def test_score_rounds_down_to_one_decimal(tiny: Scenario) -> None:
    """A partial run's percentage is rounded down (never flatters)."""
    report = debrief(tiny, play(tiny, [("arrive", 0), ("listening", 1)]))
    assert report.total_points == 2
    assert report.score == 33.3


def test_nothing_to_earn_scores_by_ending() -> None:
    """With max_points <= 0, a success ending scores 100 and anything else 0."""
    scenario = build(
        {
            "title": "T",
            "start": "a",
            "nodes": {
                "a": {
                    "text": "Hi",
                    "choices": [
                        {"text": "Win", "goto": "w", "scores": {"act": -1}, "feedback": "f"},
                        {"text": "Lose", "goto": "l", "scores": {"act": -2}, "feedback": "f"},
                    ],
                },
                "w": {"ending": "success"},
                "l": {"ending": "failure"},
            },
        }
    )
    assert scenario.max_points == -1
    assert run_score(scenario, -1, "success") == 100.0
    assert debrief(scenario, play(scenario, [("a", 1)])).score == 0.0


def test_best_path_respects_conditions() -> None:
    """A high-scoring choice that is never available does not count towards max_points."""
    scenario = build(
        {
            "title": "T",
            "start": "a",
            "state": {"mood": 8},
            "nodes": {
                "a": {
                    "text": "Hi",
                    "choices": [
                        {
                            "text": "Calm",
                            "goto": "b",
                            "effects": {"mood": -2},
                            "feedback": "f",
                            "scores": {"smile": 1},
                        },
                        {
                            "text": "Very calm",
                            "goto": "b",
                            "effects": {"mood": -5},
                            "feedback": "f",
                        },
                    ],
                },
                "b": {
                    "text": "Well",
                    "choices": [
                        {
                            "text": "Fix",
                            "if": "mood <= 4",
                            "goto": "w",
                            "scores": {"act": 5},
                            "feedback": "f",
                        },
                        {"text": "Wait", "goto": "w", "feedback": "f"},
                    ],
                },
                "w": {"ending": "success"},
            },
        }
    )
    assert scenario.max_points == 5
    assert scenario.best_path() == (("a", 1), ("b", 0))


def test_loops_with_no_gain_do_not_change_the_best_path() -> None:
    """A zero-point loop is allowed; the best path is the shortest best one."""
    scenario = build(
        {
            "title": "T",
            "start": "a",
            "nodes": {
                "a": {
                    "text": "Hi",
                    "choices": [
                        {"text": "Again", "goto": "a", "feedback": "f"},
                        {"text": "Go", "goto": "w", "scores": {"act": 2}, "feedback": "f"},
                    ],
                },
                "w": {"ending": "success"},
            },
        }
    )
    assert scenario.max_points == 2
    assert scenario.best_path() == (("a", 1),)
    report = debrief(scenario, play(scenario, [("a", 0), ("a", 0), ("a", 1)]))
    assert report.score == 100.0


def test_repeated_choices_score_every_time() -> None:
    """Points count each time a choice is taken (negative loops cost each round)."""
    scenario = build(
        {
            "title": "T",
            "start": "a",
            "nodes": {
                "a": {
                    "text": "Hi",
                    "choices": [
                        {"text": "Again", "goto": "a", "scores": {"listen": -1}, "feedback": "f"},
                        {"text": "Go", "goto": "w", "scores": {"act": 4}, "feedback": "f"},
                    ],
                },
                "w": {"ending": "success"},
            },
        }
    )
    report = debrief(scenario, play(scenario, [("a", 0), ("a", 0), ("a", 1)]))
    assert report.points["listen"] == -2
    assert report.score == 50.0


def test_debrief_replays_the_path(tiny: Scenario) -> None:
    """Each step has speaker, text, choice, feedback, mood before/after, points and axes."""
    report = debrief(tiny, play(tiny, [("arrive", 0), ("listening", 1)]))
    first, second = report.steps
    assert (first.number, first.node, first.speaker, first.choice) == (1, "arrive", "resident", 0)
    assert first.choice_text.startswith("Stand, smile")
    assert first.feedback == 'The seven "ones" start with a smile and a seat.'
    assert (first.mood_before, first.mood_after) == (8, 5)
    assert first.points == {"smile": 2, "act": 1}
    assert first.axes == {"attitude": 1}
    assert first.better is None
    assert (second.mood_before, second.mood_after) == (5, 7)
    assert report.mood == (8, 5, 7)
    assert report.points == {"look": 0, "listen": 0, "smile": 2, "speak": -1, "act": 1}
    assert report.axes == {"behaviour": 0, "language": 0, "attitude": 1, "work": 0}
    assert report.ending == "walked-out"
    assert report.ending_text == "The resident walks out, angrier than before."


def test_debrief_names_the_better_available_choice(tiny: Scenario) -> None:
    """Where an available alternative led to more points, its text is named."""
    report = debrief(tiny, play(tiny, [("arrive", 0), ("listening", 1)]))
    assert report.steps[1].better == "Call the dispatcher now and give a time and your name."
    assert report.steps[1].better_choice == 0
    rude = debrief(tiny, play(tiny, [("arrive", 1)]))
    assert rude.steps[0].better_choice == 0


def test_hidden_alternative_is_not_called_better(tiny: Scenario) -> None:
    """A choice hidden at that moment is never suggested as the better one."""
    tense = RunState("tiny", "listening", {"mood": 6}, {"mood": 6})
    report = debrief(tiny, choose(tiny, tense, "listening", 1))
    assert report.steps[0].mood_before == 6
    assert report.steps[0].better is None


def test_author_hint_overrides_the_derived_better_choice() -> None:
    """A choice's `better` text is shown as written."""
    scenario = build(
        {
            "title": "T",
            "start": "a",
            "nodes": {
                "a": {
                    "text": "Hi",
                    "choices": [
                        {"text": "Good", "goto": "w", "scores": {"act": 1}, "feedback": "f"},
                        {"text": "Meh", "goto": "w", "feedback": "f", "better": "Offer a seat."},
                    ],
                },
                "w": {"ending": "success"},
            },
        }
    )
    assert debrief(scenario, play(scenario, [("a", 1)])).steps[0].better == "Offer a seat."


def test_debrief_of_an_unfinished_run_is_refused(tiny: Scenario) -> None:
    """Only a run that reached an ending has a debrief."""
    with pytest.raises(RunStateError):
        debrief(tiny, start_run(tiny))


def test_debrief_data_and_evidence(tiny: Scenario) -> None:
    """`to_data` is JSON-shaped and `to_evidence` is a `completed` scenario record."""
    report = debrief(tiny, play(tiny, list(tiny.best_path())))
    data = report.to_data()
    assert data["score"] == 100.0 and data["passed"] is True
    assert data["steps"][0]["feedback"] == report.steps[0].feedback
    at = datetime(2026, 1, 1, tzinfo=UTC)
    record = report.to_evidence(at)
    assert (record.verb, record.object_type, record.object_id) == ("completed", "scenario", "tiny")
    assert record.score == 100.0 and record.success is True
    assert record.detail["ending_type"] == "success"
    assert record.detail["points"]["act"] == 3

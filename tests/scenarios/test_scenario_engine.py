"""Playing a scenario: runs, conditions, clamping, stale posts, stored state."""

from __future__ import annotations

import json
from typing import Any

import pytest

from academy.scenarios import (
    RunState,
    RunStateError,
    Scenario,
    StaleChoiceError,
    available_choices,
    choose,
    is_finished,
    parse_scenario,
    start_run,
)


def build(data: dict[str, Any]) -> Scenario:
    """Parse data that must be valid."""
    scenario, problems = parse_scenario(data, "t")
    assert scenario is not None, problems
    return scenario


def decimal_scenario() -> Scenario:
    """A scenario with a decimal state variable and tight bounds."""
    return build(
        {
            "title": "Decimals",
            "start": "a",
            "state": {"mood": 9, "trust": {"initial": 0.1, "min": 0, "max": 0.5}},
            "nodes": {
                "a": {
                    "text": "Hi",
                    "choices": [
                        {
                            "text": "Push",
                            "goto": "a",
                            "effects": {"mood": 4, "trust": 0.2},
                            "scores": {"act": -1},
                            "feedback": "f",
                        },
                        {"text": "Stop", "goto": "end", "feedback": "f"},
                    ],
                },
                "end": {"ending": "success"},
            },
        }
    )


def test_start_run(tiny: Scenario) -> None:
    """A run starts at the start node with the initial state and no steps."""
    run = start_run(tiny)
    assert (run.scenario, run.node, run.state, run.path) == ("tiny", "arrive", {"mood": 8}, ())
    assert not is_finished(tiny, run)


def test_conditions_hide_choices(tiny: Scenario) -> None:
    """A choice whose condition fails is not offered; indices are the file's."""
    calm = choose(tiny, start_run(tiny), "arrive", 0)
    assert calm.state == {"mood": 5}
    assert [index for index, _ in available_choices(tiny, calm)] == [0, 1]
    tense = RunState("tiny", "listening", {"mood": 6}, {"mood": 8})
    assert [index for index, _ in available_choices(tiny, tense)] == [1]


def test_effects_are_clamped_to_bounds() -> None:
    """State never leaves its declared bounds, decimals included, and sums are exact."""
    scenario = decimal_scenario()
    run = start_run(scenario)
    run = choose(scenario, run, "a", 0)
    assert run.state == {"mood": 10, "trust": 0.3}
    run = choose(scenario, run, "a", 0)
    assert run.state == {"mood": 10, "trust": 0.5}
    assert isinstance(run.state["mood"], int)


def test_choose_returns_a_new_run(tiny: Scenario) -> None:
    """`choose` does not change the run it was given."""
    run = start_run(tiny)
    after = choose(tiny, run, "arrive", 0)
    assert run.node == "arrive" and run.path == ()
    assert after.node == "listening"
    assert [(s.node, s.choice, s.state) for s in after.path] == [("arrive", 0, {"mood": 5})]


def test_stale_node_is_refused(tiny: Scenario) -> None:
    """Posting a choice for a node the run has left raises StaleChoiceError."""
    run = choose(tiny, start_run(tiny), "arrive", 0)
    with pytest.raises(StaleChoiceError):
        choose(tiny, run, "arrive", 0)


def test_hidden_choice_is_refused(tiny: Scenario) -> None:
    """A choice that exists but is hidden by its condition cannot be taken."""
    tense = RunState("tiny", "listening", {"mood": 6}, {"mood": 8})
    with pytest.raises(StaleChoiceError):
        choose(tiny, tense, "listening", 0)


@pytest.mark.parametrize("index", [-1, 2, 99, True])
def test_out_of_range_choice_is_refused(tiny: Scenario, index: int) -> None:
    """Indices outside the node's list (and booleans) are stale, not crashes."""
    with pytest.raises(StaleChoiceError):
        choose(tiny, start_run(tiny), "arrive", index)


def test_finished_run_takes_no_more_choices(tiny: Scenario) -> None:
    """At an ending nothing is available and any post is stale."""
    run = choose(tiny, start_run(tiny), "arrive", 1)
    assert is_finished(tiny, run)
    assert available_choices(tiny, run) == []
    with pytest.raises(StaleChoiceError):
        choose(tiny, run, "walked-out", 0)


def test_run_data_round_trips_through_json(tiny: Scenario) -> None:
    """`to_data` is JSON-ready and `from_data` restores an equal run."""
    run = choose(tiny, choose(tiny, start_run(tiny), "arrive", 0), "listening", 0)
    text = json.dumps(run.to_data())
    assert RunState.from_data(json.loads(text)) == run


def test_run_data_with_decimals_round_trips() -> None:
    """Decimal state survives JSON and keeps computing exactly afterwards."""
    scenario = decimal_scenario()
    run = choose(scenario, start_run(scenario), "a", 0)
    again = RunState.from_data(json.loads(json.dumps(run.to_data())))
    assert choose(scenario, again, "a", 0).state == {"mood": 10, "trust": 0.5}


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"version": 99},
        {"version": 1, "scenario": "t", "node": "a", "state": {}, "initial": {}, "path": "x"},
        {"version": 1, "scenario": "t", "node": 3, "state": {}, "initial": {}, "path": []},
        {
            "version": 1,
            "scenario": "t",
            "node": "a",
            "state": {"m": "x"},
            "initial": {},
            "path": [],
        },
        {
            "version": 1,
            "scenario": "t",
            "node": "a",
            "state": {},
            "initial": {},
            "path": [{"node": "a", "choice": -1, "state": {}}],
        },
    ],
)
def test_malformed_run_data_is_refused(data: object) -> None:
    """Broken stored data raises RunStateError (a ValueError), never something vaguer."""
    with pytest.raises(RunStateError):
        RunState.from_data(data)


def test_run_of_another_scenario_is_refused(tiny: Scenario) -> None:
    """A run must be played against its own scenario."""
    run = RunState("other", "arrive", {"mood": 8}, {"mood": 8})
    with pytest.raises(RunStateError):
        available_choices(tiny, run)


def test_run_at_a_vanished_node_is_refused(tiny: Scenario) -> None:
    """A stored run pointing at a node the scenario no longer has is a RunStateError."""
    run = RunState("tiny", "gone", {"mood": 8}, {"mood": 8})
    with pytest.raises(RunStateError):
        is_finished(tiny, run)

"""Validating scenario files: every error and warning, located by file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from academy.scenarios import Scenario, analyse, parse_scenario
from academy.sourcemap import Problem, load_yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "scenarios"

Check = Callable[[str], tuple[Scenario | None, list[Problem]]]


def errors(problems: list[Problem]) -> list[str]:
    """`line: message` of each error."""
    return [f"{p.line}: {p.message}" for p in problems if p.severity == "error"]


def warnings(problems: list[Problem]) -> list[str]:
    """`line: message` of each warning."""
    return [f"{p.line}: {p.message}" for p in problems if p.severity == "warning"]


def minimal(**overrides: Any) -> dict[str, Any]:
    """A valid two-node scenario as data, with top-level overrides."""
    data: dict[str, Any] = {
        "title": "T",
        "start": "a",
        "nodes": {
            "a": {"text": "Hi", "choices": [{"text": "Go", "goto": "b", "feedback": "ok"}]},
            "b": {"ending": "success"},
        },
    }
    data.update(overrides)
    return data


def test_tiny_scenario_is_valid(check_fixture: Check) -> None:
    """The 3-node fixture validates with no problems at all."""
    scenario, problems = check_fixture("tiny")
    assert problems == []
    assert scenario is not None
    assert [node.id for node in scenario.nodes] == ["arrive", "listening", "resolved", "walked-out"]
    assert scenario.state[0].name == "mood" and scenario.state[0].maximum == 10


def test_missing_goto_target(check_fixture: Check) -> None:
    """A goto naming no node is an error on the goto's line."""
    scenario, problems = check_fixture("missing-goto")
    assert scenario is None
    assert errors(problems) == ["8: goto 'nowhere' is not a node of this scenario"]
    assert str(problems[0]) == (
        "missing-goto.yaml:8: goto 'nowhere' is not a node of this scenario"
    )


def test_unreachable_node(check_fixture: Check) -> None:
    """A node no goto leads to is an error on its id's line."""
    _, problems = check_fixture("unreachable")
    assert errors(problems) == ["9: node 'island' cannot be reached from 'a'"]


def test_node_reachable_only_through_a_hidden_choice(check_fixture: Check) -> None:
    """A node linked only by a never-available choice is unreachable, and says why."""
    _, problems = check_fixture("conditionally-unreachable")
    assert errors(problems) == [
        "11: node 'secret' cannot be reached: the choices leading to it are hidden by their"
        " conditions in every reachable state"
    ]


def test_non_ending_without_choices(check_fixture: Check) -> None:
    """A node that is not an ending must offer choices."""
    _, problems = check_fixture("no-choices")
    assert errors(problems) == ["9: node 'stuck' is not an ending and has no choices"]


def test_ending_with_choices(check_fixture: Check) -> None:
    """An ending must not offer choices."""
    _, problems = check_fixture("ending-with-choices")
    assert errors(problems) == ["11: ending 'done' must not have choices"]


def test_cycle_with_no_way_out_and_the_node_leading_into_it(check_fixture: Check) -> None:
    """A closed loop is reported once, and a node that only leads into it is reported too."""
    _, problems = check_fixture("trap-cycle")
    assert errors(problems) == [
        "15: a cycle with no way out: b → c → b when mood = 5 never reaches an ending",
        "11: no ending can be reached from node 'x' when mood = 5",
    ]


def test_every_choice_hidden_in_a_reachable_state(check_fixture: Check) -> None:
    """A reachable state where all of a node's choices are hidden is an error naming it."""
    _, problems = check_fixture("hidden-choices")
    assert errors(problems) == [
        "13: every choice of node 'b' is hidden by its condition when mood = 10"
    ]


def test_unknown_names(check_fixture: Check) -> None:
    """Unknown keys, speakers, state names, disciplines and axes are each an error."""
    _, problems = check_fixture("unknown-names")
    found = errors(problems)
    assert found[0].startswith("3: unknown key 'colour'")
    assert found[1].startswith("7: unknown speaker 'robot'")
    assert found[2].startswith("17: unknown key 'weight'")
    assert found[3].startswith("15: condition 'temper > 3': column 1: unknown state name 'temper'")
    assert found[4].startswith("12: unknown state name 'patience'")
    assert found[5].startswith("13: unknown discipline 'taste'")
    assert found[6].startswith("14: unknown axis 'charisma'")
    assert len(found) == 7


def test_duplicate_ids(check_fixture: Check) -> None:
    """Duplicate node ids (YAML keys) and duplicate disciplines are errors."""
    _, problems = check_fixture("duplicate-ids")
    assert errors(problems) == ["9: duplicate key 'a'", "2: duplicate discipline 'act'"]


def test_condition_syntax_errors_name_the_column(check_fixture: Check) -> None:
    """A condition that does not parse is an error with its column."""
    _, problems = check_fixture("condition-syntax")
    assert errors(problems) == [
        "8: condition 'mood <=': column 8: expected a number or a state name,"
        " found the end of the condition",
        "9: condition 'mood < 3 &&': column 10: unexpected character '&'",
    ]


def test_loop_that_earns_points_is_an_error(check_fixture: Check) -> None:
    """A loop whose points add up to more than zero makes the best score unbounded."""
    _, problems = check_fixture("positive-loop")
    assert len(errors(problems)) == 1
    assert "a → b → a earns points each time round" in errors(problems)[0]


def test_state_space_too_large(check_fixture: Check) -> None:
    """More (node, state) combinations than the cap is an error on 'state'."""
    _, problems = check_fixture("state-space-too-large")
    assert errors(problems) == [
        "4: state space too large: more than 200,000 (node, state) combinations;"
        " narrow the state bounds or use coarser steps"
    ]


def test_no_success_ending_is_a_warning(check_fixture: Check) -> None:
    """A scenario nobody can win still loads, with a warning."""
    scenario, problems = check_fixture("no-success")
    assert scenario is not None
    assert errors(problems) == []
    assert warnings(problems) == ["4: no success ending can be reached in any state"]


def test_listed_but_unscored_discipline_is_a_warning(check_fixture: Check) -> None:
    """A discipline in `disciplines` that no choice scores is a warning on its list entry."""
    scenario, problems = check_fixture("unscored-discipline")
    assert scenario is not None
    assert warnings(problems) == ["2: discipline 'look' is listed but never scored"]


def test_never_available_choice_is_a_warning() -> None:
    """A choice whose condition never holds where its node is reached is a warning."""
    data = minimal(state={"mood": 8})
    data["nodes"]["a"]["choices"].append(
        {"text": "Only when calm", "if": "mood < 2", "goto": "b", "feedback": "ok"}
    )
    scenario, problems = parse_scenario(data, "t")
    assert scenario is not None
    assert [(p.path, p.severity) for p in problems] == [
        (("nodes", "a", "choices", 1, "if"), "warning")
    ]


@pytest.mark.parametrize(
    ("overrides", "path", "fragment"),
    [
        ({"title": None}, (), "'title' is required"),
        ({"title": 3}, ("title",), "must be text"),
        ({"start": "zzz"}, ("start",), "is not a node"),
        ({"nodes": []}, ("nodes",), "mapping of node id"),
        ({"pass_score": 120}, ("pass_score",), "between 0 and 100"),
        ({"pass_score": True}, ("pass_score",), "must be a number"),
        ({"minutes": 0}, ("minutes",), "more than 0"),
        ({"disciplines": "act"}, ("disciplines",), "must be a list"),
        ({"state": {"mood": 11}}, ("state", "mood"), "outside 0..10"),
        ({"state": {"mood": {"initial": 1, "min": 5, "max": 2}}}, ("state", "mood"), "greater"),
        ({"state": {"and": 1}}, ("state", "and"), "must be a word"),
        ({"state": {"mood": {"min": 1}}}, ("state", "mood"), "needs an 'initial'"),
        ({"state": [1]}, ("state",), "must be a mapping"),
    ],
)
def test_top_level_shape_errors(overrides: dict[str, Any], path: tuple, fragment: str) -> None:
    """Wrong top-level values are errors at their own path."""
    scenario, problems = parse_scenario(minimal(**overrides), "t")
    assert scenario is None
    assert any(p.path == path and fragment in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("node_id", "fragment"),
    [
        ("has [brackets]", "must be 1-100 characters"),
        (" padded", "must be 1-100 characters"),
        ("two\nlines", "must be 1-100 characters"),
        ("StoryData", "is reserved"),
        (7, "must be text"),
    ],
)
def test_bad_node_ids(node_id: object, fragment: str) -> None:
    """Node ids must work as Twee passage names and link targets."""
    data = minimal()
    data["nodes"][node_id] = {"ending": "failure"}
    _, problems = parse_scenario(data, "t")
    assert any(fragment in p.message for p in problems), problems


def test_choice_shape_errors() -> None:
    """Choices need text, goto and feedback, and numbers where numbers belong."""
    data = minimal(state={"mood": 5})
    data["nodes"]["a"]["choices"] = [
        {"goto": "b"},
        "just a string",
        {"text": "x", "feedback": "y"},
        {"text": "x", "goto": "b", "feedback": "y", "effects": {"mood": "lots"}},
        {"text": "x", "goto": "b", "feedback": "y", "if": 3},
        {"text": "x", "goto": "b", "feedback": ""},
    ]
    _, problems = parse_scenario(data, "t")
    messages = [(p.path, p.message) for p in problems]
    base = ("nodes", "a", "choices")
    assert ((*base, 0), "'text' is required") in messages
    assert ((*base, 0), "'feedback' is required") in messages
    assert ((*base, 1), "a choice must be a mapping (text, goto, feedback, …)") in messages
    assert ((*base, 2), "'goto' is required (the id of the next node)") in messages
    assert ((*base, 3, "effects", "mood"), "effect on 'mood' must be a number, not 'lots'") in (
        messages
    )
    assert ((*base, 4, "if"), "'if' must be a condition such as 'mood <= 4'") in messages
    assert ((*base, 5, "feedback"), "'feedback' must not be empty") in messages


def test_scored_discipline_must_be_listed() -> None:
    """When `disciplines` is given, scoring another discipline is an error."""
    data = minimal(disciplines=["act"])
    data["nodes"]["a"]["choices"][0]["scores"] = {"act": 1, "look": 1}
    _, problems = parse_scenario(data, "t")
    assert [p.message for p in problems] == [
        "discipline 'look' is scored but not listed in 'disciplines'"
    ]


def test_disciplines_default_to_the_scored_ones() -> None:
    """Without `disciplines`, the scenario lists what its choices score, in teaching order."""
    data = minimal()
    data["nodes"]["a"]["choices"][0]["scores"] = {"act": 1, "look": 2}
    scenario, _ = parse_scenario(data, "t")
    assert scenario is not None and scenario.disciplines == ("look", "act")


def test_summary_only_on_endings() -> None:
    """A `summary` belongs to endings only."""
    data = minimal()
    data["nodes"]["a"]["summary"] = "no"
    _, problems = parse_scenario(data, "t")
    assert [p.message for p in problems] == ["only an ending has a 'summary'"]


def test_not_a_mapping() -> None:
    """A scenario file must hold a mapping."""
    for data in (["a"], None, "text"):
        scenario, problems = parse_scenario(data, "t")
        assert scenario is None
        assert [p.message for p in problems] == [
            "a scenario must be a mapping with title, start and nodes"
        ]


def test_text_is_normalised() -> None:
    """Outer whitespace and Windows line endings are removed from authored text."""
    data = minimal()
    data["nodes"]["a"]["text"] = "  Hello\r\nthere \n"
    scenario, _ = parse_scenario(data, "t")
    assert scenario is not None and scenario.node("a").text == "Hello\nthere"


def test_lenient_parse_returns_a_draft_of_a_broken_file() -> None:
    """`lenient=True` still returns a scenario (for the map) along with the errors."""
    text = (DATA / "missing-goto.yaml").read_text("utf-8")
    data, _, _ = load_yaml(text)
    strict, problems = parse_scenario(data, "missing-goto")
    draft, same = parse_scenario(data, "missing-goto", lenient=True)
    assert strict is None
    assert same == problems
    assert draft is not None
    assert draft.node("a").choices[1].goto == "nowhere"


def test_to_data_round_trip(tiny: Scenario) -> None:
    """`Scenario.to_data()` parses back to an equal scenario."""
    again, problems = parse_scenario(tiny.to_data(), tiny.slug)
    assert problems == []
    assert again == tiny


def test_analysis_limit_is_respected(tiny: Scenario) -> None:
    """`analyse` with a small limit stops and says the space is too large."""
    assert analyse(tiny, limit=2).too_large
    assert not analyse(tiny).too_large

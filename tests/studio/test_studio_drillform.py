"""A drill as form values and back (pure: no Flask, no database)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.scenarios import validate_scenario_text
from academy.studio import drillform as f
from academy.vocabulary import AXES, DISCIPLINES

ROOT = Path(__file__).resolve().parents[2]

TINY = """\
title: 小演练
disciplines: [listen, act]
start: a
state:
  mood: 5
pass_score: 70
nodes:
  a:
    speaker: resident
    text: 开头
    choices:
      - text: 好的做法
        goto: good
        effects: {mood: -1}
        scores: {listen: 2}
        feedback: 为什么好
      - text: 坏的做法
        goto: bad
        if: mood >= 3
        scores: {act: -1}
        feedback: 为什么不好
  good:
    ending: success
    text: 好结局
  bad:
    ending: failure
    text: 坏结局
twine:
  ifid: 0F5B0A0E-0000-0000-0000-000000000000
"""


class Form(dict):
    """A posted form: `get` and `getlist` like werkzeug's MultiDict."""

    def getlist(self, key: str) -> list[Any]:
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def test_node_values_round_trip_through_the_flat_form() -> None:
    data = f.load(TINY)
    values = f.node_values(data, "a")
    flat = f.node_fields(values, f.effect_names(data, values))
    assert flat["choice-0-score-listen"] == "2" and flat["choice-1-if"] == "mood >= 3"
    assert flat["choice-0-effect-mood"] == "-1"
    read = f.read_node_form(Form(flat))
    assert read == values
    assert f.apply_node(data, "a", read) == data


def test_header_round_trip_keeps_other_keys_and_nodes_last() -> None:
    data = f.load(TINY)
    values = f.header_values(data)
    assert values["state"] == [{"name": "mood", "initial": "5", "min": "0", "max": "10"}]
    read = f.read_header_form(Form(f.header_fields(values)))
    assert read == values
    assert f.apply_header(data, read) == data
    changed = f.apply_header(data, {**read, "title": "新标题", "minutes": "12"})
    assert list(changed) == [
        "title",
        "disciplines",
        "start",
        "state",
        "pass_score",
        "minutes",
        "nodes",
        "twine",
    ]
    assert changed["twine"] == data["twine"] and changed["minutes"] == 12


def test_editing_a_node_keeps_unknown_keys_and_the_order_of_nodes() -> None:
    data = f.load(TINY)
    data["nodes"]["a"]["choices"][0]["scores"]["charisma"] = 3  # unknown: kept, validator says
    data["nodes"]["a"]["extra"] = "kept"
    values = f.node_values(data, "a")
    values["text"] = "新的开头\r\n第二行  "
    values["choices"][1]["scores"] = {"act": "-2", "look": "0.5"}
    new = f.apply_node(data, "a", values)
    assert list(new["nodes"]) == ["a", "good", "bad"]
    node = new["nodes"]["a"]
    assert node["text"] == "新的开头\n第二行" and node["extra"] == "kept"
    assert node["choices"][0]["scores"] == {"listen": 2, "charisma": 3}
    assert node["choices"][1]["scores"] == {"act": -2, "look": 0.5}
    assert list(node["choices"][1]) == ["text", "goto", "if", "scores", "feedback"]


def test_a_new_row_becomes_a_choice_and_empty_values_drop_their_keys() -> None:
    data = f.load(TINY)
    values = f.node_values(data, "a")
    row = f.empty_choice()
    row.update(text="第三种", goto="good", feedback="说明", axes={"work": "1"})
    values["choices"].append(row)
    values["choices"][1]["if"] = ""
    new = f.apply_node(data, "a", values)["nodes"]["a"]["choices"]
    assert new[2] == {"text": "第三种", "goto": "good", "axes": {"work": 1}, "feedback": "说明"}
    assert "if" not in new[1]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"speaker": "alien"}, "speaker"),
        ({"ending": "maybe"}, "ending"),
        ({"tags": ["nice"]}, "tags"),
        ({"id": "has [brackets]"}, "id"),
        ({"id": "StoryData"}, "id"),
        ({"id": "good"}, "id"),
        ({"id": ""}, "id"),
        ({"text": "a\x00b"}, "text"),
    ],
)
def test_node_refusals_name_the_field(change: dict[str, Any], field: str) -> None:
    data = f.load(TINY)
    values = {**f.node_values(data, "a"), **change}
    with pytest.raises(f.DrillFormError) as refused:
        f.apply_node(data, "a", values)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("text", " ", "choice-1-text"),
        ("feedback", "", "choice-1-feedback"),
        ("goto", "", "choice-1-goto"),
        ("goto", "nowhere", "choice-1-goto"),
        ("scores", {"act": "abc"}, "choice-1-score-act"),
        ("scores", {"charm": "1"}, "choice-1-score-charm"),
        ("axes", {"work": "NaN"}, "choice-1-axis-work"),
        ("effects", {"mood": "9" * 40}, "choice-1-effect-mood"),
        ("if", "x" * 1001, "choice-1-if"),
    ],
)
def test_choice_refusals_name_the_field(key: str, value: Any, field: str) -> None:
    data = f.load(TINY)
    values = f.node_values(data, "a")
    values["choices"][1][key] = value
    with pytest.raises(f.DrillFormError) as refused:
        f.apply_node(data, "a", values)
    assert refused.value.field == field


def test_an_ending_with_choices_or_tags_is_refused() -> None:
    data = f.load(TINY)
    values = {**f.node_values(data, "a"), "ending": "success", "tags": []}
    with pytest.raises(f.DrillFormError, match="no choices") as refused:
        f.apply_node(data, "a", values)
    assert refused.value.field == "ending"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"pass_score": "101"}, "pass_score"),
        ({"pass_score": "seventy"}, "pass_score"),
        ({"minutes": "0"}, "minutes"),
        ({"start": "nowhere"}, "start"),
        ({"disciplines": ["charm"]}, "disciplines"),
        ({"state": [{"name": "and", "initial": "1"}]}, "state-0-name"),
        (
            {"state": [{"name": "mood", "initial": "1"}, {"name": "mood", "initial": "2"}]},
            "state-1-name",
        ),
        ({"state": [{"name": "mood", "initial": "11"}]}, "state-0-initial"),
        ({"state": [{"name": "mood", "initial": ""}]}, "state-0-initial"),
        ({"state": [{"name": "mood", "initial": "1", "min": "5", "max": "2"}]}, "state-0-min"),
    ],
)
def test_header_refusals_name_the_field(change: dict[str, Any], field: str) -> None:
    data = f.load(TINY)
    with pytest.raises(f.DrillFormError) as refused:
        f.apply_header(data, {**f.header_values(data), **change})
    assert refused.value.field == field


def test_state_with_bounds_is_written_as_a_mapping() -> None:
    data = f.load(TINY)
    values = f.header_values(data)
    values["state"] = [{"name": "trust", "initial": "0.5", "min": "0", "max": "3"}]
    assert f.apply_header(data, values)["state"] == {"trust": {"initial": 0.5, "min": 0, "max": 3}}


def test_rename_and_delete_are_refused_while_choices_point_to_the_node() -> None:
    data = f.load(TINY)
    assert f.pointers(data, "good") == ["choice 1 of node 'a'"]
    with pytest.raises(f.DrillFormError, match="choice 1 of node 'a'") as refused:
        f.delete_node(data, "good")
    assert refused.value.field == "id"
    with pytest.raises(f.DrillFormError, match="choice 1 of node 'a'"):
        f.apply_node(data, "good", {**f.node_values(data, "good"), "id": "great"})
    with pytest.raises(f.DrillFormError, match="start"):
        f.delete_node(data, "a")


def test_renaming_the_start_node_moves_start_and_its_own_loops() -> None:
    data = f.load(TINY)
    values = f.node_values(data, "a")
    values["choices"][1]["goto"] = "a"  # a loop back to itself
    looped = f.apply_node(data, "a", values)
    renamed = f.apply_node(looped, "a", {**f.node_values(looped, "a"), "id": "arrive"})
    assert renamed["start"] == "arrive" and list(renamed["nodes"]) == ["arrive", "good", "bad"]
    assert renamed["nodes"]["arrive"]["choices"][1]["goto"] == "arrive"


def test_add_and_delete_nodes() -> None:
    data = f.load(TINY)
    added = f.add_node(data, "new one", "decision")
    assert list(added["nodes"])[-1] == "new one"
    assert f.add_node(data, "fine", "partial")["nodes"]["fine"]["ending"] == "partial"
    for bad, kind in (("good", "decision"), ("x", "weird"), ("a  b", "decision")):
        with pytest.raises(f.DrillFormError):
            f.add_node(data, bad, kind)
    assert "new one" not in f.delete_node(added, "new one")["nodes"]
    assert f.add_node({"title": "t", "nodes": {}}, "first")["start"] == "first"


def test_unreadable_files_are_refused_on_the_source_field() -> None:
    for text in ("title: [\n", "- a list\n", "nodes: [1, 2]\n"):
        with pytest.raises(f.DrillFormError) as refused:
            f.load(text)
        assert refused.value.field == "source"


def test_problems_are_placed_next_to_their_node_and_choice() -> None:
    text = TINY.replace("goto: bad\n", "goto: nowhere\n").replace(
        "scores: {listen: 2}", "scores: {listen: 2, look: 1}"
    )
    _scenario, problems = validate_scenario_text(text, "x.yaml", "x")
    located = f.locate(text, problems)
    where = {(p.node, p.choice): p.message for p in located.all}
    assert "nowhere" in where[("a", 1)]
    assert "look" in where[("a", 0)]
    assert "cannot be reached" in " ".join(p.message for p in located.of("bad"))
    assert located.counts("a")[0] == 2
    header = f.locate(TINY.replace("pass_score: 70", "pass_score: 700"), [])
    assert header.all == []


def test_problems_of_the_header_stay_with_the_drill() -> None:
    text = TINY.replace("pass_score: 70", "pass_score: 700")
    _scenario, problems = validate_scenario_text(text, "x.yaml", "x")
    located = f.locate(text, problems)
    assert located.drill and not located.nodes


def test_every_shipped_drill_survives_the_forms_unchanged() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        data = f.load(path.read_text(encoding="utf-8"))
        for node_id in f.node_ids(data):
            values = f.node_values(data, node_id)
            flat = f.node_fields(values, f.effect_names(data, values))
            new = f.apply_node(data, node_id, f.read_node_form(Form(flat)))
            assert _stripped(new) == _stripped(data), (path.name, node_id)
        assert f.dump(data)


def _stripped(value: Any) -> Any:
    """Texts compare without outer whitespace (the loader strips them too)."""
    if isinstance(value, dict):
        return {k: _stripped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stripped(v) for v in value]
    return value.strip() if isinstance(value, str) else value


# --- hypothesis: any drill, through the forms and the YAML, comes back the same ----------

_text = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
_ids = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)
_number = st.one_of(
    st.integers(-20, 20), st.decimals(-10, 10, places=2).map(lambda d: float(d))
).filter(lambda n: n != 0)


@st.composite
def drills(draw: Any) -> dict[str, Any]:
    ids = draw(st.lists(_ids, min_size=1, max_size=5, unique=True))
    nodes: dict[str, Any] = {}
    for node_id in ids:
        if draw(st.booleans()):
            node: dict[str, Any] = {"speaker": "narrator", "ending": "success", "text": draw(_text)}
        else:
            choices = []
            for _ in range(draw(st.integers(1, 3))):
                choice: dict[str, Any] = {"text": draw(_text), "goto": draw(st.sampled_from(ids))}
                if draw(st.booleans()):
                    choice["if"] = "mood <= 5"
                scores = draw(st.dictionaries(st.sampled_from(DISCIPLINES), _number, max_size=2))
                axes = draw(st.dictionaries(st.sampled_from(AXES), _number, max_size=2))
                if draw(st.booleans()):
                    choice["effects"] = {"mood": draw(_number)}
                if scores:
                    choice["scores"] = scores
                if axes:
                    choice["axes"] = axes
                choice["feedback"] = draw(_text)
                if draw(st.booleans()):
                    choice["better"] = draw(_text)
                choices.append(choice)
            node = {"speaker": "resident", "text": draw(_text), "choices": choices}
        nodes[node_id] = node
    return {"title": draw(_text), "start": ids[0], "state": {"mood": 5}, "nodes": nodes}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drills())
def test_hypothesis_forms_and_yaml_round_trip(data: dict[str, Any]) -> None:
    loaded = f.load(f.dump(data))
    assert loaded == data
    for node_id in f.node_ids(loaded):
        values = f.node_values(loaded, node_id)
        flat = f.node_fields(values, f.effect_names(loaded, values))
        assert f.apply_node(loaded, node_id, f.read_node_form(Form(flat))) == data
    header = f.read_header_form(Form(f.header_fields(f.header_values(loaded))))
    assert f.apply_header(loaded, header) == data

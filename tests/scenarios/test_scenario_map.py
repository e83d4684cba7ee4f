"""The trainer's map: a well-formed, accessible SVG and the reach table under it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from academy.scenarios import (
    Node,
    Scenario,
    layout,
    node_flags,
    parse_scenario,
    reach_table,
    render_map_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(text: str) -> ET.Element:
    """Parse the SVG, failing the test if it is not well-formed XML."""
    return ET.fromstring(text)


def draft(data: dict[str, Any]) -> Scenario:
    """A lenient parse: a scenario even when the data has errors."""
    scenario, _ = parse_scenario(data, "t", lenient=True)
    assert scenario is not None
    return scenario


def test_map_is_accessible_svg(tiny: Scenario) -> None:
    """The root is an <svg role="img"> labelled by its <title> and <desc>."""
    root = parse_svg(render_map_svg(tiny))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Scenario map: A resident at the window"
    assert desc is not None and "4 nodes" in (desc.text or "")
    assert root.get("aria-labelledby") == "scenario-map-title scenario-map-desc"


def test_boxes_show_id_speaker_and_ending_colour(tiny: Scenario) -> None:
    """Each node is a group with its id and speaker; endings carry their colour by type."""
    root = parse_svg(render_map_svg(tiny))
    groups = {g.get("class"): g for g in root.iter(f"{SVG}g") if "node" in (g.get("class") or "")}
    assert "node start" in groups
    success = groups["node ending-success"]
    failure = groups["node ending-failure"]
    assert success.find(f"{SVG}rect").get("fill") == "#e8f5e9"  # type: ignore[union-attr]
    assert failure.find(f"{SVG}rect").get("stroke") == "#c62828"  # type: ignore[union-attr]
    texts = [t.text for t in groups["node start"].iter(f"{SVG}text")]
    assert texts == ["arrive", "Resident"]


def test_edges_have_short_labels_and_full_titles(tiny: Scenario) -> None:
    """Every choice is an edge whose <title> holds the full choice text."""
    root = parse_svg(render_map_svg(tiny))
    edges = [p for p in root.iter(f"{SVG}path") if p.get("class") == "edge"]
    assert len(edges) == 4
    titles = [e.find(f"{SVG}title").text for e in edges]  # type: ignore[union-attr]
    assert "2. Call the dispatcher now and give a time and your name." not in titles
    assert "1. Call the dispatcher now and give a time and your name. [if mood <= 5]" in titles
    labels = [
        t.text
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "edge-label"
        for t in g.iter(f"{SVG}text")
    ]
    assert "1. Call the dispatche…" in labels
    assert "2" in labels  # listening → walked-out sit side by side: number only


def test_visits_and_choice_counts(tiny: Scenario) -> None:
    """Visit counts appear in the boxes and choice counts in the edge labels."""
    svg = render_map_svg(tiny, {"arrive": 12, "listening": 9}, {("arrive", 0): 9, ("arrive", 1): 3})
    root = parse_svg(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "visits: 12" in texts and "visits: 0" in texts
    assert any(t and t.startswith("2. ") and t.endswith("(3)") for t in texts)


def test_hostile_text_is_escaped() -> None:
    """Scripts, quotes and control characters in authored text cannot break out of the SVG."""
    scenario = draft(
        {
            "title": '<script>alert("x")</script>',
            "start": "a&b",
            "nodes": {
                "a&b": {
                    "text": "</text><script>evil()</script>\x00\x1b",
                    "choices": [
                        {"text": '"><script>alert(1)</script>', "goto": "<end>", "feedback": "f"},
                        {"text": "ok", "goto": "end", "feedback": "f"},
                    ],
                },
                "end": {"ending": "success"},
            },
        }
    )
    svg = render_map_svg(scenario, labels={"title": "{title}"}, id_prefix='x"y')
    root = parse_svg(svg)
    assert "<script>" not in svg
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script>'  # type: ignore[union-attr]


def test_missing_targets_and_unreachable_nodes_are_drawn_as_problems() -> None:
    """Missing targets get a box; unreachable and dead-end nodes a dashed red outline."""
    scenario = draft(
        {
            "title": "Broken",
            "start": "a",
            "nodes": {
                "a": {
                    "text": "Hi",
                    "choices": [
                        {"text": "Lost", "goto": "nowhere", "feedback": "f"},
                        {"text": "Loop", "goto": "loop", "feedback": "f"},
                        {"text": "End", "goto": "end", "feedback": "f"},
                    ],
                },
                "loop": {
                    "text": "Round",
                    "choices": [{"text": "again", "goto": "loop", "feedback": "f"}],
                },
                "island": {
                    "text": "Alone",
                    "choices": [{"text": "x", "goto": "end", "feedback": "f"}],
                },
                "end": {"ending": "partial"},
            },
        }
    )
    assert node_flags(scenario) == {
        "a": (),
        "loop": ("dead_end",),
        "island": ("unreachable",),
        "end": (),
    }
    root = parse_svg(render_map_svg(scenario))
    classes = {g.get("class") for g in root.iter(f"{SVG}g")}
    assert {"node missing", "node dead-end", "node unreachable", "node ending-partial"} <= classes
    for group in root.iter(f"{SVG}g"):
        if group.get("class") in ("node missing", "node dead-end", "node unreachable"):
            rect = group.find(f"{SVG}rect")
            assert rect is not None and rect.get("stroke-dasharray")
            assert rect.get("stroke") == "#c62828"


def test_layers_follow_bfs_depth(tiny: Scenario) -> None:
    """Layer = BFS depth from the start; unreachable nodes go below everything."""
    plan = layout(tiny)
    assert plan.layers[0] == (("node", "arrive"),)
    assert set(plan.layers[1]) == {("node", "listening"), ("node", "walked-out")}
    assert plan.layers[2] == (("node", "resolved"),)


def test_barycentre_ordering_avoids_a_crossing() -> None:
    """Children are ordered under their parents, so parallel edges do not cross."""
    scenario = draft(
        {
            "title": "Two lanes",
            "start": "s",
            "nodes": {
                "s": {
                    "text": "x",
                    "choices": [
                        {"text": "left", "goto": "l", "feedback": "f"},
                        {"text": "right", "goto": "r", "feedback": "f"},
                    ],
                },
                # File order puts the right-hand children first.
                "r": {"text": "x", "choices": [{"text": "go", "goto": "r2", "feedback": "f"}]},
                "l": {"text": "x", "choices": [{"text": "go", "goto": "l2", "feedback": "f"}]},
                "r2": {"ending": "failure"},
                "l2": {"ending": "success"},
            },
        }
    )
    plan = layout(scenario)
    first, second = plan.layers[1], plan.layers[2]
    assert first.index(("node", "l")) < first.index(("node", "r"))
    assert second.index(("node", "l2")) < second.index(("node", "r2"))


def test_reach_table_rows(tiny: Scenario) -> None:
    """The reach table lists nodes in map order with visits and each choice's share."""
    rows = reach_table(tiny, {"arrive": 4, "listening": 3}, {("arrive", 0): 3, ("arrive", 1): 1})
    assert [row.node for row in rows] == ["arrive", "listening", "walked-out", "resolved"]
    first = rows[0]
    assert (first.visits, first.speaker, first.layer, first.flags) == (4, "resident", 0, ())
    assert [(c.index, c.count, c.share) for c in first.choices] == [(0, 3, 0.75), (1, 1, 0.25)]
    assert [c.share for c in rows[1].choices] == [None, None]
    assert rows[3].ending == "success"


def test_map_of_a_scenario_with_a_missing_start() -> None:
    """Even a draft whose start does not exist is drawn (everything unreachable)."""
    scenario = Scenario("t", "T", start="zzz", nodes=(Node("a", "", ending="success"),))
    root = parse_svg(render_map_svg(scenario))
    assert root.get("role") == "img"
    assert node_flags(scenario)["a"] == ("unreachable",)

"""Hypothesis-generated graphs: the validator never crashes, and what it accepts is sound."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import deque
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.scenarios import (
    RunState,
    Scenario,
    available_choices,
    choose,
    debrief,
    is_finished,
    parse_scenario,
    render_map_svg,
    start_run,
    to_twee,
)
from academy.scenarios.twee import parse_twee

CONDITIONS = [
    "mood <= 4",
    "mood > 6",
    "mood >= 3 and mood <= 7",
    "not mood == 10",
    "mood < 2 or mood > 8",
    "mood <=",  # a syntax error
    "temper > 1",  # an unknown name
]


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, Any]:
    """Small scenario graphs: cycles, dead ends, bad targets, hidden choices.

    Half are "tidy" (endings at the back, a plain way forward from most nodes) so
    that many are valid and the soundness checks get exercised; the rest are wild.
    """
    tidy = draw(st.booleans())
    count = draw(st.integers(2 if tidy else 1, 7))
    ids = [f"n{i}" for i in range(count)]
    first_ending = count - draw(st.integers(1, max(1, count // 2))) if tidy else count
    nodes: dict[str, Any] = {}
    for position, node_id in enumerate(ids):
        if position >= first_ending or (not tidy and draw(st.integers(0, 3)) == 0):
            nodes[node_id] = {"ending": draw(st.sampled_from(["success", "partial", "failure"]))}
            continue
        choices = []
        if tidy and draw(st.integers(0, 4)):
            choices.append(
                {
                    "text": "on",
                    "goto": ids[position + 1],
                    "feedback": "f",
                    "scores": {"act": draw(st.integers(0, 2))},
                }
            )
        for _ in range(draw(st.integers(0 if choices else 1, 3))):
            wild = not tidy or draw(st.integers(0, 9)) == 0
            targets = [*ids, "missing"] if wild else ids
            choice: dict[str, Any] = {
                "text": "go",
                "goto": draw(st.sampled_from(targets)),
                "feedback": "f",
            }
            if draw(st.booleans()):
                choice["if"] = draw(st.sampled_from(CONDITIONS if wild else CONDITIONS[:5]))
            if draw(st.booleans()):
                choice["effects"] = {"mood": draw(st.integers(-3, 3))}
            if draw(st.booleans()):
                choice["scores"] = {
                    draw(st.sampled_from(["act", "listen"])): draw(st.integers(-3, 3))
                }
            choices.append(choice)
        nodes[node_id] = {"text": "t", "choices": choices}
    return {
        "title": "Generated",
        "start": ids[0],
        "state": {"mood": draw(st.integers(0, 10))},
        "nodes": nodes,
    }


def explore(scenario: Scenario) -> dict[tuple[str, int], list[tuple[int, tuple[str, int]]]]:
    """The (node, mood) graph as the *engine* sees it, independently of the validator."""

    def key(run: RunState) -> tuple[str, int]:
        return run.node, int(run.state["mood"])

    start = start_run(scenario)
    graph: dict[tuple[str, int], list[tuple[int, tuple[str, int]]]] = {}
    runs = {key(start): start}
    queue = deque([start])
    while queue:
        run = queue.popleft()
        edges: list[tuple[int, tuple[str, int]]] = []
        for index, choice in available_choices(scenario, run):
            after = choose(scenario, run, run.node, index)
            edges.append((int(sum(Decimal(str(v)) for v in choice.scores.values())), key(after)))
            if key(after) not in runs:
                runs[key(after)] = after
                queue.append(after)
        graph[key(run)] = edges
    return graph


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_validator_never_crashes_and_accepted_scenarios_always_finish(data: dict[str, Any]) -> None:
    """Any graph validates without crashing; an accepted one can end from every reachable state."""
    scenario, problems = parse_scenario(data, "generated")
    assert all(p.severity in ("error", "warning") for p in problems)
    draft, _ = parse_scenario(data, "generated", lenient=True)
    assert draft is not None
    ET.fromstring(render_map_svg(draft))
    if scenario is None:
        assert any(p.severity == "error" for p in problems)
        return

    graph = explore(scenario)
    endings = {k for k in graph if scenario.node(k[0]).is_ending}
    alive = set(endings)
    changed = True
    while changed:
        changed = False
        for config, edges in graph.items():
            if config not in alive and any(target in alive for _, target in edges):
                alive.add(config)
                changed = True
    assert alive == set(graph), "a reachable state cannot reach an ending"
    for config, edges in graph.items():
        assert edges or config in endings, "a reachable state offers no choice"
    assert {node for node, _ in graph} == {node.id for node in scenario.nodes}

    # The best path is playable and scores exactly 100 (when there are points to earn;
    # otherwise the documented rule scores by the ending's type).
    run = start_run(scenario)
    for node, index in scenario.best_path():
        run = choose(scenario, run, node, index)
    assert is_finished(scenario, run)
    report = debrief(scenario, run)
    assert scenario.max_points is not None
    if scenario.max_points > 0:
        assert report.score == 100.0
    else:
        assert report.score == (100.0 if report.ending_type == "success" else 0.0)

    # max_points is the true maximum: no simple path in the (node, mood) graph beats it.
    assert scenario.max_points == _brute_force_best(graph, endings, scenario.start, data)

    data_back, twee_problems = parse_twee(to_twee(scenario), scenario.slug)
    assert twee_problems == []
    assert parse_scenario(data_back, scenario.slug)[0] == scenario


def _brute_force_best(
    graph: dict[tuple[str, int], list[tuple[int, tuple[str, int]]]],
    endings: set[tuple[str, int]],
    start: str,
    data: dict[str, Any],
) -> int:
    """Best total over simple paths to an ending (enough when no loop gains points)."""
    first = (start, int(data["state"]["mood"]))
    best: int | None = None
    stack: list[tuple[tuple[str, int], int, frozenset[tuple[str, int]]]] = [
        (first, 0, frozenset({first}))
    ]
    while stack:
        config, total, seen = stack.pop()
        if config in endings:
            best = total if best is None else max(best, total)
            continue
        for points, target in graph[config]:
            if target not in seen:
                stack.append((target, total + points, seen | {target}))
    assert best is not None
    return best

"""Surface strategies played with the real engine, and the drill warnings they raise."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from academy.scenarios import parse_scenario
from academy.scenarios.strategies import (
    STRATEGIES,
    DrillSettings,
    pick,
    play,
    play_all,
    polite_count,
    strategy_problems,
)

POLITE = ("您", "请", "谢谢", "对不起")


def build(data: dict[str, Any]):
    scenario, problems = parse_scenario(data, "generated")
    assert scenario is not None, problems
    return scenario


def chain(nodes: list[list[tuple[str, int]]], pass_score: int = 70) -> dict[str, Any]:
    """A linear drill: node i's choices (text, points) all lead to node i+1; the last
    decision leads to 'good' when its choice earns points, else to 'bad'."""
    data: dict[str, Any] = {
        "title": "生成的演练",
        "disciplines": ["listen", "speak"],
        "start": "n0",
        "pass_score": pass_score,
        "nodes": {},
    }
    for index, choices in enumerate(nodes):
        last = index == len(nodes) - 1
        data["nodes"][f"n{index}"] = {
            "text": f"第{index + 1}步",
            "choices": [
                {
                    "text": text,
                    "goto": ("good" if points > 0 else "bad") if last else f"n{index + 1}",
                    "scores": {"listen": points},
                    "feedback": "说明。",
                }
                for text, points in choices
            ],
        }
    used = {c["goto"] for c in data["nodes"][f"n{len(nodes) - 1}"]["choices"]}
    if "good" in used:
        data["nodes"]["good"] = {"ending": "success", "text": "好"}
    if "bad" in used:
        data["nodes"]["bad"] = {"ending": "failure", "text": "差"}
    return data


texts = st.text(alphabet="听说您请谢对不起做先后", min_size=1, max_size=12)
choice_lists = st.lists(st.tuples(texts, st.integers(0, 5)), min_size=2, max_size=4).filter(
    lambda cs: len({t.strip() for t, _ in cs}) == len(cs) and all(t.strip() for t, _ in cs)
)
drills = st.lists(choice_lists, min_size=1, max_size=5)


def expected_index(strategy: str, choices: list[tuple[str, int]]) -> int:
    """The strategy's rule written again, independently of `pick`."""
    lengths = [len("".join(text.split())) for text, _ in choices]
    if strategy == "first":
        return 0
    if strategy == "last":
        return len(choices) - 1
    if strategy == "longest":
        return lengths.index(max(lengths))
    if strategy == "shortest":
        return lengths.index(min(lengths))
    polite = [sum(text.count(w) for w in POLITE) for text, _ in choices]
    best = max(polite)
    tied = [i for i, p in enumerate(polite) if p == best]
    longest = max(lengths[i] for i in tied)
    return next(i for i in tied if lengths[i] == longest)


@settings(max_examples=50, deadline=None)
@given(drills, st.sampled_from(STRATEGIES))
def test_play_follows_the_rule_and_scores_like_the_debrief(nodes, strategy):
    """On a chain the strategy's path, points and score can be computed by hand."""
    nodes = [[(text.strip(), points) for text, points in node] for node in nodes]
    scenario = build(chain(nodes))
    run = play(scenario, strategy, POLITE)
    picks = [expected_index(strategy, node) for node in nodes]
    assert [index for _, index in run.steps] == picks
    total = sum(node[i][1] for node, i in zip(nodes, picks, strict=True))
    best = sum(max(points for _, points in node) for node in nodes)
    last_points = nodes[-1][picks[-1]][1]
    ending = "success" if last_points > 0 else "failure"
    assert run.ending_type == ending
    if best > 0:
        assert run.score == math.floor(1000 * total / best) / 10
    else:
        assert run.score == (100.0 if ending == "success" else 0.0)
    assert run.passed == (run.score >= 70)
    assert run.is_problem == (run.passed or ending == "success")


@settings(max_examples=50, deadline=None)
@given(drills)
def test_reversing_the_file_order_swaps_first_and_last(nodes):
    nodes = [[(text.strip(), points) for text, points in node] for node in nodes]
    forward = build(chain(nodes))
    backward = build(chain([list(reversed(node)) for node in nodes]))
    assert play(forward, "first").score == play(backward, "last").score
    assert play(forward, "last").ending == play(backward, "first").ending


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(texts, texts, texts), min_size=1, max_size=5))
def test_a_drill_where_the_best_is_short_and_plain_beats_length(rows):
    """Best choice shortest with no polite words, a long polite one worth 0: the length and
    politeness strategies fail, the shortest passes."""
    nodes = []
    for a, b, c in rows:
        plain = "先听"
        filler = "".join(ch for ch in a + b + c if ch not in "您请谢对不起") or "做"
        nodes.append(
            [
                ("请您放心，" + filler + "，谢谢您，对不起", 0),
                (plain, 5),
                ("我来" + filler + "然后再说", 1),
            ]
        )
    scenario = build(chain(nodes))
    assert not play(scenario, "longest", POLITE).is_problem
    assert not play(scenario, "politest", POLITE).is_problem
    assert play(scenario, "shortest", POLITE).score == 100
    names = {p.message.split(": ")[1].split(":")[0] for p in strategy_problems(scenario, POLITE)}
    assert "always the shortest choice" in names and "always the longest choice" not in names


def test_pick_ties_and_errors():
    from academy.scenarios.model import Choice

    a, b = Choice("请您先坐", "x", "f"), Choice("先坐下来", "x", "f")
    assert pick("longest", [(0, a), (1, b)]) == 0  # tie: the earlier one
    assert pick("shortest", [(0, a), (1, b)]) == 0
    assert pick("politest", [(0, b), (1, a)], POLITE) == 1
    assert pick("last", [(0, a), (3, b)]) == 3
    assert polite_count("请您谢谢您", POLITE) == 4
    try:
        pick("random", [(0, a)])
    except ValueError as exc:
        assert "unknown strategy" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an unknown strategy is refused")


LOOP = {
    "title": "绕圈",
    "disciplines": ["listen", "speak"],
    "start": "a",
    "nodes": {
        "a": {
            "text": "开始",
            "choices": [
                {
                    "text": "再想一想再想一想",
                    "goto": "b",
                    "feedback": "绕",
                    "scores": {"listen": 0},
                },
                {"text": "听", "goto": "end", "feedback": "好", "scores": {"listen": 5}},
            ],
        },
        "b": {
            "text": "又回来",
            "choices": [
                {"text": "回到开头重新来过", "goto": "a", "feedback": "绕"},
                {"text": "说", "goto": "end", "feedback": "好", "scores": {"speak": 5}},
            ],
        },
        "end": {"ending": "success", "text": "好"},
    },
}


def test_a_strategy_going_round_a_loop_counts_as_failed():
    scenario = build(LOOP)
    run = play(scenario, "longest", settings=DrillSettings(max_steps=7))
    assert run.ending is None and len(run.steps) == 7 and not run.is_problem
    assert "no ending after 7 steps" in run.describe()
    shortest = play(scenario, "shortest")
    assert shortest.ending == "end" and shortest.passed
    assert [r.strategy for r in play_all(scenario)] == list(STRATEGIES)


def test_warning_names_the_score_pass_score_ending_and_path():
    scenario = build(LOOP)
    (problem, *_) = strategy_problems(scenario, POLITE)
    assert problem.severity == "warning" and problem.path == ("nodes",)
    assert "score 100 ≥ pass score 70, ending 'end' (success) after 1 steps (a)" in problem.message


def test_judgement_alternative_is_judged_by_total_score_only():
    """At judgement nodes the second-best choice still earns points; a strategy that takes
    it everywhere is a problem only if its total reaches the pass score."""
    nodes = [[("先核实再答复", 5), ("马上答复并记下来", 3)] for _ in range(3)]
    nodes += [[("如实说明没有车", 5), ("答应马上派车过来处理", 0)]]
    data = chain(nodes)
    for node in list(data["nodes"].values())[:3]:
        node["tags"] = ["judgement"]
    scenario = build(data)
    longest = play(scenario, "longest")
    assert longest.score == 45.0 and not longest.passed  # 9 of 20 points, failure ending
    assert not longest.is_problem

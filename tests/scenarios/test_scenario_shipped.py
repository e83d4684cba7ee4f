"""The shipped scenarios under scenarios/: valid, complete, and fair to play."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from academy.scenarios import (
    Scenario,
    choose,
    debrief,
    render_map_svg,
    start_run,
    validate_scenario_text,
)
from academy.scenarios.condition import names
from academy.vocabulary import AXES, DISCIPLINES

REPO = Path(__file__).resolve().parents[2]
SHIPPED = {
    "angry-resident-window": REPO / "scenarios" / "angry-resident-window.yaml",
    "outage-complaint": REPO / "scenarios" / "outage-complaint.yaml",
}

#: Named practices the debrief feedback must teach, across the shipped drills.
PRACTICES = [
    "一米见微笑",
    "七个一",
    "一访三问",
    "不拖不靠不扯",
    "摆平",
    "和稀泥",
    "忌语",
    "计划停送水电变更告知制",
    "故障抢修全程服务制",
    "倾听一本记录",
    "出门一声再见",
]


def load(slug: str) -> Scenario:
    """Validate a shipped scenario, failing on any error or warning."""
    path = SHIPPED[slug]
    scenario, problems = validate_scenario_text(path.read_text("utf-8"), path.name)
    assert problems == [], [str(p) for p in problems]
    assert scenario is not None
    return scenario


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_validates_without_errors_or_warnings(slug: str) -> None:
    """Each shipped file validates cleanly and its slug is its file name."""
    assert load(slug).slug == slug


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_size_endings_and_reach(slug: str) -> None:
    """At least 12 nodes, and a reachable ending of every type."""
    scenario = load(slug)
    assert len(scenario.nodes) >= 12
    reached = {n.ending for n in scenario.endings if n.id in scenario.analysis.reached}
    assert reached == {"success", "partial", "failure"}


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_primary_disciplines_scored_and_every_axis_evidenced(slug: str) -> None:
    """2-3 primary disciplines, each earning or losing points; all four axes get evidence."""
    scenario = load(slug)
    choices = [c for node in scenario.nodes for c in node.choices]
    assert 2 <= len(scenario.disciplines) <= 3
    assert set(scenario.disciplines) <= set(DISCIPLINES)
    scored = {key for c in choices for key, value in c.scores.items() if value}
    assert scored == set(scenario.disciplines)
    assert {key for c in choices for key, value in c.axes.items() if value} == set(AXES)


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_mood_drives_conditions(slug: str) -> None:
    """Mood (0 calm … 10 furious) is declared and read by at least two conditions."""
    scenario = load(slug)
    mood = scenario.state_var("mood")
    assert mood is not None and (mood.minimum, mood.maximum) == (0, 10)
    readers = [
        c
        for node in scenario.nodes
        for c in node.choices
        if c.test is not None and any(n.name == "mood" for n in names(c.test))
    ]
    assert len(readers) >= 2


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_every_choice_has_feedback_and_every_node_has_text(slug: str) -> None:
    """The debrief can explain every choice; every moment says something."""
    scenario = load(slug)
    for node in scenario.nodes:
        assert node.text, node.id
        for choice in node.choices:
            assert len(choice.feedback) >= 20, (node.id, choice.text)


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_best_path_scores_100_and_passes(slug: str) -> None:
    """Playing the best path reaches a success ending with score 100."""
    scenario = load(slug)
    run = start_run(scenario)
    for node, index in scenario.best_path():
        run = choose(scenario, run, node, index)
    report = debrief(scenario, run)
    assert (report.ending_type, report.score, report.passed) == ("success", 100.0, True)


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_map_renders(slug: str) -> None:
    """The trainer's map of each shipped scenario is well-formed and flags nothing."""
    scenario = load(slug)
    root = ET.fromstring(render_map_svg(scenario))
    classes = {g.get("class") or "" for g in root.iter("{http://www.w3.org/2000/svg}g")}
    assert not any("unreachable" in c or "dead-end" in c for c in classes)


def test_feedback_names_the_practices() -> None:
    """Across the drills, feedback names each practice staff are trained in."""
    feedback = " ".join(
        choice.feedback for slug in SHIPPED for node in load(slug).nodes for choice in node.choices
    )
    missing = [practice for practice in PRACTICES if practice not in feedback]
    assert missing == []

"""Node tags (judgement, constraint) and the 2-3 primary disciplines of a drill."""

from __future__ import annotations

from pathlib import Path

from academy.certification.check import content_index
from academy.scenarios import parse_scenario, parse_twee, to_twee, validate_scenario_text
from academy.scenarios.design import design_problems, discipline_problems, tag_problems

TAGGED = """\
title: 标签
disciplines: [listen, speak]
start: a
nodes:
  a:
    tags: [judgement]
    text: 先做什么？
    choices:
      - {text: 先听, goto: b, scores: {listen: 5}, feedback: 好}
      - {text: 先说, goto: b, scores: {listen: 3}, feedback: 也行}
  b:
    tags: [judgement, constraint]
    text: 没有车。
    choices:
      - {text: 如实说, goto: c, scores: {speak: 5}, feedback: 好}
  c:
    tags: judgement
    text: 承诺什么？
    choices:
      - {text: 说明时限, goto: end, scores: {speak: 5}, feedback: 好}
  end:
    ending: success
"""


def parse(text: str):
    scenario, problems = validate_scenario_text(text, "scenarios/tags.yaml")
    return scenario, problems


def test_tags_are_parsed_kept_by_to_data_and_by_twee():
    scenario, problems = parse(TAGGED)
    assert problems == []
    assert scenario.node("a").tags == ("judgement",)
    assert scenario.node("b").tags == ("judgement", "constraint")
    assert scenario.node("c").tags == ("judgement",)
    again, _ = parse_scenario(scenario.to_data(), scenario.slug)
    assert again == scenario
    data, problems = parse_twee(to_twee(scenario), scenario.slug)
    assert problems == []
    from_twee, found = parse_scenario(data, scenario.slug)
    assert found == [] and from_twee.node("b").tags == ("judgement", "constraint")


def test_unknown_tag_and_tag_on_an_ending_are_errors():
    _, problems = parse(TAGGED.replace("tags: [judgement]", "tags: [judgment]", 1))
    assert [(p.line, p.severity) for p in problems] == [(6, "error")]
    assert "unknown tag 'judgment'" in problems[0].message
    _, problems = parse(
        TAGGED.replace("    ending: success", "    ending: success\n    tags: [constraint]")
    )
    assert any("an ending takes no 'tags'" in p.message for p in problems)


def test_design_is_quiet_for_a_well_tagged_two_discipline_drill():
    scenario, _ = parse(TAGGED)
    assert design_problems(scenario) == []


def test_too_few_judgement_nodes_and_no_constraint_are_warnings_with_counts():
    text = TAGGED.replace("tags: [judgement, constraint]", "tags: []").replace(
        "tags: judgement", "tags: []"
    )
    scenario, _ = parse(text)
    problems = tag_problems(scenario)
    assert [p.severity for p in problems] == ["warning", "warning"]
    assert "1 of 3 decisions are tagged 'judgement' (a)" in problems[0].message
    assert "constraint" in problems[1].message


def test_one_or_five_disciplines_are_a_warning():
    scenario, _ = parse(TAGGED)
    assert discipline_problems(scenario) == []
    five = TAGGED.replace("[listen, speak]", "[look, listen, smile, speak, act]")
    scenario, _ = parse(five)
    (problem,) = discipline_problems(scenario)
    assert problem.path == ("disciplines",) and "this one has 5" in problem.message
    one = TAGGED.replace("[listen, speak]", "[listen, speak]").replace("speak: 5", "listen: 5")
    one = one.replace("[listen, speak]", "[listen]")
    scenario, _ = parse(one)
    assert "this one has 1 (listen)" in discipline_problems(scenario)[0].message


def test_certificates_count_a_drill_only_toward_its_listed_disciplines(tmp_path: Path):
    """The content index built from the files offers a drill only to its primary disciplines."""
    courses = tmp_path / "courses"
    courses.mkdir()
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "tags.yaml").write_text(TAGGED, "utf-8")
    index = content_index(courses, scenarios)
    assert [s.slug for s in index.drills_for("listen")] == ["tags"]
    assert [s.slug for s in index.drills_for("speak")] == ["tags"]
    for other in ("look", "smile", "act"):
        assert index.drills_for(other) == ()

"""courses/policy.yaml and the {{policy.KEY}} placeholders: one mechanism for every loader."""

from __future__ import annotations

from pathlib import Path

from academy.catalog.scenario_files import (
    export_twee,
    import_twee,
    read_scenario_file,
    validate_twee_text,
)
from academy.contentcheck import check_paths
from academy.courses.loader import load_library, parse_module
from academy.courses.policy import load_policy, parse_policy, substitute
from academy.scenarios import validate_scenario_text

REPO = Path(__file__).resolve().parents[2]

POLICY = """\
version: 1
policy:
  follow_up_call_hours:
    value: 24
    label: 回访时限
    unit: 小时
    patterns:
      - '(\\d+)\\s*小时内回访'
  answer_within_rings: 3
"""

MODULE = """\
---
title: 回访
discipline: speak
order: 1
quiz:
  pass_mark: 80
  questions:
    - kind: single
      prompt: 工单办结后多久回访？
      options:
        - text: "{{policy.follow_up_call_hours}}小时内"
          correct: true
          feedback: 见“回访时限”一节。
        - text: 一周内
          feedback: 太晚。
---
工单办结后{{policy.follow_up_call_hours}}小时内回访，热线{{ policy.answer_within_rings }}声内接起。
"""

DRILL = """\
title: 回访
disciplines: [speak, listen]
start: a
nodes:
  a:
    text: 您说过{{policy.follow_up_call_hours}}小时内回访。
    choices:
      - text: 按时回访
        goto: ok
        scores: {speak: 5, listen: 5}
        feedback: 对，{{policy.follow_up_call_hours}}小时内。
  ok:
    ending: success
    summary: 好
"""


def courses_with_policy(tmp_path: Path, policy: str = POLICY) -> Path:
    courses = tmp_path / "courses"
    (courses / "speak").mkdir(parents=True)
    (courses / "policy.yaml").write_text(policy, "utf-8")
    (courses / "speak" / "01-call-back.md").write_text(MODULE, "utf-8")
    return courses


def test_shipped_policy_has_the_keys_of_the_brief_and_no_problems():
    policy, problems = load_policy(REPO / "courses")
    assert problems == []
    assert policy.values == {
        "answer_within_rings": 3,
        "follow_up_call_hours": 24,
        "status_callback_minutes": 10,
        "written_reply_working_days": 3,
        "urgent_arrival_minutes": 45,
        "power_outage_notice_days": 7,
        "water_outage_notice_hours": 24,
    }
    assert all(entry.patterns and entry.label for entry in policy.entries.values())
    assert policy.get("power_outage_notice_days").law


def test_substitute_replaces_known_keys_and_reports_unknown_ones_at_their_line():
    policy, _ = parse_policy(POLICY)
    result = substitute("a\n{{policy.follow_up_call_hours}}小时\n{{policy.nope}}", policy, "f.md")
    assert result.text == "a\n24小时\n{{policy.nope}}"
    assert result.used == {"follow_up_call_hours": 24}
    (problem,) = result.problems
    assert (problem.file, problem.line, problem.severity) == ("f.md", 3, "error")
    assert (
        "unknown policy key 'nope'" in problem.message and "follow_up_call_hours" in problem.message
    )


def test_digest_changes_with_the_policy_value_so_a_change_republishes():
    text = "{{policy.answer_within_rings}}"
    three, _ = parse_policy("policy: {answer_within_rings: 3}")
    four, _ = parse_policy("policy: {answer_within_rings: 4}")
    assert substitute(text, three, "f").digest(text) != substitute(text, four, "f").digest(text)
    plain = substitute("no placeholder", three, "f")
    import hashlib

    assert plain.digest("no placeholder") == hashlib.sha256(b"no placeholder").hexdigest()


def test_bad_policy_entries_are_reported():
    policy, problems = parse_policy(
        "policy:\n  Bad-Key: 1\n  x_y: {value: 2, patterns: ['no group'], extra: 1}\n  z: {}\n"
    )
    messages = " | ".join(p.message for p in problems)
    assert "lower_case" in messages and "capture" in messages and "unknown key 'extra'" in messages
    assert "needs a value" in messages
    assert list(policy.entries) == ["x_y"]


def test_module_body_and_quiz_text_are_substituted_but_the_source_is_kept(tmp_path):
    courses = courses_with_policy(tmp_path)
    library = load_library(courses)
    assert library.problems == []
    (module,) = library.modules
    assert "24小时内回访，热线3声内接起" in module.body
    option = module.quiz.questions[0].options[0]
    assert option.text == "24小时内"
    assert "{{policy.follow_up_call_hours}}" in module.text  # the revision keeps the source


def test_module_without_policy_keeps_placeholders(tmp_path):
    module, problems = parse_module(MODULE, "courses/speak/01-call-back.md")
    assert problems == [] and "{{policy.follow_up_call_hours}}" in module.body


def test_unknown_key_in_a_module_is_an_error_of_content_check(tmp_path):
    courses = courses_with_policy(tmp_path)
    file = courses / "speak" / "01-call-back.md"
    file.write_text(MODULE.replace("answer_within_rings", "rings"), "utf-8")
    problems = check_paths([], courses=courses, scenarios=tmp_path / "scenarios")
    (error,) = [p for p in problems if p.severity == "error"]
    assert error.file.endswith("01-call-back.md") and error.line == 17
    assert "'rings'" in error.message


def test_drill_text_and_feedback_are_substituted_from_the_courses_policy(tmp_path):
    courses = courses_with_policy(tmp_path)
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "call-back.yaml").write_text(DRILL, "utf-8")
    policy, _ = load_policy(courses)
    source = read_scenario_file(scenarios / "call-back.yaml", scenarios, policy)
    assert source.problems == ()
    node = source.scenario.node("a")
    assert node.text == "您说过24小时内回访。"
    assert node.choices[0].feedback == "对，24小时内。"
    raw = read_scenario_file(scenarios / "call-back.yaml", scenarios)
    assert "{{policy.follow_up_call_hours}}" in raw.scenario.node("a").text
    assert raw.source_hash != source.source_hash


def test_unknown_key_in_a_drill_is_located(tmp_path):
    policy, _ = parse_policy(POLICY)
    text = DRILL.replace("对，{{policy.follow_up_call_hours}}", "对，{{policy.later}}")
    scenario, problems = validate_scenario_text(text, "scenarios/x.yaml", policy=policy)
    assert scenario is None
    assert [(p.line, p.severity) for p in problems] == [(11, "error")]


def test_twee_export_keeps_placeholders_and_import_checks_them(tmp_path):
    courses = courses_with_policy(tmp_path)
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "call-back.yaml").write_text(DRILL, "utf-8")
    policy, _ = load_policy(courses)
    twee, problems = export_twee(scenarios / "call-back.yaml", scenarios, policy)
    assert problems == [] and "{{policy.follow_up_call_hours}}" in twee
    outcome = import_twee(twee, "call-back.twee", "call-back", policy)
    assert outcome.yaml_text is not None and "{{policy.follow_up_call_hours}}" in outcome.yaml_text
    broken = twee.replace("{{policy.follow_up_call_hours}}", "{{policy.missing}}", 1)
    _, found = validate_twee_text(broken, "call-back.twee", "call-back", policy)
    assert any("unknown policy key 'missing'" in p.message for p in found)


def test_policy_file_problems_are_reported_by_content_check(tmp_path):
    courses = courses_with_policy(tmp_path, "policy:\n  x: {patterns: '('}\n")
    problems = check_paths(
        [courses / "policy.yaml"], courses=courses, scenarios=tmp_path / "scenarios"
    )
    assert any(p.file.endswith("policy.yaml") and "needs a value" in p.message for p in problems)

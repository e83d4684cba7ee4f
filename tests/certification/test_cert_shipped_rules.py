"""The real `courses/certifications.yaml` against the real content, and the content-check hook."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from certification.cert_support import REPO, T0

from academy import contentcheck
from academy.certification import (
    CertificatesHeld,
    ContentIndex,
    DrillsPassed,
    ModulesCompleted,
    QuizzesPassed,
    ScenarioInfo,
    Status,
    check_rules,
    content_index,
    due_certificates,
    evaluate,
    load_rules,
)
from academy.courses.loader import load_library
from academy.evidence import Evidence
from academy.vocabulary import DISCIPLINES

COURSES = REPO / "courses"
SCENARIOS = REPO / "scenarios"
RULES_FILE = COURSES / "certifications.yaml"


@pytest.fixture(scope="module")
def real_content() -> ContentIndex:
    """The index of the real modules (load_library) and drills (their YAML's disciplines)."""
    library = load_library(COURSES)
    assert library.errors == []
    scenarios = []
    for file in sorted(SCENARIOS.glob("*.yaml")):
        data = yaml.safe_load(file.read_text("utf-8"))
        scenarios.append(
            ScenarioInfo(
                file.stem,
                data["title"].strip(),
                tuple(data.get("disciplines", ())),
                float(data["pass_score"]) if "pass_score" in data else None,
            )
        )
    return ContentIndex.from_sources(library.modules, scenarios)


def test_real_rules_validate_against_real_content(real_content):
    """The shipped rules have no error and no warning against the shipped content."""
    ruleset, problems = load_rules(RULES_FILE, real_content)
    assert [str(p) for p in problems] == []
    assert ruleset is not None


def test_real_rules_have_six_certificates(real_content):
    """One certificate per discipline, plus the combined one requiring all five."""
    ruleset, _ = load_rules(RULES_FILE, real_content)
    assert ruleset is not None
    assert list(ruleset.certificates) == [*DISCIPLINES, "five-disciplines"]
    assert ruleset.order[-1] == "five-disciplines"
    for discipline in DISCIPLINES:
        rule = ruleset.certificate(discipline)
        assert rule.discipline == discipline
        assert rule.title.startswith(f"{'看听笑说动'[DISCIPLINES.index(discipline)]} · ")
        assert rule.title_en == f"{discipline.capitalize()} — Certified"
        assert (rule.validity_days, rule.renewal_window_days) == (365, 60)
        assert rule.requirements == (
            ModulesCompleted(discipline),
            QuizzesPassed(discipline),
            DrillsPassed(discipline, count=2, min_score=70.0),
        )
    five = ruleset.certificate("five-disciplines")
    assert five.title == "五项服务修炼合格证"
    assert five.title_en == "Five Disciplines Service Certificate"
    assert five.requirements == (CertificatesHeld(DISCIPLINES),)


def test_every_discipline_has_enough_drills(real_content):
    """Each discipline has published lessons, quizzes and at least two drills to pass."""
    for discipline in DISCIPLINES:
        assert len(real_content.modules_of(discipline)) >= 4
        assert len(real_content.quizzes_of(discipline)) == len(real_content.modules_of(discipline))
        assert len(real_content.drills_for(discipline)) >= 2


def test_content_index_helper_matches_the_test_index(real_content):
    """`content_index` (used by the checker) reads the folders the same way."""
    assert content_index(COURSES, SCENARIOS) == real_content


def test_doing_everything_earns_all_six_at_once(real_content):
    """An employee who completes, passes and drills everything gets all six in one call."""
    ruleset, _ = load_rules(RULES_FILE, real_content)
    assert ruleset is not None
    evidence: list[Evidence] = []
    for module in real_content.modules:
        evidence.append(Evidence("completed", "module", module.key, T0))
        mark = module.pass_mark or 0
        evidence.append(
            Evidence(
                "passed",
                "quiz",
                module.key,
                T0,
                score=100,
                success=True,
                detail={"pass_mark": mark},
            )
        )
    for scenario in real_content.scenarios:
        evidence.append(
            Evidence("completed", "scenario", scenario.slug, T0, score=90, success=True)
        )
    issues = due_certificates(ruleset, real_content, evidence, [], T0)
    assert [i.certificate_id for i in issues] == [*DISCIPLINES, "five-disciplines"]
    issued = [i.to_issued(f"code-{n}", T0) for n, i in enumerate(issues)]
    statuses = evaluate(ruleset, real_content, evidence, issued, T0)
    assert {s.status for s in statuses.values()} == {Status.CERTIFIED}


def test_checker_finds_nothing_wrong_in_the_real_content():
    """check_rules on the repository's folders reports no problem, chosen file or not."""
    assert check_rules(COURSES, SCENARIOS, None) == []
    assert check_rules(COURSES, SCENARIOS, [RULES_FILE]) == []
    assert check_rules(COURSES, SCENARIOS, [SCENARIOS / "angry-resident-window.yaml"]) == []


@pytest.fixture
def broken_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the content folders whose rules file has an unknown discipline."""
    courses = tmp_path / "courses"
    shutil.copytree(COURSES, courses)
    scenarios = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, scenarios)
    rules = courses / "certifications.yaml"
    rules.write_text(
        rules.read_text("utf-8").replace("discipline: smile\n", "discipline: grin\n", 1),
        "utf-8",
    )
    return courses, scenarios


def test_checker_reports_file_and_line(broken_copy):
    """A broken rules file gives `courses/certifications.yaml:N:` errors."""
    courses, scenarios = broken_copy
    messages = [str(p) for p in check_rules(courses, scenarios, None)]
    line = (courses / "certifications.yaml").read_text("utf-8").split("\n").index(
        "    discipline: grin"
    ) + 1
    assert messages == [
        f"courses/certifications.yaml:{line}: unknown discipline 'grin' (one of look, listen,"
        " smile, speak, act)"
    ]


def test_missing_rules_file_is_not_a_problem(tmp_path: Path):
    """Content without a rules file checks clean (the rules are optional)."""
    assert check_rules(tmp_path, tmp_path / "scenarios", None) == []


def test_content_check_runs_the_registered_checker(broken_copy, monkeypatch):
    """Once registered in CHECKERS, `academy content check` reports the rules' problems."""
    courses, scenarios = broken_copy
    monkeypatch.setattr(contentcheck, "CHECKERS", [check_rules])
    everything = contentcheck.check_paths([], courses=courses, scenarios=scenarios)
    chosen = contentcheck.check_paths(
        [courses / "certifications.yaml"], courses=courses, scenarios=scenarios
    )
    folder = contentcheck.check_paths([courses], courses=courses, scenarios=scenarios)
    other = contentcheck.check_paths([courses / "look"], courses=courses, scenarios=scenarios)
    for problems in (everything, chosen, folder):
        assert [p.file for p in problems] == ["courses/certifications.yaml"]
    assert other == []


def test_docs_show_the_real_rules_file():
    """docs/certification.md quotes courses/certifications.yaml exactly."""
    docs = (REPO / "docs" / "certification.md").read_text("utf-8")
    quoted = docs.split("The real file:\n\n```yaml\n", 1)[1].split("```\n", 1)[0]
    assert quoted == RULES_FILE.read_text("utf-8")

"""The shipped library keeps its shape: it validates and cannot silently shrink.

Counts per discipline, lesson length, quiz kinds and feedback, drill endings and
coverage of disciplines and axes, and no sentence lifted from the origin article.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from academy.certification import load_rules
from academy.courses.loader import load_library
from academy.scenarios import (
    available_choices,
    choose,
    debrief,
    is_finished,
    start_run,
    validate_scenario_text,
)
from academy.vocabulary import AXES, DISCIPLINES

REPO = Path(__file__).resolve().parent.parent
COURSES = REPO / "courses"
SCENARIOS = REPO / "scenarios"
SEED = Path("/work/shared/seed")

LIBRARY = load_library(COURSES)
DRILLS = {
    path.stem: validate_scenario_text(path.read_text(encoding="utf-8"), str(path))
    for path in sorted(SCENARIOS.glob("*.yaml"))
}
HAN = re.compile(r"[\u4e00-\u9fff]")


def words(text: str) -> int:
    """Words as a Chinese reader counts them: each Han character, plus Latin words."""
    return len(HAN.findall(text)) + len(re.findall(r"[A-Za-z0-9]+", text))


def test_courses_validate_without_problems():
    """`academy content check` is clean on the lessons: no errors, no warnings."""
    assert [str(p) for p in LIBRARY.problems] == []


def test_at_least_four_modules_per_discipline_and_a_capstone():
    """Every discipline has 4+ modules (20+ in all) and act/ holds the capstone."""
    counts = Counter(m.discipline for m in LIBRARY.modules)
    assert all(counts[d] >= 4 for d in DISCIPLINES), counts
    assert sum(counts.values()) >= 20
    capstone = [m for m in LIBRARY.modules if m.discipline == "act" and "七个一" in m.title]
    assert capstone, "the capstone on the seven ones lives in act/"


@pytest.mark.parametrize("module", LIBRARY.modules, ids=lambda m: m.key)
def test_module_meets_the_quality_bar(module):
    """600–1,500 words, objectives, axes, a printable checklist and a real quiz."""
    assert 600 <= words(module.body) <= 1500, words(module.body)
    assert module.objectives and all(o.startswith("能够") for o in module.objectives)
    assert module.axes and set(module.axes) <= set(AXES)
    assert re.search(r"不做|清单|可打印|自查|检查", module.body), "printable do/don't or checklist"
    quiz = module.quiz
    assert quiz is not None and quiz.pass_mark > 0
    kinds = {q.kind for q in quiz.questions}
    assert len(quiz.questions) >= 6 and len(kinds) >= 3, (len(quiz.questions), kinds)


@pytest.mark.parametrize("module", LIBRARY.modules, ids=lambda m: m.key)
def test_every_option_has_teaching_feedback(module):
    """Each option of a choice question carries feedback; other kinds explain themselves."""
    data = module.quiz.to_data()
    for question in data["questions"]:
        if question["kind"] in ("single", "multiple"):
            for option in question["options"]:
                assert len(option.get("feedback", "")) >= 8, (question["prompt"], option)
        elif question["kind"] == "true_false":
            assert question.get("feedback_true") and question.get("feedback_false")
        else:
            assert question.get("feedback"), question["prompt"]


def test_capstone_orders_the_seven_ones():
    """The capstone has an ordering question on the seven ones of reception."""
    capstone = next(m for m in LIBRARY.modules if m.discipline == "act" and "七个一" in m.title)
    orderings = [q for q in capstone.quiz.to_data()["questions"] if q["kind"] == "ordering"]
    assert any(
        "捧出一张笑脸" in q["items"][0] and "出门一声再见" in q["items"][-1] for q in orderings
    )


def test_at_least_eight_drills_all_valid_without_warnings():
    """8+ drills, each without errors or warnings."""
    assert len(DRILLS) >= 8
    for slug, (scenario, problems) in DRILLS.items():
        assert scenario is not None and [str(p) for p in problems] == [], slug


@pytest.mark.parametrize("slug", sorted(DRILLS))
def test_drill_shape(slug):
    """12+ nodes, all three ending types, a condition, feedback on every choice."""
    scenario, _ = DRILLS[slug]
    assert len(scenario.nodes) >= 12
    assert {n.ending for n in scenario.nodes if n.is_ending} >= {"success", "partial", "failure"}
    choices = [c for n in scenario.nodes for c in n.choices]
    assert any(c.condition for c in choices)
    assert all(c.feedback and len(c.feedback) >= 10 for c in choices)


@pytest.mark.parametrize("slug", sorted(DRILLS))
def test_best_path_scores_100_and_every_ending_is_reachable(slug):
    """The best path scores 100; random play reaches each ending type; no weak path passes."""
    scenario, _ = DRILLS[slug]
    run = start_run(scenario)
    for node_id, index in scenario.best_path():
        run = choose(scenario, run, node_id, index)
    best = debrief(scenario, run)
    assert best.score == 100 and best.ending_type == "success" and best.passed
    seen: dict[str, float] = {}
    rng = random.Random(slug)
    for _ in range(400):
        run = start_run(scenario)
        while not is_finished(scenario, run):
            index, _choice = rng.choice(available_choices(scenario, run))
            run = choose(scenario, run, run.node, index)
        result = debrief(scenario, run)
        seen[result.ending_type] = max(seen.get(result.ending_type, 0), result.score)
        if result.ending_type != "success":
            assert not result.passed, (slug, result.ending, result.score)
    assert set(seen) == {"success", "partial", "failure"}, seen


def test_every_discipline_and_axis_is_covered_by_four_drills():
    """Each discipline is scored, and each axis evidenced, by at least 4 drills."""
    scored: Counter[str] = Counter()
    evidenced: Counter[str] = Counter()
    for scenario, _ in DRILLS.values():
        choices = [c for n in scenario.nodes for c in n.choices]
        scored.update({d for c in choices for d in c.scores})
        evidenced.update({a for c in choices for a in c.axes})
    assert all(scored[d] >= 4 for d in DISCIPLINES), scored
    assert all(evidenced[a] >= 4 for a in AXES), evidenced


def test_certification_rules_validate():
    """courses/certifications.yaml checks clean against the shipped content."""
    rules, problems = load_rules(COURSES / "certifications.yaml")
    assert rules is not None and problems == []
    assert len(rules.certificates) == 6


@pytest.mark.skipif(not SEED.exists(), reason="origin article not available here")
def test_no_sentence_is_copied_from_the_origin_article():
    """No run of 14 Han characters in the content appears in the origin article."""
    import unicodedata

    from academy.scenarios import dump_scenario_yaml  # noqa: F401  (content is the YAML text)

    def han_only(text: str) -> str:
        return "".join(HAN.findall(unicodedata.normalize("NFKC", text)))

    article = "".join(
        han_only(_to_simplified(p.read_text(encoding="utf-8"))) for p in SEED.glob("*.txt")
    )
    windows = {article[i : i + 14] for i in range(len(article) - 13)}
    texts = [p.read_text(encoding="utf-8") for p in COURSES.rglob("*.md")]
    texts += [p.read_text(encoding="utf-8") for p in SCENARIOS.glob("*.yaml")]
    for text in texts:
        content = han_only(text)
        copied = [
            content[i : i + 14] for i in range(len(content) - 13) if content[i : i + 14] in windows
        ]
        assert copied == [], copied[:3]


# The article is in traditional characters; these are the ones that differ in the
# terms and sentences a writer would be tempted to reuse.
_T2S = str.maketrans(
    "與實踐項務煉說動學會員戶諧係進後勤礦區職產質響緒業達調務習標準觀察頭腦醫聽閱聞語"
    "氣誠親樣話應對時處題將報電視欄傳單記錄談問計難規範據類務圍裡這麼為們國開納諫過則喜"
    "態層線點廣雜應個練總結驗發經體現",
    "与实践项务炼说动学会员户谐系进后勤矿区职产质响绪业达调务习标准观察头脑医听阅闻语"
    "气诚亲样话应对时处题将报电视栏传单记录谈问计难规范据类务围里这么为们国开纳谏过则喜"
    "态层线点广杂应个练总结验发经体现",
)


def _to_simplified(text: str) -> str:
    return text.translate(_T2S)


def test_scenarios_folder_holds_only_drills():
    """Every YAML file under scenarios/ is a drill with a title and nodes."""
    for path in SCENARIOS.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert {"title", "nodes", "start"} <= set(data), path.name


def test_shipped_content_has_no_assessment_warnings():
    """Issue 12: the shipped course passes every assessment-quality rule (0 warnings)."""
    from academy.contentcheck import check_paths

    root = Path(__file__).resolve().parent.parent
    problems = check_paths([], courses=root / "courses", scenarios=root / "scenarios")
    assert [str(p) for p in problems] == []

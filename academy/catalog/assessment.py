"""`academy content check`: assessment-quality warnings over the content files.

The rules are pure and live with their content kind (documented in
``docs/authoring.md``, "Assessment quality"):

* `academy.quizzes.quality` — key length against chance, "all but one correct",
  caricature options, recall items, bank size and feedback;
* `academy.scenarios.strategies` — surface strategies played with the engine;
* `academy.scenarios.design` — 2-3 primary disciplines, judgement and
  constraint nodes;
* `academy.courses.policy` — numbers that contradict ``courses/policy.yaml``.

Settings (thresholds, caricature phrases, polite words) come from
``courses/quality.yaml`` (`academy.courses.quality`). This module only finds
the files, runs the rules and turns their path-located findings into
``file:line`` warnings. Every finding is a warning: ``content check`` still
exits 1 on errors only. Files with errors get no quality warnings (fix the
errors first). Importing this module registers `check_policy_file` and
`check_assessment` in `academy.contentcheck.CHECKERS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

# A module import (not names): this module is imported while scenario_files loads.
import academy.catalog.scenario_files as drill_files
from academy.contentcheck import CHECKERS
from academy.courses.loader import module_files, parse_module, read_text, split_front_matter
from academy.courses.model import ModuleSource
from academy.courses.policy import (
    Policy,
    contradictions,
    load_policy,
    policy_path,
    substitute,
)
from academy.courses.quality import QualitySettings, load_quality_settings
from academy.quizzes import (
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)
from academy.quizzes.quality import pooled_length_problems, quiz_problems
from academy.scenarios import Scenario
from academy.scenarios.design import design_problems
from academy.scenarios.strategies import strategy_problems
from academy.sourcemap import LineMap, PathProblem, Problem, YamlSourceError, load_yaml
from academy.sourcemap import Path as DataPath


def check_policy_file(
    courses_dir: Path, scenarios_dir: Path, files: Iterable[Path] | None
) -> list[Problem]:
    """Problems of ``courses/policy.yaml`` and ``courses/quality.yaml`` themselves."""
    del scenarios_dir
    problems: list[Problem] = []
    for path, load in (
        (policy_path(courses_dir), load_policy),
        (courses_dir / "quality.yaml", load_quality_settings),
    ):
        if files is not None:
            target = path.resolve()
            if not any(f.resolve() == target for f in files):
                continue
        problems.extend(load(courses_dir)[1])
    return problems


def check_assessment(
    courses_dir: Path, scenarios_dir: Path, files: Iterable[Path] | None
) -> list[Problem]:
    """Assessment-quality warnings for modules and drills (all, or the chosen files)."""
    courses = courses_dir.resolve()
    if files is None:
        modules = module_files(courses_dir)
        drills = drill_files.scenario_files(scenarios_dir)
    else:
        chosen = list(files)
        modules = [f for f in chosen if f.suffix == ".md"]
        drills = [
            f
            for f in chosen
            if f.suffix in drill_files.YAML_SUFFIXES
            and f.name not in drill_files.COURSE_FILES
            and not f.resolve().is_relative_to(courses)
        ]
    policy = load_policy(courses_dir)[0]
    settings = load_quality_settings(courses_dir)[0]
    problems: list[Problem] = []
    pools: dict[str, list[tuple[ModuleSource, int]]] = {}
    for file in modules:
        problems.extend(module_warnings(file, courses_dir, policy, settings, pools))
    for discipline, found in sorted(pools.items()):
        if len(found) < 2:
            continue
        quizzes = [(m.key, m.quiz) for m, _ in found if m.quiz is not None]
        first, line = found[0]
        for message in pooled_length_problems(
            quizzes, settings.quiz, f"the '{discipline}' quizzes"
        ):
            problems.append(Problem(first.path, line, message, "warning"))
    for file in drills:
        problems.extend(drill_warnings(file, scenarios_dir, policy, settings))
    return problems


# --- modules -------------------------------------------------------------------------


def module_warnings(
    file: Path,
    root: Path,
    policy: Policy,
    settings: QualitySettings,
    pools: dict[str, list[tuple[ModuleSource, int]]] | None = None,
) -> list[Problem]:
    """Quiz quality and policy contradictions of one module file (none if it has errors)."""
    shown = drill_files.shown_path(file, root)
    text, _ = read_text(file, shown)
    if text is None:
        return []
    return module_text_warnings(text, shown, policy, settings, pools)


def module_text_warnings(
    text: str,
    shown: str,
    policy: Policy,
    settings: QualitySettings,
    pools: dict[str, list[tuple[ModuleSource, int]]] | None = None,
) -> list[Problem]:
    """`module_warnings` for a module's text (the studio checks drafts with it)."""
    module, _ = parse_module(text, shown, policy)
    if module is None:
        return []
    split = split_front_matter(_substituted(module, policy))
    lines = LineMap()
    if split is not None:
        try:
            lines = load_yaml(split[0], first_line=2)[1]
        except YamlSourceError:  # pragma: no cover - the module validated
            pass
    found: list[PathProblem] = []
    if module.quiz is not None:
        if pools is not None:
            pools.setdefault(module.discipline, []).append((module, lines.line(("quiz",))))
        found.extend(
            quiz_problems(module.quiz, module.body, settings.quiz, settings.caricature_phrases)
        )
    warnings = lines.locate(shown, found)
    for offset, line in enumerate(module.body.split("\n")):
        for item in contradictions(line, policy):
            warnings.append(_contradiction(shown, module.body_line + offset, item, policy))
    texts: list[tuple[DataPath, str]] = [
        (("title",), module.title),
        *((("objectives", i), o) for i, o in enumerate(module.objectives)),
    ]
    if module.quiz is not None:
        for index, question in enumerate(module.quiz.questions):
            texts.extend(question_texts(question, ("quiz", "questions", index)))
    for path, value in texts:
        for item in contradictions(value, policy):
            warnings.append(_contradiction(shown, lines.line(path), item, policy))
    return warnings


def _substituted(module: ModuleSource, policy: Policy) -> str:
    return substitute(module.text, policy, module.path).text


def question_texts(question: Question, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    """The texts of a question that state what is right (wrong options are left out:
    a distractor may state a wrong number on purpose)."""
    if not (isinstance(question, TrueFalse) and not question.answer):
        yield (*path, "prompt"), question.prompt
    if question.feedback:
        yield (*path, "feedback"), question.feedback
    if isinstance(question, SingleChoice | MultipleChoice):
        for number, option in enumerate(question.options):
            single = isinstance(question, SingleChoice)
            if option.credit >= 100 if single else option.credit > 0:
                yield (*path, "options", number), option.text
                if option.feedback:
                    yield (*path, "options", number), option.feedback
    elif isinstance(question, TrueFalse):
        right = question.feedback_true if question.answer else question.feedback_false
        if right:
            yield (*path, "feedback_true" if question.answer else "feedback_false"), right
    elif isinstance(question, Ordering):
        for number, item in enumerate(question.items):
            yield (*path, "items", number), item
    elif isinstance(question, Matching):
        for number, pair in enumerate(question.pairs):
            for side in pair:
                yield (*path, "pairs", number), side


# --- drills --------------------------------------------------------------------------


def drill_warnings(
    file: Path, root: Path, policy: Policy, settings: QualitySettings | None = None
) -> list[Problem]:
    """Design, strategy and policy warnings of one drill file (none if it has errors)."""
    source = drill_files.read_scenario_file(file, root, policy)
    if source.scenario is None or source.text is None:
        return []
    return drill_text_warnings(source.text, source.shown, source.scenario, policy, settings)


def drill_text_warnings(
    text: str,
    shown: str,
    scenario: Scenario,
    policy: Policy,
    settings: QualitySettings | None = None,
) -> list[Problem]:
    """`drill_warnings` for a drill's validated text and scenario (the studio's drafts)."""
    settings = settings or QualitySettings()
    lines = _lines(text)
    found = [
        *design_problems(scenario),
        *strategy_problems(scenario, settings.polite_words, settings.drill),
    ]
    warnings = lines.locate(shown, found)
    for path, value in drill_texts(scenario):
        for item in contradictions(value, policy):
            warnings.append(_contradiction(shown, lines.line(path), item, policy))
    return warnings


def drill_texts(scenario: Scenario) -> Iterator[tuple[DataPath, str]]:
    """The texts of a drill that state what is right: setting, node texts, endings, and
    the best choices (the most points at their node; at a judgement node every choice
    that earns points) with their feedback. Wrong choices may state a wrong number."""
    yield ("setting",), scenario.setting
    yield ("summary",), scenario.summary
    for node in scenario.nodes:
        path: DataPath = ("nodes", node.id)
        yield (*path, "text"), node.text
        if node.summary:
            yield (*path, "summary"), node.summary
        if not node.choices:
            continue
        best = max(choice.points for choice in node.choices)
        for index, choice in enumerate(node.choices):
            good = choice.points == best or ("judgement" in node.tags and choice.points > 0)
            where = (*path, "choices", index)
            if good:
                yield (*where, "text"), choice.text
                yield (*where, "feedback"), choice.feedback
            if choice.better:
                yield (*where, "better"), choice.better


def _lines(text: str) -> LineMap:
    try:
        return load_yaml(text)[1]
    except YamlSourceError:  # pragma: no cover - the file validated
        return LineMap()


def _contradiction(shown: str, line: int, item, policy: Policy) -> Problem:
    return Problem(shown, line, f"policy contradiction: {item.describe(policy)}", "warning")


for _checker in (check_policy_file, check_assessment):
    if _checker not in CHECKERS:
        CHECKERS.append(_checker)

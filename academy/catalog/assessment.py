"""`academy content check`: assessment-quality warnings over the content files.

The rules are pure and live with their content kind (documented in
``docs/authoring.md``, "Assessment quality"):

* `academy.scenarios.design` — 2-3 primary disciplines, judgement and
  constraint nodes;
* `academy.scenarios.strategies` — surface strategies played with the engine;
* `academy.quizzes.quality` — key length against chance, "all but one correct",
  caricature options, recall items;
* `academy.courses.policy` — numbers that contradict ``courses/policy.yaml``.

This module only finds the files, runs the rules and turns their path-located
findings into ``file:line`` warnings. Every finding is a warning: the exit
status of ``content check`` stays 1 on errors only. Importing this module
registers `check_assessment` in `academy.contentcheck.CHECKERS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

# A module import (not names): this module is imported while scenario_files loads.
import academy.catalog.scenario_files as drill_files
from academy.contentcheck import CHECKERS
from academy.courses.policy import load_policy, policy_path
from academy.scenarios.design import design_problems
from academy.sourcemap import LineMap, Problem, YamlSourceError, load_yaml


def check_policy_file(
    courses_dir: Path, scenarios_dir: Path, files: Iterable[Path] | None
) -> list[Problem]:
    """Problems of ``courses/policy.yaml`` itself (when all content or the file is checked)."""
    del scenarios_dir
    path = policy_path(courses_dir)
    if files is not None:
        target = path.resolve()
        if not any(f.resolve() == target for f in files):
            return []
    return load_policy(courses_dir)[1]


def check_assessment(
    courses_dir: Path, scenarios_dir: Path, files: Iterable[Path] | None
) -> list[Problem]:
    """Assessment-quality warnings for the drills (all, or the chosen ``.yaml`` files)."""
    courses = courses_dir.resolve()
    if files is None:
        drills = drill_files.scenario_files(scenarios_dir)
    else:
        drills = [
            f
            for f in files
            if f.suffix in drill_files.YAML_SUFFIXES and not f.resolve().is_relative_to(courses)
        ]
    policy = drill_files.drill_policy(courses_dir)
    problems: list[Problem] = []
    for file in drills:
        problems.extend(drill_warnings(file, scenarios_dir, policy))
    return problems


def drill_warnings(file: Path, root: Path, policy) -> list[Problem]:
    """Design warnings of one drill file (nothing when it has errors: those come first)."""
    source = drill_files.read_scenario_file(file, root, policy)
    if source.scenario is None or source.text is None:
        return []
    lines = _lines(source.text)
    return lines.locate(source.shown, design_problems(source.scenario))


def _lines(text: str) -> LineMap:
    try:
        return load_yaml(text)[1]
    except YamlSourceError:  # pragma: no cover - the file validated
        return LineMap()


for _checker in (check_policy_file, check_assessment):
    if _checker not in CHECKERS:
        CHECKERS.append(_checker)

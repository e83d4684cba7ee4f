"""`academy content check`: validate content files without touching the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from academy.certification.check import check_rules
from academy.courses.loader import load_library
from academy.sourcemap import Problem

#: Checkers for other content kinds: (courses root, scenarios root, chosen files or None)
#: → problems. Registered by the scenario and certification packages.
CHECKERS: list[Callable[[Path, Path, list[Path] | None], list[Problem]]] = [check_rules]


def check_paths(paths: list[Path], *, courses: Path, scenarios: Path) -> list[Problem]:
    """Problems in `paths` (files or folders), or in all content when none are given."""
    if not paths:
        problems = load_library(courses).problems
        for checker in CHECKERS:
            problems.extend(checker(courses, scenarios, None))
        return _sorted(problems)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        else:
            files.append(path)
    markdown = [f for f in files if f.suffix == ".md"]
    others = [f for f in files if f.suffix != ".md"]
    problems: list[Problem] = []
    if markdown:
        problems.extend(load_library(courses, markdown).problems)
    for checker in CHECKERS:
        problems.extend(checker(courses, scenarios, others))
    return _sorted(problems)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.message))


# Kinds of content that register a checker on import (kept last: they import this module).
import academy.catalog.scenario_files  # noqa: E402, F401, I001
import academy.catalog.assessment  # noqa: E402, F401, I001

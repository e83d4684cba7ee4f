"""`academy content check` for the certification rules file.

`check_rules` has the signature of `academy.contentcheck.CHECKERS` entries: it
validates ``<courses>/certifications.yaml`` against the modules and drills
found in the content folders, when all content is checked or when the file is
among the chosen ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from academy.certification.content import ContentIndex, ScenarioInfo, scenario_info
from academy.certification.rules import load_rules
from academy.courses.loader import load_library, read_text
from academy.sourcemap import Problem, YamlSourceError, load_yaml

RULES_FILE = "certifications.yaml"


def rules_path(courses_dir: Path) -> Path:
    """Where the rules file lives in a courses folder."""
    return courses_dir / RULES_FILE


def scenario_summaries(scenarios_dir: Path) -> list[ScenarioInfo]:
    """Title, disciplines and pass score of each readable ``*.yaml`` drill file."""
    found: list[ScenarioInfo] = []
    for file in sorted(scenarios_dir.glob("*.yaml")) if scenarios_dir.is_dir() else []:
        text, _ = read_text(file, file.name)
        if text is None:
            continue
        try:
            data, _, _ = load_yaml(text)
        except YamlSourceError:
            continue  # the scenario checker reports it
        info = scenario_info(data, file.stem)
        if info is not None:
            found.append(info)
    return found


def content_index(courses_dir: Path, scenarios_dir: Path) -> ContentIndex:
    """The index of the valid modules and drills in the content folders."""
    library = load_library(courses_dir)
    return ContentIndex.from_sources(library.modules, scenario_summaries(scenarios_dir))


def check_rules(
    courses_dir: Path, scenarios_dir: Path, files: Iterable[Path] | None
) -> list[Problem]:
    """Problems in the rules file (none when it is absent or not among `files`)."""
    path = rules_path(courses_dir)
    if files is not None:
        target = path.resolve()
        if not any(f.resolve() == target for f in files):
            return []
    elif not path.is_file():
        return []
    shown = _display_path(path, courses_dir)
    _, problems = load_rules(path, content_index(courses_dir, scenarios_dir), shown=shown)
    return problems


def _display_path(file: Path, root: Path) -> str:
    try:
        return str(file.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(file)

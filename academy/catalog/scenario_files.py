"""Drill files on disk: read, validate and check them, without the database.

Scenario files are ``<scenarios>/<slug>.yaml`` (the format is in
``docs/formats-scenario.md``); Twine stories in Twee 3 (``*.twee``, ``*.tw``)
can be checked too, before `academy scenarios import-twee` turns them into
YAML. Importing this module registers `check_scenarios` in
`academy.contentcheck.CHECKERS` (``academy/contentcheck.py`` imports it at
its end, so `academy content check` always reports drills).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from academy.contentcheck import CHECKERS
from academy.courses.loader import read_text
from academy.courses.policy import Policy, load_policy, substitute
from academy.scenarios import (
    Scenario,
    dump_scenario_yaml,
    load_twee,
    parse_scenario,
    to_twee,
    validate_scenario_text,
)
from academy.scenarios.parse import SLUG_RE
from academy.sourcemap import Problem

YAML_SUFFIXES = (".yaml",)
#: Files of a courses folder that are not drills, even when named outside it.
COURSE_FILES = ("certifications.yaml", "policy.yaml", "quality.yaml")
TWEE_SUFFIXES = (".twee", ".tw")


@dataclass(frozen=True)
class ScenarioFile:
    """One drill file read from disk: its slug, text, hash and validation outcome."""

    path: Path
    shown: str  # the path as messages show it (``scenarios/slug.yaml``)
    slug: str
    text: str | None
    source_hash: str
    scenario: Scenario | None  # None when the file has errors
    problems: tuple[Problem, ...]

    @property
    def broken(self) -> bool:
        return self.scenario is None


def shown_path(file: Path, root: Path) -> str:
    """`file` relative to the folder above `root` (``scenarios/x.yaml``), else as given."""
    try:
        return str(file.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(file)


def scenario_files(root: Path) -> list[Path]:
    """Every ``*.yaml`` file directly in the scenarios folder, sorted."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


def read_scenario_file(file: Path, root: Path, policy: Policy | None = None) -> ScenarioFile:
    """Read and validate one scenario YAML file; problems are ``file:line`` located.

    With a `policy` (from ``courses/policy.yaml``: `load_policy`) the
    ``{{policy.KEY}}`` placeholders are filled in and the hash covers their
    values; without one they stay as written (Twee export keeps them).
    """
    shown = shown_path(file, root)
    text, problems = read_text(file, shown, root)
    if text is None:
        return ScenarioFile(file, shown, file.stem, None, "", None, tuple(problems))
    scenario, found = validate_scenario_text(text, shown, file.stem, policy)
    if policy is None:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    else:
        digest = substitute(text, policy, shown).digest(text)
    return ScenarioFile(file, shown, file.stem, text, digest, scenario, tuple(found))


def drill_policy(courses_dir: Path) -> Policy:
    """The policy drills are filled from: ``<courses>/policy.yaml`` (its problems: elsewhere)."""
    return load_policy(courses_dir)[0]


def validate_twee_text(
    text: str, shown: str, slug: str, policy: Policy | None = None
) -> tuple[Scenario | None, list[Problem]]:
    """Validate a Twee 3 story as a scenario; problems name the Twee file's lines.

    With a `policy`, unknown ``{{policy.KEY}}`` placeholders are reported; the
    placeholders themselves stay in the story (an import writes them to YAML).
    """
    problems: list[Problem] = []
    if policy is not None:
        problems.extend(substitute(text, policy, shown).problems)
    if not SLUG_RE.fullmatch(slug):
        problems.append(
            Problem(shown, 1, f"'{slug}' is not a slug (lowercase letters, digits, '-')")
        )
    data, lines, twee_problems = load_twee(text, slug)
    problems.extend(Problem(shown, p.line, p.message, p.severity) for p in twee_problems)
    scenario, found = parse_scenario(data, slug)
    problems.extend(lines.locate(shown, found))
    if any(p.severity == "error" for p in problems):
        scenario = None
    return scenario, sorted(problems, key=lambda p: (p.line, p.message))


def twee_slug(file: Path) -> str:
    """The slug a Twee file imports as by default: its name, lower case, spaces as '-'."""
    return "-".join(file.stem.lower().replace("_", " ").split())


def check_scenarios(
    courses_dir: Path, scenarios_dir: Path, files: Iterable[Path] | None
) -> list[Problem]:
    """Problems in every scenario file, or in the chosen ``.yaml``/``.twee`` files.

    A chosen ``.yaml`` file inside the courses folder is not a drill (it is the
    certification rules file or course data) and is left to its own checker.
    """
    policy = drill_policy(courses_dir)
    if files is None:
        return [
            p
            for file in scenario_files(scenarios_dir)
            for p in _check_yaml(file, scenarios_dir, policy)
        ]
    courses = courses_dir.resolve()
    problems: list[Problem] = []
    for file in files:
        if file.suffix in TWEE_SUFFIXES:
            shown = shown_path(file, scenarios_dir)
            text, read_problems = read_text(file, shown, scenarios_dir)
            problems.extend(read_problems)
            if text is not None:
                problems.extend(validate_twee_text(text, shown, twee_slug(file), policy)[1])
        elif (
            file.suffix in YAML_SUFFIXES
            and file.name not in COURSE_FILES
            and not file.resolve().is_relative_to(courses)
        ):
            problems.extend(_check_yaml(file, scenarios_dir, policy))
    return problems


def _check_yaml(file: Path, root: Path, policy: Policy) -> list[Problem]:
    return list(read_scenario_file(file, root, policy).problems)


@dataclass(frozen=True)
class TweeImport:
    """The outcome of reading a Twee story as a drill: YAML to write, or problems."""

    slug: str
    yaml_text: str | None  # None when there are errors
    scenario: Scenario | None
    problems: tuple[Problem, ...]


def import_twee(text: str, shown: str, slug: str, policy: Policy | None = None) -> TweeImport:
    """Validate a Twee story and turn it into scenario YAML (checked to read back equal).

    Placeholders are kept in the YAML; with a `policy` unknown ones are errors.
    """
    scenario, problems = validate_twee_text(text, shown, slug, policy)
    if scenario is None:
        return TweeImport(slug, None, None, tuple(problems))
    yaml_text = dump_scenario_yaml(scenario.to_data())
    again, check = validate_scenario_text(yaml_text, f"{slug}.yaml", slug)
    if again != scenario:  # pragma: no cover - the dumper and parser disagree
        problems.append(Problem(shown, 1, "the scenario does not survive conversion to YAML"))
        problems.extend(check)
        return TweeImport(slug, None, None, tuple(problems))
    return TweeImport(slug, yaml_text, scenario, tuple(problems))


def export_twee(
    file: Path, root: Path, policy: Policy | None = None
) -> tuple[str | None, list[Problem]]:
    """Twee 3 for a scenario file, or None and the file's problems when it has errors.

    The story keeps the ``{{policy.KEY}}`` placeholders as written (so a Twine
    edit round-trips); a `policy` only adds the unknown-key check.
    """
    source = read_scenario_file(file, root)
    if policy is not None and source.text is not None:
        unknown = substitute(source.text, policy, source.shown).problems
        if unknown:
            return None, [*source.problems, *unknown]
    if source.scenario is None:
        return None, list(source.problems)
    return to_twee(source.scenario), list(source.problems)


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never half."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


if check_scenarios not in CHECKERS:
    CHECKERS.append(check_scenarios)

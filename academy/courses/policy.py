"""Company policy numbers (``courses/policy.yaml``) and the ``{{policy.KEY}}`` placeholders.

Numbers that are company policy (callback hours, reply deadlines, arrival
times, rings before answering) and the two legal notice periods live in one
file. Content refers to them as ``{{policy.KEY}}``; `substitute` replaces the
placeholders in a file's text before it is parsed, so every loader (module
Markdown and front matter, drill YAML, Twee) sees the numbers, line numbers
stay as written (a value never spans lines), and an unknown key is a problem
at the line of the placeholder. Pure: no framework imports.

The file::

    version: 1
    policy:
      follow_up_call_hours:
        value: 24
        label: 维修或投诉办结后回访的时限   # optional
        unit: 小时                         # optional
        law: false                         # optional: a legal period, not policy
        patterns:                          # optional: where a contradicting number hides
          - '回访[^。]{0,10}?(\\d+)\\s*小时'

A bare ``KEY: 24`` is accepted too (no label, no patterns).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from academy.sourcemap import LineMap, PathProblem, Problem, YamlSourceError, load_yaml

POLICY_FILE = "policy.yaml"
PLACEHOLDER_RE = re.compile(r"\{\{\s*policy\.([A-Za-z0-9_\-]*)\s*\}\}")
KEY_RE = re.compile(r"[a-z][a-z0-9_]*")
ENTRY_KEYS = ("value", "label", "unit", "law", "patterns")

Value = int | float | str


@dataclass(frozen=True)
class PolicyEntry:
    """One policy number: its value and what the contradiction check looks for."""

    key: str
    value: Value
    label: str = ""
    unit: str = ""
    law: bool = False
    patterns: tuple[re.Pattern[str], ...] = ()
    line: int = 1

    @property
    def text(self) -> str:
        """The value as it appears in content."""
        return format_value(self.value)


@dataclass(frozen=True)
class Policy:
    """All policy entries, by key. An empty policy knows no key."""

    entries: dict[str, PolicyEntry] = field(default_factory=dict, hash=False)
    file: str = f"courses/{POLICY_FILE}"

    @property
    def values(self) -> dict[str, Value]:
        return {key: entry.value for key, entry in self.entries.items()}

    def get(self, key: str) -> PolicyEntry | None:
        return self.entries.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self.entries


EMPTY_POLICY = Policy()


def format_value(value: Value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def policy_path(courses_root: Path) -> Path:
    return Path(courses_root) / POLICY_FILE


def load_policy(courses_root: Path) -> tuple[Policy, list[Problem]]:
    """The policy of a courses folder (``<root>/policy.yaml``); an absent file is empty."""
    file = policy_path(courses_root)
    shown = _shown(file, Path(courses_root))
    if not file.is_file():
        return Policy(file=shown), []
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return Policy(file=shown), [Problem(shown, 1, f"cannot read the policy file: {exc}")]
    return parse_policy(text, shown)


def parse_policy(text: str, shown: str = f"courses/{POLICY_FILE}") -> tuple[Policy, list[Problem]]:
    """Validate policy file text; bad entries are left out and reported."""
    try:
        data, lines, yaml_problems = load_yaml(text)
    except YamlSourceError as exc:
        return Policy(file=shown), [Problem(shown, exc.line, f"bad YAML: {exc.message}")]
    found: list[PathProblem] = list(yaml_problems)
    entries: dict[str, PolicyEntry] = {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        found.append(PathProblem((), "the policy file must be a mapping with 'policy:'"))
        return Policy(file=shown), lines.locate(shown, found)
    for key in data:
        if key not in ("version", "policy"):
            found.append(PathProblem((key,), f"unknown key '{key}' (expected: version, policy)"))
    table = data.get("policy") or {}
    if not isinstance(table, dict):
        found.append(PathProblem(("policy",), "'policy' must map each key to its value"))
        table = {}
    for key, raw in table.items():
        entry = _entry(key, raw, lines, found)
        if entry is not None:
            entries[key] = entry
    return Policy(entries, shown), lines.locate(shown, found)


def _entry(key: Any, raw: Any, lines: LineMap, found: list[PathProblem]) -> PolicyEntry | None:
    path = ("policy", key)
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        found.append(PathProblem(path, f"policy key {key!r} must be lower_case_with_underscores"))
        return None
    if not isinstance(raw, dict):
        raw = {"value": raw}
    for name in raw:
        if name not in ENTRY_KEYS:
            found.append(
                PathProblem(
                    (*path, name), f"unknown key '{name}' (expected: {', '.join(ENTRY_KEYS)})"
                )
            )
    value = raw.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float | str) or value == "":
        found.append(PathProblem(path, f"policy '{key}' needs a value (a number or a text)"))
        return None
    if isinstance(value, str) and "\n" in value:
        found.append(PathProblem(path, f"policy '{key}': the value must fit on one line"))
        return None
    patterns: list[re.Pattern[str]] = []
    raw_patterns = raw.get("patterns") or []
    if not isinstance(raw_patterns, list):
        found.append(PathProblem((*path, "patterns"), "'patterns' must be a list"))
        raw_patterns = []
    for index, source in enumerate(raw_patterns):
        where = (*path, "patterns", index)
        try:
            pattern = re.compile(str(source))
        except re.error as exc:
            message = f"pattern {source!r} is not a regular expression: {exc}"
            found.append(PathProblem(where, message))
            continue
        if pattern.groups < 1:
            found.append(PathProblem(where, f"pattern {source!r} must capture the number in ( )"))
            continue
        patterns.append(pattern)
    return PolicyEntry(
        key=key,
        value=value,
        label=str(raw.get("label") or ""),
        unit=str(raw.get("unit") or ""),
        law=bool(raw.get("law", False)),
        patterns=tuple(patterns),
        line=lines.line(path),
    )


@dataclass(frozen=True)
class Substitution:
    """A text with its placeholders replaced, the keys used, and unknown ones."""

    text: str
    used: dict[str, Value] = field(default_factory=dict, hash=False)
    problems: tuple[Problem, ...] = ()

    def digest(self, original: str) -> str:
        """Hash of the source text, plus the values used (a policy change re-publishes)."""
        data = original.encode("utf-8")
        if self.used:
            data += b"\0policy:" + json.dumps(self.used, sort_keys=True).encode("utf-8")
        return hashlib.sha256(data).hexdigest()


def substitute(text: str, policy: Policy, file: str, first_line: int = 1) -> Substitution:
    """Replace every ``{{policy.KEY}}`` in `text`; an unknown key stays and is an error.

    `first_line` is the file line of the text's first line (for a part of a file).
    """
    used: dict[str, Value] = {}
    problems: list[Problem] = []

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        entry = policy.get(key)
        if entry is None:
            line = first_line + text.count("\n", 0, match.start())
            known = ", ".join(sorted(policy.entries)) or "none: add courses/policy.yaml"
            problems.append(
                Problem(
                    file, line, f"unknown policy key '{key}' in {match.group(0)} (known: {known})"
                )
            )
            return match.group(0)
        used[key] = entry.value
        return entry.text

    result = PLACEHOLDER_RE.sub(replace, text) if "{{" in text else text
    return Substitution(result, used, tuple(problems))


def _shown(file: Path, root: Path) -> str:
    try:
        return str(file.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(file)


__all__ = [
    "EMPTY_POLICY",
    "PLACEHOLDER_RE",
    "POLICY_FILE",
    "Policy",
    "PolicyEntry",
    "Substitution",
    "format_value",
    "load_policy",
    "parse_policy",
    "policy_path",
    "substitute",
]

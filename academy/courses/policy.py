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
            pattern = compile_pattern(str(source))
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


# --- numbers in content that contradict the policy ------------------------------

#: What ``(\d+)`` in a pattern matches: digits or Chinese numerals (二十四, 两, 七).
NUMBER_GROUP = r"(?<![第0-9.])([0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百]+)"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS |= {"七": 7, "八": 8, "九": 9}
#: Units a pattern's ``(?P<unit>…)`` may capture, in hours (working days stand apart).
UNIT_HOURS: dict[str, float] = {
    "分钟": 1 / 60,
    "分": 1 / 60,
    "小时": 1.0,
    "个小时": 1.0,
    "钟头": 1.0,
    "天": 24.0,
    "日": 24.0,
    "周": 168.0,
    "星期": 168.0,
    "个星期": 168.0,
}
#: Clauses are checked one by one, so a number is not read against a far keyword.
CLAUSE_RE = re.compile(r"[^，,、；;。！!？?\n]+")


def compile_pattern(source: str) -> re.Pattern[str]:
    r"""A policy pattern with ``(\d+)`` widened to Chinese numerals too."""
    return re.compile(source.replace(r"(\d+)", NUMBER_GROUP))


def parse_number(text: str) -> float | None:
    """``24``, ``2.5``, ``二十四``, ``两``, ``一百二十`` as a number (None if it is none)."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return float(text)
    total = 0
    current = 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return float(total + current)


@dataclass(frozen=True)
class Contradiction:
    """A number in content that says something else than the policy."""

    key: str
    found: str  # the matched text
    number: float
    unit: str
    offset: int  # where the match starts in the checked text

    def describe(self, policy: Policy) -> str:
        entry = policy.entries[self.key]
        unit = self.unit or entry.unit
        kind = "law" if entry.law else "policy"
        label = f" ({entry.label})" if entry.label else ""
        return (
            f"'{self.found}' says {format_value(self.number)} {unit} but {policy.file} has"
            f" {self.key}: {entry.text} {entry.unit}{label}, {kind}; write"
            f" {{{{policy.{self.key}}}}} instead of the number"
        )


def _hours(number: float, unit: str) -> float | None:
    factor = UNIT_HOURS.get(unit)
    return None if factor is None else number * factor


def _agrees(entry: PolicyEntry, number: float, unit: str) -> bool:
    if not isinstance(entry.value, int | float):
        return True
    wanted = float(entry.value)
    if unit and entry.unit and unit != entry.unit:
        mine, theirs = _hours(number, unit), _hours(wanted, entry.unit)
        if mine is not None and theirs is not None:
            return abs(mine - theirs) < 1e-9
    return abs(number - wanted) < 1e-9


def contradictions(text: str, policy: Policy) -> list[Contradiction]:
    """Numbers in `text` that a policy entry's patterns find and that differ from it.

    Each clause (text between ``，、；。！？`` and line breaks) is matched on its
    own; a pattern's first group is the number and an optional ``unit`` group
    its unit (converted through hours, so 三天 contradicts 24 小时).
    """
    found: list[Contradiction] = []
    seen: set[tuple[str, int]] = set()
    if not any(entry.patterns for entry in policy.entries.values()):
        return found
    for clause in CLAUSE_RE.finditer(text):
        part = clause.group(0)
        if not re.search(r"[0-9零〇一二两三四五六七八九十百]", part):
            continue
        for entry in policy.entries.values():
            for pattern in entry.patterns:
                for match in pattern.finditer(part):
                    number = parse_number(match.group(1))
                    if number is None:
                        continue
                    unit = (match.groupdict().get("unit") or "").strip()
                    where = (entry.key, clause.start() + match.start(1))
                    if where in seen:
                        continue
                    seen.add(where)
                    if not _agrees(entry, number, unit):
                        found.append(
                            Contradiction(
                                entry.key,
                                match.group(0),
                                number,
                                unit,
                                clause.start() + match.start(),
                            )
                        )
    return found


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
    "Contradiction",
    "EMPTY_POLICY",
    "compile_pattern",
    "contradictions",
    "parse_number",
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

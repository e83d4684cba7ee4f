"""A readable difference between two revisions of a content file (pure).

Two views of one change: the fields (front matter of a lesson, top-level keys
and nodes of a drill) that changed, old value beside new, and the lines of the
text that changed, with their numbers in each revision.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml

from academy.courses.loader import split_front_matter
from academy.sourcemap import YamlSourceError, load_plain_yaml


@dataclass(frozen=True)
class FieldChange:
    """One field: `old`/`new` are None when the field was added/removed."""

    name: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class LineChange:
    """One line of the text diff: op is ' ' (same), '-' (removed) or '+' (added)."""

    op: str
    old_number: int | None
    new_number: int | None
    text: str


@dataclass(frozen=True)
class Diff:
    fields: tuple[FieldChange, ...]
    lines: tuple[LineChange, ...]  # changed lines with a few lines of context

    @property
    def empty(self) -> bool:
        return not self.fields and not any(line.op != " " for line in self.lines)

    @property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.op == "+")

    @property
    def removed(self) -> int:
        return sum(1 for line in self.lines if line.op == "-")


def diff_texts(kind: str, old: str, new: str, *, context: int = 2) -> Diff:
    """The difference from `old` to `new` (kind: 'module' or 'drill')."""
    return Diff(_field_changes(kind, old, new), _line_changes(old, new, context))


def _field_changes(kind: str, old: str, new: str) -> tuple[FieldChange, ...]:
    before, after = _fields(kind, old), _fields(kind, new)
    changes = []
    for name in list(dict.fromkeys([*before, *after])):
        a, b = before.get(name), after.get(name)
        if a != b:
            changes.append(FieldChange(name, a, b))
    return tuple(changes)


def _fields(kind: str, text: str) -> dict[str, str]:
    """Comparable fields of a file: each shown as compact YAML text."""
    data: Any
    try:
        if kind == "module":
            split = split_front_matter(text)
            data = load_plain_yaml(split[0]) if split else None
        else:
            data = load_plain_yaml(text)
    except (yaml.YAMLError, YamlSourceError):
        return {}
    if not isinstance(data, dict):
        return {}
    fields: dict[str, str] = {}
    for key, value in data.items():
        if key == "nodes" and isinstance(value, dict):
            for node_id, node in value.items():
                fields[f"nodes.{node_id}"] = _show(node)
        elif key == "quiz" and isinstance(value, dict):
            for name, part in value.items():
                if name == "questions" and isinstance(part, list):
                    for index, question in enumerate(part, 1):
                        fields[f"quiz.questions[{index}]"] = _show(question)
                else:
                    fields[f"quiz.{name}"] = _show(part)
        else:
            fields[str(key)] = _show(value)
    return fields


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100).strip()


def _line_changes(old: str, new: str, context: int) -> tuple[LineChange, ...]:
    a, b = old.splitlines(), new.splitlines()
    changes: list[LineChange] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                changes.extend(
                    LineChange(" ", i + 1, j + 1, a[i])
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            changes.extend(LineChange("-", i + 1, None, a[i]) for i in range(i1, i2))
            changes.extend(LineChange("+", None, j + 1, b[j]) for j in range(j1, j2))
    return tuple(changes)

"""YAML that remembers where each value came from, so errors can say `file:line`.

Pure: no framework imports. Validators in the domain packages report problems
against a *path* into the loaded data (``("quiz", "questions", 2, "kind")``);
`LineMap.line` turns that path into the line of the source file it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

PathKey = str | int
Path = tuple[PathKey, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file. `line` is 1-based in the whole file."""

    file: str
    line: int
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}: {prefix}{self.message}"


@dataclass(frozen=True)
class PathProblem:
    """A problem found by a pure validator, located by path into the data."""

    path: Path
    message: str
    severity: str = "error"


@dataclass
class LineMap:
    """Maps paths into loaded YAML data to 1-based line numbers."""

    lines: dict[Path, int] = field(default_factory=dict)
    default: int = 1

    def line(self, path: Iterable[PathKey]) -> int:
        """Line of `path`, or of its nearest ancestor that has one."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), self.default)

    def locate(self, file: str, problems: Iterable[PathProblem]) -> list[Problem]:
        """Turn path-located problems into `file:line` problems."""
        return [Problem(file, self.line(p.path), p.message, p.severity) for p in problems]


class YamlSourceError(ValueError):
    """The text is not valid YAML; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


#: Limits on one YAML document. An alias repeats a whole subtree, so a few lines
#: of anchors can stand for billions of values ("billion laughs"); the expanded
#: size is counted before anything walks or copies the data.
MAX_YAML_NODES = 100_000
MAX_YAML_DEPTH = 64


def _expanded_size(node: yaml.Node, budget: int) -> int:
    """Values in `node` with aliases expanded, counting stops just above `budget`."""
    sizes: dict[int, int] = {}

    def size(current: yaml.Node, depth: int) -> int:
        if depth > MAX_YAML_DEPTH:
            raise _TooDeep(current)
        known = sizes.get(id(current))
        if known is not None:
            return known
        total = 1
        if isinstance(current, yaml.MappingNode):
            children = [child for pair in current.value for child in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        else:
            children = []
        for child in children:
            total += size(child, depth + 1)
            if total > budget:
                break
        sizes[id(current)] = total
        return total

    return size(node, 0)


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def check_yaml_size(node: yaml.Node, offset: int = 0) -> None:
    """Raise `YamlSourceError` when a composed document is too large or deep."""
    try:
        if _expanded_size(node, MAX_YAML_NODES) > MAX_YAML_NODES:
            raise YamlSourceError(
                node.start_mark.line + 1 + offset,
                f"the YAML stands for more than {MAX_YAML_NODES:,} values"
                " (anchors and aliases repeat whole blocks)",
            )
    except _TooDeep as exc:
        raise YamlSourceError(
            exc.node.start_mark.line + 1 + offset,
            f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep",
        ) from None


def load_plain_yaml(text: str) -> Any:
    """`yaml.safe_load` within the same limits as `load_yaml` (raises `YamlSourceError`)."""
    return load_yaml(text)[0]


def load_yaml(text: str, first_line: int = 1) -> tuple[Any, LineMap, list[PathProblem]]:
    """Parse one YAML document safely.

    Returns the data, a `LineMap` (line numbers offset so that the text's first
    line is `first_line`), and problems PyYAML would silently accept (duplicate
    mapping keys). Raises `YamlSourceError` on a syntax error.
    """
    offset = first_line - 1
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
            if node is not None:
                check_yaml_size(node, offset)
            data = loader.construct_document(node) if node is not None else None
        except RecursionError:
            raise YamlSourceError(first_line, "the YAML is nested too deeply") from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = (mark.line + 1 if mark is not None else 1) + offset
            raise YamlSourceError(line, exc.problem or str(exc)) from None
        except yaml.YAMLError as exc:  # pragma: no cover - defensive
            raise YamlSourceError(first_line, str(exc)) from None
    finally:
        loader.dispose()
    linemap = LineMap(default=first_line)
    problems: list[PathProblem] = []
    if node is not None:
        linemap.lines[()] = node.start_mark.line + 1 + offset
        _walk(node, (), linemap, problems, offset)
    return data, linemap, problems


def _walk(
    node: yaml.Node, path: Path, linemap: LineMap, problems: list[PathProblem], offset: int
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = (*path, key)
            if key in seen:
                problems.append(PathProblem(child, f"duplicate key '{key}'"))
            seen.add(key)
            linemap.lines[child] = key_node.start_mark.line + 1 + offset
            _walk(value_node, child, linemap, problems, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            linemap.lines[child] = item.start_mark.line + 1 + offset
            _walk(item, child, linemap, problems, offset)

"""Writing questions as YAML, and into the ``quiz:`` block of a module's front matter.

`replace_quiz_questions` edits the text surgically: only the ``questions:``
value of the ``quiz:`` block changes, so the other front-matter keys, their
comments and the Markdown body stay exactly as the author wrote them. This is
what ``academy quiz import-gift FILE --module d/slug`` calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from academy.sourcemap import YamlSourceError, check_yaml_size, load_plain_yaml

from .kinds import Question
from .quiz import QuizError

DEFAULT_PASS_MARK = 80

_FRONT_MATTER = re.compile(r"\A(\ufeff?---[ \t]*\n)(.*?)(^---[ \t]*$)", re.S | re.M)


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, multi-line text as ``|``."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Pair(list[Any]):
    """A matching pair, written in flow style: ``[left, right]``."""


def _represent_pair(dumper: yaml.SafeDumper, value: _Pair) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Pair, _represent_pair)


def _question_data(question: Question) -> dict[str, Any]:
    data = question.to_data()
    if "pairs" in data:
        data["pairs"] = [_Pair(pair) for pair in data["pairs"]]
    return data


def _dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )


def questions_to_yaml(questions: Iterable[Question]) -> str:
    """YAML text of a ``questions:`` list (Unicode kept), ready for a quiz block."""
    return _dump({"questions": [_question_data(question) for question in questions]})


def replace_quiz_questions(module_text: str, questions: Iterable[Question]) -> str:
    """The module text with its quiz questions replaced (``quiz:`` created if absent).

    Raises `QuizError` if the text has no ``---`` front matter or it is not a
    YAML mapping.
    """
    newline = "\r\n" if "\r\n" in module_text else "\n"
    text = module_text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise QuizError("the module has no YAML front matter ('---' … '---') at the top")
    front = match.group(2)
    try:
        root = yaml.compose(front, Loader=yaml.SafeLoader)
        if root is not None:
            check_yaml_size(root)
    except YamlSourceError as exc:
        raise QuizError(f"the module's front matter: {exc}") from None
    except RecursionError:
        raise QuizError("the module's front matter is nested too deeply") from None
    except yaml.YAMLError as exc:
        raise QuizError(f"the module's front matter is not valid YAML: {exc}") from None
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise QuizError("the module's front matter must be a YAML mapping")
    listing = questions_to_yaml(questions)
    edited = _edit(front, root, listing)
    result = text[: match.start(2)] + edited + text[match.end(2) :]
    return result.replace("\n", newline) if newline != "\n" else result


def _edit(front: str, root: yaml.MappingNode | None, listing: str) -> str:
    quiz = _value(root, "quiz") if root is not None else None
    if quiz is None:
        block = "quiz:\n" + _indent(f"pass_mark: {DEFAULT_PASS_MARK}\n" + listing, 2)
        return _append(front, block)
    key, value = quiz
    if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
        found = _value(value, "questions")
        indent = value.value[0][0].start_mark.column
        if found is None:
            end = _block_end(front, value, indent)
            return front[:end] + _indent(listing, indent) + front[end:]
        questions_key, questions_value = found
        if _starts_line(front, questions_key):
            start = _line_start(front, questions_key.start_mark.index)
            end = _block_end(front, questions_value, indent)
            return front[:start] + _indent(listing, indent) + front[end:]
    return _rebuild(front, key, value, listing)


def _rebuild(front: str, key: yaml.Node, value: yaml.Node, listing: str) -> str:
    """Rewrite the whole quiz block (flow style or empty), keeping its other settings."""
    loaded = (load_plain_yaml(front) or {}).get("quiz")
    settings = (
        {k: v for k, v in loaded.items() if k != "questions"} if isinstance(loaded, dict) else {}
    )
    settings.setdefault("pass_mark", DEFAULT_PASS_MARK)
    column = key.start_mark.column
    block = "quiz:\n" + _indent(_dump(settings) + listing, 2)
    start = _line_start(front, key.start_mark.index)
    end = _block_end(front, value, column)
    return front[:start] + _indent(block, column) + front[end:]


def _value(node: yaml.MappingNode, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            return key, value
    return None


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _starts_line(text: str, node: yaml.Node) -> bool:
    start = _line_start(text, node.start_mark.index)
    return not text[start : node.start_mark.index].strip()


def _block_end(text: str, node: yaml.Node, column: int) -> int:
    """Where a value's text ends: after its last content line.

    Blank lines and comments (at most as indented as the key) that PyYAML counts
    into the value's span are left in place after it.
    """
    end = node.end_mark.index
    if not text[_line_start(text, end) : end].strip():
        end = _line_start(text, end)  # the value ends where the next key's line starts
    else:
        newline = text.find("\n", end)  # a value ending mid-line owns the rest of it
        end = len(text) if newline == -1 else newline + 1
    start = _line_start(text, node.start_mark.index)
    region = text[start:end]
    lines = (region[:-1] if region.endswith("\n") else region).split("\n")
    while len(lines) > 1 and _trailing(lines[-1], column):
        end -= len(lines.pop()) + 1
    return end


def _trailing(line: str, column: int) -> bool:
    stripped = line.lstrip(" ")
    return not stripped.strip() or (
        stripped.startswith("#") and len(line) - len(stripped) <= column
    )


def _append(front: str, block: str) -> str:
    if front and not front.endswith("\n"):
        front += "\n"
    return front + block


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else line for line in text.split("\n"))

"""A lesson file as the studio's form fields, and back (pure).

The front matter keys the form shows are replaced; every other key (quiz,
scripts, anything new) is kept as it was. The quiz is edited as YAML beside
the form, and GIFT text adds questions to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from academy.courses.loader import split_front_matter
from academy.quizzes.gift import parse_gift
from academy.sourcemap import YamlSourceError, load_plain_yaml

FORM_KEYS = ("title", "discipline", "order", "minutes", "objectives", "axes")


class DocumentError(ValueError):
    """Text that cannot become a file: `field` names the form field, `line` its line."""

    def __init__(self, message: str, *, field: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line


@dataclass
class LessonParts:
    front: dict[str, Any]
    body: str
    quiz_yaml: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def split_lesson(text: str) -> LessonParts:
    """The front matter (a dict; empty when unreadable), body and quiz as YAML."""
    split = split_front_matter(text)
    if split is None:
        return LessonParts({}, text)
    front_text, body, _line = split
    try:
        front = load_plain_yaml(front_text) or {}
    except (yaml.YAMLError, YamlSourceError):
        front = {}
    if not isinstance(front, dict):
        front = {}
    quiz = front.get("quiz")
    return LessonParts(front, body.lstrip("\n"), dump_yaml(quiz) if quiz is not None else "")


def dump_yaml(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000)


def compose_lesson(front: dict[str, Any], body: str, quiz_yaml: str) -> str:
    """The file text from the form: front matter (form keys first), quiz, body."""
    data = {key: front[key] for key in FORM_KEYS if front.get(key) not in (None, "", [])}
    for key, value in front.items():
        if key not in FORM_KEYS and key != "quiz":
            data[key] = value
    quiz = parse_quiz_yaml(quiz_yaml)
    if quiz is not None:
        data["quiz"] = quiz
    body = body.replace("\r\n", "\n").strip("\n")
    return f"---\n{dump_yaml(data)}---\n\n{body}\n"


def edit_lesson(
    text: str,
    *,
    title: str,
    order: int,
    minutes: int | None,
    objectives: str,
    axes: list[str],
    body: str,
    quiz_yaml: str,
    file_order: int,
) -> str:
    """The lesson `text` with the studio form's fields applied (other keys kept).

    The discipline and order are part of the file's path: the order may not change.
    """
    if order != file_order:
        raise DocumentError(f"the order is part of the file name: keep {file_order}", field="order")
    front = split_lesson(text).front
    front.update(
        title=title.strip(),
        order=order,
        minutes=minutes,
        objectives=[line.strip() for line in objectives.splitlines() if line.strip()],
        axes=list(axes),
    )
    return compose_lesson(front, body, quiz_yaml)


def parse_quiz_yaml(quiz_yaml: str) -> Any:
    if not quiz_yaml.strip():
        return None
    try:
        quiz = load_plain_yaml(quiz_yaml)
    except YamlSourceError as exc:
        raise DocumentError(
            f"line {exc.line}: the quiz is not valid YAML ({exc.message})",
            field="quiz",
            line=exc.line,
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - load_plain_yaml converts them
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        where = f"line {line}: " if line else ""
        raise DocumentError(
            f"{where}the quiz is not valid YAML ({getattr(exc, 'problem', exc)})",
            field="quiz",
            line=line,
        ) from None
    if not isinstance(quiz, dict):
        raise DocumentError("the quiz must be a mapping (pass_mark:, questions:)", field="quiz")
    return quiz


def add_gift(quiz_yaml: str, gift_text: str) -> tuple[str, int, list[str]]:
    """The quiz with the GIFT questions appended: (quiz YAML, questions added, problems).

    Problems are ``line N: message`` of the GIFT text, as the importer reports them;
    nothing is added when there are any.
    """
    questions, problems = parse_gift(gift_text)
    if problems:
        return quiz_yaml, 0, [f"line {p.line}: {p.message}" for p in problems]
    if not questions:
        return quiz_yaml, 0, ["line 1: no questions found"]
    quiz = parse_quiz_yaml(quiz_yaml) or {"pass_mark": 80, "questions": []}
    quiz.setdefault("questions", [])
    quiz["questions"].extend(q.to_data() for q in questions)
    return dump_yaml(quiz), len(questions), []

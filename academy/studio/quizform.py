"""A module's quiz as the studio's form values, and back (pure: no Flask, no database).

The ``quiz:`` mapping of a lesson's front matter is edited one question at a
time. `question_values` turns one question's data into `QuestionValues` (what
the form shows), `form_fields` flattens them into HTML field names and
`read_values` reads them back from a posted form; `question_data` turns values
into question data and validates it with the quiz package's own rules
(`parse_question`), every problem naming the form field it concerns
(``option 3: text is required`` on ``option-2-text``).

The round trip keeps the authored shape: for any valid question data written in
the authored schema (texts trimmed, no ``correct: false``, short answers with
weight 100 and no feedback as plain texts, ``{text: …}`` mappings otherwise),
``question_data(read_values(form_fields(question_values(data))))`` gives the
data back, equal. Questions not being edited are never rewritten.

The buttons that work without JavaScript (add a row, remove one, move one up)
are `apply_op` on the values; `add_question`, `replace_question`,
`move_question` and `delete_question` change the quiz mapping; `settings_values`
and `apply_settings` edit pass mark, draw and the attempt rules.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from academy.quizzes.kinds import QUESTION_KINDS, parse_question
from academy.quizzes.text import clean_text, number_data, number_text, parse_number

KINDS: Final = tuple(QUESTION_KINDS)
#: Kinds whose rows are options (with correct flag, weight and feedback).
CHOICE_KINDS: Final = ("single", "multiple")
#: The row group of each kind: its field-name prefix and the columns of a row.
ROW_GROUPS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "single": ("option", ("text", "correct", "weight", "feedback")),
    "multiple": ("option", ("text", "correct", "weight", "feedback")),
    "matching": ("pair", ("left", "right")),
    "ordering": ("item", ("text",)),
    "short_answer": ("answer", ("text", "weight", "feedback")),
    "numeric": ("answer", ("value", "tolerance", "min", "max", "weight", "feedback")),
    "true_false": ("", ()),
}
#: At least this many rows are shown for a new question of the kind.
MIN_ROWS: Final = {
    "single": 3,
    "multiple": 4,
    "matching": 3,
    "ordering": 3,
    "short_answer": 1,
    "numeric": 1,
}
MAX_ROWS: Final = 50
MAX_QUESTIONS: Final = 500
SETTING_KEYS: Final = ("pass_mark", "draw", "max_attempts", "retry_after_minutes")


@dataclass(frozen=True)
class FieldError:
    """A problem with one form field: `field` is its HTML name, `message` says what."""

    field: str
    message: str


@dataclass
class QuestionValues:
    """One question as its form shows it: every value a string (checkboxes bools)."""

    kind: str
    prompt: str = ""
    title: str = ""
    points: str = ""
    feedback: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    answer: str = ""  # true_false: "true", "false" or ""
    feedback_true: str = ""
    feedback_false: str = ""
    listed: bool = False  # numeric: written as `answers:` even with one plain answer

    @property
    def group(self) -> str:
        return ROW_GROUPS[self.kind][0]

    @property
    def columns(self) -> tuple[str, ...]:
        return ROW_GROUPS[self.kind][1]


# --- data → values -------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return _text(value)
    if isinstance(value, int | float):
        return number_text(float(value))
    return str(value)


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def blank_row(kind: str) -> dict[str, Any]:
    return {column: False if column == "correct" else "" for column in ROW_GROUPS[kind][1]}


def new_question(kind: str) -> QuestionValues:
    """Empty values for a new question of `kind` (raises KeyError for an unknown kind)."""
    if kind not in QUESTION_KINDS:
        raise KeyError(kind)
    rows = [blank_row(kind) for _ in range(MIN_ROWS.get(kind, 0))]
    return QuestionValues(kind=kind, rows=rows)


def question_values(data: Mapping[str, Any]) -> QuestionValues:
    """The form values of one question's data (lenient: odd data shows as it is)."""
    kind = data.get("kind")
    if kind not in QUESTION_KINDS:
        raise KeyError(kind)
    values = QuestionValues(
        kind=str(kind),
        prompt=_text(data.get("prompt")),
        title=_text(data.get("title")),
        points=_number(data.get("points")),
        feedback=_text(data.get("feedback")),
    )
    if kind in CHOICE_KINDS:
        for option in _list(data.get("options")):
            option = option if isinstance(option, Mapping) else {"text": option}
            values.rows.append(
                {
                    "text": _text(option.get("text")),
                    "correct": option.get("correct") is True,
                    "weight": _number(option.get("weight")),
                    "feedback": _text(option.get("feedback")),
                }
            )
    elif kind == "true_false":
        answer = data.get("answer")
        values.answer = "true" if answer is True else "false" if answer is False else ""
        values.feedback_true = _text(data.get("feedback_true"))
        values.feedback_false = _text(data.get("feedback_false"))
    elif kind == "matching":
        for pair in _list(data.get("pairs")):
            pair = pair if isinstance(pair, list) else [pair]
            left = pair[0] if pair else ""
            right = pair[1] if len(pair) > 1 else ""
            values.rows.append({"left": _text(left), "right": _text(right)})
    elif kind == "ordering":
        values.rows = [{"text": _text(item)} for item in _list(data.get("items"))]
    elif kind == "short_answer":
        for answer in _list(data.get("answers")):
            answer = answer if isinstance(answer, Mapping) else {"text": answer}
            values.rows.append(
                {
                    "text": _text(answer.get("text")),
                    "weight": _number(answer.get("weight")),
                    "feedback": _text(answer.get("feedback")),
                }
            )
    elif kind == "numeric":
        if data.get("answers") is not None:
            values.listed = True
            answers = [
                a if isinstance(a, Mapping) else {"answer": a} for a in _list(data["answers"])
            ]
        else:
            answers = [{"answer": data.get("answer"), "tolerance": data.get("tolerance")}]
        for answer in answers:
            values.rows.append(
                {
                    "value": _number(answer.get("answer")),
                    "tolerance": _number(answer.get("tolerance")),
                    "min": _number(answer.get("min")),
                    "max": _number(answer.get("max")),
                    "weight": _number(answer.get("weight")),
                    "feedback": _text(answer.get("feedback")),
                }
            )
    return values


# --- values ↔ flat form fields ---------------------------------------------------------


def form_fields(values: QuestionValues) -> dict[str, str]:
    """The values as the HTML form posts them (unticked boxes are absent)."""
    fields = {
        "kind": values.kind,
        "prompt": values.prompt,
        "title": values.title,
        "points": values.points,
        "feedback": values.feedback,
    }
    if values.kind == "true_false":
        fields.update(feedback_true=values.feedback_true, feedback_false=values.feedback_false)
        if values.answer:
            fields["answer"] = values.answer
        return fields
    fields["rows"] = str(len(values.rows))
    if values.listed:
        fields["listed"] = "1"
    for i, row in enumerate(values.rows):
        for column in values.columns:
            name = f"{values.group}-{i}-{column}"
            if column != "correct":
                fields[name] = row.get(column, "")
            elif row.get("correct"):
                if values.kind == "single":
                    fields["correct"] = str(i)
                else:
                    fields[name] = "on"
    return fields


def _get(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value)[:20_000] if value is not None else ""


def read_values(form: Mapping[str, Any], kind: str | None = None) -> QuestionValues:
    """The values posted by the question form (never raises; odd input reads as blank).

    `form` is a mapping of field name to text (or a Werkzeug ``MultiDict``).
    """
    kind = kind or _get(form, "kind")
    if kind not in QUESTION_KINDS:
        raise KeyError(kind)
    values = QuestionValues(
        kind=kind,
        prompt=_get(form, "prompt"),
        title=_get(form, "title"),
        points=_get(form, "points"),
        feedback=_get(form, "feedback"),
    )
    if kind == "true_false":
        answer = _get(form, "answer").strip().lower()
        values.answer = answer if answer in ("true", "false") else ""
        values.feedback_true = _get(form, "feedback_true")
        values.feedback_false = _get(form, "feedback_false")
        return values
    values.listed = _get(form, "listed") == "1"
    count = _get(form, "rows").strip()
    rows = min(MAX_ROWS, int(count)) if count.isdigit() else 0
    correct = _get(form, "correct")
    for i in range(rows):
        row: dict[str, Any] = {}
        for column in values.columns:
            name = f"{values.group}-{i}-{column}"
            if column == "correct":
                row[column] = correct == str(i) if kind == "single" else bool(_get(form, name))
            else:
                row[column] = _get(form, name)
        values.rows.append(row)
    return values


def apply_op(values: QuestionValues, op: str) -> bool:
    """Apply a form button: ``add``, ``remove-N`` or ``up-N`` (N 0-based). True if known."""
    if values.kind == "true_false":
        return False
    if op == "add":
        if len(values.rows) < MAX_ROWS:
            values.rows.append(blank_row(values.kind))
        return True
    name, _dash, number = op.partition("-")
    if name not in ("remove", "up") or not number.isdigit():
        return False
    index = int(number)
    if not 0 <= index < len(values.rows):
        return False
    if name == "remove":
        del values.rows[index]
    elif index > 0:
        rows = values.rows
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    return True


# --- values → data --------------------------------------------------------------------

_ROW_WORD = {"option": "option", "pair": "pair", "item": "item", "answer": "answer"}


def _blank(row: Mapping[str, Any]) -> bool:
    return not any(clean_text(v) if isinstance(v, str) else v for v in row.values())


class _Reader:
    """Collects field errors while turning strings into data."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, name: str, message: str) -> None:
        self.errors.append(FieldError(name, message))

    def number(self, text: str, name: str, label: str) -> int | float | None:
        text = text.strip()
        if not text:
            return None
        value = parse_number(text)
        if value is None:
            self.error(name, f"{label} is not a number ('{text[:40]}')")
            return None
        return number_data(value)

    def required(self, text: str, name: str, label: str) -> str:
        text = clean_text(text)
        if not text:
            self.error(name, f"{label} is required")
        return text


def question_data(
    values: QuestionValues, number: int = 1
) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """The question's data from form values, validated: (data, []) or (None, errors).

    Rows left entirely blank are ignored; the others are numbered as the form shows
    them. `number` is the question's 1-based position (for the quiz rules' messages).
    """
    read = _Reader()
    data: dict[str, Any] = {"kind": values.kind}
    title = clean_text(values.title)
    if title:
        data["title"] = title
    data["prompt"] = read.required(values.prompt, "prompt", "prompt")
    points = read.number(values.points, "points", "points")
    if points is not None:
        data["points"] = points
    shown: list[int] = []  # data index → row index in the form
    kind, group = values.kind, values.group
    if kind == "true_false":
        if values.answer not in ("true", "false"):
            read.error("answer", "answer: choose true or false")
        data["answer"] = values.answer == "true"
        for key in ("feedback_true", "feedback_false"):
            text = clean_text(getattr(values, key))
            if text:
                data[key] = text
    else:
        rows = []
        for i, row in enumerate(values.rows):
            if not _blank(row):
                shown.append(i)
                rows.append((i, row))
        items = [_row_data(kind, group, i, row, read) for i, row in rows]
        data.update(_rows_data(kind, items, values.listed))
    feedback = clean_text(values.feedback)
    if feedback:
        data["feedback"] = feedback
    if read.errors:
        return None, read.errors
    question, problems = parse_question(data, ("q",), number)
    if question is None or problems:
        return None, [
            _field_error(values, problem.path[1:], problem.message, shown, number)
            for problem in problems
        ]
    return data, []


def _row_data(kind: str, group: str, i: int, row: Mapping[str, Any], read: _Reader) -> Any:
    word = f"{_ROW_WORD[group]} {i + 1}"

    def name(column: str) -> str:
        return f"{group}-{i}-{column}"

    def text(column: str) -> str:
        return clean_text(str(row.get(column, "")))

    def number(column: str, label: str | None = None) -> int | float | None:
        return read.number(str(row.get(column, "")), name(column), f"{word}: {label or column}")

    if kind in CHOICE_KINDS:
        option: dict[str, Any] = {"text": read.required(row["text"], name("text"), f"{word}: text")}
        if row.get("correct"):
            option["correct"] = True
        weight = number("weight")
        if weight is not None:
            option["weight"] = weight
        if text("feedback"):
            option["feedback"] = text("feedback")
        return option
    if kind == "matching":
        left = read.required(row["left"], name("left"), f"{word}: left side")
        right = read.required(row["right"], name("right"), f"{word}: right side")
        return [left, right]
    if kind == "ordering":
        return read.required(row["text"], name("text"), f"{word}: text")
    if kind == "short_answer":
        answer_text = read.required(row["text"], name("text"), f"{word}: text")
        weight = number("weight")
        if weight is None and not text("feedback"):
            return answer_text
        entry: dict[str, Any] = {"text": answer_text}
        if weight is not None:
            entry["weight"] = weight
        if text("feedback"):
            entry["feedback"] = text("feedback")
        return entry
    # numeric
    entry = {}
    before = len(read.errors)
    value, low, high = number("value", "answer"), number("min"), number("max")
    tolerance = number("tolerance")
    if value is not None:
        entry["answer"] = value
        if tolerance is not None:
            entry["tolerance"] = tolerance
        if low is not None or high is not None:
            read.error(
                name("min"), f"{word}: give either an answer (with tolerance) or min and max"
            )
    elif low is not None or high is not None:
        if low is None:
            read.error(name("min"), f"{word}: min is required with max")
        if high is None:
            read.error(name("max"), f"{word}: max is required with min")
        if tolerance is not None:
            read.error(
                name("tolerance"), f"{word}: tolerance goes with an answer, not with min and max"
            )
        entry["min"], entry["max"] = low, high
    elif len(read.errors) == before:
        read.error(name("value"), f"{word}: answer is required (or min and max)")
    weight = number("weight")
    if weight is not None:
        entry["weight"] = weight
    if text("feedback"):
        entry["feedback"] = text("feedback")
    return entry


def _rows_data(kind: str, items: list[Any], listed: bool) -> dict[str, Any]:
    if kind in CHOICE_KINDS:
        return {"options": items}
    if kind == "matching":
        return {"pairs": items}
    if kind == "ordering":
        return {"items": items}
    if kind == "short_answer":
        return {"answers": items}
    only = items[0] if len(items) == 1 and isinstance(items[0], dict) else None
    if not listed and only is not None and set(only) <= {"answer", "tolerance"} and only:
        return dict(only)
    return {"answers": items}


_COLUMN_OF_KEY = {"answer": "value"}
_NUMBERED = re.compile(r"\b(option|pair|item|answer) (\d+)\b")


def _field_error(
    values: QuestionValues, path: tuple[Any, ...], message: str, shown: list[int], number: int
) -> FieldError:
    """A quiz-rule problem (path inside the question) as the form field it concerns."""

    def row_number(match: re.Match[str]) -> str:
        index = int(match.group(2)) - 1
        return f"{match.group(1)} {shown[index] + 1 if 0 <= index < len(shown) else index + 1}"

    message = message.removeprefix(f"question {number}, ").removeprefix(f"question {number}: ")
    message = _NUMBERED.sub(row_number, message)
    name = "prompt"
    if path and isinstance(path[0], str):
        key = path[0]
        if key in ("options", "pairs", "items", "answers") and values.kind != "true_false":
            name = values.group
            if len(path) > 1 and isinstance(path[1], int) and path[1] < len(shown):
                row = shown[path[1]]
                column = values.columns[0]
                if values.kind == "matching" and "right side" in message:
                    column = "right"
                if len(path) > 2:
                    if values.kind == "matching":
                        column = "left" if path[2] == 0 else "right"
                    elif isinstance(path[2], str):
                        column = _COLUMN_OF_KEY.get(path[2], path[2])
                name = f"{values.group}-{row}-{column}"
            elif values.kind == "numeric" and key == "answers" and shown:
                name = f"answer-{shown[0]}-weight"
        elif values.kind == "numeric" and key in ("answer", "tolerance") and shown:
            name = f"answer-{shown[0]}-{_COLUMN_OF_KEY.get(key, key)}"
        else:
            name = key
    elif values.kind == "numeric" and shown:
        name = f"answer-{shown[0]}-value"
    return FieldError(name, message)


# --- the quiz mapping -----------------------------------------------------------------


def new_quiz() -> dict[str, Any]:
    return {"pass_mark": 80, "questions": []}


def questions_of(quiz: Any) -> list[Any]:
    """The raw question list of a quiz mapping ([] when absent or not a list)."""
    return (
        list(quiz.get("questions") or [])
        if isinstance(quiz, Mapping) and isinstance(quiz.get("questions"), list)
        else []
    )


def _with_questions(quiz: Any, questions: list[Any]) -> dict[str, Any]:
    result = copy.deepcopy(dict(quiz)) if isinstance(quiz, Mapping) else new_quiz()
    result["questions"] = questions
    return result


def add_question(quiz: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """The quiz with `data` appended (a new quiz with pass mark 80 when there is none)."""
    return _with_questions(quiz, [*copy.deepcopy(questions_of(quiz)), dict(data)])


def replace_question(quiz: Any, index: int, data: Mapping[str, Any]) -> dict[str, Any]:
    questions = copy.deepcopy(questions_of(quiz))
    if not 0 <= index < len(questions):
        raise IndexError(index)
    questions[index] = dict(data)
    return _with_questions(quiz, questions)


def move_question(quiz: Any, index: int, delta: int) -> dict[str, Any]:
    """The quiz with question `index` moved by `delta` places (clamped to the ends)."""
    questions = copy.deepcopy(questions_of(quiz))
    if not 0 <= index < len(questions):
        raise IndexError(index)
    target = max(0, min(len(questions) - 1, index + delta))
    questions.insert(target, questions.pop(index))
    return _with_questions(quiz, questions)


def delete_question(quiz: Any, index: int) -> dict[str, Any]:
    questions = copy.deepcopy(questions_of(quiz))
    if not 0 <= index < len(questions):
        raise IndexError(index)
    del questions[index]
    return _with_questions(quiz, questions)


# --- settings -------------------------------------------------------------------------


def settings_values(quiz: Any) -> dict[str, str]:
    """Pass mark, draw and attempt rules as form strings (pass mark 80 for a new quiz)."""
    quiz = quiz if isinstance(quiz, Mapping) else new_quiz()
    return {key: _number(quiz.get(key)) for key in SETTING_KEYS}


_SETTING_LABELS = {
    "pass_mark": "pass mark",
    "draw": "questions drawn",
    "max_attempts": "attempts allowed",
    "retry_after_minutes": "minutes before a retry",
}


def apply_settings(
    quiz: Any, form: Mapping[str, Any]
) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """The quiz with the settings form applied (questions kept), or (None, errors)."""
    read = _Reader()
    result = copy.deepcopy(dict(quiz)) if isinstance(quiz, Mapping) else new_quiz()
    count = len(questions_of(quiz))
    found: dict[str, int | float | None] = {}
    for key in SETTING_KEYS:
        label = _SETTING_LABELS[key]
        value = read.number(_get(form, key), key, label)
        found[key] = value
        if value is None:
            if key == "pass_mark" and not any(e.field == key for e in read.errors):
                read.error(key, "pass mark is required (0 to 100)")
            continue
        if key == "pass_mark":
            if not 0 <= value <= 100:
                read.error(key, "pass mark must be between 0 and 100")
            continue
        if float(value) != int(value):
            read.error(key, f"{label} must be a whole number")
            continue
        low = 0 if key == "retry_after_minutes" else 1
        if value < low:
            read.error(key, f"{label} must be at least {low}")
        elif key == "draw" and count and value > count:
            read.error(key, f"questions drawn ({int(value)}) is more than the {count} questions")
    if read.errors:
        return None, read.errors
    ordered: dict[str, Any] = {}
    for key in SETTING_KEYS:
        if found[key] is not None:
            ordered[key] = number_data(float(found[key])) if key == "pass_mark" else int(found[key])
    for key, value in result.items():
        if key not in SETTING_KEYS:
            ordered[key] = value
    if "questions" not in ordered:
        ordered["questions"] = []
    return ordered, []

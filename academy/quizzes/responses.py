"""What a learner sent for one question, read defensively from a form.

A `Response` is the checked, typed form of the posted fields: option indices,
positions or typed text, plus a status and a note when something was missing
or malformed. `FormView` reads any mapping of field names to values without
ever raising, whatever a client posts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeGuard

from .text import MAX_TYPED_ANSWER

#: Statuses of a response.
ANSWERED: Final = "answered"
PARTIAL: Final = "partial"  # matching/ordering: some items unanswered or invalid
MISSING: Final = "missing"
MALFORMED: Final = "malformed"
STATUSES: Final = (ANSWERED, PARTIAL, MISSING, MALFORMED)

#: Notes shown on the result page (English source strings; the web layer translates).
NOTE_NO_ANSWER: Final = "no answer"
NOTE_NOT_A_NUMBER: Final = "not a number"
NOTE_NOT_AN_OPTION: Final = "not one of the options"
NOTE_MORE_THAN_ONE: Final = "more than one answer for a single-choice question"
NOTE_NOT_TRUE_FALSE: Final = "not true or false"
NOTE_SOME_ITEMS: Final = "some items were not answered"
NOTE_INVALID_ITEMS: Final = "some items had an invalid answer"

_MAX_VALUES = 200
_INDEX = re.compile(r"\s*([0-9]{1,6})\s*", re.ASCII)


@dataclass(frozen=True)
class Response:
    """One question's answer as read from the form.

    `index` is the question's 0-based position in the quiz file. `choices` holds:
    single ``(option,)``; multiple the chosen option indices, sorted; true_false
    ``(1,)`` for true and ``(0,)`` for false; matching, per left item in file
    order, the file index of the chosen right-hand item (None if none);
    ordering, per item in file order, the 1-based position given (None if none).
    `text` is what was typed for short_answer and numeric.
    """

    index: int
    status: str
    choices: tuple[int | None, ...] = ()
    text: str = ""
    note: str = ""

    def to_data(self) -> dict[str, Any]:
        """JSON-able data; `Response.from_data` reads it back."""
        data: dict[str, Any] = {"index": self.index, "status": self.status}
        if self.choices:
            data["choices"] = list(self.choices)
        if self.text:
            data["text"] = self.text
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_data(cls, data: object) -> Response:
        """Read `to_data` output back; raises ValueError on anything else."""
        if not isinstance(data, Mapping):
            raise ValueError("a response must be a mapping")
        index = data.get("index")
        status = data.get("status")
        choices = data.get("choices", [])
        text = data.get("text", "")
        note = data.get("note", "")
        if not _is_int(index) or status not in STATUSES:
            raise ValueError("a response needs an integer index and a known status")
        if not isinstance(choices, list) or not all(c is None or _is_int(c) for c in choices):
            raise ValueError("response choices must be a list of integers or nulls")
        if not isinstance(text, str) or not isinstance(note, str):
            raise ValueError("response text and note must be strings")
        return cls(index, status, tuple(choices), text, note)


class FormView:
    """Reads posted values from any mapping without raising.

    Accepts ``Mapping[str, list[str]]`` (e.g. ``request.form.to_dict(flat=False)``),
    an object with ``getlist`` (a Werkzeug ``MultiDict``), or a mapping of plain
    strings. Values that are not strings are ignored; a field keeps at most 200
    values.
    """

    def __init__(self, form: object) -> None:
        self._form = form

    def values(self, key: str) -> list[str]:
        """All string values posted under `key` (possibly none)."""
        try:
            getlist = getattr(self._form, "getlist", None)
            if callable(getlist):
                raw: object = getlist(key)
            elif isinstance(self._form, Mapping):
                raw = self._form.get(key)
            else:
                return []
        except Exception:  # noqa: BLE001 - hostile mappings must not break grading
            return []
        if isinstance(raw, str):
            return [raw]
        if isinstance(raw, list | tuple):
            return [value for value in raw[:_MAX_VALUES] if isinstance(value, str)]
        return []

    def present_values(self, key: str) -> list[str]:
        """The values of `key` that are not blank."""
        return [value for value in self.values(key) if value.strip()]


def parse_index(value: str, size: int) -> int | None:
    """A 0-based index below `size` from form text, or None."""
    match = _INDEX.fullmatch(value)
    if match is None:
        return None
    index = int(match.group(1))
    return index if index < size else None


def parse_position(value: str, size: int) -> int | None:
    """A 1-based position up to `size` from form text, or None."""
    match = _INDEX.fullmatch(value)
    if match is None:
        return None
    position = int(match.group(1))
    return position if 1 <= position <= size else None


def typed_text(values: list[str]) -> str:
    """The first non-blank typed value, trimmed and capped in length."""
    for value in values:
        if value.strip():
            return value[: MAX_TYPED_ANSWER * 2].strip()[:MAX_TYPED_ANSWER]
    return ""


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)

"""Reading authored quiz data field by field, collecting problems located by path.

The validators never raise on bad input: each problem becomes a
`PathProblem` whose path points into the loaded YAML, so the caller can turn it
into ``file:line: message`` with `academy.sourcemap.LineMap`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Mapping
from typing import Any

from academy.sourcemap import Path, PathKey, PathProblem

from .text import clean_text

_BOOL_HINT = "quote it: YAML reads yes/no/on/off/true/false as true or false"


class Checker:
    """Collects the problems of one mapping (the quiz, a question, an option)."""

    def __init__(self, problems: list[PathProblem], path: Path, label: str) -> None:
        self.problems = problems
        self.path = path
        self.label = label

    def child(self, key: PathKey | tuple[PathKey, ...], label: str) -> Checker:
        """A checker for a nested value, sharing this checker's problem list."""
        keys = key if isinstance(key, tuple) else (key,)
        return Checker(self.problems, (*self.path, *keys), label)

    def error(self, message: str, *keys: PathKey) -> None:
        """Record one problem at this path (or below it)."""
        self.problems.append(PathProblem((*self.path, *keys), f"{self.label}: {message}"))

    def mapping(self, data: object, what: str) -> Mapping[Any, Any] | None:
        """`data` as a mapping, or None after reporting that it is not one."""
        if isinstance(data, Mapping):
            return data
        self.error(f"must be a mapping ({what}), not {describe(data)}")
        return None

    def keys(self, data: Mapping[Any, Any], allowed: Collection[str]) -> None:
        """Report every key that is not in `allowed`, suggesting the closest one."""
        for key in data:
            if key in allowed:
                continue
            name = str(key)
            close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.error(
                f"unknown key '{name}' (allowed: {', '.join(allowed)}){hint}",
                name if isinstance(key, str | int) else str(key),
            )

    def text(self, data: Mapping[Any, Any], key: str, *, required: bool) -> str:
        """A text field; numbers are taken as their text. Missing optional text is ''."""
        if key not in data or data[key] is None:
            if required:
                self.error(f"{key} is required")
            return ""
        value = as_text(data[key])
        if value is None:
            self.error(f"{key} must be text, not {describe(data[key], text=True)}", key)
            return ""
        if required and not value:
            self.error(f"{key} must not be empty", key)
        return value

    def number(
        self,
        data: Mapping[Any, Any],
        key: str,
        *,
        default: float | None = None,
        required: bool = False,
        low: float | None = None,
        high: float | None = None,
        above: float | None = None,
        integer: bool = False,
    ) -> float | None:
        """A number field within bounds; `default` when absent, None after a problem."""
        if key not in data or data[key] is None:
            if required:
                self.error(f"{key} is required")
            return default
        value = data[key]
        if integer:
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(f"{key} must be a whole number, not {describe(value)}", key)
                return None
        elif isinstance(value, bool) or not isinstance(value, int | float):
            self.error(f"{key} must be a number, not {describe(value)}", key)
            return None
        number = float(value)
        if not math.isfinite(number):
            self.error(f"{key} must be a finite number", key)
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                span = f"between {_num(low)} and {_num(high)}"
            elif low is not None:
                span = f"at least {_num(low)}"
            else:
                span = f"at most {_num(high)}"
            self.error(f"{key} must be {span}, not {_num(number)}", key)
            return None
        if above is not None and number <= above:
            self.error(f"{key} must be more than {_num(above)}, not {_num(number)}", key)
            return None
        return number

    def flag(self, data: Mapping[Any, Any], key: str, *, required: bool = False) -> bool | None:
        """A true/false field; None when absent or wrong."""
        if key not in data or data[key] is None:
            if required:
                self.error(f"{key} is required (true or false)")
            return None
        value = data[key]
        if not isinstance(value, bool):
            self.error(f"{key} must be true or false, not {describe(value)}", key)
            return None
        return value

    def sequence(self, data: Mapping[Any, Any], key: str, *, minimum: int) -> list[Any]:
        """A list field with at least `minimum` items; [] after a problem."""
        if key not in data or data[key] is None:
            self.error(f"{key} is required (a list)")
            return []
        value = data[key]
        if not isinstance(value, list):
            self.error(f"{key} must be a list, not {describe(value)}", key)
            return []
        if len(value) < minimum:
            self.error(f"{key} needs at least {minimum} entries, found {len(value)}", key)
            return []
        return value


def as_text(value: object) -> str | None:
    """Authored text in canonical form; numbers become their text, other types None."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    return None


def describe(value: object, *, text: bool = False) -> str:
    """A short description of a wrong value for messages (`text`: text was expected)."""
    if isinstance(value, bool):
        return f"{str(value).lower()} ({_BOOL_HINT})" if text else str(value).lower()
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"'{shown}'"
    return repr(value)[:40]


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)

"""Exactly-once inserts for forms filled on a phone (double taps, flaky networks).

Each practice form carries a one-time key made when the form is shown. The row
stores it in a unique column: posting the same form again finds the row it
already stored instead of recording the evidence twice, even when two posts
race (the unique index decides).
"""

from __future__ import annotations

import re
import secrets
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from academy.extensions import db

T = TypeVar("T")
KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_form_key() -> str:
    """A fresh one-time key for a form."""
    return secrets.token_urlsafe(18)


def form_key_or_none(value: object) -> str | None:
    """The posted key if it looks like one of ours, else None (then no deduplication)."""
    return value if isinstance(value, str) and KEY_RE.fullmatch(value) else None


def add_once(row: T, model: Any) -> tuple[T, bool]:
    """Insert `row` (flushed) unless a row with its `form_key` exists: (row, created)."""
    key = getattr(row, "form_key", None)
    if key:
        found = db.session.scalar(select(model).where(model.form_key == key))
        if found is not None:
            return found, False
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        if not key:
            raise
        found = db.session.scalar(select(model).where(model.form_key == key))
        if found is None:  # pragma: no cover - a different integrity problem
            raise
        return found, False
    return row, True

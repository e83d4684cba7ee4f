"""One way to paginate a list page: the page number is read safely and clamped."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from sqlalchemy import Select

from academy.extensions import db

#: Beyond this the database's integer range overflows on the offset: refuse, don't crash.
MAX_PAGE = 100_000


def page_number() -> int:
    """The ``page`` query argument as a number within 1..MAX_PAGE (junk reads as 1)."""
    raw = request.args.get("page", "1")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1
    return min(max(number, 1), MAX_PAGE)


def paginate(query: Select[Any], per_page: int | None = None) -> Any:
    """`db.paginate` with a safe page number and the configured page size."""
    return db.paginate(
        query,
        page=page_number(),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        error_out=False,
    )

"""The reflection journal: what an employee will do differently, in their own words.

An entry is the text, optional self-ratings per axis (1–5, compared by the
model with what trainers observe) and, after a drill, which drill it is about.
The ledger statement (``reflected`` · ``reflection``) carries only the ratings,
the drill and the length: the growth model never reads the text. The text is
private: its author and the trainers of their department read it; HR counts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from academy.accounts.models import User
from academy.extensions import db
from academy.practice.models import Reflection
from academy.practice.observations import clean_ratings
from academy.practice.once import add_once
from academy.practice.people import PracticeError
from academy.progress import ledger
from academy.timeutil import utcnow

logger = logging.getLogger(__name__)

#: Shorter entries are refused: the model does not count them (reflection_min_length).
MIN_LENGTH = 20
MAX_LENGTH = 4000


def write_reflection(
    author: User,
    text: str,
    *,
    self_ratings: Mapping[str, int | None] | None = None,
    about: str | None = None,
    run_id: int | None = None,
    at: datetime | None = None,
    form_key: str | None = None,
) -> Reflection:
    """Store a journal entry and its ledger statement; flushes. Raises `PracticeError`."""
    text = (text or "").strip()
    if len(text) < MIN_LENGTH:
        raise PracticeError(
            "text",
            _l(
                "Write at least %(n)d characters: what happened, and what you will do differently.",
                n=MIN_LENGTH,
            ),
        )
    if len(text) > MAX_LENGTH:
        raise PracticeError("text", _l("Keep it under %(n)d characters.", n=MAX_LENGTH))
    rated = clean_ratings(self_ratings or {}, field="self")
    when = at or utcnow()
    entry, created = add_once(
        Reflection(
            user_id=author.id,
            department_id=author.department_id,
            text=text,
            self_ratings=rated,
            about=about or None,
            run_id=run_id,
            written_at=when,
            form_key=form_key,
        ),
        Reflection,
    )
    if not created:
        return entry
    statement = ledger.record(
        author,
        "reflected",
        "reflection",
        str(entry.id),
        result={"self_ratings": rated, "about": about or None, "length": len(text)},
        at=when,
    )
    entry.statement_id = statement.id
    logger.info("reflection: %s wrote %d characters", author.username, len(text))
    return entry


def reflections_of(user_id: int, limit: int = 100) -> list[Reflection]:
    """One person's journal, newest first (one query)."""
    return list(
        db.session.scalars(
            select(Reflection)
            .where(Reflection.user_id == user_id)
            .order_by(Reflection.written_at.desc(), Reflection.id.desc())
            .limit(limit)
        )
    )


def reflection_counts(
    department_ids: Iterable[int] | None, since: datetime
) -> dict[int | None, int]:
    """How many entries each department's people wrote since `since` (counts, no text)."""
    query = (
        select(Reflection.department_id, func.count(Reflection.id))
        .where(Reflection.written_at >= since)
        .group_by(Reflection.department_id)
    )
    if department_ids is not None:
        query = query.where(Reflection.department_id.in_(sorted(department_ids) or [-1]))
    return {department: count for department, count in db.session.execute(query).all()}

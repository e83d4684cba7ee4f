"""Field observations: a trainer watches an employee at the service window.

One observation is the seven ones of reception (each done / partly / not, or
not seen), an optional 1–5 rating per axis and a short note. It is stored as
an `Observation` row and one ledger statement (``observed`` · ``observation``,
recorded by the trainer, detail per the evidence contract of
`docs/growth-model.md`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.accounts.models import User
from academy.extensions import db
from academy.practice.models import Observation
from academy.practice.once import add_once
from academy.practice.people import NOT_YOURS, PracticeError, can_observe
from academy.progress import ledger
from academy.timeutil import utcnow
from academy.vocabulary import AXES, SEVEN_ONES

logger = logging.getLogger(__name__)

#: What a trainer can mark for each of the seven ones (absent: not seen).
STATUSES = ("done", "partly", "not")
RATINGS = range(1, 6)
NOTE_MAX = 500


def clean_checklist(seven_ones: Mapping[str, str | None]) -> dict[str, str]:
    """The seven ones that were marked, in order; raises `PracticeError` on a bad status."""
    unknown = set(seven_ones) - set(SEVEN_ONES)
    if unknown:
        raise PracticeError("seven_ones", _l("Unknown checklist item."))
    result: dict[str, str] = {}
    for one in SEVEN_ONES:
        status = seven_ones.get(one)
        if status in (None, ""):
            continue
        if status not in STATUSES:
            raise PracticeError(f"one_{one}", _l("Choose done, partly or not done."))
        result[one] = str(status)
    return result


def clean_ratings(ratings: Mapping[str, int | None], field: str = "rating") -> dict[str, int]:
    """Axis ratings 1–5 that were given, in axis order; raises `PracticeError` otherwise."""
    unknown = set(ratings) - set(AXES)
    if unknown:
        raise PracticeError(field, _l("Unknown axis."))
    result: dict[str, int] = {}
    for axis in AXES:
        value = ratings.get(axis)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS:
            raise PracticeError(f"{field}_{axis}", _l("A rating is a whole number from 1 to 5."))
        result[axis] = value
    return result


def record_observation(
    observer: User,
    employee: User,
    *,
    seven_ones: Mapping[str, str | None],
    ratings: Mapping[str, int | None],
    note: str = "",
    at: datetime | None = None,
    form_key: str | None = None,
) -> Observation:
    """Store an observation and its ledger statement; flushes. Raises `PracticeError`.

    `form_key` (the form's one-time key) makes a resubmitted form return the
    observation it already stored instead of recording a second one.
    """
    if not can_observe(observer, employee):
        raise PracticeError("employee", NOT_YOURS)
    checklist = clean_checklist(seven_ones)
    rated = clean_ratings(ratings)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise PracticeError("note", _l("Keep the note under %(n)d characters.", n=NOTE_MAX))
    if not checklist and not rated:
        raise PracticeError(
            "seven_ones", _l("Mark at least one of the seven ones, or give one rating.")
        )
    when = at or utcnow()
    observation, created = add_once(
        Observation(
            employee_id=employee.id,
            observer_id=observer.id,
            department_id=employee.department_id,
            observed_at=when,
            seven_ones=checklist,
            ratings=rated,
            note=note,
            form_key=form_key,
        ),
        Observation,
    )
    if not created:
        return observation
    statement = ledger.record(
        employee,
        "observed",
        "observation",
        str(observation.id),
        result={"seven_ones": checklist, "axes": rated, "note": note},
        recorded_by=observer,
        at=when,
    )
    observation.statement_id = statement.id
    logger.info(
        "observation: %s observed %s (%d of seven, %d ratings)",
        observer.username,
        employee.username,
        len(checklist),
        len(rated),
    )
    return observation


def observations_of(employee_id: int, limit: int = 50) -> list[Observation]:
    """An employee's observations, newest first, with the observer (one query)."""
    return list(
        db.session.scalars(
            select(Observation)
            .options(joinedload(Observation.observer))
            .where(Observation.employee_id == employee_id)
            .order_by(Observation.observed_at.desc(), Observation.id.desc())
            .limit(limit)
        )
    )

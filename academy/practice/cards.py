"""Resident feedback cards (意见反馈卡): a rating, what was good, what was not.

Residents fill them on their phone through a QR code at a window or on a
worker's badge (`record_resident_card`, source ``resident``); trainers, HR and
admins enter paper cards, naming any employee in their scope but never
themselves; employees enter a department's card only (a card naming a colleague
or oneself would be evidence one cannot vouch for). A card that
names an employee is evidence about that employee (ledger: ``rated`` ·
``feedback_card``, score = the rating on 0–100); a card that names nobody
counts for its department only (`academy.growth.department_signal`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.accounts.models import Department, User
from academy.assignments.services import COMPANY_TZ
from academy.evidence import Evidence
from academy.extensions import db
from academy.practice.models import FeedbackCard, FeedbackPoint
from academy.practice.once import add_once
from academy.practice.people import NOT_YOURS, PracticeError, can_name_on_card, card_scope
from academy.progress import ledger
from academy.timeutil import utcnow

logger = logging.getLogger(__name__)

SOURCES = ("window", "paper")
#: Cards filled by the resident through a QR code (not a choice on the staff form).
RESIDENT = "resident"
TEXT_MAX = 1000
#: Paper cards older than this are not entered any more (the model would barely see them).
OLDEST_DAYS = 366


def rating_score(rating: int) -> float:
    """A 1–5 rating on the model's 0–100 scale: 1 → 0, 3 → 50, 5 → 100."""
    return (rating - 1) * 25.0


def received_at(day: date | None, now: datetime) -> datetime:
    """When a card was received: now for today (or no date), else noon of that day."""
    today = now.astimezone(COMPANY_TZ).date()
    if day is None or day == today:
        return now
    return datetime.combine(day, time(12, 0), tzinfo=COMPANY_TZ).astimezone(now.tzinfo)


def record_card(
    entered_by: User,
    *,
    rating: int,
    good: str = "",
    bad: str = "",
    employee: User | None = None,
    department: Department | None = None,
    source: str = "window",
    received_on: date | None = None,
    now: datetime | None = None,
    form_key: str | None = None,
) -> FeedbackCard:
    """Store a resident's card (and, when it names an employee, its ledger statement)."""
    now = now or utcnow()
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise PracticeError("rating", _l("Choose the resident's rating, from 1 to 5."))
    good, bad = _texts(good, bad)
    if source not in SOURCES:
        raise PracticeError("source", _l("Unknown source."))
    today = now.astimezone(COMPANY_TZ).date()
    if received_on is not None and not (
        today - timedelta(days=OLDEST_DAYS) <= received_on <= today
    ):
        raise PracticeError("received_on", _l("The date must be within the last year."))
    if employee is not None:
        if not can_name_on_card(entered_by, employee):
            raise PracticeError("employee", NOT_YOURS)
        department_id = employee.department_id
    else:
        if department is None:
            raise PracticeError(
                "department", _l("Name the employee, or choose the department the card is for.")
            )
        scope = card_scope(entered_by)
        if scope is not None and department.id not in scope:
            raise PracticeError("department", NOT_YOURS)
        department_id = department.id
    card, created = add_once(
        FeedbackCard(
            employee_id=employee.id if employee is not None else None,
            department_id=department_id,
            rating=rating,
            good=good,
            bad=bad,
            source=source,
            received_at=received_at(received_on, now),
            entered_by_id=entered_by.id,
            form_key=form_key,
            created_at=now,
        ),
        FeedbackCard,
    )
    if not created:
        return card
    if employee is not None:
        _rated(card, employee, recorded_by=entered_by)
    logger.info(
        "feedback card: %s entered a %d-star card for %s",
        entered_by.username,
        rating,
        employee.username if employee is not None else f"department {department_id}",
    )
    return card


def record_resident_card(
    point: FeedbackPoint,
    *,
    rating: int,
    good: str = "",
    bad: str = "",
    now: datetime | None = None,
    form_key: str | None = None,
) -> FeedbackCard:
    """Store a card a resident filled through `point`'s QR code (anonymous). Flushes.

    A badge's card is evidence about its worker (ledger ``rated`` · ``feedback_card``,
    the resident is anonymous: the context names the code); a window's counts for its department.
    """
    now = now or utcnow()
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise PracticeError("rating", _l("Please choose how satisfied you are, from 1 to 5."))
    good, bad = _texts(good, bad)
    employee = point.employee if point.kind == "badge" else None
    card, created = add_once(
        FeedbackCard(
            employee_id=employee.id if employee is not None else None,
            department_id=point.department_id,
            rating=rating,
            good=good,
            bad=bad,
            source=RESIDENT,
            received_at=now,
            entered_by_id=None,
            point_id=point.id,
            form_key=form_key,
            created_at=now,
        ),
        FeedbackCard,
    )
    if not created:
        return card
    if employee is not None:
        _rated(card, employee, extra={"source": RESIDENT}, context={"point": point.code})
    logger.info("feedback card: a resident left a %d-star card at %s", rating, point.code)
    return card


def _texts(good: str | None, bad: str | None) -> tuple[str, str]:
    """The card's two texts, trimmed and within their length."""
    good, bad = (good or "").strip(), (bad or "").strip()
    if len(good) > TEXT_MAX or len(bad) > TEXT_MAX:
        raise PracticeError("good", _l("Keep each text under %(n)d characters.", n=TEXT_MAX))
    return good, bad


def _rated(
    card: FeedbackCard,
    employee: User,
    *,
    recorded_by: User | None = None,
    extra: dict | None = None,
    context: dict | None = None,
) -> None:
    """The ledger statement of a card that names `employee` (rated · feedback_card)."""
    result = {"rating": card.rating, "good": card.good, "bad": card.bad, **(extra or {})}
    options = {"recorded_by": recorded_by} if recorded_by is not None else {}
    if context is not None:
        options["context"] = context
    statement = ledger.record(
        employee,
        "rated",
        "feedback_card",
        str(card.id),
        score=rating_score(card.rating),
        result=result,
        at=card.received_at,
        **options,
    )
    card.statement_id = statement.id


def as_card_evidence(card: FeedbackCard) -> Evidence:
    """A department's card as the model's `Evidence` (for `department_signal`)."""
    return Evidence(
        "rated",
        "feedback_card",
        str(card.id),
        card.received_at,
        score=rating_score(card.rating),
        detail={"rating": card.rating, "good": card.good, "bad": card.bad},
    )


def department_cards(department_ids: Iterable[int] | None, since: datetime) -> list[FeedbackCard]:
    """Cards that name no employee, for these departments (None: all), since `since`."""
    query = select(FeedbackCard).where(
        FeedbackCard.employee_id.is_(None), FeedbackCard.received_at >= since
    )
    if department_ids is not None:
        query = query.where(FeedbackCard.department_id.in_(sorted(department_ids) or [-1]))
    return list(db.session.scalars(query.order_by(FeedbackCard.received_at)))

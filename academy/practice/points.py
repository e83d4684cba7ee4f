"""Feedback points: the QR codes residents scan to fill a feedback card themselves.

A *point* is a window or service point (its cards count for its department);
a *badge* is one worker's (its cards name that worker). Admins manage every
department's, trainers their departments' (`coaching_scope`). A code is random
and unguessable; deactivating one stops new cards through it, history stays.
"""

from __future__ import annotations

import logging
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.accounts.models import Department, User
from academy.extensions import db
from academy.practice.models import FeedbackPoint
from academy.practice.people import NOT_YOURS, PracticeError, coaching_scope, in_scope
from academy.timeutil import utcnow

logger = logging.getLogger(__name__)

KINDS = ("point", "badge")
NAME_MAX = 120
#: ``secrets.token_urlsafe(9)`` gives 12 characters (72 random bits).
CODE_BYTES = 9
CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def can_manage_points(viewer: User) -> bool:
    """Trainers and admins manage feedback points."""
    return viewer.has_role("trainer")


def manage_scope(viewer: User) -> set[int] | None:
    """Departments whose points `viewer` manages (None: all)."""
    return coaching_scope(viewer)


def new_code() -> str:
    """A fresh random code for a QR address."""
    return secrets.token_urlsafe(CODE_BYTES)


def is_code(value: object) -> bool:
    """Whether `value` could be a code (checked before any database lookup)."""
    return isinstance(value, str) and 8 <= len(value) <= 32 and set(value) <= CODE_CHARS


def create_point(creator: User, name: str, department: Department | None) -> FeedbackPoint:
    """A new window / service point of a department in the creator's scope. Flushes."""
    name = " ".join((name or "").split())
    if not name:
        raise PracticeError("name", _l("Name the window or service point."))
    if len(name) > NAME_MAX:
        raise PracticeError("name", _l("Keep the name under %(n)d characters.", n=NAME_MAX))
    if department is None:
        raise PracticeError("department", _l("Choose the department of the point."))
    scope = manage_scope(creator)
    if not can_manage_points(creator) or (scope is not None and department.id not in scope):
        raise PracticeError("department", NOT_YOURS)
    point = FeedbackPoint(
        code=new_code(),
        kind="point",
        name=name,
        department_id=department.id,
        created_by_id=creator.id,
        created_at=utcnow(),
    )
    db.session.add(point)
    db.session.flush()
    logger.info("feedback point: %s created %s (%s)", creator.username, point.code, name)
    return point


def badge_of(creator: User, employee: User) -> FeedbackPoint:
    """The worker's active badge code, made on first use. Flushes."""
    if (
        not can_manage_points(creator)
        or employee.role != "employee"
        or not employee.active
        or not in_scope(manage_scope(creator), employee)
    ):
        raise PracticeError("employee", NOT_YOURS)
    found = db.session.scalar(
        select(FeedbackPoint).where(
            FeedbackPoint.employee_id == employee.id,
            FeedbackPoint.kind == "badge",
            FeedbackPoint.active.is_(True),
        )
    )
    if found is not None:
        return found
    badge = FeedbackPoint(
        code=new_code(),
        kind="badge",
        name=employee.display_name[:NAME_MAX],
        department_id=employee.department_id,
        employee_id=employee.id,
        created_by_id=creator.id,
        created_at=utcnow(),
    )
    db.session.add(badge)
    db.session.flush()
    logger.info(
        "feedback badge: %s made %s for %s", creator.username, badge.code, employee.username
    )
    return badge


def deactivate(viewer: User, point: FeedbackPoint) -> None:
    """Stop new cards through this code (its cards stay). Flushes."""
    if not may_manage(viewer, point):
        raise PracticeError("point", NOT_YOURS)
    point.active = False
    db.session.flush()
    logger.info("feedback point: %s deactivated %s", viewer.username, point.code)


def may_manage(viewer: User, point: FeedbackPoint) -> bool:
    """Whether `viewer` manages this point (its department is in their scope)."""
    scope = manage_scope(viewer)
    return can_manage_points(viewer) and (
        scope is None or (point.department_id is not None and point.department_id in scope)
    )


def points_in(scope: set[int] | None, *, active_only: bool = True) -> list[FeedbackPoint]:
    """Points and badges of these departments (None: all), by department, kind, name."""
    query = select(FeedbackPoint).options(
        joinedload(FeedbackPoint.department), joinedload(FeedbackPoint.employee)
    )
    if active_only:
        query = query.where(FeedbackPoint.active.is_(True))
    if scope is not None:
        query = query.where(FeedbackPoint.department_id.in_(sorted(scope) or [-1]))
    return list(
        db.session.scalars(
            query.order_by(
                FeedbackPoint.department_id, FeedbackPoint.kind.desc(), FeedbackPoint.name
            )
        )
    )


def active_point(code: str) -> FeedbackPoint | None:
    """The active point with this code, or None (unknown, deactivated, or a badge whose
    worker left)."""
    if not is_code(code):
        return None
    point = db.session.scalar(
        select(FeedbackPoint)
        .options(joinedload(FeedbackPoint.department), joinedload(FeedbackPoint.employee))
        .where(FeedbackPoint.code == code, FeedbackPoint.active.is_(True))
    )
    if point is None:
        return None
    if point.kind == "badge" and (point.employee is None or not point.employee.active):
        return None
    return point

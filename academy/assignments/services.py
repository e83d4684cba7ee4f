"""Give work, close it with evidence, and answer "what is assigned to whom".

Writers flush; the caller commits. Completion and initiative are wired into the
ledger: `record()` asks `resolve_initiative` whether a statement answers open
assigned work, and `close_assigned_work` runs after every statement, in the same
transaction as the evidence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import joinedload

from academy.accounts.models import Department, User
from academy.assignments.models import Assignment, AssignmentTarget, TrainerDepartment
from academy.extensions import db
from academy.progress import ledger
from academy.progress.models import Statement
from academy.timeutil import utcnow

logger = logging.getLogger(__name__)

COMPANY_TZ = ZoneInfo("Asia/Shanghai")
KINDS = ("module", "scenario", "certificate")


class AssignmentError(ValueError):
    """An assignment was refused; `field` names the form field at fault."""

    def __init__(self, field: str, message: object) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Assignable:
    """Something that can be assigned: its kind, stable key and title."""

    kind: str
    object_id: str
    title: str
    group: str  # e.g. the discipline, for grouping in the picker


#: kind → function listing what can be assigned of that kind (registered by features).
ASSIGNABLES: dict[str, Callable[[], list[Assignable]]] = {}

#: Which statements complete work of each kind: (verb, object_type, success required).
#: A module is done when its quiz is passed, or — for a lesson without a quiz — read
#: to the end and marked completed.
COMPLETES: dict[tuple[str, str], str] = {
    ("passed", "quiz"): "module",
    ("completed", "module"): "module",
    ("completed", "scenario"): "scenario",
    ("earned", "certificate"): "certificate",
}
#: object_type of a statement → the kind of assignment it belongs to.
OBJECT_KIND = {
    "module": "module",
    "quiz": "module",
    "scenario": "scenario",
    "certificate": "certificate",
}


def _list_modules() -> list[Assignable]:
    from academy.catalog.queries import published_modules

    return [Assignable("module", m.key, m.title, m.discipline) for m in published_modules()]


ASSIGNABLES["module"] = _list_modules


def due_at_end_of(day: date) -> datetime:
    """A due date means "by the end of that day" in the company's time zone (UTC result)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=COMPANY_TZ).astimezone(ZoneInfo("UTC"))


def today_local() -> date:
    """Today's date where the company is."""
    return utcnow().astimezone(COMPANY_TZ).date()


# --- who may see and assign to whom ------------------------------------------------


def scope_department_ids(user: User) -> set[int] | None:
    """Departments `user` may see and assign to; None means all (HR, admin)."""
    if user.role in ("hr", "admin"):
        return None
    if user.role != "trainer":
        return set()
    coached = coached_department_ids(user)
    if not coached and user.department_id is not None:
        coached = {user.department_id}
    return coached


def coached_department_ids(trainer: User) -> set[int]:
    """Departments explicitly given to a trainer (empty: they coach their own)."""
    return set(
        db.session.scalars(
            select(TrainerDepartment.department_id).where(TrainerDepartment.user_id == trainer.id)
        )
    )


def set_trainer_departments(trainer: User, department_ids: Iterable[int]) -> None:
    """Replace the departments a trainer coaches. Flushes."""
    wanted = set(department_ids)
    current = {
        row.department_id: row
        for row in db.session.scalars(
            select(TrainerDepartment).where(TrainerDepartment.user_id == trainer.id)
        )
    }
    for department_id, row in current.items():
        if department_id not in wanted:
            db.session.delete(row)
    for department_id in wanted - set(current):
        db.session.add(TrainerDepartment(user_id=trainer.id, department_id=department_id))
    db.session.flush()


def can_see_user(viewer: User, other: User) -> bool:
    """Whether `viewer` may see `other`'s work (self, HR/admin, or their trainer)."""
    if viewer.id == other.id:
        return True
    scope = scope_department_ids(viewer)
    return scope is None or (other.department_id is not None and other.department_id in scope)


# --- assigning ---------------------------------------------------------------------


def find_assignable(kind: str, object_id: str) -> Assignable | None:
    """The assignable item `kind:object_id`, if it exists (published)."""
    lister = ASSIGNABLES.get(kind)
    if lister is None:
        return None
    return next((item for item in lister() if item.object_id == object_id), None)


def assign(
    actor: User,
    *,
    kind: str,
    object_id: str,
    due: date,
    department_ids: Sequence[int] = (),
    usernames: Sequence[str] = (),
    note: str | None = None,
) -> Assignment:
    """Assign one item to departments and/or named people. Flushes.

    Departments expand to their active employees at this moment. People outside
    the actor's departments are refused (trainers assign within their own).
    """
    problems, item, departments, people, names = _check(
        actor,
        kind=kind,
        object_id=object_id,
        due=due,
        department_ids=department_ids,
        usernames=usernames,
    )
    if problems:
        raise problems[0]
    assert item is not None
    assignment = Assignment(
        kind=kind,
        object_id=object_id,
        title=item.title,
        due_at=due_at_end_of(due),
        note=(note or "").strip() or None,
        department_id=departments[0].id if len(departments) == 1 and not names else None,
        assigned_by=actor,
    )
    db.session.add(assignment)
    db.session.flush()
    db.session.add_all(
        AssignmentTarget(
            assignment_id=assignment.id,
            user_id=user_id,
            kind=kind,
            object_id=object_id,
            due_at=assignment.due_at,
        )
        for user_id in sorted(people)
    )
    db.session.flush()
    logger.info(
        "%s assigned %s:%s to %d people, due %s",
        actor.username,
        kind,
        object_id,
        len(people),
        due.isoformat(),
    )
    return assignment


def assignment_problems(
    actor: User,
    *,
    kind: str,
    object_id: str,
    due: date | None,
    department_ids: Sequence[int] = (),
    usernames: Sequence[str] = (),
) -> list[AssignmentError]:
    """Every problem of an assignment at once, one per field (item, due, departments, people).

    A `due` of None is not checked (the form reports a date it could not read).
    """
    return _check(
        actor,
        kind=kind,
        object_id=object_id,
        due=due,
        department_ids=department_ids,
        usernames=usernames,
    )[0]


def _check(
    actor: User,
    *,
    kind: str,
    object_id: str,
    due: date | None,
    department_ids: Sequence[int],
    usernames: Sequence[str],
) -> tuple[list[AssignmentError], Assignable | None, list[Department], dict[int, User], list[str]]:
    """The problems of an assignment, and what it resolves to: item, departments, people."""
    problems: list[AssignmentError] = []
    item = find_assignable(kind, object_id)
    if item is None:
        problems.append(AssignmentError("item", _l("Choose something to assign.")))
    if due is not None and due < today_local():
        problems.append(AssignmentError("due", _l("The due date is in the past.")))
    elif due is not None and due > today_local() + timedelta(days=3 * 366):
        problems.append(AssignmentError("due", _l("The due date is more than three years away.")))
    scope = scope_department_ids(actor)
    departments = list(
        db.session.scalars(select(Department).where(Department.id.in_(list(department_ids))))
    )
    people: dict[int, User] = {}
    if len(departments) != len(set(department_ids)):
        problems.append(AssignmentError("departments", _l("Unknown department.")))
    elif scope is not None and any(d.id not in scope for d in departments):
        problems.append(
            AssignmentError("departments", _l("You can only assign to your own departments."))
        )
    elif departments:
        for user in db.session.scalars(
            select(User).where(
                User.department_id.in_([d.id for d in departments]),
                User.role == "employee",
                User.active.is_(True),
            )
        ):
            people[user.id] = user
    names = [n.strip().lower() for n in usernames if n.strip()]
    people_ok = True
    if names:
        found = {
            u.username: u
            for u in db.session.scalars(
                select(User).where(
                    (User.username.in_(names)) | (func.lower(User.employee_no).in_(names)),
                    User.active.is_(True),
                )
            )
        }
        by_number = {u.employee_no.lower(): u for u in found.values() if u.employee_no}
        unknown = [n for n in names if n not in found and n not in by_number]
        if unknown:
            people_ok = False
            problems.append(
                AssignmentError(
                    "people", _l("Unknown people: %(names)s", names=", ".join(unknown[:10]))
                )
            )
        else:
            for name in names:
                user = found.get(name) or by_number[name]
                if scope is not None and user.department_id not in scope:
                    people_ok = False
                    problems.append(
                        AssignmentError(
                            "people",
                            _l("%(name)s is not in your departments.", name=user.display_name),
                        )
                    )
                    break
                people[user.id] = user
    fields = {p.field for p in problems}
    if people_ok and not people and "departments" not in fields:
        problems.append(AssignmentError("people", _l("Choose at least one department or person.")))
    return problems, item, departments, people, names


def cancel(actor: User, assignment: Assignment) -> None:
    """Withdraw an assignment's open parts (completed work stays recorded). Flushes."""
    if assignment.cancelled_at is not None:
        return
    assignment.cancelled_at = utcnow()
    db.session.execute(
        update(AssignmentTarget)
        .where(
            AssignmentTarget.assignment_id == assignment.id, AssignmentTarget.completed_at.is_(None)
        )
        .values(cancelled=True)
    )
    db.session.flush()
    logger.info("%s cancelled assignment %d", actor.username, assignment.id)


# --- the ledger's view: initiative and completion -----------------------------------


def _open_target(user_id: int, kind: str, object_id: str) -> AssignmentTarget | None:
    return db.session.scalar(
        select(AssignmentTarget)
        .where(
            AssignmentTarget.user_id == user_id,
            AssignmentTarget.kind == kind,
            AssignmentTarget.object_id == object_id,
            AssignmentTarget.completed_at.is_(None),
            AssignmentTarget.cancelled.is_(False),
        )
        .order_by(AssignmentTarget.due_at)
        .limit(1)
    )


def resolve_initiative(
    actor: User, object_type: str, object_id: str, when: datetime
) -> tuple[str, int | None, bool | None] | None:
    """("assigned", assignment id, on time) when the work answers open assigned work."""
    kind = OBJECT_KIND.get(object_type)
    if kind is None:
        return None
    target = _open_target(actor.id, kind, object_id)
    if target is None:
        return None
    return "assigned", target.assignment_id, when <= target.due_at


def close_assigned_work(statement: Statement) -> None:
    """Mark open assigned work done when `statement` completes it (same transaction)."""
    kind = COMPLETES.get((statement.verb, statement.object_type))
    if kind is None:
        return
    if statement.object_type == "scenario" and not statement.success:
        return
    if (
        kind == "module"
        and statement.object_type == "module"
        and _module_has_quiz(statement.object_id)
    ):
        return  # a module with a quiz is done when the quiz is passed
    targets = db.session.scalars(
        select(AssignmentTarget).where(
            AssignmentTarget.user_id == statement.actor_id,
            AssignmentTarget.kind == kind,
            AssignmentTarget.object_id == statement.object_id,
            AssignmentTarget.completed_at.is_(None),
            AssignmentTarget.cancelled.is_(False),
        )
    )
    for target in targets:
        target.completed_at = statement.timestamp
        target.on_time = statement.timestamp <= target.due_at
        target.statement_id = statement.id


def _module_has_quiz(key: str) -> bool:
    from academy.catalog.models import Module

    count = db.session.scalar(select(Module.question_count).where(Module.key == key))
    return bool(count)


ledger.INITIATIVE_RESOLVERS.append(resolve_initiative)
ledger.AFTER_RECORD.append(close_assigned_work)


# --- reading -----------------------------------------------------------------------


@dataclass(frozen=True)
class MyWork:
    """One line of "assigned to you"."""

    target: AssignmentTarget
    assignment: Assignment
    overdue: bool
    days_left: int


def my_assignments(user: User, *, include_done_days: int = 14) -> list[MyWork]:
    """Open work first by urgency (overdue, then soonest due), then recently done (one query)."""
    now = utcnow()
    since = now - timedelta(days=include_done_days)
    rows = db.session.scalars(
        select(AssignmentTarget)
        .options(joinedload(AssignmentTarget.assignment))
        .where(
            AssignmentTarget.user_id == user.id,
            AssignmentTarget.cancelled.is_(False),
            (AssignmentTarget.completed_at.is_(None)) | (AssignmentTarget.completed_at >= since),
        )
    ).all()
    work = [
        MyWork(
            target=row,
            assignment=row.assignment,
            overdue=row.completed_at is None and row.due_at < now,
            days_left=(
                row.due_at.astimezone(COMPANY_TZ).date() - now.astimezone(COMPANY_TZ).date()
            ).days,
        )
        for row in rows
    ]
    work.sort(key=lambda w: (w.target.completed_at is not None, w.target.due_at))
    return work


def open_work_by_item(work: Iterable[MyWork]) -> dict[tuple[str, str], MyWork]:
    """(kind, object id) → the soonest due open work on it, from `my_assignments` (pure)."""
    found: dict[tuple[str, str], MyWork] = {}
    for item in work:
        if item.target.completed_at is not None:
            continue
        key = (item.target.kind, item.target.object_id)
        if key not in found or item.target.due_at < found[key].target.due_at:
            found[key] = item
    return found


def my_open_work(user: User) -> dict[tuple[str, str], MyWork]:
    """The user's open assigned work by item, soonest due first (one query)."""
    return open_work_by_item(my_assignments(user, include_done_days=0))


@dataclass(frozen=True)
class AssignmentRow:
    """An assignment with its progress counts, for lists."""

    assignment: Assignment
    total: int
    done: int
    overdue: int


def assignment_rows(
    viewer: User, *, status: str | None = None, department_id: int | None = None
) -> list[AssignmentRow]:
    """Assignments visible to `viewer` with done/overdue counts (one grouped query).

    Trainers see assignments that reach people in their departments.
    """
    now = utcnow()
    done = func.sum(case((AssignmentTarget.completed_at.is_not(None), 1), else_=0))
    overdue = func.sum(
        case(
            (
                and_(
                    AssignmentTarget.completed_at.is_(None),
                    AssignmentTarget.cancelled.is_(False),
                    AssignmentTarget.due_at < now,
                ),
                1,
            ),
            else_=0,
        )
    )
    query = (
        select(Assignment, func.count(AssignmentTarget.id), done, overdue)
        .join(AssignmentTarget, AssignmentTarget.assignment_id == Assignment.id)
        .join(User, User.id == AssignmentTarget.user_id)
        .options(joinedload(Assignment.assigned_by), joinedload(Assignment.department))
        .group_by(Assignment.id)
        .order_by(Assignment.cancelled_at.is_not(None), Assignment.due_at.desc(), Assignment.id)
    )
    scope = scope_department_ids(viewer)
    if scope is not None:
        query = query.where(User.department_id.in_(scope or {-1}))
    if department_id:
        query = query.where(User.department_id == department_id)
    if status == "open":
        query = query.where(Assignment.cancelled_at.is_(None))
    rows = [
        AssignmentRow(a, int(total or 0), int(d or 0), int(o or 0))
        for a, total, d, o in db.session.execute(query).unique().all()
    ]
    if status == "overdue":
        rows = [r for r in rows if r.overdue]
    return rows


def targets_of(assignment: Assignment, viewer: User) -> list[AssignmentTarget]:
    """The people of an assignment that `viewer` may see, with users loaded (one query)."""
    query = (
        select(AssignmentTarget)
        .join(User, User.id == AssignmentTarget.user_id)
        .options(joinedload(AssignmentTarget.user).joinedload(User.department))
        .where(AssignmentTarget.assignment_id == assignment.id)
        .order_by(AssignmentTarget.completed_at.is_not(None), User.display_name)
    )
    scope = scope_department_ids(viewer)
    if scope is not None:
        query = query.where(User.department_id.in_(scope or {-1}))
    return list(db.session.scalars(query))


def overdue_counts_by_user(user_ids: Iterable[int]) -> dict[int, int]:
    """Open overdue assignments per user (for HR lists; one grouped query)."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(AssignmentTarget.user_id, func.count(AssignmentTarget.id))
        .where(
            AssignmentTarget.user_id.in_(ids),
            AssignmentTarget.completed_at.is_(None),
            AssignmentTarget.cancelled.is_(False),
            AssignmentTarget.due_at < utcnow(),
        )
        .group_by(AssignmentTarget.user_id)
    ).all()
    return {user_id: count for user_id, count in rows}

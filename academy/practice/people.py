"""Who may record practice evidence about whom, and finding a person by name or 工号.

- Observations: trainers, about employees of the departments they coach
  (`academy.assignments.services.scope_department_ids`); admins about anyone.
- Feedback cards: any signed-in staff. Employees enter cards for their
  department as a whole only (residents name a worker themselves, through the
  worker's badge QR code); trainers enter paper cards for their departments, HR
  and admins for every department, naming anyone there but themselves.
- Reflections: only their author writes or reads them as text; trainers read
  their departments' (`can_read_reflections`); HR sees counts only.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from academy.accounts.models import Department, User
from academy.assignments.services import scope_department_ids
from academy.extensions import db

#: The people a trainer may pick from (the employee field offers them as suggestions).
MAX_SUGGESTIONS = 2000


class PracticeError(ValueError):
    """Practice evidence was refused; `field` names the form field at fault."""

    def __init__(self, field: str, message: object) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


def coaching_scope(viewer: User) -> set[int] | None:
    """Department ids whose people `viewer` coaches (None: every department)."""
    if viewer.role == "admin":
        return None
    if not viewer.has_role("trainer"):
        return set()
    return scope_department_ids(viewer) or set()


def card_scope(viewer: User) -> set[int] | None:
    """Departments `viewer` may enter feedback cards for (None: every department)."""
    if viewer.role in ("hr", "admin"):
        return None
    if viewer.role == "trainer":
        return coaching_scope(viewer)
    return {viewer.department_id} if viewer.department_id is not None else set()


def in_scope(scope: set[int] | None, person: User) -> bool:
    """Whether `person` belongs to a department of `scope` (None: everyone)."""
    return scope is None or (person.department_id is not None and person.department_id in scope)


def can_observe(viewer: User, person: User) -> bool:
    """Trainers observe the employees of their departments; admins anyone."""
    return (
        viewer.has_role("trainer")
        and person.role == "employee"
        and person.active
        and in_scope(coaching_scope(viewer), person)
    )


def can_coach(viewer: User, person: User) -> bool:
    """Whether `viewer` may open `person`'s coaching page (and read their reflections)."""
    return (
        viewer.has_role("trainer")
        and person.role == "employee"
        and in_scope(coaching_scope(viewer), person)
    )


def can_read_reflections(viewer: User, author: User) -> bool:
    """The author, or a trainer of the author's department. Never HR as such."""
    return viewer.id == author.id or can_coach(viewer, author)


def can_name_on_card(viewer: User, person: User) -> bool:
    """Whether `viewer` may enter a resident's card that names `person`.

    Never oneself, and never as an employee (a colleague): only trainers, HR and
    admins transcribe named paper cards.
    """
    return (
        viewer.role != "employee"
        and viewer.id != person.id
        and person.role == "employee"
        and person.active
        and in_scope(card_scope(viewer), person)
    )


def _people(scope: set[int] | None) -> Select[tuple[User]]:
    query = (
        select(User)
        .options(joinedload(User.department))
        .where(User.role == "employee", User.active.is_(True))
    )
    if scope is not None:
        query = query.where(User.department_id.in_(sorted(scope) or [-1]))
    return query.order_by(User.department_id, User.display_name, User.id)


def people_in(scope: set[int] | None, limit: int = MAX_SUGGESTIONS) -> list[User]:
    """Active employees of the departments in `scope`, by department and name (one query)."""
    return list(db.session.scalars(_people(scope).limit(limit)))


def departments_in(scope: set[int] | None) -> list[Department]:
    """The departments of `scope` by name (None: all)."""
    query = select(Department).order_by(Department.name)
    if scope is not None:
        query = query.where(Department.id.in_(sorted(scope) or [-1]))
    return list(db.session.scalars(query))


def find_person(scope: set[int] | None, text: str) -> User | None:
    """The active employee in `scope` named by username, 工号, or an unambiguous name.

    The picker offers ``张伟 · zhangwei · D00001``; whatever the browser or
    the person typed, the first token that matches wins.
    """
    wanted = [part.strip() for part in text.replace("·", " ").split() if part.strip()]
    if not wanted:
        return None
    for token in (wanted[-1], *wanted):  # the username or 工号 is usually last
        lowered = token.lower()
        found = list(
            db.session.scalars(
                _people(scope)
                .where(
                    or_(
                        User.username == lowered,
                        User.employee_no == token,
                        User.employee_no == token.upper(),
                        User.display_name == token,
                    )
                )
                .limit(2)
            )
        )
        if len(found) == 1:
            return found[0]
    return None


def person_label(person: User) -> str:
    """``张伟 · zhangwei · D00001``: what the picker shows and accepts back."""
    parts = [person.display_name, person.username]
    if person.employee_no:
        parts.append(person.employee_no)
    return " · ".join(parts)


NOT_YOURS = _l("You can only record this for people in your departments.")

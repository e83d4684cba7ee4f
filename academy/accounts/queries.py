"""Read side of accounts: filtered, paginated user lists for administrators."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from academy.accounts.models import Department, User
from academy.extensions import db


def user_list_query(
    *,
    role: str | None = None,
    department_id: int | None = None,
    search: str | None = None,
    active: bool | None = None,
) -> Select[tuple[User]]:
    """Users matching the filters, by display name (department loaded eagerly)."""
    from sqlalchemy.orm import joinedload

    query = select(User).options(joinedload(User.department))
    if role:
        query = query.where(User.role == role)
    if department_id:
        query = query.where(User.department_id == department_id)
    if active is not None:
        query = query.where(User.active.is_(active))
    if search:
        from academy.search.queries import people_match

        match = people_match(search)
        if match is not None:
            query = query.where(match)
    return query.order_by(User.display_name, User.id)


def departments_with_counts() -> list[tuple[Department, int]]:
    """Every department with its number of people (one query)."""
    rows = db.session.execute(
        select(Department, func.count(User.id))
        .outerjoin(User, User.department_id == Department.id)
        .group_by(Department.id)
        .order_by(Department.name)
    ).all()
    return [(department, count) for department, count in rows]


def all_departments() -> list[Department]:
    """Departments by name."""
    return list(db.session.scalars(select(Department).order_by(Department.name)))

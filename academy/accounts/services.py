"""Operations on people: create, update, authenticate, import. They flush; callers commit."""

from __future__ import annotations

import csv
import io
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from academy.accounts.models import Department, User
from academy.extensions import db
from academy.timeutil import utcnow
from academy.vocabulary import ROLES

logger = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
# A hash to compare against when the user does not exist, so that a wrong
# username costs as much time as a wrong password (no user enumeration by timing).
_DUMMY_HASH = generate_password_hash("academy-timing-equaliser", method="scrypt")


class AccountError(ValueError):
    """A user or department change was refused; `field` names the offending input."""

    def __init__(self, field: str, message: object) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class UserInput:
    """The fields of a user as typed into a form or a CSV row."""

    username: str
    display_name: str
    role: str = "employee"
    department: str | None = None
    employee_no: str | None = None
    email: str | None = None


def hash_password(password: str) -> str:
    """scrypt hash of `password` (werkzeug)."""
    return generate_password_hash(password, method="scrypt")


def generate_password() -> str:
    """A random password that is easy to read out loud (no look-alike characters)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def check_password_policy(password: str) -> None:
    """Refuse passwords that are too short."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            "password", _l("password must be at least %(n)d characters", n=MIN_PASSWORD)
        )


def normalise_username(username: str) -> str:
    """Usernames are case-insensitive: stored lower-case, trimmed."""
    return username.strip().lower()


def find_user(username: str) -> User | None:
    """The user with this username (case-insensitive), or None."""
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def find_department(name: str) -> Department | None:
    """The department with this exact name (trimmed), or None."""
    return db.session.scalar(select(Department).where(Department.name == name.strip()))


def authenticate(username: str, password: str) -> User | None:
    """The active user whose password matches, else None (constant-time-ish)."""
    user = find_user(username) if username else None
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def user_input_problems(
    data: UserInput, *, existing: User | None = None
) -> tuple[list[AccountError], Department | None]:
    """Every problem with a user's fields (one per field), and the department they name."""
    problems: list[AccountError] = []
    username = normalise_username(data.username)
    if not USERNAME_RE.match(username):
        problems.append(
            AccountError(
                "username",
                _l(
                    "username must be 2-64 characters: letters a-z, digits, dot, dash or underscore"
                ),
            )
        )
    else:
        other = find_user(username)
        if other is not None and other is not existing:
            problems.append(
                AccountError("username", _l("username '%(name)s' is already taken", name=username))
            )
    if not data.display_name.strip() or len(data.display_name.strip()) > 120:
        problems.append(
            AccountError("display_name", _l("display name is required (at most 120 characters)"))
        )
    if data.role not in ROLES:
        problems.append(
            AccountError("role", _l("role must be one of %(roles)s", roles=", ".join(ROLES)))
        )
    department = None
    if data.department and data.department.strip():
        department = find_department(data.department)
        if department is None:
            problems.append(
                AccountError(
                    "department", _l("department '%(name)s' does not exist", name=data.department)
                )
            )
    if data.employee_no:
        if len(data.employee_no.strip()) > 32:
            problems.append(
                AccountError("employee_no", _l("employee number is at most 32 characters"))
            )
        else:
            clash = db.session.scalar(
                select(User).where(User.employee_no == data.employee_no.strip())
            )
            if clash is not None and clash is not existing:
                problems.append(
                    AccountError(
                        "employee_no",
                        _l(
                            "employee number '%(no)s' belongs to %(user)s",
                            no=data.employee_no,
                            user=clash.username,
                        ),
                    )
                )
    if data.email and not EMAIL_RE.match(data.email.strip()):
        problems.append(
            AccountError("email", _l("'%(email)s' is not an email address", email=data.email))
        )
    return problems, department


def validate_user_input(data: UserInput, *, existing: User | None = None) -> Department | None:
    """Check a user's fields; return the department they name. Raises the first AccountError."""
    problems, department = user_input_problems(data, existing=existing)
    if problems:
        raise problems[0]
    return department


def create_user(data: UserInput, password: str | None = None, *, actor: User | None = None) -> User:
    """Create a user (password checked against the policy). Flushes."""
    department = validate_user_input(data)
    if password is None:
        raise AccountError("password", _l("a password is required"))
    check_password_policy(password)
    user = User(
        username=normalise_username(data.username),
        display_name=data.display_name.strip(),
        role=data.role,
        department=department,
        employee_no=(data.employee_no or "").strip() or None,
        email=(data.email or "").strip() or None,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    logger.info("user %s created by %s", user.username, actor.username if actor else "system")
    return user


def update_user(user: User, data: UserInput, *, active: bool, actor: User | None = None) -> User:
    """Change a user's fields; deactivating ends their sessions. Flushes."""
    department = validate_user_input(data, existing=user)
    if actor is not None and actor.id == user.id and (data.role != "admin" or not active):
        raise AccountError("role", _l("you cannot remove your own administrator access"))
    if user.role == "admin" and (data.role != "admin" or not active) and count_admins() <= 1:
        raise AccountError(
            "role", _l("the last active administrator cannot be demoted or disabled")
        )
    user.username = normalise_username(data.username)
    user.display_name = data.display_name.strip()
    user.role = data.role
    user.department = department
    user.employee_no = (data.employee_no or "").strip() or None
    user.email = (data.email or "").strip() or None
    if user.active and not active:
        user.session_version += 1
    user.active = active
    db.session.flush()
    logger.info("user %s updated by %s", user.username, actor.username if actor else "system")
    return user


def set_password(user: User, password: str, *, actor: User | None = None) -> None:
    """Set a new password and end the user's other sessions. Flushes."""
    check_password_policy(password)
    user.password_hash = hash_password(password)
    user.session_version += 1
    db.session.flush()
    logger.info("password of %s set by %s", user.username, actor.username if actor else "self")


def count_admins() -> int:
    """Active administrators."""
    return (
        db.session.scalar(
            select(func.count(User.id)).where(User.role == "admin", User.active.is_(True))
        )
        or 0
    )


def ensure_first_admin(password: str | None) -> tuple[User, str | None] | None:
    """Create user `admin` if there is no administrator yet.

    Returns (user, generated password or None) when one was created.
    """
    if db.session.scalar(select(func.count(User.id)).where(User.role == "admin")):
        return None
    generated = None
    if not password:
        generated = password = generate_password()
    user = create_user(
        UserInput(username="admin", display_name="系统管理员", role="admin"), password
    )
    return user, generated


# --- departments -------------------------------------------------------------


def create_department(name: str) -> Department:
    """Create a department with a unique, non-empty name. Flushes."""
    clean = name.strip()
    if not clean or len(clean) > 120:
        raise AccountError("name", _l("department name is required (at most 120 characters)"))
    if find_department(clean) is not None:
        raise AccountError("name", _l("department '%(name)s' already exists", name=clean))
    department = Department(name=clean)
    db.session.add(department)
    db.session.flush()
    return department


def rename_department(department: Department, name: str) -> Department:
    """Rename a department, keeping names unique. Flushes."""
    clean = name.strip()
    if not clean or len(clean) > 120:
        raise AccountError("name", _l("department name is required (at most 120 characters)"))
    other = find_department(clean)
    if other is not None and other.id != department.id:
        raise AccountError("name", _l("department '%(name)s' already exists", name=clean))
    department.name = clean
    db.session.flush()
    return department


def delete_department(department: Department) -> None:
    """Delete an empty department; refuse while people belong to it."""
    members = db.session.scalar(
        select(func.count(User.id)).where(User.department_id == department.id)
    )
    if members:
        raise AccountError(
            "name",
            _l("department '%(name)s' still has %(n)d people", name=department.name, n=members),
        )
    db.session.delete(department)
    db.session.flush()


# --- CSV import ----------------------------------------------------------------

#: Accepted header names (English and Chinese) → field.
CSV_HEADERS = {
    "username": "username",
    "用户名": "username",
    "display name": "display_name",
    "display_name": "display_name",
    "name": "display_name",
    "姓名": "display_name",
    "role": "role",
    "角色": "role",
    "department": "department",
    "部门": "department",
    "employee number": "employee_no",
    "employee_no": "employee_no",
    "employee no": "employee_no",
    "工号": "employee_no",
    "email": "email",
    "邮箱": "email",
}
ROLE_ALIASES = {"员工": "employee", "培训师": "trainer", "人事": "hr", "管理员": "admin"}


@dataclass
class ImportReport:
    """Outcome of a CSV import: created users with passwords, or row-numbered errors."""

    created: list[tuple[User, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without BOM), falling back to GB18030 as saved by Excel in China."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def import_users_csv(
    text: str, *, create_departments: bool = False, actor: User | None = None
) -> ImportReport:
    """Create users from CSV text; on any bad row, create nobody (the caller rolls back).

    Each created user gets a generated password, returned in the report.
    """
    report = ImportReport()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        report.errors.append((1, str(_l("the file is empty"))))
        return report
    columns = [CSV_HEADERS.get(h.strip().lower()) for h in header]
    missing = {"username", "display_name"} - set(columns)
    if missing:
        report.errors.append(
            (
                1,
                str(
                    _l(
                        "missing column(s): %(cols)s (header: %(header)s)",
                        cols=", ".join(sorted(missing)),
                        header=", ".join(header),
                    )
                ),
            )
        )
        return report
    seen: dict[str, int] = {}
    rows: list[tuple[int, UserInput]] = []
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            report.errors.append(
                (
                    line_no,
                    str(
                        _l(
                            "%(cells)d cells but %(cols)d columns",
                            cells=len(row),
                            cols=len(columns),
                        )
                    ),
                )
            )
            continue
        values = {col: cell.strip() for col, cell in zip(columns, row, strict=False) if col}
        role = values.get("role") or "employee"
        data = UserInput(
            username=values.get("username", ""),
            display_name=values.get("display_name", ""),
            role=ROLE_ALIASES.get(role, role.lower()),
            department=values.get("department") or None,
            employee_no=values.get("employee_no") or None,
            email=values.get("email") or None,
        )
        key = normalise_username(data.username)
        if key in seen:
            report.errors.append(
                (
                    line_no,
                    str(_l("username '%(name)s' repeats row %(row)d", name=key, row=seen[key])),
                )
            )
            continue
        seen[key] = line_no
        rows.append((line_no, data))
    if create_departments:
        for _, data in rows:
            if data.department and find_department(data.department) is None:
                create_department(data.department)
    for line_no, data in rows:
        password = generate_password()
        try:
            user = create_user(data, password, actor=actor)
        except AccountError as exc:
            # Name every bad field of the row, not only the first one create_user met.
            problems = user_input_problems(data)[0] or [exc]
            report.errors.extend((line_no, f"{p.field}: {p.message}") for p in problems)
            continue
        report.created.append((user, password))
    report.errors.sort(key=lambda error: error[0])
    return report


def users_in(ids: Iterable[int]) -> list[User]:
    """Users by id, in one query."""
    wanted = list(ids)
    if not wanted:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(wanted))))

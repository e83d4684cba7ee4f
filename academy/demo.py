"""A demo organisation so a visitor can try every role (idempotent).

Later features extend it with history through `DEMO_EXTENSIONS`.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable

from sqlalchemy import select

from academy.accounts import services
from academy.accounts.models import Department, User
from academy.extensions import db

logger = logging.getLogger(__name__)

DEPARTMENTS = ("供水车间", "供电车间", "供暖车间", "客服窗口")
DEMO_PASSWORD_DEFAULT = "academy-demo"

STAFF = (
    # username, display name, role, department
    ("trainer", "王秀兰", "trainer", "客服窗口"),
    ("hr", "刘红梅", "hr", None),
)
EMPLOYEES = (
    ("zhangwei", "张伟", "客服窗口"),
    ("lina", "李娜", "客服窗口"),
    ("wangqiang", "王强", "供水车间"),
    ("liujie", "刘杰", "供水车间"),
    ("chenjing", "陈静", "供电车间"),
    ("yangfan", "杨帆", "供电车间"),
    ("zhaolei", "赵磊", "供暖车间"),
    ("huangmin", "黄敏", "供暖车间"),
    ("zhouyang", "周洋", "客服窗口"),
    ("wuxia", "吴霞", "供水车间"),
    ("xuhao", "徐浩", "供电车间"),
    ("sunli", "孙丽", "供暖车间"),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力志"

#: Functions adding demo history (quiz attempts, drills, observations …), run in order.
DEMO_EXTENSIONS: list[Callable[[list[User]], str | None]] = []
#: Feature modules whose import registers a function in DEMO_EXTENSIONS (demo-only code,
#: imported when a demo is built rather than by every app).
EXTENSION_MODULES: list[str] = [
    "academy.progress.demo_quizzes",
    "academy.progress.demo_drills",
    "academy.credentials.demo",
    "academy.practice.demo",
]


def demo_password() -> str:
    """The shared demo password (``ACADEMY_DEMO_PASSWORD`` or a documented default)."""
    return os.environ.get("ACADEMY_DEMO_PASSWORD", DEMO_PASSWORD_DEFAULT)


def _department(name: str) -> Department:
    return services.find_department(name) or services.create_department(name)


def build_demo(employees: int = 12) -> str:
    """Create the demo organisation if missing and commit; return a summary to print."""
    for name in EXTENSION_MODULES:
        importlib.import_module(name)
    password = demo_password()
    password_hash = services.hash_password(password)  # one hash for all: fast at 10,000
    departments = {name: _department(name) for name in DEPARTMENTS}
    existing = set(db.session.scalars(select(User.username)))
    created: list[User] = []
    for username, name, role, dep in STAFF:
        if username not in existing:
            user = User(
                username=username,
                display_name=name,
                role=role,
                department=departments[dep] if dep else None,
                password_hash=password_hash,
            )
            db.session.add(user)
            created.append(user)
    for index, (username, name, dep) in enumerate(_employee_rows(employees)):
        if username in existing:
            continue
        if dep not in departments:
            departments[dep] = _department(dep)
        user = User(
            username=username,
            display_name=name,
            role="employee",
            department=departments[dep],
            employee_no=f"D{index + 1:05d}",
            password_hash=password_hash,
        )
        db.session.add(user)
        created.append(user)
    db.session.flush()
    notes = [note for extend in DEMO_EXTENSIONS if (note := extend(created))]
    db.session.commit()
    lines = [
        f"demo organisation: {len(created)} new account(s) in {len(departments)} departments",
        f"  sign in as trainer / hr / zhangwei (employee) with the password: {password}",
        *notes,
    ]
    logger.info("demo built: %d accounts", len(created))
    return "\n".join(lines)


def _employee_rows(count: int) -> list[tuple[str, str, str]]:
    rows = list(EMPLOYEES[:count])
    extra_departments = DEPARTMENTS + tuple(
        f"{area}{kind}"
        for area in ("东区", "西区", "南区", "北区")
        for kind in ("供水班", "供电班")
    )
    for index in range(len(rows), count):
        surname = SURNAMES[index % len(SURNAMES)]
        given = GIVEN[(index // len(SURNAMES)) % len(GIVEN)] + GIVEN[(index * 7) % len(GIVEN)]
        department = extra_departments[index % len(extra_departments)]
        rows.append((f"emp{index + 1:05d}", surname + given, department))
    return rows

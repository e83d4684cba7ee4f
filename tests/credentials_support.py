"""Helpers for the certificate, verification and HR desk tests (`credentials_support`).

`cert_app` builds the usual test app with certification rules published
(tests/data/credentials/certifications.yaml over the hermetic test content):
``look`` (both look lessons, the look quiz, one drill ≥ 70), ``smile`` (the smile
lesson) and ``both`` (look and smile held).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from helpers import DATA, TEST_DB_URL, make_test_app, reset_postgres

RULES = DATA / "credentials" / "certifications.yaml"


def cert_app(tmp_path: Path, **overrides: Any) -> Iterator[Any]:
    """The test app with the certification rules published (a fixture body)."""
    from academy.catalog.sync import sync_content
    from academy.credentials import rules
    from academy.extensions import db

    app = make_test_app(tmp_path, **{"CERTIFICATION_RULES": RULES, **overrides})
    with app.app_context():
        if TEST_DB_URL:
            reset_postgres(db)
        else:
            db.create_all()
        rules.forget()
        sync_content(app.config["COURSES_DIR"], app.config["SCENARIOS_DIR"])
        db.session.commit()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def record(app: Any, user_id: int, *facts: str, at: datetime | None = None) -> None:
    """Record evidence for a user through the ledger and commit.

    Facts: ``smile`` (smile lesson), ``look-lessons``, ``look-quiz`` (passed at 90),
    ``look-quiz-failed`` (50), ``drill`` (front-desk at 80), ``drill-poor`` (40).
    """
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import ledger

    with app.app_context():
        user = db.session.get(User, user_id)
        for fact in facts:
            if fact == "smile":
                ledger.record(user, "completed", "module", "smile/one-metre", success=True, at=at)
            elif fact == "look-lessons":
                for key in ("look/first-look", "look/second-look"):
                    ledger.record(user, "completed", "module", key, success=True, at=at)
            elif fact in ("look-quiz", "look-quiz-failed"):
                passed = fact == "look-quiz"
                ledger.record(
                    user,
                    "passed" if passed else "failed",
                    "quiz",
                    "look/first-look",
                    score=90 if passed else 50,
                    success=passed,
                    result={"pass_mark": 80},
                    at=at,
                )
            elif fact in ("drill", "drill-poor"):
                good = fact == "drill"
                ledger.record(
                    user,
                    "completed",
                    "scenario",
                    "front-desk",
                    score=80 if good else 40,
                    success=good,
                    at=at,
                )
            else:  # pragma: no cover - a typo in a test
                raise ValueError(fact)
        db.session.commit()


ALL = ("smile", "look-lessons", "look-quiz", "drill")


def certificates_of(app: Any, user_id: int) -> list[Any]:
    """The user's certificate records, oldest first (detached)."""
    from sqlalchemy import select

    from academy.credentials.models import Certificate
    from academy.extensions import db

    with app.app_context():
        records = list(
            db.session.scalars(
                select(Certificate).where(Certificate.user_id == user_id).order_by(Certificate.id)
            )
        )
        for r in records:
            db.session.expunge(r)
        return records


def states_of(app: Any, user_id: int) -> dict[str, Any]:
    """The user's stored certificate states by certificate id."""
    from sqlalchemy import select

    from academy.credentials.models import CertificateState
    from academy.extensions import db

    with app.app_context():
        return {
            s.certificate_id: (s.status, s.valid_until, s.done, s.total)
            for s in db.session.scalars(
                select(CertificateState).where(CertificateState.user_id == user_id)
            )
        }


def add_employees(app: Any, count: int, department: str, password_hash: str) -> list[int]:
    """Create `count` employees in `department` quickly; return their ids."""
    from sqlalchemy import select

    from academy.accounts.models import Department, User
    from academy.extensions import db

    with app.app_context():
        dep = db.session.scalar(select(Department).where(Department.name == department))
        if dep is None:
            dep = Department(name=department)
            db.session.add(dep)
            db.session.flush()
        start = db.session.scalar(select(db.func.count(User.id))) or 0
        users = [
            User(
                username=f"bulk{start + n}",
                display_name=f"员工{start + n}",
                role="employee",
                department_id=dep.id,
                employee_no=f"B{start + n:05d}",
                password_hash=password_hash,
            )
            for n in range(count)
        ]
        db.session.add_all(users)
        db.session.commit()
        return [u.id for u in users]

"""Shared fixtures: an app on a fresh database per test, users, login, query counting.

The suite runs on SQLite by default. Set ``ACADEMY_TEST_DATABASE_URL`` (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) to run it on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    PASSWORD,
    TEST_DB_URL,
    count_queries,
    csrf_token,
    make_test_app,
    reset_postgres,
)


def pytest_report_header(config: Any) -> str:
    return f"academy database: {TEST_DB_URL or 'sqlite (file per test)'}"


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One scrypt hash of PASSWORD, shared so tests do not pay for hashing."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD, method="scrypt")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """The app with an empty schema and the test content synced."""
    from academy.catalog.sync import sync_content
    from academy.extensions import db

    app = make_test_app(tmp_path)
    with app.app_context():
        if TEST_DB_URL:
            reset_postgres(db)
        else:
            db.create_all()
        sync_content(app.config["COURSES_DIR"], app.config["SCENARIOS_DIR"])
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Any) -> Any:
    """A test client that prefers English (Chinese is tested explicitly)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def runner(app: Any) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Any, password_hash: str) -> Any:
    """Factory: make_user(role="employee", username=None, department=None) → User."""
    from academy.accounts.models import Department, User
    from academy.extensions import db

    counter = {"n": 0}

    def factory(
        role: str = "employee",
        username: str | None = None,
        department: str | None = None,
        display_name: str | None = None,
        active: bool = True,
    ) -> Any:
        counter["n"] += 1
        with app.app_context():
            dep = None
            if department:
                dep = db.session.scalar(db.select(Department).where(Department.name == department))
                if dep is None:
                    dep = Department(name=department)
                    db.session.add(dep)
            user = User(
                username=username or f"{role}{counter['n']}",
                display_name=display_name or f"测试{role}{counter['n']}",
                role=role,
                department=dep,
                password_hash=password_hash,
                active=active,
            )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return factory


class Auth:
    """Log a test client in and out through the real login form."""

    def __init__(self, client: Any, make_user: Any) -> None:
        self.client = client
        self.make_user = make_user

    def login(self, username: str, password: str = PASSWORD) -> Any:
        token = csrf_token(self.client)
        return self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )

    def login_as(self, role: str = "employee", **kwargs: Any) -> Any:
        user = self.make_user(role, **kwargs)
        response = self.login(user.username)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST with the session's CSRF token added."""
        payload = dict(data or {})
        payload.setdefault("csrf_token", csrf_token(self.client, "/__csrf__"))
        return self.client.post(path, data=payload, **kwargs)


@pytest.fixture
def auth(client: Any, make_user: Any) -> Auth:
    return Auth(client, make_user)


@pytest.fixture
def queries(app: Any) -> Any:
    return lambda: count_queries(app)

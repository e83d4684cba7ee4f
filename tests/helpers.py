"""Test helpers shared by conftest and test modules (importable as `helpers`)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

DATA = Path(__file__).parent / "data"


def _worker_database(url: str) -> str:
    """With pytest-xdist, each worker gets its own PostgreSQL database (created if missing)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url.startswith("postgresql") or not worker:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.scalar() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    worker_url = base.set(database=name).render_as_string(hide_password=False)
    # Tests that read the variable directly see the worker's database too.
    os.environ["ACADEMY_TEST_DATABASE_URL"] = worker_url
    return worker_url


TEST_DB_URL = _worker_database(os.environ.get("ACADEMY_TEST_DATABASE_URL", ""))
PASSWORD = "correct-horse-9"
_CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


STATE = {"pg_schema_ready": False}


def reset_postgres(db: Any) -> None:
    """Create the schema once per run, then empty every table (fast per-test reset)."""
    if not STATE["pg_schema_ready"]:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        STATE["pg_schema_ready"] = True
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def make_test_app(tmp_path: Path, **overrides: Any) -> Any:
    """An app on a fresh database with the hermetic test content."""
    from academy import create_app

    url = TEST_DB_URL or f"sqlite:///{tmp_path / 'test.db'}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "COURSES_DIR": DATA / "courses",
        "SCENARIOS_DIR": DATA / "app_scenarios",
        # Check the content version on every request so re-syncs show at once.
        "CONTENT_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return create_app(config)


def csrf_token(client: Any, path: str = "/__csrf__") -> str:
    """The CSRF token of the client's session, read from a page's meta tag."""
    response = client.get(path)
    match = _CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no csrf meta tag on {path}"
    return match.group(1)


@contextmanager
def count_queries(app: Any) -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block."""
    from academy.extensions import db

    statements: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if (
            not statement.lstrip()
            .upper()
            .startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE"))
        ):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def login(page: Any, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form in a real browser, like a person would."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")

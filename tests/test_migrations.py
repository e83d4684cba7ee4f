"""Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from helpers import DATA
from sqlalchemy import create_engine, inspect, text


def test_upgrade_from_empty_matches_models(tmp_path):
    """`academy init`'s upgrade yields the models' schema with no differences."""
    from academy import create_app
    from academy.extensions import db
    from academy.setup import upgrade_schema

    url = os.environ.get("ACADEMY_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'm.db'}"
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(tmp_path / "i"),
            "COURSES_DIR": DATA / "courses",
            "SCENARIOS_DIR": DATA / "app_scenarios",
        }
    )
    upgrade_schema(app)
    upgrade_schema(app)  # a second upgrade is a no-op
    with app.app_context():
        with db.engine.connect() as conn:
            from academy.search.models import include_in_autogenerate

            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_in_autogenerate}
            )
            diff = compare_metadata(context, db.metadata)
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert diff == [], diff
    assert {"users", "departments", "statements", "modules", "alembic_version"} <= tables
    if url.startswith("postgresql"):
        # leave the shared test database empty for the next test's create_all
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        import helpers

        helpers.STATE["pg_schema_ready"] = False


@pytest.mark.parametrize("name", ["env.py", "alembic.ini", "script.py.mako"])
def test_migration_environment_ships_with_the_package(name):
    """The migrations folder lives inside the package so installs carry it."""
    from academy.app import MIGRATIONS_DIR

    assert (MIGRATIONS_DIR / name).is_file()


def test_migration_history_has_one_head():
    """Feature branches are merged: new migrations have one revision to build on."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from academy.app import MIGRATIONS_DIR

    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_heads() == ["0011_search"]

"""The application factory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from academy import config, extensions, throttle

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults → instance/config.py → environment → `test_config`."""
    test_config = dict(test_config or {})
    instance = Path(test_config.pop("INSTANCE_PATH", None) or config.instance_path())
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(
        "academy",
        instance_path=str(instance),
        instance_relative_config=True,
        template_folder="web/templates",
        static_folder="web/static",
    )
    app.config.from_object(config.Defaults)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=config.database_url(instance),
        COURSES_DIR=config.content_path("courses"),
        SCENARIOS_DIR=config.content_path("scenarios"),
        MIGRATIONS_DIR=MIGRATIONS_DIR,
        # Shared by every worker on this machine (see academy.throttle).
        RATELIMIT_STORAGE_URI=throttle.storage_uri(instance),
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.from_environment())
    app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(instance)
    for key in ("COURSES_DIR", "SCENARIOS_DIR"):
        app.config[key] = Path(app.config[key])
    engine_options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        engine_options.setdefault(
            "connect_args", {"timeout": extensions.SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
    else:
        # A server connection can die behind our back; a local file cannot.
        engine_options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )

    _import_models()
    extensions.init_app(app)

    from academy.web import init_web

    init_web(app)
    return app


def _import_models() -> None:
    """Import every model module so that metadata and migrations see all tables."""
    import academy.accounts.models  # noqa: F401
    import academy.assignments.models  # noqa: F401
    import academy.assignments.services  # noqa: F401  (registers ledger hooks)
    import academy.catalog.models  # noqa: F401
    import academy.catalog.scenario_models  # noqa: F401
    import academy.credentials.models  # noqa: F401
    import academy.credentials.services  # noqa: F401  (issues certificates from evidence)
    import academy.practice.models  # noqa: F401
    import academy.progress.models  # noqa: F401
    import academy.progress.quiz_models  # noqa: F401
    import academy.progress.run_models  # noqa: F401
    import academy.search.models  # noqa: F401
    import academy.studio.models  # noqa: F401

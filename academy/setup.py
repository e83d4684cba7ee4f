"""First-run and upgrade: schema migrations, content sync, the first administrator."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask

from academy.accounts.services import ensure_first_admin
from academy.catalog.sync import SyncReport, sync_content
from academy.extensions import db

logger = logging.getLogger(__name__)


@dataclass
class InitResult:
    """What `initialise` did."""

    report: SyncReport
    admin_created: bool
    generated_password: str | None


def upgrade_schema(app: Flask) -> None:
    """Create or upgrade the database to the newest migration."""
    from flask_migrate import upgrade

    with app.app_context():
        # "heads": feature branches of the migration history are all applied.
        upgrade(directory=str(app.config["MIGRATIONS_DIR"]), revision="heads")


def initialise(app: Flask) -> InitResult:
    """Upgrade the schema, sync content, and create the first admin if there is none."""
    upgrade_schema(app)
    with app.app_context():
        report = sync_content(app.config["COURSES_DIR"], app.config["SCENARIOS_DIR"])
        created = ensure_first_admin(app.config.get("ADMIN_PASSWORD"))
        db.session.commit()
    return InitResult(
        report=report,
        admin_created=created is not None,
        generated_password=created[1] if created else None,
    )

"""Flask extensions, created here and bound to the app in one `init_app`."""

from __future__ import annotations

import contextvars
import threading
from typing import Any

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()

#: How the next SQLite transaction begins. Requests that will write begin
#: IMMEDIATE so that concurrent writers queue on the busy timeout instead of
#: failing with "database is locked" when a read lock cannot be upgraded.
sqlite_begin: contextvars.ContextVar[str] = contextvars.ContextVar(
    "sqlite_begin", default="DEFERRED"
)

SQLITE_BUSY_TIMEOUT_MS = 30_000


def intend_to_write() -> None:
    """Declare, before the first query of a GET that will write, that it writes.

    On SQLite the request's transaction then begins IMMEDIATE (see `sqlite_begin`);
    elsewhere this does nothing. POST requests are treated this way already.
    """
    sqlite_begin.set("IMMEDIATE")


def configure_sqlite(engine: Engine) -> None:
    """WAL mode, a busy timeout, foreign keys, and explicit BEGIN for SQLite engines."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so our BEGIN is the one used.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # Writers of this process queue on a lock instead of on SQLite's busy handler,
    # which polls with sleeps of up to 100 ms and makes tail latency long. Only
    # writers from *other* processes still meet the busy handler.
    writer_lock = threading.Lock()

    def _release(connection_info: dict[str, Any]) -> None:
        if connection_info.pop("academy_writer", False):
            writer_lock.release()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = sqlite_begin.get()
        if mode == "IMMEDIATE" and not connection.info.get("academy_writer"):
            # Bounded wait: a lost release can slow writers down, never stop them.
            if writer_lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
                connection.info["academy_writer"] = True
        try:
            connection.exec_driver_sql(f"BEGIN {mode}")
        except Exception:
            _release(connection.info)
            raise

    @event.listens_for(engine, "commit")
    def _on_commit(connection: Any) -> None:
        _release(connection.info)

    @event.listens_for(engine, "rollback")
    def _on_rollback(connection: Any) -> None:
        _release(connection.info)

    @event.listens_for(engine, "reset")
    def _on_reset(_dbapi_connection: Any, record: Any, _reset_state: Any) -> None:
        _release(record.info)

    @event.listens_for(engine, "close")
    def _on_close(_dbapi_connection: Any, record: Any) -> None:
        _release(record.info)


def init_app(app: Flask) -> None:
    """Bind every extension to `app`."""
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(app.config["MIGRATIONS_DIR"]))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    limiter.init_app(app)

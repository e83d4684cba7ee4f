"""Rate-limit counters that every server process on one machine shares.

Flask-Limiter's default storage is in memory, so each gunicorn worker would count
failed logins on its own and `academy serve`'s workers together would allow several
times the limit. This `limits` storage keeps the fixed-window counters in a small
SQLite file in the instance folder instead (``academy-sqlite:///path/to/file``),
which all workers of a machine see. Several machines behind one address share
limits through Redis (``RATELIMIT_STORAGE_URI=redis://…``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from limits.storage import Storage

SCHEME = "academy-sqlite"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counters ("
    " key TEXT PRIMARY KEY, hits INTEGER NOT NULL, expires_at REAL NOT NULL)"
)
# One statement, so two processes counting the same key at once cannot lose a hit:
# an expired window starts again at `amount`, a live one adds to it.
_INCR = (
    "INSERT INTO counters (key, hits, expires_at) VALUES (:key, :amount, :expires)"
    " ON CONFLICT (key) DO UPDATE SET"
    " hits = CASE WHEN counters.expires_at <= :now THEN :amount"
    " ELSE counters.hits + :amount END,"
    " expires_at = CASE WHEN counters.expires_at <= :now THEN :expires"
    " ELSE counters.expires_at END"
    " RETURNING hits"
)


def storage_uri(instance: Path) -> str:
    """The storage URI of the counters file in an instance folder."""
    return f"{SCHEME}://{(instance / 'ratelimit.sqlite3').resolve()}"


class SQLiteFileStorage(Storage):
    """Fixed-window counters in a SQLite file (WAL), one connection per process and thread."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        path = (uri or "").partition("://")[2]
        if not path.startswith("/"):
            raise ValueError(f"expected {SCHEME}:///absolute/path, got {uri!r}")
        self.path = path
        self._local = threading.local()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        # A connection made before gunicorn forks must not be used by the children.
        pid = os.getpid()
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == pid:
            return held[1]
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(_SCHEMA)
        self._local.held = (pid, conn)
        return conn

    def incr(self, key: str, expiry: float, amount: int = 1, **_: Any) -> int:
        """Add `amount` hits to `key`'s window (a new window of `expiry` seconds if none)."""
        now = time.time()
        db = self._db()
        hits = db.execute(
            _INCR, {"key": key, "amount": amount, "expires": now + expiry, "now": now}
        ).fetchone()[0]
        db.execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
        return int(hits)

    def get(self, key: str) -> int:
        """Hits in `key`'s current window (0 when it has expired)."""
        row = (
            self._db()
            .execute(
                "SELECT hits FROM counters WHERE key = ? AND expires_at > ?", (key, time.time())
            )
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        """When `key`'s window ends (now, if there is none)."""
        now = time.time()
        row = (
            self._db()
            .execute("SELECT expires_at FROM counters WHERE key = ? AND expires_at > ?", (key, now))
            .fetchone()
        )
        return float(row[0]) if row else now

    def check(self) -> bool:
        """True when the file can be read."""
        try:
            self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter."""
        return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        """Forget one key's counter."""
        self._db().execute("DELETE FROM counters WHERE key = ?", (key,))

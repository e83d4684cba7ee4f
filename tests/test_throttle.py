"""The rate-limit counters file that every worker process of a machine shares."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from academy.throttle import SQLiteFileStorage, storage_uri


def _storage(tmp_path):
    return storage_from_string(storage_uri(tmp_path))


def test_the_uri_names_a_file_in_the_instance_folder(tmp_path):
    """limits finds the storage by its scheme, and it writes where the URI says."""
    storage = _storage(tmp_path)
    assert isinstance(storage, SQLiteFileStorage)
    storage.incr("k", 60)
    assert (tmp_path / "ratelimit.sqlite3").exists()


def test_a_relative_path_is_refused():
    """The counters file must be named by an absolute path (no surprise working folder)."""
    with pytest.raises(ValueError, match="absolute"):
        SQLiteFileStorage("academy-sqlite://ratelimit.sqlite3")


def test_two_storages_on_one_file_share_counts(tmp_path):
    """Hits counted by one process are seen by another (two workers of gunicorn)."""
    first, second = _storage(tmp_path), _storage(tmp_path)
    limit = parse("3 per minute")
    limiter_a, limiter_b = FixedWindowRateLimiter(first), FixedWindowRateLimiter(second)
    assert limiter_a.hit(limit, "login", "ip")
    assert limiter_b.hit(limit, "login", "ip")
    assert limiter_a.hit(limit, "login", "ip")
    assert not limiter_b.hit(limit, "login", "ip")
    assert limiter_a.hit(limit, "login", "other-ip")


def test_a_window_expires_and_starts_again(tmp_path):
    """After its expiry a key counts from zero; get_expiry tells when the window ends."""
    storage = _storage(tmp_path)
    assert storage.incr("k", 0.2) == 1
    assert storage.incr("k", 0.2) == 2
    assert storage.get_expiry("k") > time.time()
    time.sleep(0.25)
    assert storage.get("k") == 0
    assert storage.incr("k", 0.2) == 1


def test_clear_reset_and_check(tmp_path):
    """clear forgets one key, reset all; check answers while the file is readable."""
    storage = _storage(tmp_path)
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0
    assert storage.get("b") == 1
    storage.reset()
    assert storage.get("b") == 0
    assert storage.check()


_HAMMER = """
import sys
import academy.throttle
from limits.storage import storage_from_string
storage = storage_from_string(sys.argv[1])
for _ in range(50):
    storage.incr("shared", 60)
"""


def test_concurrent_processes_lose_no_hit(tmp_path):
    """Four processes adding 50 hits each to one key at once leave exactly 200."""
    uri = storage_uri(tmp_path)
    workers = [
        subprocess.Popen([sys.executable, "-c", _HAMMER, uri], stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err.decode()
    assert _storage(tmp_path).get("shared") == 200

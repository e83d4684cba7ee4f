"""Concurrent last requirements issue each certificate exactly once.

One employee finishes the last lesson of two certificates from several browser
tabs at the same moment (real HTTP to werkzeug's threaded server), and threads
record evidence directly through the ledger. Run on SQLite (default) and on
PostgreSQL (``ACADEMY_TEST_DATABASE_URL``): there, without the per-person lock,
the certificate that needs both would be issued by neither request.
"""

from __future__ import annotations

import http.client
import logging
import re
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from credentials_support import cert_app, record
from helpers import PASSWORD
from sqlalchemy import func, select

pytestmark = pytest.mark.slow
CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
TABS = 4  # per lesson: 8 requests at once


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """The test app with certification rules published."""
    yield from cert_app(tmp_path)


class Browser:
    """A tiny HTTP client with its own cookie jar (no redirects followed)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: Any = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()


def _counts(app: Any, user_id: int) -> tuple[dict[str, int], int]:
    from academy.credentials.models import Certificate
    from academy.extensions import db
    from academy.progress.models import Statement

    with app.app_context():
        per_certificate = dict(
            db.session.execute(
                select(Certificate.certificate_id, func.count())
                .where(Certificate.user_id == user_id)
                .group_by(Certificate.certificate_id)
            ).all()
        )
        earned = db.session.scalar(
            select(func.count()).where(Statement.verb == "earned", Statement.actor_id == user_id)
        )
    return per_certificate, earned


def test_tabs_finishing_two_certificates_at_once_issue_each_once(app, make_user, caplog):
    """8 simultaneous 'lesson completed' posts: look, smile and both issued once each."""
    from werkzeug.serving import make_server

    caplog.set_level(logging.WARNING)
    user = make_user()
    record(app, user.id, "look-quiz", "drill")
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import ledger

    with app.app_context():
        person = db.session.get(User, user.id)
        ledger.record(person, "completed", "module", "look/first-look", success=True)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    lessons = ["/courses/look/second-look/complete", "/courses/smile/one-metre/complete"]
    jobs = [lessons[i % 2] for i in range(2 * TABS)]
    barrier = threading.Barrier(len(jobs), timeout=120)
    outcomes: list[dict[str, Any]] = [{} for _ in jobs]

    def tab(index: int) -> None:
        try:
            browser = Browser(server.server_port)
            _status, page = browser.request("GET", "/login")
            token = CSRF_RE.search(page).group(1)
            status, _page = browser.request(
                "POST",
                "/login",
                {"username": user.username, "password": PASSWORD, "csrf_token": token},
            )
            assert status == 302, status
            _status, page = browser.request("GET", "/me/certificates/")
            token = CSRF_RE.search(page).group(1)
            barrier.wait()
            outcomes[index]["status"], _ = browser.request(
                "POST", jobs[index], {"csrf_token": token}
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            outcomes[index]["error"] = repr(exc)
            barrier.abort()

    threads = [threading.Thread(target=tab, args=(i,)) for i in range(len(jobs))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert [o.get("error") for o in outcomes] == [None] * len(jobs)
    assert [o["status"] for o in outcomes] == [302] * len(jobs)
    assert "Traceback" not in caplog.text and "database is locked" not in caplog.text
    assert _counts(app, user.id) == ({"look": 1, "smile": 1, "both": 1}, 3)


def test_threads_recording_evidence_at_once_issue_each_once(app, make_user):
    """Threads with their own app contexts record the last facts at once: one period each."""
    from academy.accounts.models import User
    from academy.extensions import db, intend_to_write
    from academy.progress import ledger

    user = make_user()
    record(app, user.id, "look-lessons", "look-quiz")
    facts = [
        ("completed", "module", "smile/one-metre", None),
        ("completed", "scenario", "front-desk", 85.0),
    ] * 4
    barrier = threading.Barrier(len(facts), timeout=60)
    errors: list[str] = []

    def worker(verb: str, object_type: str, object_id: str, score: float | None) -> None:
        try:
            with app.app_context():
                intend_to_write()
                barrier.wait()
                person = db.session.get(User, user.id)
                ledger.record(person, verb, object_type, object_id, score=score, success=True)
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=fact) for fact in facts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert _counts(app, user.id) == ({"look": 1, "smile": 1, "both": 1}, 3)

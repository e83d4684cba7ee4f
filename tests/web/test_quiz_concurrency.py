"""Fifty employees submit the same quiz at the same moment against a live server.

Real HTTP (http.client) to the app under werkzeug's threaded server: each
learner signs in and opens a paper, then all POST behind a barrier. Run it on
SQLite (default) and on PostgreSQL (``ACADEMY_TEST_DATABASE_URL``).
"""

from __future__ import annotations

import http.client
import logging
import re
import threading
import urllib.parse
from typing import Any

import pytest
from helpers import PASSWORD
from quiz_fixtures import EVERY_KIND, QUIZ_URL, RIGHT_FORM, TOKEN_RE, set_quiz
from sqlalchemy import func, select

pytestmark = pytest.mark.slow

LEARNERS = 50
CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Browser:
    """A tiny HTTP client with a cookie jar of its own (no redirects followed)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: Any = None) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), text
        finally:
            connection.close()


def test_fifty_learners_submit_at_once(app, make_user, caplog):
    """50 simultaneous submits: 50 attempts, 50 ledger records, no 5xx, nothing locked."""
    from werkzeug.serving import make_server

    from academy.extensions import db
    from academy.progress.models import Statement
    from academy.progress.quiz_models import QuizAttempt

    caplog.set_level(logging.WARNING)
    set_quiz(app, EVERY_KIND)
    users = [make_user("employee") for _ in range(LEARNERS)]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server_thread = threading.Thread(target=server.serve_forever, daemon=True)
    server_thread.start()
    barrier = threading.Barrier(LEARNERS, timeout=120)
    outcomes: list[dict[str, Any]] = [{} for _ in users]

    def learner(index: int) -> None:
        outcome = outcomes[index]
        try:
            browser = Browser(server.server_port)
            _status, _headers, page = browser.request("GET", "/login")
            token = CSRF_RE.search(page).group(1)
            status, _headers, _page = browser.request(
                "POST",
                "/login",
                {"username": users[index].username, "password": PASSWORD, "csrf_token": token},
            )
            assert status == 302, f"login: {status}"
            status, _headers, page = browser.request("GET", QUIZ_URL)
            assert status == 200, f"quiz page: {status}"
            form = {
                "csrf_token": CSRF_RE.search(page).group(1),
                "attempt": TOKEN_RE.search(page).group(1),
                **RIGHT_FORM,
            }
            barrier.wait()
            status, headers, body = browser.request("POST", QUIZ_URL, form)
            outcome.update(status=status, body=body, location=headers.get("Location", ""))
            if status == 303:
                path = urllib.parse.urlsplit(outcome["location"]).path
                outcome["result"] = browser.request("GET", path)
        except Exception as exc:  # noqa: BLE001 - reported below with the learner's number
            outcome["error"] = repr(exc)
            barrier.abort()

    threads = [threading.Thread(target=learner, args=(i,)) for i in range(LEARNERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        server.shutdown()
        server_thread.join(timeout=10)

    errors = [(i, o["error"]) for i, o in enumerate(outcomes) if "error" in o]
    assert errors == []
    assert [o["status"] for o in outcomes] == [303] * LEARNERS
    for outcome in outcomes:
        status, _headers, page = outcome["result"]
        assert status == 200 and 'data-score="100" data-passed="true"' in page
    everything = " ".join(o["body"] + o["result"][2] for o in outcomes) + caplog.text
    assert "database is locked" not in everything
    assert "Traceback" not in caplog.text
    with app.app_context():
        attempts = db.session.scalar(
            select(func.count(QuizAttempt.id)).where(QuizAttempt.submitted_at.is_not(None))
        )
        learners = db.session.scalar(select(func.count(func.distinct(QuizAttempt.user_id))))
        statements = db.session.scalar(
            select(func.count(Statement.id)).where(
                Statement.object_type == "quiz", Statement.verb == "passed"
            )
        )
    assert (attempts, learners, statements) == (LEARNERS, LEARNERS, LEARNERS)


def test_one_token_posted_by_ten_tabs_at_once_counts_once(app, make_user, caplog):
    """The same attempt submitted concurrently from ten tabs: one attempt, one record."""
    from werkzeug.serving import make_server

    from academy.extensions import db
    from academy.progress.models import Statement
    from academy.progress.quiz_models import QuizAttempt

    caplog.set_level(logging.WARNING)
    set_quiz(app, EVERY_KIND)
    user = make_user("employee")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server_thread = threading.Thread(target=server.serve_forever, daemon=True)
    server_thread.start()
    try:
        browser = Browser(server.server_port)
        token = CSRF_RE.search(browser.request("GET", "/login")[2]).group(1)
        browser.request(
            "POST", "/login", {"username": user.username, "password": PASSWORD, "csrf_token": token}
        )
        page = browser.request("GET", QUIZ_URL)[2]
        form = {
            "csrf_token": CSRF_RE.search(page).group(1),
            "attempt": TOKEN_RE.search(page).group(1),
        }
        tabs = 10
        barrier = threading.Barrier(tabs, timeout=60)
        statuses: list[int] = []
        locations: set[str] = set()

        def tab(index: int) -> None:
            # Half the tabs post an empty sheet, confirmed as the page would ask.
            answers = RIGHT_FORM if index % 2 else {"confirm": "unanswered"}
            tab_browser = Browser(server.server_port)
            tab_browser.cookies = dict(browser.cookies)
            barrier.wait()
            status, headers, _body = tab_browser.request("POST", QUIZ_URL, {**form, **answers})
            statuses.append(status)
            locations.add(headers.get("Location", ""))

        threads = [threading.Thread(target=tab, args=(i,)) for i in range(tabs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        shown = {
            re.search(r'data-score="([\d.]+)"', browser.request("GET", path)[2]).group(1)
            for path in (urllib.parse.urlsplit(location).path for location in locations)
        }
    finally:
        server.shutdown()
        server_thread.join(timeout=10)
    assert statuses == [303] * tabs and len(locations) == 1
    assert "database is locked" not in caplog.text
    with app.app_context():
        attempts = list(db.session.scalars(select(QuizAttempt)))
        statements = list(
            db.session.scalars(select(Statement).where(Statement.object_type == "quiz"))
        )
    assert (len(attempts), len(statements)) == (1, 1)
    # The answers that won are the ones graded, recorded and shown: none overwritten.
    assert attempts[0].score == statements[0].score
    assert shown == {f"{attempts[0].score:g}"}

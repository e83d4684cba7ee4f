"""Quiz submit throughput: logged-in employees open a paper and submit it, under gunicorn.

Two phases against the real app (gunicorn gthread, the real courses, demo people):

- burst: every user opens a paper, then all submit at the same moment (one thread
  per user behind a barrier), the "whole shift submits at once" case;
- steady: --clients threads loop over the users, each cycle opening a paper
  (GET, which stores the attempt) and submitting it (POST, graded and recorded).

Reports submits/s and POST latency p50/p99, checks that every POST got its 303,
that no response mentions "database is locked", and that the database holds
exactly one submitted attempt and one ledger statement per POST.

    python bench/quiz_submit.py [--users 50] [--rounds 4] [--clients 16]
        [--workers 2] [--threads 4] [--database-url postgresql+psycopg://…/postgres]

With --database-url a fresh database is created on that PostgreSQL server for
the run and dropped afterwards; without it the instance uses SQLite.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import USER_AGENT, gunicorn, login_cookie, make_instance  # noqa: E402

MODULE = "/courses/look/reading-the-need/quiz"
CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
TOKEN_RE = re.compile(r'name="attempt" value="([^"]+)"')
CHOICE_RE = re.compile(r'<input type="(?:radio|checkbox)" name="(q\d+)" value="([^"]*)"')
SELECT_RE = re.compile(r'<select id="[^"]+" name="(q\d+-\d+)">(.*?)</select>', re.S)
OPTION_RE = re.compile(r'<option value="([^"]+)"')
TEXT_RE = re.compile(r'<input id="[^"]+" name="(q\d+)" type="text"')


@dataclass
class Tally:
    """What one phase measured."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    locked: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int, body: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.locked += "database is locked" in body

    def row(self, name: str, wall: float) -> str:
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) * 1000
        p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000
        return (
            f"{name:8} {len(lat):7d} {len(lat) / wall:10.1f} {p50:8.1f} {p99:8.1f} "
            f"{self.statuses} locked={self.locked}"
        )


class Connection:
    """A keep-alive HTTP connection, reopened when the server has closed an idle one."""

    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method: str, path: str, body: str | None, headers: dict) -> tuple[int, str]:
        for retry in (False, True):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, ConnectionError):
                # gunicorn closes idle keep-alive connections. Sending again is safe,
                # even a POST: the attempt token makes a submit count once.
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if retry:
                    raise
        raise AssertionError("unreachable")


class Client:
    """One user's session (cookie) over a connection that may be shared."""

    def __init__(self, connection: Connection, cookie: str) -> None:
        self.connection = connection
        self.cookie = cookie

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie, "User-Agent": USER_AGENT}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.connection.request(method, path, body, headers)

    def open_paper(self, rng: random.Random) -> dict:
        """GET the quiz page and fill in a plausible answer sheet from its fields."""
        status, html = self.request("GET", MODULE)
        if status != 200:
            raise RuntimeError(f"quiz page answered {status}")
        form: dict[str, list[str]] = {
            "csrf_token": [CSRF_RE.search(html).group(1)],
            "attempt": [TOKEN_RE.search(html).group(1)],
        }
        choices: dict[str, list[str]] = {}
        for name, value in CHOICE_RE.findall(html):
            choices.setdefault(name, []).append(value)
        for name, values in choices.items():
            form[name] = [rng.choice(values)]
        for name, options in SELECT_RE.findall(html):
            form[name] = [rng.choice(OPTION_RE.findall(options))]
        for name in TEXT_RE.findall(html):
            form[name] = [rng.choice(["潜在需求", "现实需求", "7"])]
        return form

    def submit(self, form: dict, tally: Tally) -> None:
        started = time.perf_counter()
        status, body = self.request("POST", MODULE, form)
        tally.add(time.perf_counter() - started, status, body)


def burst(base: str, cookies: list[str]) -> tuple[Tally, float]:
    """Every user opens a paper; then all submit at once."""
    tally = Tally()
    barrier = threading.Barrier(len(cookies) + 1)
    clients = [Client(Connection(base), cookie) for cookie in cookies]
    forms = [client.open_paper(random.Random(i)) for i, client in enumerate(clients)]

    def run(client: Client, form: dict) -> None:
        barrier.wait()
        client.submit(form, tally)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started


def steady(base: str, cookies: list[str], clients: int, rounds: int) -> tuple[Tally, float]:
    """`clients` threads, each cycling through its share of users: open a paper, submit it."""
    tally = Tally()
    shares = [cookies[i::clients] for i in range(clients)]

    def run(index: int) -> None:
        rng = random.Random(index)
        connection = Connection(base)
        sessions = [Client(connection, cookie) for cookie in shares[index]]
        for _ in range(rounds):
            for client in sessions:
                client.submit(client.open_paper(rng), tally)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients) if shares[i]]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started


def stored_counts(env: dict[str, str]) -> tuple[int, int]:
    """(submitted attempts, quiz ledger statements) in the instance's database."""
    os.environ.update(env)
    from sqlalchemy import func, select

    from academy import create_app
    from academy.extensions import db
    from academy.progress.models import Statement
    from academy.progress.quiz_models import QuizAttempt

    app = create_app()
    with app.app_context():
        attempts = db.session.scalar(
            select(func.count(QuizAttempt.id)).where(QuizAttempt.submitted_at.is_not(None))
        )
        statements = db.session.scalar(
            select(func.count(Statement.id)).where(Statement.object_type == "quiz")
        )
        db.engine.dispose()
    return attempts or 0, statements or 0


def fresh_postgres(url: str) -> tuple[str, str]:
    """Create a throw-away database on the server of `url`; return (its URL, its name)."""
    import psycopg

    name = f"academy_bench_{os.getpid()}"
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4, help="submits per user, steady phase")
    parser.add_argument("--clients", type=int, default=16, help="client threads, steady phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server to use")
    args = parser.parse_args()

    database_url, pg_name = None, None
    if args.database_url:
        database_url, pg_name = fresh_postgres(args.database_url)
    instance, env = make_instance(employees=max(args.users, 12), database_url=database_url)
    before = stored_counts(env)
    server = gunicorn("academy:create_app()", env, args.workers, args.threads, "/healthz")
    try:
        users = ["zhangwei", "lina", "wangqiang", "liujie", "chenjing", "yangfan", "zhaolei",
                 "huangmin", "zhouyang", "wuxia", "xuhao", "sunli"]  # fmt: skip
        users += [f"emp{i:05d}" for i in range(13, args.users + 1)]
        cookies = [login_cookie(server.url, user, "academy-demo") for user in users[: args.users]]
        results = [("burst", *burst(server.url, cookies))]
        results.append(("steady", *steady(server.url, cookies, args.clients, args.rounds)))
    finally:
        server.stop()
    after = stored_counts(env)
    shutil.rmtree(instance, ignore_errors=True)
    if pg_name:
        drop_postgres(args.database_url, pg_name)

    posts = sum(len(tally.latencies) for _, tally, _ in results)
    stored = (after[0] - before[0], after[1] - before[1])
    print(
        f"\nquiz submit: gunicorn gthread {args.workers} workers x {args.threads} threads; "
        f"{args.users} logged-in users; database "
        f"{'PostgreSQL' if args.database_url else 'SQLite (WAL)'}"
    )
    print(f"{'phase':8} {'submits':>7} {'submits/s':>10} {'p50 ms':>8} {'p99 ms':>8} statuses")
    for name, tally, wall in results:
        print(tally.row(name, wall))
    print(f"stored: {stored[0]} attempts, {stored[1]} ledger statements for {posts} POSTs")
    ok = stored == (posts, posts) and all(
        set(tally.statuses) == {303} and not tally.locked for _, tally, _ in results
    )
    print("OK" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

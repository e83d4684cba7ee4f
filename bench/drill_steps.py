"""Drill step latency through the web layer, for a generated 200-node scenario, under gunicorn.

One step is what a player's tap costs: POST the choice (``choice``, ``node``,
``step``, ``csrf_token``), which applies it exactly once and answers 303, then
GET the page it redirects to (the next run page, or the debrief at an ending).
N signed-in players play concurrently on keep-alive connections, starting a
new run whenever one ends. Also prints the pure engine figures of
`bench/scenario_engine.py` for comparison.

    python bench/drill_steps.py [--users 8] [--seconds 20] [--nodes 200]
        [--workers 2] [--threads 4] [--database-url postgresql+psycopg://…/postgres]
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
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _server import USER_AGENT, gunicorn, login_cookie, make_instance  # noqa: E402
from scenario_engine import bench_steps, bench_validate, generate  # noqa: E402

from academy.scenarios import dump_scenario_yaml, validate_scenario_text  # noqa: E402

USERS = [
    "zhangwei",
    "lina",
    "wangqiang",
    "liujie",
    "chenjing",
    "yangfan",
    "zhaolei",
    "huangmin",
    "zhouyang",
    "wuxia",
    "xuhao",
    "sunli",
]
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_NODE = re.compile(r'name="node" value="([^"]*)"')
_STEP = re.compile(r'name="step" value="(\d+)"')
_CHOICE = re.compile(r'name="choice" value="(\d+)"')
_START_KEY = re.compile(r'name="start_key" value="([^"]+)"')


def write_scenario(folder: Path, nodes: int) -> str:
    """The generated scenario as a validated YAML file; returns its slug."""
    slug = f"bench-{nodes}"
    data = generate(nodes)
    for node in data["nodes"].values():
        node["text"] = f"{node['text']} Someone explains the situation at some length."
    text = dump_scenario_yaml(data)
    scenario, problems = validate_scenario_text(text, f"{slug}.yaml")
    if scenario is None:
        raise SystemExit(f"generated scenario is invalid: {problems[:3]}")
    (folder / f"{slug}.yaml").write_text(text, encoding="utf-8")
    return slug


class Player:
    """One signed-in player on one keep-alive connection."""

    def __init__(self, base: str, cookie: str, slug: str, seed: int) -> None:
        parts = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.cookie = cookie
        self.slug = slug
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.errors = 0
        self.finished = 0

    def request(self, method: str, path: str, body: dict[str, str] | None = None):
        headers = {"Cookie": self.cookie, "User-Agent": USER_AGENT}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # gunicorn closed the idle keep-alive connection: open a new one, once.
            self.conn.close()
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, response.getheader("Location"), text

    def start(self) -> str:
        status, _, html = self.request("GET", f"/scenarios/{self.slug}")
        assert status == 200, status
        form = {
            "csrf_token": _CSRF.search(html).group(1),
            "start_key": _START_KEY.search(html).group(1),
        }
        status, location, _ = self.request("POST", f"/scenarios/{self.slug}/runs", form)
        assert status == 303, status
        return urllib.parse.urlsplit(location).path

    def play(self, deadline: float) -> None:
        run = self.start()
        status, _, html = self.request("GET", run)
        while time.monotonic() < deadline:
            choices = _CHOICE.findall(html)
            if status != 200 or not choices:
                self.errors += status != 200
                run = self.start()
                status, _, html = self.request("GET", run)
                continue
            form = {
                "csrf_token": _CSRF.search(html).group(1),
                "node": _NODE.search(html).group(1),
                "step": _STEP.search(html).group(1),
                "choice": self.rng.choice(choices),
            }
            began = time.perf_counter()
            posted, location, _ = self.request("POST", run, form)
            if posted != 303 or not location:
                self.errors += 1
                continue
            target = urllib.parse.urlsplit(location).path
            status, _, html = self.request("GET", target)
            self.latencies.append((time.perf_counter() - began) * 1000)
            if target.endswith("/debrief"):
                self.finished += 1
                run = self.start()
                status, _, html = self.request("GET", run)


def fresh_postgres(url: str) -> tuple[str, str]:
    """Create a throw-away database on the server of `url`; return (its URL, its name)."""
    import psycopg

    name = f"academy_drill_bench_{os.getpid()}"
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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server (a throw-away database is made on it); default: SQLite",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="academy-bench-scenarios-"))
    slug = write_scenario(folder, args.nodes)
    os.environ["ACADEMY_SCENARIOS"] = str(folder)
    database_url = pg_name = None
    if args.database_url:
        database_url, pg_name = fresh_postgres(args.database_url)
    instance, env = make_instance(employees=12, database_url=database_url)
    env["ACADEMY_SCENARIOS"] = str(folder)
    server = gunicorn("academy:create_app()", env, args.workers, args.threads, "/healthz")
    try:
        users = USERS[: max(1, min(args.users, len(USERS)))]
        players = [
            Player(server.url, login_cookie(server.url, user, "academy-demo"), slug, seed)
            for seed, user in enumerate(users)
        ]
        for player in players:  # warm-up: every worker loads and explores the scenario
            player.play(time.monotonic() + 1.5)
            player.latencies.clear()
            player.finished = player.errors = 0
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=p.play, args=(deadline,)) for p in players]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
    finally:
        server.stop()
        shutil.rmtree(instance, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
        if pg_name:
            drop_postgres(args.database_url, pg_name)

    latencies = [value for p in players for value in p.latencies]
    errors = sum(p.errors for p in players)
    finished = sum(p.finished for p in players)
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"web step ({args.nodes}-node scenario, {len(players)} players, {database}, gunicorn "
        f"{args.workers}×{args.threads}): {len(latencies)} steps in {elapsed:.1f} s "
        f"({len(latencies) / elapsed:.0f} steps/s), {finished} runs finished, {errors} errors"
    )
    print(
        f"  POST choice → 303 → GET next page: p50 {statistics.median(latencies):.1f} ms,"
        f" p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms"
    )
    step_us, steps = bench_steps(args.nodes, 300)
    print(f"pure engine: {step_us:.1f} µs per available_choices + choose ({steps} steps, median)")
    valid_ms, configurations = bench_validate(1000)
    print(f"pure validator: 1,000 nodes ({configurations} configurations) in {valid_ms:.1f} ms")


if __name__ == "__main__":
    main()

"""Benchmark plumbing: a throw-away Academy instance, gunicorn, wrk, and login cookies."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).with_name("cookies.lua")
# Flask-Login's strong session protection ties a session to the client's address and
# user agent: the login and the load generator must present the same one.
USER_AGENT = "academy-bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@dataclass
class Server:
    process: subprocess.Popen
    url: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def gunicorn(app_spec: str, env: dict[str, str], workers: int, threads: int, health: str) -> Server:
    """Start gunicorn with the same settings for every app under test."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--log-level",
        "warning",
        app_spec,
    ]
    process = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + health)
    return Server(process, url)


def make_instance(
    employees: int = 50, database_url: str | None = None
) -> tuple[Path, dict[str, str]]:
    """A fresh instance with the real content and demo people; returns (path, env)."""
    instance = Path(tempfile.mkdtemp(prefix="academy-bench-"))
    env = {"ACADEMY_INSTANCE": str(instance), "ACADEMY_ADMIN_PASSWORD": "bench-admin-pass"}
    if database_url:
        env["DATABASE_URL"] = database_url
    subprocess.run(
        [sys.executable, "-m", "academy.cli", "demo", "--employees", str(employees)],
        env={**os.environ, **env},
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return instance, env


def login_cookie(base: str, username: str, password: str) -> str:
    """Sign in through the form and return the session cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    html = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html
    )
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrf_token": token.group(1)}
    ).encode()
    opener.open(f"{base}/login", data=data).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    check_signed_in(base, cookie)
    return cookie


def check_signed_in(base: str, cookie: str, path: str = "/courses/") -> None:
    """Fail loudly if the cookie does not open a signed-in page (no redirect to login)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        base + path, headers={"Cookie": cookie, "User-Agent": USER_AGENT}
    )
    try:
        status = opener.open(request).status
    except urllib.error.HTTPError as exc:
        status = exc.code
    if status != 200:
        raise RuntimeError(f"session cookie does not sign in: {path} answered {status}")


def wrk(url: str, cookies: list[str], seconds: int, connections: int, threads: int = 2) -> dict:
    """Run wrk (cycling the cookies) and return requests/s, p50 and p99 in ms."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    cookie_file = Path(tempfile.mkstemp(suffix=".json")[1])
    cookie_file.write_text(json.dumps(cookies))
    env = {**os.environ, "COOKIE_FILE": str(cookie_file)}
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--latency",
            "-s",
            str(LUA),
            url,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    cookie_file.unlink()
    return parse_wrk(out)


def parse_wrk(out: str) -> dict:
    def ms(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }

"""Load benchmark: /courses/ and a lesson page beside a bare Flask hello-world.

Both apps run under gunicorn with the same settings in the same run; wrk drives
them with N logged-in users' cookies. Target: lesson page >= 50% of hello-world
throughput.

    python bench/load_lessons.py [--users 20] [--seconds 10] [--workers 2] [--threads 4]
"""

from __future__ import annotations

import argparse
import shutil

from _server import gunicorn, login_cookie, make_instance, wrk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp instance")
    args = parser.parse_args()

    instance, env = make_instance(employees=max(args.users, 12), database_url=args.database_url)
    academy = gunicorn("academy:create_app()", env, args.workers, args.threads, "/healthz")
    hello = gunicorn("bench.hello:app", {}, args.workers, args.threads, "/")
    try:
        users = [
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
        users += [f"emp{i:05d}" for i in range(13, args.users + 1)]
        cookies = [login_cookie(academy.url, u, "academy-demo") for u in users[: args.users]]
        lesson = "/courses/look/" + first_lesson_slug(academy.url, cookies[0])
        rows = []
        for name, url, jar in (
            ("hello-world", hello.url + "/", []),
            # The app's cheapest page (no session, one query): the floor of the stack.
            ("/healthz", academy.url + "/healthz", []),
            ("/courses/", academy.url + "/courses/", cookies),
            (f"lesson {lesson}", academy.url + lesson, cookies),
        ):
            wrk(url, jar, 2, args.connections)  # warm-up
            rows.append((name, wrk(url, jar, args.seconds, args.connections)))
    finally:
        academy.stop()
        hello.stop()
        shutil.rmtree(instance, ignore_errors=True)

    base = rows[0][1]["rps"]
    print(
        f"\ngunicorn gthread, {args.workers} workers x {args.threads} threads; wrk "
        f"{args.connections} connections, {args.seconds}s; {args.users} logged-in users; "
        f"database {'SQLite' if not args.database_url else args.database_url.split(':')[0]}"
    )
    print(f"{'page':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs hello':>9} {'non-2xx':>8}")
    for name, r in rows:
        print(
            f"{name:40} {r['rps']:9.1f} {r['p50']:8.2f} {r['p99']:8.2f} "
            f"{100 * r['rps'] / base:8.1f}% {r['non_2xx']:8d}"
        )


def first_lesson_slug(base: str, cookie: str) -> str:
    import re
    import urllib.request

    from _server import USER_AGENT

    request = urllib.request.Request(
        base + "/courses/", headers={"Cookie": cookie, "User-Agent": USER_AGENT}
    )
    html = urllib.request.urlopen(request).read().decode()
    return re.search(r'href="/courses/look/([a-z0-9-]+)"', html).group(1)


if __name__ == "__main__":
    main()

"""Studio bench: preview time of a 3 KB lesson, and learners undisturbed by publishing.

Against the real app under gunicorn (gthread), the real courses and demo people:

- preview: an administrator posts a 3 KB lesson to the live preview (``/studio/preview``)
  --previews times; reports p50/p99 of the round trip on loopback (an upper bound of
  the server time; target ≤ 50 ms);
- publish under load: --learners employees open and submit the quiz of the module in a
  loop while the administrator opens the same module in the studio, saves a change,
  approves and publishes it, --publishes times. Reports the learners' requests: count,
  statuses, p50/p99/max (targets: 0 errors, none slower than 1 s).

    python bench/studio.py [--learners 20] [--seconds 20] [--publishes 5] [--previews 200]
"""

from __future__ import annotations

import argparse
import html as html_module
import random
import re
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import gunicorn, login_cookie, make_instance  # noqa: E402
from quiz_submit import CSRF_RE, Client, Connection, Tally  # noqa: E402

KEY = "look/reading-the-need"
LESSON = (
    "## 先看人，再看事\n\n" + "居民走到窗口，先看他的表情和手里拿的东西。" * 4 + "\n\n"
) * 12  # 3 KB
DOC_RE = re.compile(r"/studio/(\d+)")


def csrf(client: Client, path: str) -> str:
    status, html = client.request("GET", path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return CSRF_RE.search(html).group(1)


def previews(admin: Client, count: int) -> list[float]:
    token = csrf(admin, "/studio/")
    times = []
    for _ in range(count):
        started = time.perf_counter()
        status, _ = admin.request(
            "POST", "/studio/preview", {"csrf_token": token, "kind": "module", "text": LESSON}
        )
        times.append(time.perf_counter() - started)
        assert status == 200, status
    return times


def publish_loop(admin: Client, rounds: int, done: threading.Event) -> list[float]:
    """Open the module in the studio, change one line, approve and publish; repeat."""
    token = csrf(admin, "/studio/")
    status, html = admin.request("POST", f"/studio/open/module/{KEY}", {"csrf_token": token})
    if status != 303 and "/studio/" not in html:
        raise RuntimeError(f"opening the module answered {status}")
    status, html = admin.request("GET", "/studio/?q=reading-the-need")
    doc = DOC_RE.search(html.split('id="studio-docs"', 1)[1]).group(1)
    took = []
    for n in range(rounds):
        status, page = admin.request("GET", f"/studio/{doc}/source")
        token = CSRF_RE.search(page).group(1)
        version = re.search(r'name="base_version" value="(\d+)"', page).group(1)
        text = re.search(r'<textarea[^>]*name="text"[^>]*>(?:\r?\n)?(.*?)</textarea>', page, re.S)
        source = html_module.unescape(text.group(1)) + f"\n<!-- bench {n} -->\n"
        started = time.perf_counter()
        form = {"csrf_token": token, "base_version": version, "text": source, "note": "bench"}
        admin.request("POST", f"/studio/{doc}/source", form)
        for action in ("submit", "approve", "publish"):
            status, page = admin.request(
                "POST", f"/studio/{doc}/act/{action}", {"csrf_token": token}
            )
            if status != 303:
                problems = re.findall(r'class="problem problem--error">(.*?)</li>', page, re.S)
                raise RuntimeError(f"{action} answered {status}: {problems[:3]}")
        took.append(time.perf_counter() - started)
        time.sleep(1)
    return took


def learners(base: str, cookies: list[str], done: threading.Event) -> Tally:
    tally = Tally()

    def run(index: int) -> None:
        rng = random.Random(index)
        client = Client(Connection(base), cookies[index])
        while not done.is_set():
            started = time.perf_counter()
            form = client.open_paper(rng)
            tally.add(time.perf_counter() - started, 200, "")
            client.submit(form, tally)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(cookies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--publishes", type=int, default=5)
    parser.add_argument("--previews", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    instance, env = make_instance(employees=max(args.learners, 12))
    server = gunicorn("academy:create_app()", env, args.workers, args.threads, "/healthz")
    try:
        users = ["zhangwei", "lina", "wangqiang", "liujie", "chenjing", "yangfan", "zhaolei",
                 "huangmin", "zhouyang", "wuxia", "xuhao", "sunli"]  # fmt: skip
        users += [f"emp{i:05d}" for i in range(13, args.learners + 1)]
        cookies = [login_cookie(server.url, u, "academy-demo") for u in users[: args.learners]]
        admin = Client(
            Connection(server.url), login_cookie(server.url, "admin", "bench-admin-pass")
        )
        times = sorted(previews(admin, args.previews))
        done = threading.Event()
        result: dict[str, list[float]] = {}

        def publish() -> None:
            try:  # the learners stop when the publisher does, even when it fails
                result.update(p=publish_loop(admin, args.publishes, done))
            finally:
                done.set()

        publisher = threading.Thread(target=publish)
        publisher.start()
        tally = learners(server.url, cookies, done)
        publisher.join()
    finally:
        server.stop()
        shutil.rmtree(instance, ignore_errors=True)

    p50, p99 = statistics.median(times) * 1000, times[int(0.99 * (len(times) - 1))] * 1000
    print(f"\nstudio bench: gunicorn gthread {args.workers}x{args.threads}, SQLite")
    print(f"preview of a {len(LESSON.encode()) / 1024:.1f} KB lesson: p50 {p50:.1f} ms, "
          f"p99 {p99:.1f} ms over {len(times)} posts (target ≤ 50 ms)")  # fmt: skip
    lat = sorted(tally.latencies)
    errors = sum(n for status, n in tally.statuses.items() if status not in (200, 303))
    print(
        f"{args.learners} learners during {len(result.get('p', []))} publishes: {len(lat)} "
        f"requests, statuses {tally.statuses}, p50 {statistics.median(lat) * 1000:.1f} ms, "
        f"p99 {lat[int(0.99 * (len(lat) - 1))] * 1000:.1f} ms, max {lat[-1] * 1000:.1f} ms; "
        f"publish took {', '.join(f'{t * 1000:.0f}' for t in result.get('p', []))} ms"
    )
    published = len(result.get("p", [])) == args.publishes
    ok = published and errors == 0 and lat[-1] < 1.0 and p50 <= 50
    print("OK" if ok else "TARGET MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

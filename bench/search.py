"""Search at 10,000 people and 200 lessons: p50/p95 server time, SQLite and PostgreSQL.

Builds a throw-away instance per database: the shipped content synced, then
synthetic lessons (sentences of the shipped ones reshuffled, so the Chinese is
real) up to 200, indexed the way `content sync` does (`academy.search.index`),
and 10,000 employees in 24 departments with Chinese names, usernames and
employee numbers. Then measures inside the app (Flask's test client: server
time including rendering, no network), each query repeated:

- content: /search?q=… as an employee (Chinese words, a substring jieba does
  not know, Latin prefix, several terms, no hit, operator soup);
- people: /search/people?q=… as HR and as a trainer (scoped to a department),
  /hr/people?q=… and /admin/users?q=….

    python bench/search.py [--people 10000] [--lessons 200] [--repeat 30]
                           [--backend sqlite|postgresql|both] [--pg-url URL]

PostgreSQL: the database in --pg-url is emptied (schema dropped) first.
Target: p95 ≤ 100 ms for every query.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test_search"
TARGET_MS = 100
current_app_context = None  # set by measure()
PASSWORD = "bench-password"

CONTENT_QUERIES = [
    "倾听",
    "微笑服务",
    "客户 诉求",
    "听客",
    "老人",
    "listen",
    "投诉 处理",
    "zzqqxx",
    '"NEAR( OR *',
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红飞鹏辉建国志文斌"


def build(url: str, people: int, lessons: int) -> dict[str, float]:
    from sqlalchemy import create_engine, insert, text
    from werkzeug.security import generate_password_hash

    from academy import create_app
    from academy.accounts.models import Department, User
    from academy.catalog.models import Module
    from academy.catalog.sync import sync_content
    from academy.extensions import db
    from academy.search.index import refresh

    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    instance = Path(tempfile.mkdtemp(prefix="bench-search-"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(instance),
            "COURSES_DIR": ROOT / "courses",
            "SCENARIOS_DIR": ROOT / "scenarios",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    figures: dict[str, float] = {}
    rng = random.Random(14)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        sync_content(app.config["COURSES_DIR"], app.config["SCENARIOS_DIR"])
        db.session.commit()
        figures["sync shipped content (s)"] = time.perf_counter() - started
        shipped = list(db.session.scalars(db.select(Module)))
        sentences = [
            s
            for m in shipped
            for s in re.findall(r"[^。！？]+[。！？]", re.sub(r"<[^>]+>", "", m.body_html))
        ]
        for n in range(len(shipped), lessons):
            body = "".join(f"<p>{''.join(rng.sample(sentences, 6))}</p>" for _ in range(8))
            model = shipped[n % len(shipped)]
            db.session.add(
                Module(
                    key=f"{model.discipline}/bench-{n}",
                    discipline=model.discipline,
                    slug=f"bench-{n}",
                    position=100 + n,
                    title=f"{model.title}（练习{n}）",
                    minutes=5,
                    objectives=[rng.choice(sentences)],
                    axes=[],
                    body_html=body,
                    toc=[],
                    source_path=f"bench/{n}.md",
                    source_hash=f"bench{n}",
                )
            )
        db.session.flush()
        started = time.perf_counter()
        figures["lessons and drills indexed"] = refresh()
        db.session.commit()
        figures["index build (s)"] = time.perf_counter() - started
        departments = [
            Department(name=f"{area}{kind}")
            for area in "东西南北中新"
            for kind in ("供水班", "供电班", "营业厅", "热线")
        ]
        db.session.add_all(departments)
        db.session.flush()
        password_hash = generate_password_hash(PASSWORD)
        rows = [
            {
                "username": f"emp{i:05d}",
                "display_name": SURNAMES[i % len(SURNAMES)]
                + GIVEN[(i // 7) % len(GIVEN)]
                + GIVEN[(i * 13) % len(GIVEN)],
                "role": "employee",
                "department_id": departments[i % len(departments)].id,
                "employee_no": f"E{i:06d}",
                "password_hash": password_hash,
            }
            for i in range(people)
        ]
        rows += [
            {
                "username": "hr",
                "display_name": "人事",
                "role": "hr",
                "password_hash": password_hash,
            },
            {
                "username": "admin",
                "display_name": "管理员",
                "role": "admin",
                "password_hash": password_hash,
            },
            {
                "username": "trainer",
                "display_name": "培训师",
                "role": "trainer",
                "department_id": departments[0].id,
                "password_hash": password_hash,
            },
            {
                "username": "reader",
                "display_name": "读者",
                "role": "employee",
                "department_id": departments[0].id,
                "password_hash": password_hash,
            },
        ]
        db.session.execute(insert(User), rows)
        db.session.commit()
        if url.startswith("postgresql"):
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
    app.config["_bench_figures"] = figures
    return app


def measure(app, repeat: int) -> dict[str, list[float]]:
    from academy.search import text as words

    global current_app_context
    current_app_context = app.app_context

    words.warm_up()
    results: dict[str, list[float]] = {}

    def client_as(username: str):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, (username, response.status_code)
        return client

    def timed(client, label: str, paths: list[str]) -> None:
        times = []
        for path in paths:
            client.get(path).close()  # warm
        for _ in range(repeat):
            for path in paths:
                started = time.perf_counter()
                response = client.get(path)
                response.get_data()
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (path, response.status_code)
                response.close()
        results[label] = times

    from urllib.parse import quote

    reader, hr, trainer, admin = (client_as(u) for u in ("reader", "hr", "trainer", "admin"))
    # What any signed-in page costs here (session, user, layout): the floor under each row.
    timed(reader, "baseline /search (no query: no search runs)", ["/search"])
    timed_calls(results, repeat)
    for q in CONTENT_QUERIES:
        timed(reader, f"content  /search?q={q}", [f"/search?q={quote(q)}"])
    people = ["李", "王伟", "emp0123", "E00999", "zz"]
    timed(
        hr,
        "people   /search/people (HR, 5 queries)",
        [f"/search/people?q={quote(q)}" for q in people],
    )
    timed(
        trainer,
        "people   /search/people (trainer, 5 queries)",
        [f"/search/people?q={quote(q)}" for q in people],
    )
    timed(
        hr, "people   /hr/people?q= (HR, 5 queries)", [f"/hr/people?q={quote(q)}" for q in people]
    )
    timed(
        admin,
        "people   /admin/users?q= (5 queries)",
        [f"/admin/users?q={quote(q)}" for q in people],
    )
    return results


def timed_calls(results: dict[str, list[float]], repeat: int) -> None:
    """The search alone (database + snippets), without the request around it."""
    from sqlalchemy import select

    from academy.accounts.models import User
    from academy.extensions import db
    from academy.search.queries import people_match, search_content

    with current_app_context():
        times = []
        for _ in range(repeat):
            for q in CONTENT_QUERIES:
                started = time.perf_counter()
                search_content(q)
                times.append((time.perf_counter() - started) * 1000)
        results["call     search_content() (9 queries)"] = times
        times = []
        for _ in range(repeat):
            for q in ["李", "王伟", "emp0123", "E00999", "zz"]:
                started = time.perf_counter()
                db.session.execute(
                    select(User).where(people_match(q)).order_by(User.display_name).limit(21)
                ).all()
                times.append((time.perf_counter() - started) * 1000)
        results["call     people query, 21 rows (5 queries)"] = times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--lessons", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()
    worst = 0.0
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        url = args.pg_url if backend == "postgresql" else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
        app = build(url, args.people, args.lessons)
        print(f"\n== {backend}: {args.people} people, {args.lessons} lessons ==")
        for label, value in app.config["_bench_figures"].items():
            print(f"  {label}: {value:.2f}" if isinstance(value, float) else f"  {label}: {value}")
        print(f"  {'request':58} {'p50 ms':>8} {'p95 ms':>8}")
        for label, times in measure(app, args.repeat).items():
            p50, p95 = statistics.median(times), percentile(times, 0.95)
            worst = max(worst, p95)
            print(f"  {label:58} {p50:8.1f} {p95:8.1f}")
    verdict = "OK" if worst <= TARGET_MS else "OVER"
    print(f"\nworst p95 {worst:.1f} ms (target ≤ {TARGET_MS} ms): {verdict}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())

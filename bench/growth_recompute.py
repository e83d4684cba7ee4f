"""Recompute HR's growth figures for 10,000 employees from the database (target: 10 s).

Two measurements, end to end:

1. the full recompute (`academy growth snapshot --full`, `snapshots.rebuild`):
   load every employee's ledger statements in batches of 500, run the growth
   model (`extract` once, `evaluate` now for stages, `employee_trend` for the
   twelve month ends) and store the `growth_snapshots` rows (one per employee
   and month, 120,000 rows for 10,000 people), with one process and with
   worker processes (each loads and assesses its batches over its own
   connection; the parent stores);
2. the nightly refresh (`academy growth snapshot`, `snapshots.refresh`) the
   next day, after ``--news`` (10 %) of the employees recorded something:
   the model runs for them (and for anyone whose stage gates may move,
   `academy.growth.unchanged_until`); everyone else's stored figures are aged
   exactly (`academy.growth.aged_axis`).

The database is built once and kept (not timed): 10,000 employees in 12
departments, each with a year of synthetic evidence (``--statements``, ~150 by
default as in `bench/growth_model.py`: lessons, quizzes, refreshers, drill runs
with axis evidence, observations, cards, reflections) drawn along the personas
of `academy.growth.synthetic`, bulk-inserted into ``statements``.

    python bench/growth_recompute.py [--backend sqlite|postgresql|both] [--employees 10000]
        [--statements 150] [--workers 1,2] [--rebuild]

SQLite: a file under ``/tmp/academy-growth-bench``. PostgreSQL: a local server
with trust auth; the database ``academy_growth_bench`` is (re)created
(``--pg-url`` to use another).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/academy_growth_bench"
SQLITE_DIR = Path("/tmp/academy-growth-bench")
TARGET_S = 10.0
PERSONAS = (("directed", 15), ("compliant", 40), ("growing", 30), ("self_disciplined", 15))
DEPARTMENTS = 12
BATCH = 2000


def make_app(url: str) -> Any:
    from academy import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(SQLITE_DIR / "instance"),
            "SECRET_KEY": "bench",
        }
    )


def ensure_pg_database(url: str, rebuild: bool) -> bool:
    """Create the bench database if missing (or afresh); True when it was (re)created."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(database="postgres").render_as_string(hide_password=False)
    admin = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)
        ).fetchone()
        if exists and not rebuild:
            return False
        if exists:
            conn.execute(f'DROP DATABASE "{parsed.database}"')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')
    return True


def build(app: Any, employees: int, statements: int, seed: int) -> None:
    """The organisation and its year of evidence, bulk-inserted (not timed)."""
    from sqlalchemy import insert, select

    from academy.accounts.models import Department, User
    from academy.extensions import db
    from academy.growth.synthetic import synthetic_history
    from academy.progress.models import Statement
    from academy.timeutil import utcnow

    sys_path = str(ROOT / "bench")
    if sys_path not in os.sys.path:
        os.sys.path.insert(0, sys_path)
    from growth_model import CONTENT  # real module keys and drill slugs

    modules, scenarios = CONTENT
    now = utcnow()
    start = now - timedelta(days=365)
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.execute(
            insert(Department), [{"name": f"部门{n + 1:02d}"} for n in range(DEPARTMENTS)]
        )
        ids = list(db.session.scalars(select(Department.id).order_by(Department.id)))
        db.session.execute(
            insert(User),
            [
                {
                    "username": f"emp{n:05d}",
                    "display_name": f"员工{n:05d}",
                    "role": "employee",
                    "department_id": ids[n % len(ids)],
                    "password_hash": "x",
                }
                for n in range(employees)
            ],
        )
        users = list(db.session.scalars(select(User.id).order_by(User.id)))
        names, weights = zip(*PERSONAS, strict=True)
        began = time.perf_counter()
        total = 0
        for first in range(0, len(users), BATCH):
            rows = []
            for uid in users[first : first + BATCH]:
                rng = random.Random(seed + uid)
                count = max(10, round(rng.gauss(statements, statements * 0.2)))
                history = synthetic_history(
                    rng,
                    start,
                    persona=rng.choices(names, weights)[0],
                    statements=count,
                    modules=modules,
                    scenarios=scenarios,
                    days=364,
                )
                for e in history:
                    rows.append(
                        {
                            "actor_id": uid,
                            "verb": e.verb,
                            "object_type": e.object_type,
                            "object_id": e.object_id,
                            "score": e.score,
                            "success": e.success,
                            "result": dict(e.detail) or None,
                            "initiative": e.initiative,
                            "on_time": e.on_time,
                            "recorded_by_id": uid,
                            "timestamp": e.at,
                            "stored_at": e.at,
                        }
                    )
            db.session.execute(insert(Statement), rows)
            db.session.commit()
            total += len(rows)
            done = min(first + BATCH, len(users))
            print(
                f"  built {done} employees, {total:,} statements"
                f" ({time.perf_counter() - began:.0f} s)",
                flush=True,
            )


def measure(app: Any, workers: int, repeat: int) -> list[Any]:
    """Rebuild the snapshot (the model for everyone) `repeat` times; the reports."""
    from academy.extensions import db
    from academy.practice import snapshots

    reports = []
    with app.app_context():
        for _ in range(repeat):
            gc.collect()
            report = snapshots.rebuild(workers=workers)
            db.session.commit()
            reports.append(report)
        db.session.remove()
    return reports


def nightly(app: Any, workers: int, news: float, seed: int) -> Any:
    """The next night: `news` of the employees recorded something today; refresh."""
    from sqlalchemy import insert, select

    from academy.accounts.models import User
    from academy.extensions import db
    from academy.practice import snapshots
    from academy.progress.models import Statement
    from academy.timeutil import utcnow

    with app.app_context():
        now = utcnow()
        snapshots.rebuild(now, workers=workers)
        db.session.commit()
        ids = list(db.session.scalars(select(User.id).where(User.role == "employee")))
        rng = random.Random(seed)
        chosen = rng.sample(ids, round(len(ids) * news))
        at = now + timedelta(hours=3)
        db.session.execute(
            insert(Statement),
            [
                {
                    "actor_id": uid,
                    "verb": "observed",
                    "object_type": "observation",
                    "object_id": f"bench-{uid}",
                    "result": {"axes": {"attitude": rng.randint(2, 5)}, "seven_ones": {}},
                    "initiative": "self",
                    "recorded_by_id": uid,
                    "timestamp": at,
                    "stored_at": at,
                }
                for uid in chosen
            ],
        )
        db.session.commit()
        gc.collect()
        report = snapshots.refresh(now + timedelta(days=1), workers=workers)
        db.session.commit()
        db.session.remove()
    return report


def run(backend: str, args: argparse.Namespace) -> None:
    from sqlalchemy import func, select

    from academy.extensions import db
    from academy.progress.models import Statement

    if backend == "sqlite":
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        path = SQLITE_DIR / f"growth-{args.employees}-{args.statements}.db"
        fresh = args.rebuild or not path.exists()
        if fresh and path.exists():
            path.unlink()
        url = f"sqlite:///{path}"
    else:
        url = args.pg_url
        fresh = ensure_pg_database(url, args.rebuild)
    app = make_app(url)
    if not fresh:
        with app.app_context():
            try:
                fresh = not db.session.scalar(select(func.count(Statement.id)))
            except Exception:  # noqa: BLE001 - an empty database has no tables yet
                db.session.rollback()
                fresh = True
    if fresh:
        print(f"{backend}: building {args.employees} employees × ~{args.statements} statements")
        build(app, args.employees, args.statements, args.seed)
    with app.app_context():
        count = db.session.scalar(select(func.count(Statement.id)))
        db.engine.dispose()
    print(f"\n{backend}: {count:,} statements; load average {os.getloadavg()[0]:.2f}")
    for workers in args.workers:
        reports = measure(app, workers, args.repeat)
        best = min(reports, key=lambda r: r.total_s)
        verdict = "within" if best.total_s <= TARGET_S else "OVER"
        print(
            f"  {workers} process(es): {', '.join(f'{r.total_s:.1f}' for r in reports)} s"
            f" (best {best.total_s:.1f} s, {verdict} the {TARGET_S:.0f} s target);"
            f" {best.employees:,} employees, {best.rows:,} rows;"
            f" summed over batches: load {best.load_s:.1f} s, assess {best.assess_s:.1f} s,"
            f" store {best.store_s:.1f} s; {1000 * best.total_s / best.employees:.2f} ms"
            " per employee (wall)",
            flush=True,
        )
    for workers in args.workers:
        report = nightly(app, workers, args.news, args.seed)
        verdict = "within" if report.total_s <= TARGET_S else "OVER"
        print(
            f"  nightly refresh, {args.news:.0%} with news, {workers} process(es):"
            f" {report.total_s:.1f} s ({verdict} the {TARGET_S:.0f} s target);"
            f" {report.assessed:,} of {report.employees:,} run through the model, the rest aged;"
            f" load {report.load_s:.1f} s, assess {report.assess_s:.1f} s,"
            f" store {report.store_s:.1f} s",
            flush=True,
        )
    print(f"  load average at the end: {os.getloadavg()[0]:.2f}")


def main() -> None:
    """Parse the options and run the benchmark on the chosen back ends."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=150)
    parser.add_argument("--workers", default="1,2", help="comma-separated process counts")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--news", type=float, default=0.1, help="share of employees with new evidence overnight"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the database afresh")
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()
    args.workers = [int(w) for w in args.workers.split(",") if w.strip()]
    print(
        f"growth recompute bench: {args.employees} employees, ~{args.statements} statements"
        f" each; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start"
    )
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args)


if __name__ == "__main__":
    main()

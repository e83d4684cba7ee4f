"""The HR desk at 10,000 employees: matrix time, full CSV streaming time and memory.

Builds (or reuses) a demo instance with `academy demo --employees N` on SQLite
and on PostgreSQL, then measures inside the app (Flask's test client, so the
figures are server time without the network):

- the matrix ``/hr/`` and the list pages, median and worst of several requests;
- the full ``/hr/certifications.csv`` (every employee × every certificate),
  consumed chunk by chunk as a client would: total time, rows, bytes, and the
  Python memory it takes (tracemalloc peak during the stream, in a second pass)
  next to the process's resident size before and after.

    python bench/hr_desk.py [--employees 10000] [--backend sqlite|postgresql|both] [--rebuild]

PostgreSQL: a local server with trust auth; the database ``academy_bench`` is
(re)created (``--pg-url`` to use another).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench"
TARGET_MATRIX_MS = 300
TARGET_CSV_S = 3.0


def rss_mb() -> float:
    """This process's resident set size now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build(instance: Path, url: str | None, employees: int, rebuild: bool) -> float | None:
    """Run `academy demo --employees N` unless a build of that size is there; its seconds."""
    marker = instance / f"bench-{employees}.done"
    if marker.exists() and not rebuild:
        return None
    env = {**os.environ, "ACADEMY_INSTANCE": str(instance), "ACADEMY_ADMIN_PASSWORD": "bench-admin"}
    if url:
        env["DATABASE_URL"] = url
        recreate_postgres(url)
    else:
        env.pop("DATABASE_URL", None)
        if instance.exists():
            for name in ("academy.db", "academy.db-wal", "academy.db-shm"):
                (instance / name).unlink(missing_ok=True)
    instance.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "academy.cli", "demo", "--employees", str(employees)],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    marker.write_text(f"{seconds:.1f}\n")
    return seconds


def recreate_postgres(url: str) -> None:
    """Drop and create the bench database (local server, trust auth)."""
    from sqlalchemy import create_engine, text

    base, _, name = url.rpartition("/")
    engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def measure(instance: Path, url: str | None, label: str, repeat: int) -> dict[str, object]:
    """Time the HR pages and the CSV export in-process against the built instance."""
    os.environ["ACADEMY_INSTANCE"] = str(instance)
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    from academy import create_app
    from academy.accounts.models import User
    from academy.extensions import db

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        if url:  # as autovacuum would have by now: statistics for the bulk-loaded tables
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
        employees = db.session.scalar(
            db.select(db.func.count(User.id)).where(User.role == "employee")
        )
        someone = db.session.scalar(db.select(User.id).where(User.username == "zhangwei"))
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = "academy-bench"
    response = client.post("/login", data={"username": "hr", "password": "academy-demo"})
    assert response.status_code == 302, response.status_code

    def timed(path: str) -> list[float]:
        client.get(path).close()  # warm caches (rules, content index, SQLite pages)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            response.get_data()
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            response.close()
        return times

    pages = {
        "matrix /hr/": timed("/hr/"),
        "list /hr/people": timed("/hr/people"),
        "list, expiring in 30 days": timed("/hr/people?expiring=30&sort=expiry"),
        "employee page": timed(f"/hr/people/{someone}"),
    }

    def stream_csv() -> tuple[float, int, int]:
        started = time.perf_counter()
        response = client.get("/hr/certifications.csv")
        rows = size = 0
        for chunk in response.response:
            data = chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
            size += len(data)
            rows += data.count(b"\n")
        response.close()
        return time.perf_counter() - started, rows - 1, size

    stream_csv()  # warm
    csv_runs = [stream_csv() for _ in range(3)]
    rss_before = rss_mb()
    tracemalloc.start()
    stream_csv()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = rss_mb()
    seconds = statistics.median(run[0] for run in csv_runs)
    _, rows, size = csv_runs[0]
    print(f"\n== {label}: {employees} employees ==")
    for name, times in pages.items():
        print(
            f"  {name:28s} median {statistics.median(times):7.1f} ms   worst {max(times):7.1f} ms"
        )
    print(
        f"  CSV export (streamed)        {seconds:7.2f} s for {rows} rows, {size / 1e6:.1f} MB;"
        f" Python peak while streaming {peak / 1e6:.1f} MB;"
        f" RSS {rss_before:.0f} → {rss_after:.0f} MB"
    )
    matrix = statistics.median(pages["matrix /hr/"])
    verdict = "OK" if matrix <= TARGET_MATRIX_MS and seconds <= TARGET_CSV_S else "OVER TARGET"
    print(f"  targets: matrix ≤ {TARGET_MATRIX_MS} ms, CSV ≤ {TARGET_CSV_S:.0f} s → {verdict}")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return {"matrix_ms": matrix, "csv_s": seconds, "peak_mb": peak / 1e6}


def main() -> None:
    """Build or reuse the instances and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rebuild", action="store_true", help="build the demo again")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument(
        "--instances",
        type=Path,
        default=Path(tempfile.gettempdir()) / "academy-bench-hr",
        help="where the bench instances live",
    )
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        url = args.pg_url if backend == "postgresql" else None
        instance = args.instances / f"{backend}-{args.employees}"
        seconds = build(instance, url, args.employees, args.rebuild)
        if seconds is not None:
            print(f"{backend}: academy demo --employees {args.employees} took {seconds:.0f} s")
        else:
            done = (instance / f"bench-{args.employees}.done").read_text().strip()
            print(f"{backend}: reusing the instance in {instance} (built in {done} s)")
        # A fresh interpreter per backend: the app's engine and caches start clean.
        if len(backends) > 1:
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--backend",
                    backend,
                    "--employees",
                    str(args.employees),
                    "--repeat",
                    str(args.repeat),
                    "--pg-url",
                    args.pg_url,
                    "--instances",
                    str(args.instances),
                ],
                check=True,
            )
        else:
            measure(instance, url, backend, args.repeat)


if __name__ == "__main__":
    main()

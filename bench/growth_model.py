"""Assess 10,000 employees' growth, and a 300-person department's year of trends.

Each employee gets a year of made-up but realistic evidence (~150 statements:
lessons read and completed, quiz attempts, refreshers, drill runs with
per-discipline points and axis evidence, trainer observations, feedback cards,
reflections with self-ratings, certificates) drawn by
`academy.growth.synthetic` along one of four personas (directed 15 %,
compliant 40 %, growing 30 %, self-disciplined 15 %), with the real module keys
from `courses/` and the real drill slugs from `scenarios/`. Building the
evidence is not timed.

The loaded histories are moved out of the cyclic garbage collector's
generations (`gc.freeze()`, as a batch job would; `--no-gc-freeze` to compare).

Timed:
1. `assess` for every employee, in one process (CPU time per employee), with
   and without explanations (``explain=False``, what cohort pages need);
2. the same with one worker process per core: each worker builds its share,
   all wait at a barrier, then the wall-clock time of assessing everyone;
3. `monthly_trend` for a 300-person department over 12 months, against the
   naive way (a full `assess` per employee per month end);
4. `stage_distribution` of the 10,000 assessments.

    python bench/growth_model.py [--employees 10000] [--workers 2] [--seed 1]
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import os
import random
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from academy.evidence import Evidence
from academy.growth import (
    Assessment,
    assess,
    last_months,
    month_end,
    monthly_trend,
    stage_distribution,
)
from academy.growth.synthetic import DEFAULT_MODULES, DEFAULT_SCENARIOS, synthetic_history
from academy.vocabulary import AXES

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
START = NOW - timedelta(days=365)
PERSONAS = (("directed", 15), ("compliant", 40), ("growing", 30), ("self_disciplined", 15))


def content() -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Module keys from courses/ and drill slugs from scenarios/ (defaults if absent)."""
    modules = sorted(
        f"{path.parent.name}/{path.stem.split('-', 1)[1]}"
        for path in (ROOT / "courses").glob("*/[0-9][0-9]-*.md")
    )
    axes = list(DEFAULT_SCENARIOS.values())
    slugs = sorted(path.stem for path in (ROOT / "scenarios").glob("*.yaml"))
    scenarios = {slug: axes[i % len(axes)] for i, slug in enumerate(slugs)}
    return modules or list(DEFAULT_MODULES), scenarios or dict(DEFAULT_SCENARIOS)


def history(seed: int, statements: int) -> list[Evidence]:
    """One employee's year of evidence, persona drawn from the mix above."""
    rng = random.Random(seed)
    names, weights = zip(*PERSONAS, strict=True)
    persona = rng.choices(names, weights)[0]
    modules, scenarios = CONTENT
    count = max(10, round(rng.gauss(statements, statements * 0.2)))
    return synthetic_history(
        rng, START, persona=persona, statements=count, modules=modules, scenarios=scenarios
    )


CONTENT = content()


def assess_all(
    histories: Sequence[list[Evidence]], explain: bool = True
) -> tuple[float, float, list[Assessment]]:
    """(wall seconds, CPU seconds, assessments) of assessing every history at NOW."""
    results = []
    wall, cpu = time.perf_counter(), time.process_time()
    for evidence in histories:
        results.append(assess(evidence, NOW, explain=explain))
    return time.perf_counter() - wall, time.process_time() - cpu, results


def single_process(
    employees: int, seed: int, statements: int, batch: int, freeze: bool
) -> dict[str, Any]:
    """Assess everyone in this process, in batches (as a nightly job streams them)."""
    wall = cpu = bare = 0.0
    counts = []
    assessments: list[Assessment] = []
    for first in range(0, employees, batch):
        histories = [
            history(seed + i, statements) for i in range(first, min(employees, first + batch))
        ]
        counts.extend(len(h) for h in histories)
        if freeze:  # a loaded batch is long-lived: keep it out of the GC's generations
            gc.collect()
            gc.freeze()
        w, c, found = assess_all(histories)
        wall, cpu = wall + w, cpu + c
        bare += assess_all(histories, explain=False)[1]
        assessments.extend(found)
    return {
        "wall": wall,
        "cpu": cpu,
        "bare": bare,
        "statements": counts,
        "assessments": assessments,
    }


def _worker(
    first: int, last: int, seed: int, statements: int, barrier: Any, out: Any, freeze: bool
) -> None:
    histories = [history(seed + i, statements) for i in range(first, last)]
    if freeze:  # the built histories are long-lived: keep them out of the GC's generations
        gc.collect()
        gc.freeze()
    barrier.wait()
    wall, cpu, _ = assess_all(histories)
    out.put((last - first, wall, cpu))


def parallel(
    employees: int, seed: int, statements: int, workers: int, freeze: bool
) -> dict[str, Any]:
    """Assess everyone with `workers` processes started together; wall time from the barrier."""
    context = mp.get_context("fork")
    barrier = context.Barrier(workers + 1)
    out = context.Queue()
    bounds = [round(employees * k / workers) for k in range(workers + 1)]
    processes = [
        context.Process(
            target=_worker, args=(bounds[k], bounds[k + 1], seed, statements, barrier, out, freeze)
        )
        for k in range(workers)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    start = time.perf_counter()
    reports = [out.get() for _ in processes]
    wall = time.perf_counter() - start
    for process in processes:
        process.join()
    return {"wall": wall, "workers": reports}


def trend(department: int, months: int, seed: int, statements: int) -> dict[str, Any]:
    """monthly_trend for one department, and the naive way for comparison."""
    staff = {i: history(seed + 10**6 + i, statements) for i in range(department)}
    ends = last_months(NOW, months)
    start = time.perf_counter()
    result = monthly_trend(staff, ends)
    fast = time.perf_counter() - start
    start = time.perf_counter()
    for month in ends:
        end = month_end(month)
        for evidence in staff.values():
            assess(evidence, end)
    naive = time.perf_counter() - start
    return {
        "fast": fast,
        "naive": naive,
        "trend": result,
        "statements": sum(map(len, staff.values())),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=150)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--department", type=int, default=300)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-gc-freeze", action="store_true")
    args = parser.parse_args(argv)

    print(f"growth model bench: {args.employees} employees, ~{args.statements} statements each")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    print("(the load average counts other programs competing for the cores: wall times grow)")

    freeze = not args.no_gc_freeze
    one = single_process(args.employees, args.seed, args.statements, args.batch, freeze)
    counts = one["statements"]
    per = one["cpu"] / args.employees * 1000
    print(
        f"\n1. assess, one process: {sum(counts):,} statements "
        f"(mean {statistics.mean(counts):.0f}, max {max(counts)} per employee)\n"
        f"   {one['wall']:.2f} s wall, {one['cpu']:.2f} s CPU, {per:.2f} ms CPU per employee\n"
        f"   without explanations (explain=False): {one['bare']:.2f} s CPU, "
        f"{one['bare'] / args.employees * 1000:.2f} ms per employee"
    )

    many = parallel(args.employees, args.seed, args.statements, args.workers, freeze)
    detail = ", ".join(f"{n} in {w:.2f} s wall, {c:.2f} s CPU" for n, w, c in many["workers"])
    print(
        f"\n2. assess, {args.workers} worker processes: {many['wall']:.2f} s wall for all "
        f"{args.employees} ({detail})   target: 10 s"
    )

    spread = stage_distribution(one["assessments"])
    start = time.perf_counter()
    stage_distribution(one["assessments"])
    took = (time.perf_counter() - start) * 1000
    print(f"\n3. stage_distribution of {args.employees} assessments: {took:.1f} ms")
    for axis in AXES:
        row = spread[axis]
        print(f"   {axis:9s} " + "  ".join(f"{k or '-'}:{row[k]:5d}" for k in (1, 2, 3, 4, None)))

    shown = trend(args.department, args.months, args.seed, args.statements)
    print(
        f"\n4. monthly_trend, {args.department} people x {args.months} months "
        f"({shown['statements']:,} statements): {shown['fast']:.2f} s; "
        f"naive (assess at every month end): {shown['naive']:.2f} s "
        f"({shown['naive'] / shown['fast']:.1f}x slower)"
    )
    print(f"   load average at the end: {os.getloadavg()[0]:.2f}")
    for axis in AXES:
        points = shown["trend"][axis]
        print(f"   {axis:9s} " + " ".join("  - " if s is None else f"{s:4.0f}" for _, s in points))


if __name__ == "__main__":
    main()

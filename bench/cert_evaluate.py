"""Evaluate the certification rules for 10,000 employees and report the time per employee.

Uses the real rules file and the real content folders. Each employee gets a
made-up but realistic history over the last 18 months (~60 statements: lessons
opened and completed, one to three quiz attempts per lesson, a handful of drill
runs), issued records from replaying `due_certificates` every 60 days and
yesterday, and a few revocations. Building the histories is not timed; the
report times `evaluate` (what the /me and HR pages need) and `due_certificates`
(what runs after each new statement) on the whole history.

    python bench/cert_evaluate.py [--employees 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from academy.certification import (
    ContentIndex,
    IssuedCertificate,
    Ruleset,
    due_certificates,
    evaluate,
    load_rules,
)
from academy.certification import content_index as build_index
from academy.evidence import Evidence

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
HISTORY = timedelta(days=540)


def history(rng: random.Random, content: ContentIndex) -> list[Evidence]:
    """One employee's statements: keen employees do most lessons, quizzes and drills."""
    keen = rng.betavariate(2.5, 1.5)
    start = NOW - HISTORY * rng.uniform(0.3, 1.0)
    span = (NOW - start).total_seconds()

    def when() -> datetime:
        return start + timedelta(seconds=rng.uniform(0, span))

    evidence: list[Evidence] = []
    for module in content.modules:
        if rng.random() > keen + 0.1:
            continue
        opened = when()
        evidence.append(Evidence("experienced", "module", module.key, opened))
        if rng.random() > keen + 0.15:
            continue
        evidence.append(Evidence("completed", "module", module.key, opened))
        if module.has_quiz:
            mark = module.pass_mark or 80
            for attempt in range(rng.choice((1, 1, 1, 2, 2, 3))):
                score = min(100.0, round(rng.gauss(70 + 20 * keen + 5 * attempt, 12)))
                passed = score >= mark
                evidence.append(
                    Evidence(
                        "passed" if passed else "failed",
                        "quiz",
                        module.key,
                        opened + timedelta(minutes=10 + 30 * attempt),
                        score=max(0.0, score),
                        success=passed,
                        detail={"pass_mark": mark},
                    )
                )
    for _ in range(round(4 + 10 * keen)):
        scenario = rng.choice(content.scenarios)
        score = max(0.0, min(100.0, round(rng.gauss(60 + 30 * keen, 15))))
        passed = score >= (scenario.pass_score or 70)
        evidence.append(
            Evidence(
                "completed",
                "scenario",
                scenario.slug,
                when(),
                score=score,
                success=passed,
                detail={
                    "ending": "success" if passed else "partial",
                    "disciplines": dict.fromkeys(scenario.disciplines, 3),
                    "axes": {"attitude": 1, "language": 1},
                },
            )
        )
    evidence.sort(key=lambda e: e.at)
    return evidence


def issued_records(
    rng: random.Random, ruleset: Ruleset, content: ContentIndex, evidence: list[Evidence]
) -> list[IssuedCertificate]:
    """Replay issuing every 60 days and yesterday; revoke a few certificates."""
    issued: list[IssuedCertificate] = []
    for days_ago in (540, 480, 420, 360, 300, 240, 180, 120, 60, 1):
        moment = NOW - timedelta(days=days_ago)
        past = [e for e in evidence if e.at <= moment]
        for n, issue in enumerate(due_certificates(ruleset, content, past, issued, moment)):
            issued.append(issue.to_issued(f"{issue.certificate_id}-{days_ago}-{n}", moment))
    if issued and rng.random() < 0.02:
        victim = rng.randrange(len(issued))
        record = issued[victim]
        issued[victim] = replace(record, revoked_at=record.issued_at + timedelta(days=5))
    return issued


def main() -> None:
    """Run the benchmark and print ms per employee for evaluate and due_certificates."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    content = build_index(ROOT / "courses", ROOT / "scenarios")
    ruleset, problems = load_rules(ROOT / "courses" / "certifications.yaml", content)
    assert ruleset is not None, [str(p) for p in problems]
    rng = random.Random(args.seed)

    built = time.perf_counter()
    people = []
    for _ in range(args.employees):
        evidence = history(rng, content)
        people.append((evidence, issued_records(rng, ruleset, content, evidence)))
    built = time.perf_counter() - built

    eval_times: list[float] = []
    due_times: list[float] = []
    statuses: Counter[str] = Counter()
    due_count = 0
    for evidence, issued in people:
        start = time.perf_counter()
        result = evaluate(ruleset, content, evidence, issued, NOW)
        eval_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        due_count += len(due_certificates(ruleset, content, evidence, issued, NOW))
        due_times.append(time.perf_counter() - start)
        statuses.update(str(s.status) for s in result.values())

    statements = [len(evidence) for evidence, _ in people]
    records = sum(len(issued) for _, issued in people)
    print(f"content: {len(content.modules)} modules, {len(content.scenarios)} drills;")
    print(f"rules: {len(ruleset.certificates)} certificates, version {ruleset.version}")
    print(
        f"employees: {args.employees}, statements per employee: mean"
        f" {statistics.fmean(statements):.1f} (min {min(statements)}, max {max(statements)}),"
        f" issued records: {records} (histories built in {built:.1f} s, not timed)"
    )
    for name, times in (("evaluate", eval_times), ("due_certificates", due_times)):
        ms = sorted(1000 * t for t in times)
        print(
            f"{name}: {statistics.fmean(ms):.3f} ms per employee (mean),"
            f" median {statistics.median(ms):.3f}, p99 {ms[int(0.99 * (len(ms) - 1))]:.3f};"
            f" total {sum(times):.2f} s"
        )
    print("statuses now:", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print(f"certificates due now: {due_count}")


if __name__ == "__main__":
    main()

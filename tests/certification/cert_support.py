"""Shared helpers for the certification tests: a small content index, rules, evidence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from academy.certification import (
    ContentIndex,
    IssuedCertificate,
    ModuleInfo,
    Ruleset,
    ScenarioInfo,
    due_certificates,
    parse_rules,
)
from academy.evidence import Evidence

DATA = Path(__file__).resolve().parent.parent / "data" / "certification"
REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)

CONTENT = ContentIndex(
    modules=(
        ModuleInfo("look/reading-the-need", "look", "读懂需求", 1, True, 80.0),
        ModuleInfo("look/first-three-seconds", "look", "进门三秒", 2, True, 80.0),
        ModuleInfo("look/notes", "look", "观察笔记", 3, False, None),
        ModuleInfo("listen/the-log", "listen", "倾听一本记录", 1, True, 70.0),
    ),
    scenarios=(
        ScenarioInfo("window", "窗口前的怒气", ("look", "listen"), 70.0),
        ScenarioInfo("outage", "停电没通知到", ("look",), 75.0),
        ScenarioInfo("heating", "冬季供暖", ("listen", "smile"), 70.0),
    ),
)

RULES: dict[str, Any] = {
    "version": 3,
    "defaults": {"validity_days": 365, "renewal_window_days": 60},
    "certificates": {
        "look": {
            "title": "看 · 修炼合格证",
            "title_en": "Look — Certified",
            "discipline": "look",
            "requirements": [
                {"kind": "modules_completed", "discipline": "look"},
                {"kind": "quizzes_passed", "discipline": "look"},
                {"kind": "drills_passed", "discipline": "look", "count": 2, "min_score": 70},
            ],
        },
        "listen": {
            "title": "听 · 修炼合格证",
            "title_en": "Listen — Certified",
            "discipline": "listen",
            "requirements": [
                {"kind": "modules_completed", "discipline": "listen"},
                {"kind": "quizzes_passed", "discipline": "listen"},
                {"kind": "drills_passed", "discipline": "listen", "count": 1, "min_score": 70},
            ],
        },
        "both": {
            "title": "看听合格证",
            "title_en": "Look and Listen",
            "requirements": [{"kind": "certificates_held", "certificates": ["look", "listen"]}],
        },
    },
}


def rules(data: dict[str, Any] | None = None) -> Ruleset:
    """A ruleset from data (default: `RULES`), failing the test on any error."""
    ruleset, problems = parse_rules(data if data is not None else RULES, CONTENT)
    assert ruleset is not None, problems
    return ruleset


def one(kind: str, **fields: Any) -> Ruleset:
    """A ruleset with the single certificate 'c' holding one requirement."""
    requirement = {"kind": kind, **fields}
    return rules(
        {
            "version": 1,
            "certificates": {"c": {"title": "C", "title_en": "C", "requirements": [requirement]}},
        }
    )


def done(key: str, at: datetime = T0) -> Evidence:
    """A lesson completion."""
    return Evidence("completed", "module", key, at, success=True)


def quiz(key: str, score: float, at: datetime = T0, pass_mark: float | None = 80) -> Evidence:
    """A quiz attempt, graded against `pass_mark` (recorded in detail when given)."""
    detail = {} if pass_mark is None else {"pass_mark": pass_mark}
    passed = pass_mark is None or score >= pass_mark
    verb = "passed" if passed else "failed"
    return Evidence(verb, "quiz", key, at, score=score, success=passed, detail=detail)


def drill(slug: str, score: float, at: datetime = T0, success: bool | None = True) -> Evidence:
    """A finished drill run."""
    detail = {"ending": "success" if success else "failure", "disciplines": {}, "axes": {}}
    return Evidence("completed", "scenario", slug, at, score=score, success=success, detail=detail)


def look_evidence(at: datetime = T0) -> list[Evidence]:
    """Everything the 'look' certificate asks for, dated `at`."""
    return [
        done("look/reading-the-need", at),
        done("look/first-three-seconds", at),
        done("look/notes", at),
        quiz("look/reading-the-need", 90, at),
        quiz("look/first-three-seconds", 85, at),
        drill("window", 80, at),
        drill("outage", 90, at),
    ]


def listen_evidence(at: datetime = T0) -> list[Evidence]:
    """Everything the 'listen' certificate asks for, dated `at`."""
    return [
        done("listen/the-log", at),
        quiz("listen/the-log", 75, at, 70),
        drill("heating", 72, at),
    ]


def record(
    certificate_id: str,
    issued_at: datetime = T0,
    *,
    days: int = 365,
    code: str = "code",
    starts_at: datetime | None = None,
    revoked_at: datetime | None = None,
) -> IssuedCertificate:
    """An issued record; the period runs `days` from `starts_at` (or `issued_at`)."""
    start = starts_at or issued_at
    return IssuedCertificate(
        certificate_id=certificate_id,
        issued_at=issued_at,
        expires_at=start + timedelta(days=days),
        rule_version="3",
        code=code,
        starts_at=starts_at,
        revoked_at=revoked_at,
    )


def apply_due(
    ruleset: Ruleset, evidence: list[Evidence], issued: list[IssuedCertificate], now: datetime
) -> list[IssuedCertificate]:
    """Issue whatever is due at `now`; return all records afterwards."""
    issues = due_certificates(ruleset, CONTENT, evidence, issued, now)
    fresh = [
        issue.to_issued(f"{issue.certificate_id}-{now:%Y%m%d%H%M%S}-{n}", now)
        for n, issue in enumerate(issues)
    ]
    return [*issued, *fresh]

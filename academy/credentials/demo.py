"""Demo history for certificates: months of evidence, issued periods and states, in bulk.

Importing this module registers `add_demo_certificates` in
`academy.demo.DEMO_EXTENSIONS`. It has to stay fast at 10,000 employees
(``academy demo --employees 10000``), so it does not go through the web
services one statement at a time: per batch of people it generates a
plausible learning history (lessons, quiz attempts, drill runs, dated over the
last 18 months), bulk-inserts it into the ledger, replays the pure issuing
rule at the end of each stretch of work (so certificates carry the dates they
would have had), revokes a handful with a reason (audited) and stores every
state. The first demo employee (zhangwei) gets a hand-made history: three
certificates held (one to renew soon), one almost earned, one not started.

The statements are ledger-only: the quiz and drill pages' own tables (attempt
papers, drill runs) are filled by their demo extensions for the first few
employees, through the real services.
"""

from __future__ import annotations

import logging
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, text

from academy.accounts.models import Department, User
from academy.assignments.models import Assignment, AssignmentTarget
from academy.certification import ContentIndex, IssuedCertificate, Ruleset, due_certificates
from academy.credentials import rules as published_rules
from academy.credentials import services
from academy.credentials.models import AuditLog, Certificate
from academy.demo import DEMO_EXTENSIONS
from academy.extensions import db
from academy.progress.models import Statement
from academy.timeutil import utcnow
from academy.vocabulary import DISCIPLINES

logger = logging.getLogger(__name__)

BATCH = 500
DAY = timedelta(days=1)
FEATURED = "zhangwei"
REVOKE_ONE_IN = 150
REVOKE_REASONS = (
    "窗口服务投诉核实：对居民使用服务忌语，证书暂停，复训后重新认证。",
    "抽查发现练习记录由他人代做，撤销证书。",
    "抢修回访未按规定执行，经调查属实。",
)


@dataclass
class History:
    """One person's generated statements and the moments a stretch of work ended."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    checkpoints: list[datetime] = field(default_factory=list)


class Generator:
    """Writes plausible evidence for one person (deterministic per username)."""

    def __init__(self, user: User, content: ContentIndex, now: datetime) -> None:
        self.user = user
        self.content = content
        self.now = now
        self.rng = random.Random(f"academy-demo-certs:{user.username}")
        self.history = History()
        self.done_lessons: set[str] = set()

    def statement(self, verb: str, object_type: str, object_id: str, at: datetime, **kw: Any):
        if at >= self.now:
            return
        self.history.rows.append(
            {
                "actor_id": self.user.id,
                "verb": verb,
                "object_type": object_type,
                "object_id": object_id,
                "score": kw.get("score"),
                "success": kw.get("success"),
                "duration_s": kw.get("duration_s"),
                "result": kw.get("result"),
                "initiative": "self",
                "assignment_id": None,
                "on_time": None,
                "context": None,
                "recorded_by_id": self.user.id,
                "timestamp": at,
                "stored_at": at,
                "dedupe_key": kw.get("dedupe_key"),
            }
        )

    def lessons(self, discipline: str, start: datetime, share: float = 1.0) -> datetime:
        """Complete the discipline's lessons (a share of them; some others only opened).

        Only the completion is written for a completed lesson (the page shows it
        completed either way): a third fewer rows to load at 10,000 employees.
        """
        at = start
        uid = self.user.id
        for module in self.content.modules_of(discipline):
            at += timedelta(hours=self.rng.uniform(2, 30))
            if module.key in self.done_lessons:
                continue
            if self.rng.random() > share:
                if self.rng.random() < 0.5:
                    self.statement(
                        "experienced",
                        "module",
                        module.key,
                        at,
                        dedupe_key=f"module-read:{uid}:{module.key}",
                    )
                continue
            self.statement(
                "completed",
                "module",
                module.key,
                at,
                success=True,
                dedupe_key=f"module-completed:{uid}:{module.key}",
            )
            self.done_lessons.add(module.key)
        return at

    def quizzes(self, discipline: str, start: datetime, skill: float, share: float = 1.0):
        at = start
        for module in self.content.quizzes_of(discipline):
            if self.rng.random() > share:
                continue
            mark = module.pass_mark or 80.0
            for attempt in range(3):
                at += timedelta(hours=self.rng.uniform(1, 20))
                score = round(min(100.0, self.rng.gauss(62 + 35 * skill + 8 * attempt, 9)))
                passed = score >= mark
                self.statement(
                    "passed" if passed else "failed",
                    "quiz",
                    module.key,
                    at,
                    score=float(max(0, score)),
                    success=passed,
                    duration_s=self.rng.randint(180, 900),
                    result={"pass_mark": mark},
                )
                if passed:
                    break
        return at

    def drills(self, discipline: str, start: datetime, count: int, skill: float) -> datetime:
        at = start
        candidates = list(self.content.drills_for(discipline))
        self.rng.shuffle(candidates)
        for scenario in candidates[:count]:
            for attempt in range(3):
                at += timedelta(hours=self.rng.uniform(2, 36))
                score = round(min(100.0, self.rng.gauss(60 + 30 * skill + 10 * attempt, 10)))
                passed = score >= (scenario.pass_score or 70)
                self.statement(
                    "completed",
                    "scenario",
                    scenario.slug,
                    at,
                    score=float(max(0, score)),
                    success=passed,
                    duration_s=self.rng.randint(240, 1200),
                    result={"ending_type": "success" if passed else "partial"},
                )
                if passed and score >= 70:
                    break
        return at

    def episode(self, discipline: str, start: datetime, skill: float) -> None:
        """All the work of one discipline, then a checkpoint."""
        at = self.lessons(discipline, start)
        at = self.quizzes(discipline, at, skill)
        at = self.drills(discipline, at, 2, skill)
        self.history.checkpoints.append(at + timedelta(hours=1))

    def renewal(self, discipline: str, start: datetime, skill: float) -> None:
        """Quizzes and drills again inside the renewal window."""
        at = self.quizzes(discipline, start, skill)
        at = self.drills(discipline, at, 2, skill)
        self.history.checkpoints.append(at + timedelta(hours=1))

    def generate(self) -> History:
        """A history drawn from a few profiles (most people are somewhere in between)."""
        rng, now = self.rng, self.now
        if self.user.username == FEATURED:
            return self.featured()
        skill = rng.betavariate(3, 2)
        profile = rng.choices(
            ("none", "dabbler", "partial", "complete", "lapsed", "renewer"),
            weights=(14, 20, 22, 24, 12, 8),
        )[0]
        order = list(DISCIPLINES)
        rng.shuffle(order)
        if profile == "none":
            return self.history
        if profile == "dabbler":
            start = now - DAY * rng.uniform(20, 200)
            for discipline in order[: rng.randint(1, 3)]:
                at = self.lessons(discipline, start, share=rng.uniform(0.3, 0.9))
                self.quizzes(discipline, at, skill, share=0.4)
                start = at + DAY * rng.uniform(1, 10)
            return self.history
        if profile == "partial":
            start = now - DAY * rng.uniform(30, 250)
            for discipline in order[: rng.randint(1, 4)]:
                self.episode(discipline, start, skill)
                start = self.history.checkpoints[-1] + DAY * rng.uniform(2, 15)
            self.lessons(order[-1], start, share=0.5)
            return self.history
        if profile == "complete":
            start = now - DAY * rng.uniform(15, 290)
        elif profile == "lapsed":
            start = now - DAY * rng.uniform(330, 480)
        else:  # renewer
            start = now - DAY * rng.uniform(400, 520)
        for discipline in order:
            self.episode(discipline, start, skill)
            start = self.history.checkpoints[-1] + DAY * rng.uniform(0.5, 4)
        if profile == "renewer":
            first_done = self.history.checkpoints[0]
            window = first_done + DAY * (365 - rng.uniform(10, 50))
            for discipline in order:
                if window >= now:
                    break
                self.renewal(discipline, window, skill)
                window = self.history.checkpoints[-1] + DAY * rng.uniform(0.2, 1.5)
        return self.history

    def featured(self) -> History:
        """zhangwei: look (to renew soon), listen and smile held; speak nearly; act not yet."""
        now, skill = self.now, 0.8
        self.episode("look", now - DAY * 330, skill)
        self.episode("listen", now - DAY * 120, skill)
        self.episode("smile", now - DAY * 95, skill)
        at = self.lessons("speak", now - DAY * 20)
        quizzes = self.content.quizzes_of("speak")
        if quizzes:
            self.quizzes("speak", at, skill, share=0.0)  # speak quizzes still to pass
            for module in quizzes[:-1]:
                at += timedelta(hours=5)
                self.statement(
                    "passed",
                    "quiz",
                    module.key,
                    at,
                    score=90.0,
                    success=True,
                    result={"pass_mark": module.pass_mark or 80},
                )
        self.history.checkpoints.append(at + timedelta(hours=1))
        return self.history


def add_demo_certificates(users: list[User], now: datetime | None = None) -> str | None:
    """Evidence, certificates and states for the new demo employees (bulk, batch by batch)."""
    published = published_rules.published()
    ruleset = published.ruleset
    if ruleset is None:
        return None
    now = now or utcnow()
    employees = [u for u in users if u.role == "employee"]
    if not employees:
        return None
    holding = set(
        db.session.scalars(
            select(Certificate.user_id).where(Certificate.user_id.in_([u.id for u in employees]))
        )
    )
    hr = db.session.scalar(select(User).where(User.role == "hr").order_by(User.id).limit(1))
    statements = issued = revoked = 0
    looks: dict[int, list[datetime]] = {}
    for start in range(0, len(employees), BATCH):
        batch = [u for u in employees[start : start + BATCH] if u.id not in holding]
        counts = _batch(batch, ruleset, published.content, now, hr, looks)
        statements, issued, revoked = (
            statements + counts[0],
            issued + counts[1],
            revoked + counts[2],
        )
    assigned = _assignments(employees, looks, hr, now) if "look" in ruleset.certificates else 0
    if db.session.get_bind().dialect.name == "postgresql" and len(employees) >= 1000:
        # Fresh planner statistics for the tables just filled in bulk: autovacuum would
        # get there eventually, and until then the HR queries plan for an empty table.
        db.session.execute(
            text("ANALYZE users, statements, certificates, certificate_states, assignment_targets")
        )
    logger.info("demo certificates: %d statements, %d certificates", statements, issued)
    return (
        f"  certificate history: {statements} statement(s), {issued} certificate(s) issued,"
        f" {revoked} revoked, {assigned} certificate assignment(s)"
    )


def _batch(
    people: Sequence[User],
    ruleset: Ruleset,
    content: ContentIndex,
    now: datetime,
    hr: User | None,
    looks: dict[int, list[datetime]],
) -> tuple[int, int, int]:
    histories = {u.id: Generator(u, content, now).generate() for u in people}
    rows = [row for h in histories.values() for row in h.rows]
    if rows:
        db.session.execute(insert(Statement.__table__), rows)
    facts = services.load_facts([u.id for u in people])
    certificates: list[dict[str, Any]] = []
    earned: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    states: list[dict[str, Any]] = []
    revoked = 0
    for user in people:
        person = facts[user.id]
        first = len(certificates)
        held: list[IssuedCertificate] = []
        moments = sorted({*histories[user.id].checkpoints, now})
        for moment in (m for m in moments if m <= now):
            issues = due_certificates(ruleset, content, person.evidence, held, moment)
            just: dict[str, str] = {}
            for issue in issues:
                code = services.new_code()
                just[issue.certificate_id] = code
                held.append(issue.to_issued(code, moment))
                rule = ruleset.certificate(issue.certificate_id)
                certificates.append(
                    {
                        "user_id": user.id,
                        "certificate_id": issue.certificate_id,
                        "title": rule.title,
                        "title_en": rule.title_en,
                        "rule_version": issue.rule_version,
                        "code": code,
                        "salt": secrets.token_hex(8),
                        "reason": str(issue.reason),
                        "follows": issue.follows or "",
                        "issued_at": moment,
                        "starts_at": issue.starts_at,
                        "expires_at": issue.expires_at,
                        "revoked_at": None,
                        "revoked_by_id": None,
                        "revoke_reason": None,
                        "evidence": services.evidence_summary(issue, person.statement_ids, just),
                    }
                )
                earned.append(_earned_row(user, issue.certificate_id, code, moment, issue))
                if issue.certificate_id == "look":
                    looks.setdefault(user.id, []).append(moment)
        mine = certificates[first:]
        rng = random.Random(f"academy-demo-revoke:{user.username}")
        lucky = rng.randrange(REVOKE_ONE_IN) != 0
        if mine and hr is not None and user.username != FEATURED and not lucky:
            victim = mine[-1]
            when = min(now - timedelta(hours=2), victim["issued_at"] + DAY * rng.uniform(5, 60))
            if when <= victim["issued_at"]:
                states.extend(_states(user.id, person, held, ruleset, content, now))
                continue
            reason = rng.choice(REVOKE_REASONS)
            victim.update(revoked_at=when, revoked_by_id=hr.id, revoke_reason=reason)
            held = [
                IssuedCertificate(
                    certificate_id=h.certificate_id,
                    issued_at=h.issued_at,
                    expires_at=h.expires_at,
                    rule_version=h.rule_version,
                    code=h.code,
                    revoked_at=when if h.code == victim["code"] else h.revoked_at,
                    starts_at=h.starts_at,
                )
                for h in held
            ]
            audits.append(
                {
                    "at": when,
                    "actor_id": hr.id,
                    "action": "revoke",
                    "target_user_id": user.id,
                    "certificate_id": victim["certificate_id"],
                    "certificate_code": victim["code"],
                    "reason": reason,
                    "detail": {"title": victim["title"], "codes": [victim["code"]], "demo": True},
                }
            )
            revoked += 1
        states.extend(_states(user.id, person, held, ruleset, content, now))
    if certificates:
        db.session.execute(insert(Certificate.__table__), certificates)
        db.session.execute(insert(Statement.__table__), earned)
    if audits:
        db.session.execute(insert(AuditLog.__table__), audits)
    services.upsert_states(states)
    return len(rows) + len(earned), len(certificates), revoked


def _states(
    user_id: int,
    person: services.Facts,
    held: list[IssuedCertificate],
    ruleset: Ruleset,
    content: ContentIndex,
    now: datetime,
) -> list[dict[str, Any]]:
    from academy.certification import evaluate

    statuses = evaluate(ruleset, content, person.evidence, held, now)
    return [services.state_row(user_id, status, ruleset, now) for status in statuses.values()]


def _earned_row(user: User, certificate_id: str, code: str, at: datetime, issue: Any) -> dict:
    return {
        "actor_id": user.id,
        "verb": "earned",
        "object_type": "certificate",
        "object_id": certificate_id,
        "score": None,
        "success": True,
        "duration_s": None,
        "result": {
            "code": code,
            "reason": str(issue.reason),
            "starts_at": issue.starts_at.isoformat(),
            "expires_at": issue.expires_at.isoformat(),
            "rule_version": issue.rule_version,
        },
        "initiative": "self",
        "assignment_id": None,
        "on_time": None,
        "context": {"demo": True},
        "recorded_by_id": user.id,
        "timestamp": at,
        "stored_at": at,
        "dedupe_key": f"certificate-earned:{code}",
    }


def _assignments(
    employees: Sequence[User], looks: dict[int, list[datetime]], hr: User | None, now: datetime
) -> int:
    """HR assigned the look certificate to the service window 40 days ago, due a week ago."""
    if hr is None:
        return 0
    window = db.session.scalar(select(Department).where(Department.name == "客服窗口"))
    if window is None:
        return 0
    created, due = now - DAY * 40, now - DAY * 7
    people = [
        u
        for u in employees
        if u.department_id == window.id
        and not any(created - DAY * 300 < at < created for at in looks.get(u.id, []))
    ]
    if not people:
        return 0
    assignment = Assignment(
        kind="certificate",
        object_id="look",
        title="看 · 修炼合格证",
        due_at=due,
        note="窗口岗位全员须持有效的“看”修炼合格证。",
        department_id=window.id,
        assigned_by_id=hr.id,
        created_at=created,
    )
    db.session.add(assignment)
    db.session.flush()
    targets = []
    for user in people:
        done = next((at for at in looks.get(user.id, []) if at >= created), None)
        targets.append(
            {
                "assignment_id": assignment.id,
                "user_id": user.id,
                "kind": "certificate",
                "object_id": "look",
                "due_at": due,
                "completed_at": done,
                "on_time": (done <= due) if done is not None else None,
                "statement_id": None,
                "cancelled": False,
            }
        )
    db.session.execute(insert(AssignmentTarget.__table__), targets)
    db.session.add(
        AuditLog(
            at=created,
            actor_id=hr.id,
            action="assign",
            detail={
                "assignment": assignment.id,
                "kind": "certificate",
                "object_id": "look",
                "title": assignment.title,
                "people": len(targets),
                "due": due.isoformat(),
                "demo": True,
            },
        )
    )
    return len(targets)


if add_demo_certificates not in DEMO_EXTENSIONS:
    DEMO_EXTENSIONS.append(add_demo_certificates)

"""Issue, evaluate, revoke and reinstate certificates; keep each person's state current.

Writers flush; the caller owns the commit. Importing this module wires it in:

- a ledger `AFTER_RECORD` hook re-evaluates the one person a relevant statement
  is about (lesson completed, quiz passed or failed, drill completed,
  observation) and issues what is due in the same transaction as the evidence;
- certificates become assignable (`ASSIGNABLES["certificate"]`), and issuing
  records an ``earned`` statement that closes such assignments;
- the rules file is published by the content sync (`academy.credentials.rules`).

Never twice: a period is stored inside a savepoint, and the unique constraint on
(user, certificate, follows) rejects a second decision made on the same records
by a concurrent request; the loser re-reads the records and finds nothing due.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from academy.accounts.models import User
from academy.assignments import services as assignments
from academy.certification import (
    CertificateStatus,
    Issue,
    IssuedCertificate,
    MissingItem,
    Status,
    due_certificates,
    evaluate,
)
from academy.credentials import rules as published_rules
from academy.credentials.models import AuditLog, Certificate, CertificateState
from academy.evidence import Evidence
from academy.extensions import db
from academy.progress import ledger
from academy.progress.models import Statement
from academy.timeutil import utcnow

logger = logging.getLogger(__name__)

#: (verb, object_type) of the statements that can change a certificate.
RELEVANT = frozenset(
    {
        ("completed", "module"),
        ("passed", "quiz"),
        ("failed", "quiz"),
        ("completed", "scenario"),
        ("observed", "observation"),
    }
)
_EVIDENCE_TYPES = ("module", "quiz", "scenario", "observation")
_EVIDENCE_VERBS = ("completed", "passed", "failed", "observed")
#: Stored state values (expiring / expired are derived from the dates when read).
HELD, REVOKED = "certified", "revoked"
#: Attempts at issuing when a concurrent request got there first.
ISSUE_ROUNDS = 3
CODE_BYTES = 18  # 24 URL-safe characters


class CredentialError(ValueError):
    """A revocation or reinstatement that cannot be done (message for the person)."""


# --- loading one or many people's facts ----------------------------------------------


@dataclass
class Facts:
    """One person's evidence (with the ledger id of each piece) and certificate records."""

    evidence: list[Evidence]
    statement_ids: dict[int, int]  # id(evidence) → statement id
    records: list[Certificate]

    def issued(self) -> list[IssuedCertificate]:
        """The records as the pure domain reads them."""
        return [as_issued(record) for record in self.records]


def as_issued(record: Certificate) -> IssuedCertificate:
    """A stored period as an `IssuedCertificate`."""
    return IssuedCertificate(
        certificate_id=record.certificate_id,
        issued_at=record.issued_at,
        expires_at=record.expires_at,
        rule_version=record.rule_version,
        code=record.code,
        revoked_at=record.revoked_at,
        starts_at=record.starts_at,
    )


def load_facts(user_ids: Sequence[int]) -> dict[int, Facts]:
    """Evidence and records of several people: two queries whatever their number."""
    facts = {user_id: Facts([], {}, []) for user_id in user_ids}
    if not facts:
        return facts
    rows = db.session.execute(
        select(
            Statement.id,
            Statement.actor_id,
            Statement.verb,
            Statement.object_type,
            Statement.object_id,
            Statement.timestamp,
            Statement.score,
            Statement.success,
            Statement.initiative,
            Statement.on_time,
            Statement.result,
        )
        .where(
            Statement.actor_id.in_(list(facts)),
            Statement.object_type.in_(_EVIDENCE_TYPES),
            Statement.verb.in_(_EVIDENCE_VERBS),
        )
        .order_by(Statement.actor_id, Statement.timestamp, Statement.id)
    )
    for row in rows:
        evidence = Evidence(
            verb=row.verb,
            object_type=row.object_type,
            object_id=row.object_id,
            at=row.timestamp,
            score=row.score,
            success=row.success,
            initiative=row.initiative or "self",
            on_time=row.on_time,
            detail=row.result or {},
        )
        person = facts[row.actor_id]
        person.evidence.append(evidence)
        person.statement_ids[id(evidence)] = row.id
    for record in db.session.scalars(
        select(Certificate)
        .where(Certificate.user_id.in_(list(facts)))
        .order_by(Certificate.starts_at, Certificate.id)
    ):
        facts[record.user_id].records.append(record)
    return facts


# --- evaluating and issuing ------------------------------------------------------------


def refresh_person(user: User, *, now: datetime | None = None) -> list[Certificate]:
    """Re-evaluate one person: issue what is due, upsert their states. Flushes.

    Returns the periods issued now (usually none).
    """
    rules = published_rules.published()
    if rules.ruleset is None:
        return []
    moment = now or utcnow()
    lock_person(user.id)
    facts = load_facts([user.id])[user.id]
    issued = _issue_due(user, facts, moment, rules)
    upsert_states(state_rows(user.id, facts, moment, rules))
    return issued


#: First key of the PostgreSQL advisory locks taken per person (the second is the user id).
LOCK_CLASS = 0x43455254  # "CERT"


def lock_person(user_id: int) -> None:
    """Judge one person at a time, until the transaction ends.

    Two requests recording different last requirements at once would each miss
    the other's evidence under READ COMMITTED, and a certificate that needs both
    would be issued by neither. On PostgreSQL a transaction-scoped advisory lock
    makes the second wait and then read what the first committed. SQLite already
    runs one writing transaction at a time (writers begin IMMEDIATE).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(LOCK_CLASS, user_id)))


def _issue_due(
    user: User, facts: Facts, now: datetime, rules: published_rules.Published
) -> list[Certificate]:
    assert rules.ruleset is not None
    issued: list[Certificate] = []
    for _round in range(ISSUE_ROUNDS):
        issues = due_certificates(rules.ruleset, rules.content, facts.evidence, facts.issued(), now)
        if not issues:
            break
        conflict = False
        just_issued: dict[str, str] = {}
        for issue in issues:
            record = _store(user, issue, facts, just_issued, now, rules)
            if record is None:
                conflict = True
                break
            just_issued[issue.certificate_id] = record.code
            facts.records.append(record)
            issued.append(record)
        if not conflict:
            break
        # Another request issued from the same records: read what it stored, judge again.
        facts.records = load_facts([user.id])[user.id].records
    return issued


def _store(
    user: User,
    issue: Issue,
    facts: Facts,
    just_issued: dict[str, str],
    now: datetime,
    rules: published_rules.Published,
) -> Certificate | None:
    assert rules.ruleset is not None
    rule = rules.ruleset.certificate(issue.certificate_id)
    record = Certificate(
        user_id=user.id,
        certificate_id=issue.certificate_id,
        title=rule.title,
        title_en=rule.title_en,
        rule_version=issue.rule_version,
        code=new_code(),
        salt=secrets.token_hex(8),
        reason=str(issue.reason),
        follows=issue.follows or "",
        issued_at=now,
        starts_at=issue.starts_at,
        expires_at=issue.expires_at,
        evidence=evidence_summary(issue, facts.statement_ids, just_issued),
    )
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        logger.info(
            "certificate %s for %s was issued by a concurrent request",
            issue.certificate_id,
            user.username,
        )
        return None
    ledger.record(
        user,
        "earned",
        "certificate",
        issue.certificate_id,
        success=True,
        result={
            "code": record.code,
            "reason": record.reason,
            "starts_at": record.starts_at.isoformat(),
            "expires_at": record.expires_at.isoformat(),
            "rule_version": record.rule_version,
        },
        at=now,
        dedupe_key=f"certificate-earned:{record.code}",
    )
    logger.info(
        "certificate issued: %s %s (%s) code %s",
        user.username,
        issue.certificate_id,
        issue.reason,
        record.code,
    )
    return record


def new_code() -> str:
    """A random, unguessable, URL-safe verification code."""
    return secrets.token_urlsafe(CODE_BYTES)


def evidence_summary(
    issue: Issue, statement_ids: dict[int, int], just_issued: dict[str, str]
) -> dict[str, Any]:
    """What earned a period: ledger statement ids and, per requirement, the facts."""
    ids: list[int] = []
    requirements = []
    for result in issue.requirements:
        items = []
        for e in result.evidence:
            statement_id = statement_ids.get(id(e))
            if statement_id is not None:
                ids.append(statement_id)
            item: dict[str, Any] = {
                "statement": statement_id,
                "verb": e.verb,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "at": e.at.isoformat(),
                "score": e.score,
            }
            if e.object_type == "certificate":
                held = str(e.detail.get("certificate", e.object_id))
                item["certificate"] = held
                item["code"] = e.detail.get("code") or just_issued.get(held)
            items.append(item)
        requirements.append(
            {
                "kind": result.kind,
                "description": result.description,
                "done": result.done,
                "total": result.total,
                "items": items,
            }
        )
    return {"statements": sorted(set(ids)), "requirements": requirements}


def state_rows(
    user_id: int, facts: Facts, now: datetime, rules: published_rules.Published
) -> list[dict[str, Any]]:
    """The `certificate_states` rows of one person, evaluated at `now`."""
    if rules.ruleset is None:
        return []
    statuses = evaluate(rules.ruleset, rules.content, facts.evidence, facts.issued(), now)
    return [state_row(user_id, status, rules.ruleset, now) for status in statuses.values()]


def state_row(user_id: int, status: CertificateStatus, ruleset: Any, now: datetime) -> dict:
    """One `certificate_states` row from an evaluated status."""
    record = status.record
    stored = str(status.status)
    valid_until = opens = None
    if status.status in (Status.CERTIFIED, Status.EXPIRING, Status.EXPIRED):
        stored = HELD
        valid_until = status.valid_until or (record.expires_at if record else None)
        window = ruleset.certificate(status.certificate_id).renewal_window
        opens = status.renewal_opens_at or (valid_until - window if valid_until else None)
    elif status.status == Status.REVOKED:
        stored = REVOKED
        valid_until = record.expires_at if record else None
    done, total = status.progress
    return {
        "user_id": user_id,
        "certificate_id": status.certificate_id,
        "status": stored,
        "valid_until": valid_until,
        "renewal_opens_at": opens,
        "issued_at": record.issued_at if record else None,
        "code": record.code if record else None,
        "done": done,
        "total": total,
        "missing": missing_summary(status.missing),
        "evaluated_at": now,
    }


def missing_summary(items: Iterable[MissingItem]) -> dict[str, int]:
    """How much is missing, by action: ``{"complete_lesson": 3, "pass_drills": 2}``.

    Kept small on purpose (one row per person × certificate): pages that show
    the details evaluate the one person live.
    """
    summary: dict[str, int] = {}
    for item in items:
        many = item.count if item.action in ("pass_drills", "be_observed") else 1
        summary[item.action] = summary.get(item.action, 0) + many
    return summary


_STATE_COLUMNS = (
    "status",
    "valid_until",
    "renewal_opens_at",
    "issued_at",
    "code",
    "done",
    "total",
    "missing",
    "evaluated_at",
)
_UPSERT_CHUNK = 500


def upsert_states(rows: list[dict[str, Any]]) -> None:
    """Insert or update `certificate_states` rows (one statement per 500 rows)."""
    if not rows:
        return
    table = CertificateState.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(rows), _UPSERT_CHUNK):
        statement = insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=["user_id", "certificate_id"],
            set_={name: statement.excluded[name] for name in _STATE_COLUMNS},
        )
        db.session.execute(statement, rows[start : start + _UPSERT_CHUNK])


def on_statement(statement: Statement) -> None:
    """Ledger hook: after relevant evidence, re-evaluate its person (same transaction)."""
    if (statement.verb, statement.object_type) not in RELEVANT:
        return
    refresh_person(statement.actor)


def refresh_everyone(
    *,
    batch_size: int = 500,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Re-evaluate every active person in batches, committing each; (people, issued).

    For a rules change, or to store time-based transitions (a certificate that
    expired overnight is already shown as expired: the HR queries derive it).
    """
    rules = published_rules.published()
    if rules.ruleset is None:
        return 0, 0
    moment = now or utcnow()
    ids = list(db.session.scalars(select(User.id).where(User.active.is_(True)).order_by(User.id)))
    people = issued = 0
    for chunk in _chunks(ids, batch_size):
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(chunk)))}
        facts = load_facts(chunk)
        rows: list[dict[str, Any]] = []
        for user_id in chunk:
            person = facts[user_id]
            issued += len(_issue_due(users[user_id], person, moment, rules))
            rows.extend(state_rows(user_id, person, moment, rules))
        upsert_states(rows)
        db.session.commit()
        people += len(chunk)
        if progress is not None:
            progress(people)
    return people, issued


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), max(1, size)):
        yield list(items[start : start + size])


# --- reading -------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonView:
    """One person's certificates: statuses now, and every record by certificate."""

    statuses: dict[str, CertificateStatus]
    records: dict[str, list[Certificate]]  # newest first
    titles: dict[str, str]


def person_view(user: User, *, now: datetime | None = None) -> PersonView | None:
    """Live evaluation of one person (None when no rules are published)."""
    rules = published_rules.published()
    if rules.ruleset is None:
        return None
    moment = now or utcnow()
    facts = load_facts([user.id])[user.id]
    statuses = evaluate(rules.ruleset, rules.content, facts.evidence, facts.issued(), moment)
    records: dict[str, list[Certificate]] = defaultdict(list)
    for record in reversed(facts.records):
        records[record.certificate_id].append(record)
    titles = {cid: rule.title for cid, rule in rules.ruleset.certificates.items()}
    return PersonView(statuses=statuses, records=dict(records), titles=titles)


def record_status(record: Certificate, now: datetime | None = None) -> str:
    """One period as verification shows it: valid, pending, expired or revoked."""
    moment = now or utcnow()
    if record.revoked_at is not None:
        return "revoked"
    if moment >= record.expires_at:
        return "expired"
    if moment < record.starts_at:
        return "pending"
    return "valid"


def find_by_code(code: str) -> Certificate | None:
    """The period with this verification code (junk is refused without a query)."""
    if not code or len(code) > 40 or not all(c.isalnum() or c in "-_" for c in code):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def certificate_titles() -> dict[str, str]:
    """Certificate id → title, in the rules file's order (empty without rules)."""
    ruleset = published_rules.published().ruleset
    if ruleset is None:
        return {}
    return {cid: rule.title for cid, rule in ruleset.certificates.items()}


# --- revoking and reinstating ----------------------------------------------------------


def revoke(
    actor: User,
    record: Certificate,
    reason: str,
    *,
    dependents: bool = True,
    now: datetime | None = None,
) -> list[Certificate]:
    """Revoke a period, any renewal issued after it and, by default, what depends on it.

    Writes one audit entry per certificate and a ``revoked`` ledger statement,
    then re-evaluates the person. Flushes; returns the revoked records.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CredentialError(_l("Give a reason for the revocation."))
    if record.revoked_at is not None:
        raise CredentialError(_l("This certificate is already revoked."))
    moment = now or utcnow()
    user = record.user
    own = list(db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)))
    targets = [
        r
        for r in own
        if r.certificate_id == record.certificate_id
        and r.revoked_at is None
        and r.starts_at >= record.starts_at
    ]
    cascaded: list[Certificate] = []
    ruleset = published_rules.published().ruleset
    if dependents and ruleset is not None and record.certificate_id in ruleset.certificates:
        depending = set(ruleset.dependents(record.certificate_id))
        cascaded = [
            r
            for r in own
            if r.certificate_id in depending and r.revoked_at is None and r.expires_at > moment
        ]
    for target in (*targets, *cascaded):
        target.revoked_at = moment
        target.revoked_by_id = actor.id
        target.revoke_reason = reason
    by_certificate: dict[str, list[Certificate]] = defaultdict(list)
    for target in (*targets, *cascaded):
        by_certificate[target.certificate_id].append(target)
    for certificate_id, revoked in by_certificate.items():
        record_audit(
            actor,
            "revoke",
            target_user=user,
            certificate_id=certificate_id,
            code=revoked[0].code,
            reason=reason,
            detail={
                "title": revoked[0].title,
                "codes": [r.code for r in revoked],
                **({"because_of": record.code} if certificate_id != record.certificate_id else {}),
            },
            at=moment,
        )
        ledger.record(
            user,
            "revoked",
            "certificate",
            certificate_id,
            result={"codes": [r.code for r in revoked], "reason": reason},
            recorded_by=actor,
            at=moment,
            dedupe_key=f"certificate-revoked:{revoked[0].code}:{moment.isoformat()}",
        )
    db.session.flush()
    logger.info(
        "%s revoked %s of %s (%d record(s))",
        actor.username,
        record.certificate_id,
        user.username,
        len(targets) + len(cascaded),
    )
    refresh_person(user, now=moment)
    return [*targets, *cascaded]


def reinstate(
    actor: User, record: Certificate, reason: str, *, now: datetime | None = None
) -> list[Certificate]:
    """Undo a revocation: every record revoked in the same action is valid again. Flushes."""
    reason = (reason or "").strip()
    if not reason:
        raise CredentialError(_l("Give a reason for reinstating."))
    if record.revoked_at is None:
        raise CredentialError(_l("This certificate is not revoked."))
    moment = now or utcnow()
    user = record.user
    together = list(
        db.session.scalars(
            select(Certificate).where(
                Certificate.user_id == user.id, Certificate.revoked_at == record.revoked_at
            )
        )
    )
    by_certificate: dict[str, list[Certificate]] = defaultdict(list)
    for target in together:
        by_certificate[target.certificate_id].append(target)
        target.revoked_at = None
        target.revoked_by_id = None
        target.revoke_reason = None
    for certificate_id, restored in by_certificate.items():
        record_audit(
            actor,
            "reinstate",
            target_user=user,
            certificate_id=certificate_id,
            code=restored[0].code,
            reason=reason,
            detail={"title": restored[0].title, "codes": [r.code for r in restored]},
            at=moment,
        )
    db.session.flush()
    logger.info(
        "%s reinstated %s of %s (%d record(s))",
        actor.username,
        record.certificate_id,
        user.username,
        len(together),
    )
    refresh_person(user, now=moment)
    return together


def record_audit(
    actor: User | None,
    action: str,
    *,
    target_user: User | None = None,
    certificate_id: str | None = None,
    code: str | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditLog:
    """Write one audit entry. Flushes."""
    entry = AuditLog(
        at=at or utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_user_id=target_user.id if target_user is not None else None,
        certificate_id=certificate_id,
        certificate_code=code,
        reason=reason,
        detail=detail or {},
    )
    db.session.add(entry)
    db.session.flush()
    return entry


# --- wiring ---------------------------------------------------------------------------


def _list_certificates() -> list[assignments.Assignable]:
    ruleset = published_rules.published().ruleset
    if ruleset is None:
        return []
    return [
        assignments.Assignable("certificate", cid, rule.title, rule.discipline or "")
        for cid, rule in ruleset.certificates.items()
    ]


def holders(user_ids: Iterable[int]) -> dict[int, list[CertificateState]]:
    """Stored states of several people (one query), for lists."""
    ids = list(user_ids)
    found: dict[int, list[CertificateState]] = defaultdict(list)
    if ids:
        for state in db.session.scalars(
            select(CertificateState).where(CertificateState.user_id.in_(ids))
        ):
            found[state.user_id].append(state)
    return found


assignments.ASSIGNABLES["certificate"] = _list_certificates
if on_statement not in ledger.AFTER_RECORD:
    ledger.AFTER_RECORD.append(on_statement)

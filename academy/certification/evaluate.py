"""Evidence + issued records → certificate statuses, and the decision to issue.

Both functions are pure: the same rules, content, evidence, records and `now`
give the same answer, whatever the order of the evidence.

Status of one certificate at `now` (records issued after `now` and
revocations after `now` are ignored, so a past moment can be replayed):

- a record not revoked whose period ``[valid_from, expires_at)`` contains now:
  ``expiring`` from ``valid_until - renewal window`` on, else ``certified``
  (``valid_until`` follows renewals already issued);
- otherwise, if a record has started: ``revoked`` if the latest started
  record is revoked, else ``expired``;
- never held: ``in_progress`` when any requirement has counted evidence (or
  all are met), else ``not_started``.

How the next period is judged (``counts_since`` is the cutoff for
``renewal: recent`` kinds; ``any`` kinds always count every date):

======================  =========================  ====================  ============
state                   counts_since               period starts         reason
======================  =========================  ====================  ============
never held              None (any date)            now                   new
certified / expiring    valid_until - window       valid_until           renewal
expired                 last expiry - window       now                   requalified
revoked                 the revocation             now                   requalified
======================  =========================  ====================  ============

A certificate is due when every requirement is met and it is not
``certified`` (so a renewal happens only inside the window, and only once per
period: the renewal's record extends ``valid_until`` past the window).
After a revocation at least one satisfying fact (evidence, or a prerequisite
certificate's record) must be dated after the revocation, so the facts that
were revoked never issue it again by themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from academy.certification.content import ContentIndex
from academy.certification.facts import EvidenceIndex, Held, Holdings
from academy.certification.model import (
    CertificateStatus,
    Issue,
    IssuedCertificate,
    Reason,
    Status,
    utc,
)
from academy.certification.requirements import EvalContext
from academy.certification.rules import CertificateRule, Ruleset
from academy.evidence import Evidence


def evaluate(
    ruleset: Ruleset,
    content: ContentIndex,
    evidence: Sequence[Evidence],
    issued: Sequence[IssuedCertificate],
    now: datetime,
) -> dict[str, CertificateStatus]:
    """Every certificate's status for one employee at `now`, in the rules file's order."""
    moment = utc(now)
    facts = EvidenceIndex.build(evidence, moment)
    holdings = Holdings(issued, moment)
    titles = {cert_id: rule.title for cert_id, rule in ruleset.certificates.items()}
    statuses: dict[str, CertificateStatus] = {}
    for cert_id in ruleset.order:
        rule = ruleset.certificate(cert_id)
        statuses[cert_id], _ = _judge(rule, content, facts, holdings, moment, statuses, titles)
    return {cert_id: statuses[cert_id] for cert_id in ruleset.certificates}


def due_certificates(
    ruleset: Ruleset,
    content: ContentIndex,
    evidence: Sequence[Evidence],
    issued: Sequence[IssuedCertificate],
    now: datetime,
) -> list[Issue]:
    """The certificate periods to issue now, prerequisites first.

    A certificate decided here counts as held for the ones that require it in
    the same call, so the Five Disciplines certificate can follow the last
    discipline certificate at once. Applying the result (storing
    `Issue.to_issued` records issued at `now`) and calling again returns [].
    """
    moment = utc(now)
    facts = EvidenceIndex.build(evidence, moment)
    holdings = Holdings(issued, moment)
    titles = {cert_id: rule.title for cert_id, rule in ruleset.certificates.items()}
    statuses: dict[str, CertificateStatus] = {}
    issues: list[Issue] = []
    for cert_id in ruleset.order:
        rule = ruleset.certificate(cert_id)
        status, plan = _judge(rule, content, facts, holdings, moment, statuses, titles)
        statuses[cert_id] = status
        if not status.due:
            continue
        reason, starts_at, follows = plan
        issue = Issue(
            certificate_id=cert_id,
            starts_at=starts_at,
            expires_at=starts_at + rule.validity,
            rule_version=ruleset.version,
            reason=reason,
            follows=follows,
            requirements=status.requirements,
        )
        issues.append(issue)
        holdings.add(issue.to_issued("", moment))
    return issues


Plan = tuple[Reason, datetime, str | None]


def _judge(
    rule: CertificateRule,
    content: ContentIndex,
    facts: EvidenceIndex,
    holdings: Holdings,
    now: datetime,
    statuses: Mapping[str, CertificateStatus],
    titles: Mapping[str, str],
) -> tuple[CertificateStatus, Plan]:
    records = holdings.records(rule.id)
    follows = records[-1].record.code if records else None
    covering = [h for h in records if h.revoked is None and h.start <= now < h.end]
    started = [h for h in records if h.start <= now]
    # An unrevoked period that has not begun means the next period is already issued.
    pending = any(h.revoked is None and h.start > now for h in records)

    record: Held | None = None
    valid_until: datetime | None = None
    opens: datetime | None = None
    since: datetime | None = None
    period_start = now
    reason = Reason.NEW
    status: Status | None = None
    revoked_at: datetime | None = None
    if covering:
        record = covering[-1]
        valid_until = _chain_end(records, max(h.end for h in covering))
        opens = valid_until - rule.renewal_window
        status = Status.EXPIRING if now >= opens else Status.CERTIFIED
        since, period_start, reason = opens, valid_until, Reason.RENEWAL
    elif started:
        record = started[-1]
        reason = Reason.REQUALIFIED
        if record.revoked is not None:
            status = Status.REVOKED
            since = revoked_at = record.revoked
        else:
            status = Status.EXPIRED
            since = record.end - rule.renewal_window

    ctx = EvalContext(
        content=content,
        facts=facts,
        holdings=holdings,
        now=now,
        since=since,
        period_start=period_start,
        statuses=statuses,
        titles=titles,
    )
    results = tuple(requirement.evaluate(ctx) for requirement in rule.requirements)
    met = all(r.met for r in results)
    if status is None:
        started_any = met or any(r.started for r in results)
        status = Status.IN_PROGRESS if started_any else Status.NOT_STARTED
    due = met and status != Status.CERTIFIED and not pending
    if due and revoked_at is not None:
        due = any(utc(e.at) >= revoked_at for r in results for e in r.evidence)
    starts_at = period_start if reason == Reason.RENEWAL else now
    return (
        CertificateStatus(
            certificate_id=rule.id,
            status=status,
            requirements=results,
            record=record.record if record is not None else None,
            valid_until=valid_until,
            renewal_opens_at=opens,
            counts_since=since,
            due=due,
        ),
        (reason, starts_at, follows),
    )


def _chain_end(records: Sequence[Held], end: datetime) -> datetime:
    """Follow unrevoked periods that start before `end` runs out (renewals)."""
    extended = True
    while extended:
        extended = False
        for held in records:
            if held.revoked is None and held.start <= end < held.end:
                end = held.end
                extended = True
    return end

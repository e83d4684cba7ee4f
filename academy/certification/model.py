"""Values of the certification domain: issued records, statuses, missing items, issues.

All frozen. Datetimes coming out of this package are timezone-aware UTC; naive
datetimes coming in (SQLite gives them back naive) are read as UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from academy.evidence import Evidence


class Status(StrEnum):
    """Where an employee stands with one certificate."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    CERTIFIED = "certified"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @property
    def valid(self) -> bool:
        """Whether a certificate in this status is valid now."""
        return self in (Status.CERTIFIED, Status.EXPIRING)


class Reason(StrEnum):
    """Why a certificate is due: first earned, renewed in its window, or earned again."""

    NEW = "new"
    RENEWAL = "renewal"
    REQUALIFIED = "requalified"


@dataclass(frozen=True)
class ContentRef:
    """Something the employee can open: a lesson, a quiz, a drill, a certificate.

    kind: ``module`` | ``quiz`` | ``scenario`` | ``certificate`` | ``observation``;
    key: module key, scenario slug or certificate id.
    """

    kind: str
    key: str
    title: str


@dataclass(frozen=True)
class MissingItem:
    """One thing still to do for a requirement, structured so the web can link it.

    action: ``complete_lesson`` | ``pass_quiz`` | ``pass_drills`` | ``hold_certificate``
    | ``be_observed`` | ``unavailable`` (the published content cannot satisfy it).
    `count` targets must be done (drills: `count` more of the `targets`, the
    candidates not yet passed). `min_score` is the mark to reach (quiz pass mark,
    drill minimum score); `best_score` the best counted attempt so far.
    """

    action: str
    requirement: str
    discipline: str | None
    targets: tuple[ContentRef, ...] = ()
    count: int = 1
    min_score: float | None = None
    best_score: float | None = None

    def __str__(self) -> str:
        names = ", ".join(t.key for t in self.targets)
        mark = f" with ≥ {self.min_score:g}" if self.min_score is not None else ""
        best = f" (best so far {self.best_score:g})" if self.best_score is not None else ""
        if self.action == "complete_lesson":
            return f"complete lesson {names}"
        if self.action == "pass_quiz":
            return f"pass the quiz of {names}{mark}{best}"
        if self.action == "pass_drills":
            noun = "drill" if self.count == 1 else "drills"
            return (
                f"pass {self.count} more {noun} exercising {self.discipline}{mark}"
                f" (candidates: {names or 'none published'})"
            )
        if self.action == "hold_certificate":
            return f"hold a valid certificate {names}"
        if self.action == "be_observed":
            return "a trainer's field observation"
        return f"not available yet: {self.requirement} for {self.discipline or 'this certificate'}"


@dataclass(frozen=True)
class RequirementResult:
    """One requirement evaluated: met or not, progress, what is missing, what satisfied it.

    `evidence` holds the very `Evidence` objects passed to `evaluate` (identity
    kept, so the caller can map them back to its statements). For
    ``certificates_held`` they are synthetic ``earned``/``certificate``
    statements whose detail gives the certificate id and code (``None`` for a
    certificate issued in the same `due_certificates` call).
    """

    kind: str
    description: str
    met: bool
    done: int
    total: int
    started: bool
    missing: tuple[MissingItem, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, kw_only=True)
class IssuedCertificate:
    """A certificate record as stored: one validity period of one certificate.

    The period runs from `starts_at` (a renewal starts at the previous expiry;
    ``None`` means `issued_at`) up to, not including, `expires_at`.
    """

    certificate_id: str
    issued_at: datetime
    expires_at: datetime
    rule_version: str
    code: str
    revoked_at: datetime | None = None
    starts_at: datetime | None = None

    @property
    def valid_from(self) -> datetime:
        """When the period starts."""
        return self.starts_at if self.starts_at is not None else self.issued_at


@dataclass(frozen=True)
class CertificateStatus:
    """One certificate for one employee at one moment.

    `record` is the record in force (certified, expiring) or the last one
    (expired, revoked). `valid_until` is the end of the unbroken validity that
    covers now, a renewal already issued included; `renewal_opens_at` is that
    minus the renewal window. `requirements` are evaluated the way the next
    issue would be judged (`counts_since`: the earliest date of evidence that
    counts for "recent" kinds, None for any date). `due`: a new period should
    be issued now (see `due_certificates`).
    """

    certificate_id: str
    status: Status
    requirements: tuple[RequirementResult, ...]
    record: IssuedCertificate | None = None
    valid_until: datetime | None = None
    renewal_opens_at: datetime | None = None
    counts_since: datetime | None = None
    due: bool = False

    @property
    def met(self) -> bool:
        """Whether every requirement is met (as judged for the next issue)."""
        return all(r.met for r in self.requirements)

    @property
    def missing(self) -> tuple[MissingItem, ...]:
        """Everything still missing, requirement by requirement."""
        return tuple(item for r in self.requirements for item in r.missing)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The evidence of the met requirements."""
        return tuple(e for r in self.requirements if r.met for e in r.evidence)

    @property
    def progress(self) -> tuple[int, int]:
        """(done, total) summed over the requirements, for a progress bar."""
        return sum(r.done for r in self.requirements), sum(r.total for r in self.requirements)


@dataclass(frozen=True)
class Issue:
    """A decision to issue one period of a certificate now.

    `follows` is the code of the latest record of this certificate when the
    decision was made (None for the first ever). Two concurrent decisions made
    on the same records share it: a unique constraint on (employee, certificate,
    follows) lets the store keep one. `requirements` carry the evidence.
    """

    certificate_id: str
    starts_at: datetime
    expires_at: datetime
    rule_version: str
    reason: Reason
    follows: str | None
    requirements: tuple[RequirementResult, ...]

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """Every piece of evidence that satisfied the rule, requirement by requirement."""
        return tuple(e for r in self.requirements for e in r.evidence)

    def to_issued(self, code: str, issued_at: datetime) -> IssuedCertificate:
        """The record to store for this decision."""
        return IssuedCertificate(
            certificate_id=self.certificate_id,
            issued_at=issued_at,
            expires_at=self.expires_at,
            rule_version=self.rule_version,
            code=code,
            starts_at=self.starts_at,
        )


def utc(value: datetime) -> datetime:
    """`value` as an aware UTC datetime (naive values are taken to be UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)

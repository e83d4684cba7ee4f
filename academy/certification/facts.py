"""One employee's facts arranged for rule checking: evidence by object, records by certificate.

Built once per `evaluate` call, so every requirement looks up what it needs
instead of scanning the whole evidence list. Evidence or records dated after
`now` are left out: evaluating "as of" a past moment gives the answer of then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from academy.certification.model import IssuedCertificate, utc
from academy.evidence import Evidence

#: A piece of evidence with its time as aware UTC.
Fact = tuple[datetime, Evidence]


def evidence_order(fact: Fact) -> tuple[object, ...]:
    """A total order on facts that does not depend on the order they were given in."""
    at, e = fact
    return (
        at,
        e.verb,
        e.object_type,
        e.object_id,
        -1.0 if e.score is None else e.score,
        repr(e.success),
        e.initiative,
        repr(sorted(e.detail.items(), key=lambda kv: str(kv[0]))),
    )


@dataclass(frozen=True)
class EvidenceIndex:
    """Evidence up to `now`, grouped by what the requirement kinds read, oldest first."""

    now: datetime
    completions: Mapping[str, tuple[Fact, ...]]
    quiz_attempts: Mapping[str, tuple[Fact, ...]]
    drill_runs: Mapping[str, tuple[Fact, ...]]
    observations: tuple[Fact, ...]

    @classmethod
    def build(cls, evidence: Iterable[Evidence], now: datetime) -> EvidenceIndex:
        """Group `evidence` dated no later than `now`."""
        completions: dict[str, list[Fact]] = {}
        quizzes: dict[str, list[Fact]] = {}
        drills: dict[str, list[Fact]] = {}
        observations: list[Fact] = []
        for e in evidence:
            kind = e.object_type
            if kind == "module":
                if e.verb != "completed":
                    continue
                bucket = completions.setdefault(e.object_id, [])
            elif kind == "quiz":
                if e.verb not in ("passed", "failed"):
                    continue
                bucket = quizzes.setdefault(e.object_id, [])
            elif kind == "scenario":
                if e.verb != "completed":
                    continue
                bucket = drills.setdefault(e.object_id, [])
            elif kind == "observation":
                if e.verb != "observed":
                    continue
                bucket = observations
            else:
                continue
            at = utc(e.at)
            if at <= now:
                bucket.append((at, e))
        return cls(
            now=now,
            completions={k: _sorted(v) for k, v in completions.items()},
            quiz_attempts={k: _sorted(v) for k, v in quizzes.items()},
            drill_runs={k: _sorted(v) for k, v in drills.items()},
            observations=_sorted(observations),
        )


def _quick_order(fact: Fact) -> tuple[datetime, str, float, int]:
    at, e = fact
    success = 2 if e.success is None else int(e.success)
    return at, e.verb, -1.0 if e.score is None else e.score, success


def _sorted(facts: list[Fact]) -> tuple[Fact, ...]:
    if len(facts) > 1:
        facts.sort(key=_quick_order)
        keys = [_quick_order(f) for f in facts]
        # Only ties on the quick key need the full (slower) order to be input-order free.
        if any(a == b for a, b in zip(keys, keys[1:], strict=False)):
            facts.sort(key=evidence_order)
    return tuple(facts)


@dataclass(frozen=True)
class Held:
    """An issued record with its times as aware UTC."""

    record: IssuedCertificate
    start: datetime
    end: datetime
    issued: datetime
    revoked: datetime | None


class Holdings:
    """Issued records by certificate as of `now`; `add` supports chained issuing."""

    def __init__(self, issued: Iterable[IssuedCertificate], now: datetime) -> None:
        self.now = now
        self._by_cert: dict[str, list[Held]] = {}
        for record in issued:
            self.add(record)

    def add(self, record: IssuedCertificate) -> None:
        """Take `record` into account (ignored if issued after `now`)."""
        issued = utc(record.issued_at)
        if issued > self.now:
            return
        revoked = utc(record.revoked_at) if record.revoked_at is not None else None
        held = Held(
            record=record,
            start=utc(record.valid_from),
            end=utc(record.expires_at),
            issued=issued,
            revoked=revoked if revoked is not None and revoked <= self.now else None,
        )
        records = self._by_cert.setdefault(record.certificate_id, [])
        records.append(held)
        records.sort(key=lambda h: (h.start, h.issued, h.record.code))

    def records(self, certificate_id: str) -> list[Held]:
        """Records of one certificate by start of period."""
        return self._by_cert.get(certificate_id, [])

    def valid_at(self, certificate_id: str, moment: datetime) -> Held | None:
        """The unrevoked record whose period contains `moment` (the latest started one)."""
        found = None
        for held in self.records(certificate_id):
            if held.revoked is None and held.start <= moment < held.end:
                found = held
        return found

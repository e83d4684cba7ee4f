"""Requirement kinds: what a certificate asks for, and how each is judged against evidence.

`REGISTRY` maps a requirement's ``kind:`` in ``courses/certifications.yaml``
to its class. Each kind reads its own keys (`parse`), names the certificates
it depends on (`references`), warns when the published content can never
satisfy it (`content_warnings`) and judges one employee's facts (`evaluate`).
To add a kind: subclass `Requirement` as a frozen dataclass, then add it to
`REGISTRY` (``docs/certification.md`` walks through it).

Renewal: evidence kinds take ``renewal: recent | any``. With ``recent`` only
evidence dated on or after `EvalContext.since` counts (the renewal window's
start for a renewal, the revocation for a revoked certificate); with ``any``
evidence of any date counts. A first issue counts evidence of any date.
"""

from __future__ import annotations

import difflib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Final

from academy.certification.content import ContentIndex, ModuleInfo, ScenarioInfo
from academy.certification.facts import EvidenceIndex, Fact, Holdings
from academy.certification.model import (
    CertificateStatus,
    ContentRef,
    MissingItem,
    RequirementResult,
    Status,
)
from academy.evidence import Evidence
from academy.sourcemap import Path, PathProblem
from academy.vocabulary import DISCIPLINES

RECENT: Final = "recent"
ANY: Final = "any"
RENEWAL_MODES: Final = (RECENT, ANY)


@dataclass(frozen=True)
class EvalContext:
    """What a requirement is judged against, for one certificate of one employee.

    `since`: evidence of ``renewal: recent`` kinds counts from this moment on
    (None: any date). `period_start`: when the period being decided would
    start (now, or the current expiry for a renewal); ``certificates_held``
    asks for certificates valid then. `statuses` holds the certificates
    already evaluated (prerequisites come first).
    """

    content: ContentIndex
    facts: EvidenceIndex
    holdings: Holdings
    now: datetime
    since: datetime | None
    period_start: datetime
    statuses: Mapping[str, CertificateStatus]
    titles: Mapping[str, str]

    def counted(self, facts: tuple[Fact, ...], renewal: str) -> tuple[Fact, ...]:
        """The facts that count under this renewal mode."""
        since = self.since
        if renewal == ANY or since is None:
            return facts
        return tuple(f for f in facts if f[0] >= since)


class Fields:
    """Reads one requirement mapping, collecting problems located by path."""

    def __init__(self, data: Mapping[str, Any], path: Path, allowed: tuple[str, ...]) -> None:
        self.data = data
        self.path = path
        self.problems: list[PathProblem] = []
        for key in data:
            if key == "kind" or key in allowed:
                continue
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            also = f"; did you mean '{hint[0]}'?" if hint else ""
            shown = ", ".join(allowed) if allowed else "none"
            self.error(key, f"unknown key '{key}' (allowed: kind, {shown}){also}")

    @property
    def ok(self) -> bool:
        """No error so far."""
        return not any(p.severity == "error" for p in self.problems)

    def error(self, key: str | None, message: str, severity: str = "error") -> None:
        """Record a problem at `key` (or at the requirement itself)."""
        path = self.path if key is None else (*self.path, key)
        self.problems.append(PathProblem(path, message, severity))

    def discipline(self, *, required: bool) -> str | None:
        """The ``discipline:`` value, one of the five."""
        value = self.data.get("discipline")
        if value is None:
            if required:
                self.error(None, f"missing required key 'discipline' ({', '.join(DISCIPLINES)})")
            return None
        if value not in DISCIPLINES:
            self.error(
                "discipline", f"unknown discipline '{value}' (one of {', '.join(DISCIPLINES)})"
            )
            return None
        return str(value)

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        """A whole number in low..high, or `default` when absent."""
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.error(key, f"{key} must be a whole number from {low} to {high}")
            return default
        return value

    def score(self, key: str) -> float | None:
        """A score 0..100, or None when absent."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            self.error(key, f"{key} must be a number from 0 to 100")
            return None
        return float(value)

    def renewal(self, default: str) -> str:
        """``recent`` or ``any`` (see the module docstring)."""
        value = self.data.get("renewal", default)
        if value not in RENEWAL_MODES:
            self.error("renewal", f"renewal must be one of {', '.join(RENEWAL_MODES)}")
            return default
        return str(value)


class Requirement(ABC):
    """One condition of a certificate. Subclasses are frozen dataclasses."""

    kind: ClassVar[str]
    #: Keys the kind accepts besides ``kind``.
    keys: ClassVar[tuple[str, ...]]

    @classmethod
    @abstractmethod
    def parse(cls, fields: Fields) -> Requirement | None:
        """Build the requirement from checked fields; None when `fields` found errors."""

    def references(self) -> tuple[str, ...]:
        """Ids of the certificates this requirement depends on."""
        return ()

    def content_warnings(self, content: ContentIndex) -> list[str]:
        """Why the published content can never satisfy this requirement, if it cannot."""
        return []

    @abstractmethod
    def evaluate(self, ctx: EvalContext) -> RequirementResult:
        """Judge one employee's facts."""

    @abstractmethod
    def describe(self) -> str:
        """A one-line English summary (logs, CLI, docs)."""


def _unavailable(req: Requirement, discipline: str | None, total: int) -> RequirementResult:
    return RequirementResult(
        kind=req.kind,
        description=req.describe(),
        met=False,
        done=0,
        total=total,
        started=False,
        missing=(MissingItem("unavailable", req.kind, discipline),),
    )


@dataclass(frozen=True)
class ModulesCompleted(Requirement):
    """Every published module of the discipline completed (lessons are completed once)."""

    kind: ClassVar[str] = "modules_completed"
    keys: ClassVar[tuple[str, ...]] = ("discipline", "renewal")

    discipline: str
    renewal: str = ANY

    @classmethod
    def parse(cls, fields: Fields) -> ModulesCompleted | None:
        discipline = fields.discipline(required=True)
        renewal = fields.renewal(ANY)
        if not fields.ok or discipline is None:
            return None
        return cls(discipline, renewal)

    def content_warnings(self, content: ContentIndex) -> list[str]:
        if content.modules_of(self.discipline):
            return []
        return [f"no published lessons in '{self.discipline}': this can never be met"]

    def evaluate(self, ctx: EvalContext) -> RequirementResult:
        modules = ctx.content.modules_of(self.discipline)
        if not modules:
            return _unavailable(self, self.discipline, 1)
        evidence: list[Evidence] = []
        missing: list[MissingItem] = []
        for module in modules:
            counted = ctx.counted(ctx.facts.completions.get(module.key, ()), self.renewal)
            if counted:
                evidence.append(counted[0][1])
            else:
                ref = ContentRef("module", module.key, module.title)
                missing.append(MissingItem("complete_lesson", self.kind, self.discipline, (ref,)))
        return RequirementResult(
            kind=self.kind,
            description=self.describe(),
            met=not missing,
            done=len(evidence),
            total=len(modules),
            started=bool(evidence),
            missing=tuple(missing),
            evidence=tuple(evidence),
        )

    def describe(self) -> str:
        return f"complete every lesson of {self.discipline}"


def quiz_attempt_passed(evidence: Evidence, module: ModuleInfo) -> bool:
    """Whether a quiz attempt passed the pass mark that applied to it.

    The pass mark recorded on the attempt (``detail["pass_mark"]``) wins over
    the module's current one, so raising a pass mark does not take passes away.
    Without a score, the attempt's own success (or its verb) decides.
    """
    mark = evidence.detail.get("pass_mark")
    if isinstance(mark, bool) or not isinstance(mark, int | float):
        mark = module.pass_mark
    if evidence.score is not None and mark is not None:
        return evidence.score >= mark
    if evidence.success is not None:
        return evidence.success
    return evidence.verb == "passed"


@dataclass(frozen=True)
class QuizzesPassed(Requirement):
    """Each quiz of the discipline's modules passed at its pass mark (best attempt counts)."""

    kind: ClassVar[str] = "quizzes_passed"
    keys: ClassVar[tuple[str, ...]] = ("discipline", "renewal")

    discipline: str
    renewal: str = RECENT

    @classmethod
    def parse(cls, fields: Fields) -> QuizzesPassed | None:
        discipline = fields.discipline(required=True)
        renewal = fields.renewal(RECENT)
        if not fields.ok or discipline is None:
            return None
        return cls(discipline, renewal)

    def content_warnings(self, content: ContentIndex) -> list[str]:
        if content.quizzes_of(self.discipline):
            return []
        return [f"no published quizzes in '{self.discipline}': this can never be met"]

    def evaluate(self, ctx: EvalContext) -> RequirementResult:
        quizzes = ctx.content.quizzes_of(self.discipline)
        if not quizzes:
            return _unavailable(self, self.discipline, 1)
        evidence: list[Evidence] = []
        missing: list[MissingItem] = []
        started = False
        for module in quizzes:
            attempts = ctx.counted(ctx.facts.quiz_attempts.get(module.key, ()), self.renewal)
            started = started or bool(attempts)
            best: Evidence | None = None
            best_score: float | None = None
            for _, attempt in attempts:
                score = attempt.score
                if score is not None and (best_score is None or score > best_score):
                    best_score = score
                if quiz_attempt_passed(attempt, module) and (
                    best is None or (score or 0.0) > (best.score or 0.0)
                ):
                    best = attempt
            if best is not None:
                evidence.append(best)
                continue
            ref = ContentRef("quiz", module.key, module.title)
            missing.append(
                MissingItem(
                    "pass_quiz",
                    self.kind,
                    self.discipline,
                    (ref,),
                    min_score=module.pass_mark,
                    best_score=best_score,
                )
            )
        return RequirementResult(
            kind=self.kind,
            description=self.describe(),
            met=not missing,
            done=len(evidence),
            total=len(quizzes),
            started=started,
            missing=tuple(missing),
            evidence=tuple(evidence),
        )

    def describe(self) -> str:
        return f"pass every quiz of {self.discipline} at its pass mark"


def drill_run_passed(evidence: Evidence, scenario: ScenarioInfo, min_score: float | None) -> bool:
    """Whether a drill run passed (its own pass score) with at least `min_score`.

    A run that does not say whether it passed is judged by the drill's pass score.
    """
    score = evidence.score
    if evidence.success is None:
        if score is None or scenario.pass_score is None or score < scenario.pass_score:
            return False
    elif not evidence.success:
        return False
    return min_score is None or (score is not None and score >= min_score)


@dataclass(frozen=True)
class DrillsPassed(Requirement):
    """`count` distinct drills exercising the discipline passed with a score ≥ `min_score`."""

    kind: ClassVar[str] = "drills_passed"
    keys: ClassVar[tuple[str, ...]] = ("discipline", "count", "min_score", "renewal")

    discipline: str
    count: int = 1
    min_score: float | None = None
    renewal: str = RECENT

    @classmethod
    def parse(cls, fields: Fields) -> DrillsPassed | None:
        discipline = fields.discipline(required=True)
        count = fields.integer("count", 1, 1, 100)
        min_score = fields.score("min_score")
        renewal = fields.renewal(RECENT)
        if not fields.ok or discipline is None:
            return None
        return cls(discipline, count, min_score, renewal)

    def content_warnings(self, content: ContentIndex) -> list[str]:
        found = len(content.drills_for(self.discipline))
        if found >= self.count:
            return []
        return [
            f"only {found} published drill(s) exercise '{self.discipline}' but count is"
            f" {self.count}: this can never be met"
        ]

    def evaluate(self, ctx: EvalContext) -> RequirementResult:
        candidates = ctx.content.drills_for(self.discipline)
        if not candidates:
            return _unavailable(self, self.discipline, self.count)
        passed: list[tuple[ScenarioInfo, Fact]] = []
        open_: list[ContentRef] = []
        started = False
        for scenario in candidates:
            runs = ctx.counted(ctx.facts.drill_runs.get(scenario.slug, ()), self.renewal)
            started = started or bool(runs)
            best: Fact | None = None
            for fact in runs:
                if drill_run_passed(fact[1], scenario, self.min_score) and (
                    best is None or (fact[1].score or 0.0) > (best[1].score or 0.0)
                ):
                    best = fact
            if best is None:
                open_.append(ContentRef("scenario", scenario.slug, scenario.title))
            else:
                passed.append((scenario, best))
        passed.sort(key=lambda p: (-(p[1][1].score or 0.0), p[1][0], p[0].slug))
        chosen = passed[: self.count]
        needed = self.count - len(chosen)
        missing: tuple[MissingItem, ...] = ()
        if needed > 0:
            missing = (
                MissingItem(
                    "pass_drills",
                    self.kind,
                    self.discipline,
                    tuple(open_),
                    count=needed,
                    min_score=self.min_score,
                ),
            )
        return RequirementResult(
            kind=self.kind,
            description=self.describe(),
            met=needed <= 0,
            done=len(chosen),
            total=self.count,
            started=started,
            missing=missing,
            evidence=tuple(fact[1] for _, fact in chosen),
        )

    def describe(self) -> str:
        noun = "drill" if self.count == 1 else "drills"
        text = f"pass {self.count} {noun} exercising {self.discipline}"
        if self.min_score is not None:
            text += f" with a score of at least {self.min_score:g}"
        return text


@dataclass(frozen=True)
class CertificatesHeld(Requirement):
    """Other certificates held and valid when the period being decided starts.

    For a first issue that is now; for a renewal, the current expiry, so a
    renewed certificate never rests on one that lapses before it starts.
    """

    kind: ClassVar[str] = "certificates_held"
    keys: ClassVar[tuple[str, ...]] = ("certificates",)

    certificates: tuple[str, ...]

    @classmethod
    def parse(cls, fields: Fields) -> CertificatesHeld | None:
        value = fields.data.get("certificates")
        if not isinstance(value, list) or not value:
            fields.error(
                None if value is None else "certificates",
                "certificates must be a non-empty list of certificate ids",
            )
            return None
        ids: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item:
                fields.error("certificates", f"item {index + 1} must be a certificate id")
            elif item in ids:
                fields.problems.append(
                    PathProblem(
                        (*fields.path, "certificates", index), f"certificate '{item}' listed twice"
                    )
                )
            else:
                ids.append(item)
        if not fields.ok:
            return None
        return cls(tuple(ids))

    def references(self) -> tuple[str, ...]:
        return self.certificates

    def evaluate(self, ctx: EvalContext) -> RequirementResult:
        evidence: list[Evidence] = []
        missing: list[MissingItem] = []
        started = False
        for certificate_id in self.certificates:
            held = ctx.holdings.valid_at(certificate_id, ctx.period_start)
            status = ctx.statuses.get(certificate_id)
            started = started or held is not None
            started = started or (status is not None and status.status != Status.NOT_STARTED)
            if held is None:
                ref = ContentRef("certificate", certificate_id, ctx.titles.get(certificate_id, ""))
                missing.append(MissingItem("hold_certificate", self.kind, None, (ref,)))
                continue
            evidence.append(
                Evidence(
                    verb="earned",
                    object_type="certificate",
                    object_id=certificate_id,
                    at=held.issued,
                    success=True,
                    detail={
                        "certificate": certificate_id,
                        "code": held.record.code or None,
                        "valid_from": held.start.isoformat(),
                        "expires_at": held.end.isoformat(),
                    },
                )
            )
        return RequirementResult(
            kind=self.kind,
            description=self.describe(),
            met=not missing,
            done=len(evidence),
            total=len(self.certificates),
            started=started,
            missing=tuple(missing),
            evidence=tuple(evidence),
        )

    def describe(self) -> str:
        return f"hold valid certificates: {', '.join(self.certificates)}"


@dataclass(frozen=True)
class Observation(Requirement):
    """Reserved: a trainer's field observation (``observed`` evidence).

    Parsed and validated so rule files can be written ahead, but not evaluated
    yet: it is always missing, so a certificate that asks for it is never issued.
    """

    kind: ClassVar[str] = "observation"
    keys: ClassVar[tuple[str, ...]] = ("discipline", "count", "renewal")

    discipline: str | None = None
    count: int = 1
    renewal: str = RECENT

    @classmethod
    def parse(cls, fields: Fields) -> Observation | None:
        discipline = fields.discipline(required=False)
        count = fields.integer("count", 1, 1, 100)
        renewal = fields.renewal(RECENT)
        fields.error(
            None,
            "observation requirements are reserved and not evaluated yet:"
            " a certificate that asks for one cannot be issued",
            severity="warning",
        )
        if not fields.ok:
            return None
        return cls(discipline, count, renewal)

    def evaluate(self, ctx: EvalContext) -> RequirementResult:
        counted = ctx.counted(ctx.facts.observations, self.renewal)
        ref = ContentRef("observation", self.discipline or "", "a trainer's field observation")
        return RequirementResult(
            kind=self.kind,
            description=self.describe(),
            met=False,
            done=0,
            total=self.count,
            started=bool(counted),
            missing=(
                MissingItem("be_observed", self.kind, self.discipline, (ref,), count=self.count),
            ),
        )

    def describe(self) -> str:
        where = f" of {self.discipline}" if self.discipline else ""
        return f"a trainer's field observation{where}"


#: Requirement kinds by their ``kind:`` name.
REGISTRY: Final[dict[str, type[Requirement]]] = {
    cls.kind: cls
    for cls in (ModulesCompleted, QuizzesPassed, DrillsPassed, CertificatesHeld, Observation)
}

"""The growth model: evidence → scores, stages, next steps and their reasons.

`assess(evidence, now)` scores the four transformation axes (他律→自律,
粗俗→文明, 生硬→礼貌, 习惯→标准) and the five disciplines. Every score is a
recency-weighted mean of what the evidence says (0..100), shrunk towards 0 by a
blank pseudo-item, so thin or old evidence reads low::

    score = Σ aᵢ·vᵢ / (P + Σ aᵢ)      aᵢ = wᵢ · ½^(ageᵢ / half-life) · r^(newer repeats)

Each contributor's ``points`` is what the score would lose (or gain) without
it: ``aᵢ·(vᵢ − score) / (P + Σa − aᵢ)``. Stages come from score thresholds,
held back by a minimum of evidence and by gates (an observation for stage 3;
self-initiated practice, a reflection and calibrated self-ratings for stage 4).
`docs/growth-model.md` gives every number and a worked example.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

from academy.evidence import Evidence
from academy.vocabulary import AXES, AXIS_TERMS, DISCIPLINES

from .params import DEFAULT, STAGES, Params
from .signals import (
    AXIS_SET,
    AXIS_SOURCES,
    ELEARNING_KINDS,
    OBSERVED_KINDS,
    TARGETS,
    Signal,
    Timeline,
    days,
    elearning_factors,
    extract,
    mapping,
)

LN2: Final = math.log(2.0)
GATE_KINDS: Final = frozenset({"practice", "observation", "reflection", "calibration"})


@dataclass(frozen=True)
class Contribution:
    """One evidence item's signed effect on one score: the 'why' behind it."""

    target: str  # axis or discipline
    kind: str  # practice, lesson, quiz, refresher, drill_axis, drill_discipline, ...
    at: datetime
    object_type: str
    object_id: str
    value: float  # what this item says about the target, 0..100
    weight: float  # its weight at the assessment date (recency and repeats applied)
    points: float  # the score minus the score without this item (signed)
    params: Mapping[str, Any]  # kind-specific facts for the label (see explain.py)
    evidence: Evidence


@dataclass(frozen=True)
class NextStep:
    """What would move an axis to its next stage (a key the web layer translates)."""

    key: str  # more_evidence | raise_score | needs_observation | needs_self_practice |
    #           needs_reflection | needs_calibration | calibration_gap | keep_practising
    target_stage: int | None
    params: Mapping[str, Any]
    missing: tuple[str, ...] = ()  # every unmet requirement of target_stage, key first


@dataclass(frozen=True)
class AxisResult:
    """One transformation axis: score, stage, next step and the evidence behind them."""

    axis: str
    score: float | None  # None: no evidence at all
    stage: int | None  # None: not enough evidence yet
    score_stage: int | None  # the stage the score alone would reach
    next_step: NextStep
    contributors: tuple[Contribution, ...]  # largest |points| first
    items: int  # evidence items counted (up to the assessment date)
    weight: float  # their total weight today
    enough_evidence: bool

    @property
    def stage_key(self) -> str | None:
        """``directed`` … ``self_disciplined``, or None."""
        return None if self.stage is None else STAGES[self.stage]

    @property
    def terms(self) -> tuple[str, str]:
        """The Chinese from → to terms staff use (他律, 自律)."""
        return AXIS_TERMS[self.axis]

    @property
    def helped(self) -> tuple[Contribution, ...]:
        """Top contributors that raised the score."""
        return tuple(c for c in self.contributors if c.points > 0)

    @property
    def held_back(self) -> tuple[Contribution, ...]:
        """Top contributors that lowered the score."""
        return tuple(c for c in self.contributors if c.points < 0)


@dataclass(frozen=True)
class DisciplineResult:
    """One discipline's proficiency for the radar chart, with its reasons."""

    discipline: str
    score: float | None
    contributors: tuple[Contribution, ...]
    items: int
    weight: float
    enough_evidence: bool


@dataclass(frozen=True)
class Facts:
    """What the stage gates looked at, over the gate window before the assessment date."""

    window_days: float
    self_share: float | None  # weighted share of practice started on one's own
    practice_weight: float
    reflections: int
    calibrations: int  # reflections whose self-ratings met a trainer rating
    calibration_pairs: Mapping[str, int]  # axis -> self-ratings compared ("all": every axis)
    calibration_gaps: Mapping[str, float]  # axis -> mean |self − trainer|, in rating points
    observations: Mapping[str, int]  # axis -> trainer observations rating it


@dataclass(frozen=True)
class Assessment:
    """Everything the pages show about one employee's growth at one date."""

    at: datetime
    axes: Mapping[str, AxisResult]  # in AXES order
    disciplines: Mapping[str, DisciplineResult]  # in DISCIPLINES order
    facts: Facts
    completed_modules: frozenset[str]  # lesson completed or quiz passed
    drill_runs: Mapping[str, int]  # scenario slug -> runs so far
    last_drill: str | None  # slug of the latest drill run (a reflection can be about it)
    ignored: int  # evidence of kinds the model does not read


def stage_for(
    score: float | None,
    params: Params = DEFAULT,
    *,
    enough: bool = True,
    gates: Mapping[int, bool] | None = None,
) -> int | None:
    """The stage a score reaches: highest threshold met, held back by the first unmet gate."""
    if score is None or not enough:
        return None
    stage = 1
    for candidate, threshold in zip((2, 3, 4), params.stage_thresholds, strict=True):
        if score < threshold or (gates is not None and not gates.get(candidate, True)):
            break
        stage = candidate
    return stage


def _practice_params(s: Signal) -> Mapping[str, Any]:
    source, how = s.info
    return {"source": source, "initiative": how}


def _lesson_params(s: Signal) -> Mapping[str, Any]:
    return {"module": s.evidence.object_id, "completed": s.info}


def _quiz_params(s: Signal) -> Mapping[str, Any]:
    value, passed = s.info
    return {"module": s.evidence.object_id, "score": value, "passed": passed}


def _ending(s: Signal) -> str | None:
    detail = mapping(s.evidence.detail)
    for key in ("ending_type", "ending"):
        if detail.get(key) in ("success", "partial", "failure"):
            return str(detail[key])
    return None


def _drill_discipline_params(s: Signal) -> Mapping[str, Any]:
    earned, most = s.info
    return {"scenario": s.evidence.object_id, "points": earned, "max": most, "ending": _ending(s)}


def _drill_axis_params(s: Signal) -> Mapping[str, Any]:
    return {"scenario": s.evidence.object_id, "evidence": s.info, "ending": _ending(s)}


def _observation_params(s: Signal) -> Mapping[str, Any]:
    rating, ones = s.info
    note = mapping(s.evidence.detail).get("note")
    return {
        "rating": rating,
        "seven_ones": dict(ones),
        "note": note if isinstance(note, str) else "",
    }


def _card_params(s: Signal) -> Mapping[str, Any]:
    detail = mapping(s.evidence.detail)
    text = {k: detail.get(k) if isinstance(detail.get(k), str) else "" for k in ("good", "bad")}
    return {"rating": s.info, **text}


def _reflection_params(s: Signal) -> Mapping[str, Any]:
    about, length = s.info
    return {"about": about, "length": int(length)}


def _calibration_params(s: Signal) -> Mapping[str, Any]:
    pairs = tuple(
        {"axis": axis, "self": mine, "observed": seen, "gap": gap}
        for axis, mine, seen, gap in s.info
    )
    return {"pairs": pairs}


#: Signal kind -> the label parameters of its contributions (built for the top few only).
LABEL_PARAMS: Final[Mapping[str, Callable[[Signal], Mapping[str, Any]]]] = {
    "practice": _practice_params,
    "lesson": _lesson_params,
    "quiz": _quiz_params,
    "refresher": _quiz_params,
    "drill_discipline": _drill_discipline_params,
    "drill_axis": _drill_axis_params,
    "observation": _observation_params,
    "card": _card_params,
    "reflection": _reflection_params,
    "calibration": _calibration_params,
}


def _contribution(s: Signal, a: float, points: float) -> Contribution:
    ev = s.evidence
    params = MappingProxyType(dict(LABEL_PARAMS[s.kind](s)))
    return Contribution(
        target=s.target,
        kind=s.kind,
        at=ev.at,
        object_type=ev.object_type,
        object_id=ev.object_id,
        value=s.value,
        weight=a,
        points=points,
        params=params,
        evidence=ev,
    )


def _score(
    entries: list[tuple[float, float, int]],
    items: int,
    signals: Sequence[Signal],
    params: Params,
    explain: bool,
) -> tuple[float | None, float, tuple[Contribution, ...], bool]:
    """(score, total weight, top contributors, enough evidence?) of one target.

    `entries` holds (effective weight, value, timeline index) of every known signal.
    """
    if not entries:
        return None, 0.0, (), False
    total = weighted = 0.0
    for a, value, _ in entries:
        total += a
        weighted += a * value
    denominator = params.prior_weight + total
    score = weighted / denominator
    enough = items >= params.min_items and total >= params.min_weight
    if not explain:
        return score, total, (), enough
    if params.prior_weight > 0:
        points = [a * (value - score) / (denominator - a) for a, value, _ in entries]
    else:  # a lone item with no prior: nothing to compare it with
        points = [
            a * (value - score) / (denominator - a) if denominator > a else 0.0
            for a, value, _ in entries
        ]
    size = list(map(abs, points))
    # Largest effect first; at equal effect the newer first (entries are newest first,
    # and nlargest keeps the input order among equals).
    top = heapq.nlargest(params.top_contributors, range(len(entries)), key=size.__getitem__)
    contributions = tuple(
        _contribution(signals[entries[i][2]], entries[i][0], points[i]) for i in top
    )
    return score, total, contributions, enough


def _cap_elearning(
    entries: list[tuple[float, float, int]], signals: Sequence[Signal], params: Params
) -> list[tuple[float, float, int]]:
    """Behaviour's entries with e-learning capped once observed conduct exists."""
    elearning = observed = other = 0.0
    for a, _value, index in entries:
        kind = signals[index].kind
        if kind in ELEARNING_KINDS:
            elearning += a
        elif kind in OBSERVED_KINDS:
            observed += a
        else:
            other += a
    scaled, every = elearning_factors(elearning, observed, other, params.behaviour_elearning_cap)
    if scaled == 1.0 and every == 1.0:
        return entries
    return [
        (a * every * (scaled if signals[index].kind in ELEARNING_KINDS else 1.0), value, index)
        for a, value, index in entries
    ]


def _gates(axis: str, facts: Facts, params: Params) -> dict[int, tuple[str, ...]]:
    """Unmet requirements (beyond the score) of stages 3 and 4 on one axis."""
    stage3: list[str] = []
    if facts.observations.get(axis, 0) < params.stage3_min_observations:
        stage3.append("needs_observation")
    stage4: list[str] = []
    share = facts.self_share
    if share is None or share < params.stage4_self_share:
        stage4.append("needs_self_practice")
    if facts.reflections < params.stage4_min_reflections:
        stage4.append("needs_reflection")
    # Behaviour is self-knowledge in general: self-ratings of any axis count for it.
    gap_key = "all" if axis == "behaviour" else axis
    gap = facts.calibration_gaps.get(gap_key)
    compared = facts.calibrations if axis == "behaviour" else facts.calibration_pairs.get(axis, 0)
    if gap is None or compared < params.stage4_min_calibrations:
        stage4.append("needs_calibration")
    elif gap > params.stage4_max_calibration_gap:
        stage4.append("calibration_gap")
    return {2: (), 3: tuple(stage3), 4: tuple(stage4)}


def stage_gates(axis: str, facts: Facts, params: Params = DEFAULT) -> dict[int, tuple[str, ...]]:
    """Unmet requirements beyond the score of stages 2, 3 and 4 on one axis (empty: met)."""
    return _gates(axis, facts, params)


def _gate_items(
    timeline: Timeline, today: float, params: Params
) -> list[tuple[float, Signal, float]]:
    """(time, signal, effective weight) of the gate evidence in the window, oldest first.

    Weights as `evaluate` computes them (recency and repeats) at `today`; without
    new evidence they all fade by the same factor, so only their ratios matter.
    """
    known = bisect_right(timeline.times, today)
    window_start = today - params.gate_window_days
    decay = LN2 / params.half_life_days
    seen: dict[str, int] = {}
    items: list[tuple[float, Signal, float]] = []
    for index in range(known - 1, -1, -1):
        s = timeline.signals[index]
        a = s.weight * math.exp(decay * (s.t - today))
        if s.group:
            newer = seen.get(s.group, 0)
            seen[s.group] = newer + 1
            a *= params.repeat_factor**newer
        if s.t >= window_start and s.kind in GATE_KINDS:
            items.append((s.t, s, a))
    items.reverse()
    return items


class _GateFacts:
    """The gate facts of a set of gate items, updated as items leave the window."""

    def __init__(self, items: Sequence[tuple[float, Signal, float]], params: Params) -> None:
        self.params = params
        self.practice = [0, 0.0, 0.0]  # items, weight, self-initiated weight
        self.reflections = self.calibrations = 0
        self.gaps: dict[str, list[float]] = {}  # axis → [pairs, sum of gaps]
        self.observations: Counter[str] = Counter()
        for item in items:
            self.change(item, +1)

    def change(self, item: tuple[float, Signal, float], sign: int) -> None:
        _t, s, a = item
        if s.kind == "practice":
            self.practice[0] += sign
            self.practice[1] += sign * a
            if s.info[1] == "self":
                self.practice[2] += sign * a
        elif s.kind == "observation":
            self.observations[s.target] += sign
        elif s.kind == "reflection":
            self.reflections += sign
        else:
            self.calibrations += sign
            for pair_axis, _mine, _seen, gap in s.info:
                for key in (pair_axis, "all"):
                    found = self.gaps.setdefault(key, [0, 0.0])
                    found[0] += sign
                    found[1] += sign * abs(gap)

    def facts(self) -> Facts:
        count, weight, own = self.practice
        gaps = {k: v for k, v in sorted(self.gaps.items()) if v[0] > 0}
        return Facts(
            window_days=self.params.gate_window_days,
            self_share=own / weight if count > 0 and weight > 0 else None,
            practice_weight=weight if count > 0 else 0.0,
            reflections=self.reflections,
            calibrations=self.calibrations,
            calibration_pairs=MappingProxyType({k: int(v[0]) for k, v in gaps.items()}),
            calibration_gaps=MappingProxyType({k: v[1] / v[0] for k, v in gaps.items()}),
            observations=MappingProxyType({a: self.observations[a] for a in AXES}),
        )


def unchanged_until(
    timeline: Timeline,
    now: datetime,
    params: Params = DEFAULT,
    *,
    assessment: Assessment | None = None,
) -> float:
    """The day (days since the epoch) up to which, without new evidence, every stage of
    the assessment at `now` only changes as its score fades (``inf``: for ever).

    Without new evidence every item of an axis fades by the same factor, so a
    stored score and weight can be aged exactly (`aged_axis`). Only the stage
    gates can move, as gate evidence leaves the gate window, and they matter
    only where the score reaches them (scores never rise without new evidence:
    stage 3 from 60, stage 4 from 80). This replays the gate evidence leaving
    the window, oldest first, and returns the moment the first relevant gate
    would change; evidence dated after `now` ends the period when it becomes known.
    """
    today = days(now)
    if assessment is None:
        assessment = evaluate(timeline, now, params, explain=False)
    known = bisect_right(timeline.times, today)
    until = timeline.signals[known].t if known < len(timeline.signals) else math.inf
    stage3, stage4 = params.stage_thresholds[1], params.stage_thresholds[2]
    relevant = [
        (axis, 4 if result.score >= stage4 else 3)
        for axis, result in assessment.axes.items()
        if result.score is not None and result.score >= stage3
    ]
    if not relevant:
        return until
    items = _gate_items(timeline, today, params)
    state = _GateFacts(items, params)

    def gates() -> list[tuple[bool, ...]]:
        facts = state.facts()
        found = []
        for axis, top in relevant:
            unmet = _gates(axis, facts, params)
            found.append(tuple(not unmet[level] for level in range(3, top + 1)))
        return found

    before = gates()
    window = params.gate_window_days
    for index, item in enumerate(items):
        leaves = item[0] + window
        if leaves >= until:
            break
        state.change(item, -1)
        if index + 1 < len(items) and items[index + 1][0] == item[0]:
            continue  # items of the same moment leave together
        if gates() != before:
            return leaves
    return until


def _next_step(
    axis: str,
    score: float | None,
    stage: int | None,
    items: int,
    weight: float,
    unmet: Mapping[int, tuple[str, ...]],
    facts: Facts,
    params: Params,
) -> NextStep:
    sources = AXIS_SOURCES[axis]
    if stage is None:
        needed = {
            "items": items,
            "items_needed": max(0, params.min_items - items),
            "weight": round(weight, 2),
            "weight_needed": round(max(0.0, params.min_weight - weight), 2),
            "sources": sources,
        }
        return NextStep("more_evidence", None, MappingProxyType(needed), ("more_evidence",))
    assert score is not None
    if stage == 4:
        return NextStep("keep_practising", 4, MappingProxyType({"score": score}), ())
    target = stage + 1
    threshold = params.stage_thresholds[target - 2]
    missing: list[str] = []
    if score < threshold:
        missing.append("raise_score")
    for level in range(2, target + 1):
        missing.extend(unmet[level])
    info: dict[str, Any] = {
        "score": score,
        "threshold": threshold,
        "gap": max(0.0, threshold - score),
        "sources": sources,
    }
    if "needs_self_practice" in missing:
        info["self_share"] = facts.self_share
        info["self_share_needed"] = params.stage4_self_share
    if "calibration_gap" in missing:
        info["calibration_gap"] = facts.calibration_gaps.get("all" if axis == "behaviour" else axis)
    return NextStep(missing[0], target, MappingProxyType(info), tuple(missing))


def evaluate(
    timeline: Timeline, now: datetime, params: Params = DEFAULT, *, explain: bool = True
) -> Assessment:
    """Assess a prepared timeline at `now` (evidence after `now` is not yet known)."""
    today = days(now)
    known = bisect_right(timeline.times, today)
    signals = timeline.signals
    decay_axis = LN2 / params.half_life_days
    decay_discipline = LN2 / params.discipline_half_life_days
    repeat = params.repeat_factor
    window_start = today - params.gate_window_days
    entries: dict[str, list[tuple[float, float, int]]] = {name: [] for name in TARGETS}
    items = dict.fromkeys(TARGETS, 0)
    decays = {name: decay_axis if name in AXIS_SET else decay_discipline for name in TARGETS}
    seen: dict[str, int] = {}
    self_weight = practice_weight = 0.0
    reflections = calibrations = 0
    gaps: dict[str, list[float]] = {}
    observations: Counter[str] = Counter()
    exp = math.exp
    # Newest first, so a repeat's rank (how many newer repeats it has) is known on the way.
    for index in range(known - 1, -1, -1):
        target, group, t, weight, value, kind, _ev, info, counts = signals[index]
        a = weight * exp(decays[target] * (t - today))
        if group:
            newer = seen.get(group, 0)
            seen[group] = newer + 1
            if newer:
                a *= repeat**newer
        entries[target].append((a, value, index))
        if counts:
            items[target] += 1
        if t < window_start or kind not in GATE_KINDS:
            continue
        if kind == "practice":
            practice_weight += a
            if info[1] == "self":
                self_weight += a
        elif kind == "observation":
            observations[target] += 1
        elif kind == "reflection":
            reflections += 1
        else:  # calibration
            calibrations += 1
            for pair_axis, _mine, _seen, gap in info:
                gaps.setdefault(pair_axis, []).append(abs(gap))
                gaps.setdefault("all", []).append(abs(gap))
    facts = Facts(
        window_days=params.gate_window_days,
        self_share=self_weight / practice_weight if practice_weight > 0 else None,
        practice_weight=practice_weight,
        reflections=reflections,
        calibrations=calibrations,
        calibration_pairs=MappingProxyType({k: len(v) for k, v in sorted(gaps.items())}),
        calibration_gaps=MappingProxyType({k: sum(v) / len(v) for k, v in sorted(gaps.items())}),
        observations=MappingProxyType({a: observations[a] for a in AXES}),
    )
    entries["behaviour"] = _cap_elearning(entries["behaviour"], signals, params)
    axes: dict[str, AxisResult] = {}
    for axis in AXES:
        score, weight, contributors, enough = _score(
            entries[axis], items[axis], signals, params, explain
        )
        unmet = _gates(axis, facts, params)
        gates = {level: not reasons for level, reasons in unmet.items()}
        stage = stage_for(score, params, enough=enough, gates=gates)
        axes[axis] = AxisResult(
            axis=axis,
            score=score,
            stage=stage,
            score_stage=stage_for(score, params, enough=enough),
            next_step=_next_step(axis, score, stage, items[axis], weight, unmet, facts, params),
            contributors=contributors,
            items=items[axis],
            weight=weight,
            enough_evidence=enough,
        )
    disciplines: dict[str, DisciplineResult] = {}
    for discipline in DISCIPLINES:
        score, weight, contributors, enough = _score(
            entries[discipline], items[discipline], signals, params, explain
        )
        disciplines[discipline] = DisciplineResult(
            discipline=discipline,
            score=score,
            contributors=contributors,
            items=items[discipline],
            weight=weight,
            enough_evidence=enough,
        )
    completed = frozenset(key for t, key in timeline.completions if t <= today)
    runs = Counter(slug for t, slug in timeline.drill_runs if t <= today)
    return Assessment(
        at=now,
        axes=MappingProxyType(axes),
        disciplines=MappingProxyType(disciplines),
        facts=facts,
        completed_modules=completed,
        drill_runs=MappingProxyType(dict(sorted(runs.items()))),
        last_drill=max(
            ((t, slug) for t, slug in timeline.drill_runs if t <= today), default=(0, None)
        )[1],
        ignored=sum(1 for t, _ in timeline.ignored if t <= today),
    )


def assess(
    evidence: Sequence[Evidence],
    now: datetime,
    params: Params = DEFAULT,
    *,
    explain: bool = True,
) -> Assessment:
    """Score the four axes and five disciplines of one employee's evidence at `now`.

    ``explain=False`` leaves the contributor lists empty (cohort pages need only
    scores and stages; it saves about a tenth of the time).
    """
    return evaluate(extract(evidence, params), now, params, explain=explain)

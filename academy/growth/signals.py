"""From evidence to signals: what each kind of evidence says about each target.

A *signal* is one evidence item's say on one target (an axis or a discipline):
a value 0..100, a base weight, and a repeat group. Every evidence kind has one
extractor in `EVIDENCE_KINDS` (keyed by ``(verb, object_type)``); unknown kinds
are counted and ignored. Calibration (self-ratings in reflections against the
trainer's latest rating before them) is a second pass over the whole set.

Extraction does not depend on the assessment date: a `Timeline` is built once
and can be evaluated at any date (`academy.growth.model`) or at many month ends
(`academy.growth.cohort`). The order of the input never matters: signals are
sorted by time and content before anything is summed.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from numbers import Real
from operator import itemgetter
from typing import Any, Final, NamedTuple

from academy.evidence import Evidence
from academy.vocabulary import AXES, DISCIPLINES

from .params import Params

AXIS_SET: Final = frozenset(AXES)
DISCIPLINE_SET: Final = frozenset(DISCIPLINES)
TARGETS: Final[tuple[str, ...]] = (*AXES, *DISCIPLINES)
SECONDS_PER_DAY: Final = 86400.0


class Signal(NamedTuple):
    """One evidence item's say on one target, before recency and repeats."""

    target: str
    group: str  # repeat group, "target|kind|object" ("" for records: never a repeat)
    t: float  # days since the Unix epoch (UTC)
    weight: float
    value: float
    kind: str
    evidence: Evidence
    info: Any  # kind-specific data for the explanation (see `academy.growth.explain`)
    counts: bool  # counts as one evidence item for this target


@dataclass(frozen=True)
class Timeline:
    """One employee's signals in a canonical order, ready to evaluate at any date."""

    signals: tuple[Signal, ...]
    times: tuple[float, ...]
    completions: tuple[tuple[float, str], ...]  # (t, module key): lesson completed or quiz passed
    drill_runs: tuple[tuple[float, str], ...]  # (t, scenario slug)
    ignored: tuple[tuple[float, str], ...] = ()  # (t, "verb object_type") of unknown kinds


def days(at: datetime) -> float:
    """Days since the Unix epoch; a naive datetime is read as UTC (SQLite gives those)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.timestamp() / SECONDS_PER_DAY


def number(value: object) -> float | None:
    """A finite number, or None for anything else (bools, strings, NaN)."""
    if type(value) is float:  # the common cases first: this runs for every number read
        return value if math.isfinite(value) else None
    if type(value) is int:
        return float(value)
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    """`value` limited to [low, high]."""
    return low if value < low else high if value > high else value


def rating_of(value: object) -> float | None:
    """A 1..5 rating (clamped), or None when absent or not a number."""
    result = number(value)
    return None if result is None else clamp(result, 1.0, 5.0)


def rating_value(rating: float) -> float:
    """A 1..5 rating on the 0..100 scale: 1 → 0, 3 → 50, 5 → 100."""
    return (rating - 1.0) * 25.0


def discipline_of(module_key: str) -> str | None:
    """The discipline a module key starts with (``look/reading-the-need`` → ``look``)."""
    prefix = module_key.split("/", 1)[0]
    return prefix if prefix in DISCIPLINE_SET else None


def initiative_of(evidence: Evidence) -> str:
    """``self``, ``on_time``, ``late`` or ``assigned`` (assigned with no due date)."""
    if evidence.initiative == "self":
        return "self"
    if evidence.on_time is True:
        return "on_time"
    if evidence.on_time is False:
        return "late"
    return "assigned"


def mapping(value: object) -> Mapping[str, Any]:
    """`value` if it is a mapping, else an empty one (bad detail never raises)."""
    if isinstance(value, Mapping):
        return value
    return {}


_new = tuple.__new__  # builds a Signal without the keyword-handling constructor (hot path)


class _Extraction:
    """Working state of one extraction: the signals and what calibration needs."""

    def __init__(self, params: Params) -> None:
        self.params = params
        self.signals: list[Signal] = []
        self.out = self.signals.append
        self.practice_values = {
            "self": params.self_value,
            "on_time": params.on_time_value,
            "late": params.late_value,
            "assigned": params.assigned_value,
        }
        self.seven_ones_targets: dict[str, tuple[str, ...]] = {
            one: tuple(
                target
                for target in (
                    params.seven_ones_axes.get(one),
                    params.seven_ones_disciplines.get(one),
                )
                if target in AXIS_SET or target in DISCIPLINE_SET
            )
            for one in {*params.seven_ones_axes, *params.seven_ones_disciplines}
        }
        # axis -> [(t, rating)] of trainer ratings, for calibration
        self.ratings: dict[str, list[tuple[float, float]]] = {axis: [] for axis in AXES}
        # (t, evidence, {axis: self-rating}, reflection signal emitted?)
        self.self_ratings: list[tuple[float, Evidence, dict[str, float], bool]] = []
        self.completions: list[tuple[float, str]] = []
        self.drill_runs: list[tuple[float, str]] = []
        self.ignored: list[tuple[float, str]] = []

    def practice(self, ev: Evidence, t: float, source: str) -> bool:
        """The behaviour signal of any practice: who started it, and was it on time."""
        weight = self.params.practice_weights.get(source, 0.0)
        if weight <= 0:
            return False
        how = initiative_of(ev)
        group = f"behaviour|practice|{source}|{ev.object_id}"
        info = (source, how)
        value = self.practice_values[how]
        self.out(_new(Signal, ("behaviour", group, t, weight, value, "practice", ev, info, True)))
        return True


Extractor = Callable[[_Extraction, Evidence, float], None]


def _lesson_completed(x: _Extraction, ev: Evidence, t: float) -> None:
    x.practice(ev, t, "lesson")
    key = ev.object_id
    x.completions.append((t, key))
    discipline = discipline_of(key)
    if discipline is not None:
        weight = x.params.lesson_completed_weight
        info = True
        x.out(
            _new(
                Signal,
                (
                    discipline,
                    f"{discipline}|lesson|{key}",
                    t,
                    weight,
                    100.0,
                    "lesson",
                    ev,
                    info,
                    True,
                ),
            )
        )


def _lesson_read(x: _Extraction, ev: Evidence, t: float) -> None:
    key = ev.object_id
    discipline = discipline_of(key)
    if discipline is not None:
        weight = x.params.lesson_read_weight
        info = False
        x.out(
            _new(
                Signal,
                (
                    discipline,
                    f"{discipline}|read|{key}",
                    t,
                    weight,
                    100.0,
                    "lesson",
                    ev,
                    info,
                    True,
                ),
            )
        )


def _quiz_value(ev: Evidence) -> float:
    score = number(ev.score)
    return clamp(score) if score is not None else 100.0 if ev.verb == "passed" else 0.0


def _quiz(x: _Extraction, ev: Evidence, t: float) -> None:
    x.practice(ev, t, "quiz")
    key = ev.object_id
    passed = ev.verb == "passed"
    if passed:
        x.completions.append((t, key))
    discipline = discipline_of(key)
    if discipline is not None:
        value = _quiz_value(ev)
        weight = x.params.quiz_weight
        info = (value, passed)
        x.out(
            _new(
                Signal,
                (discipline, f"{discipline}|quiz|{key}", t, weight, value, "quiz", ev, info, True),
            )
        )


def _refresher(x: _Extraction, ev: Evidence, t: float) -> None:
    x.practice(ev, t, "refresher")
    key = ev.object_id
    discipline = discipline_of(key)
    if discipline is not None:
        value = _quiz_value(ev)
        weight = x.params.refresher_weight
        info = (value, ev.verb == "passed")
        group = f"{discipline}|refresher|{key}"
        x.out(_new(Signal, (discipline, group, t, weight, value, "refresher", ev, info, True)))


def _drill(x: _Extraction, ev: Evidence, t: float) -> None:
    p = x.params
    out = x.out
    detail = mapping(ev.detail)
    practised = x.practice(ev, t, "drill")
    x.drill_runs.append((t, ev.object_id))
    slug = ev.object_id
    # "points" is what `ScenarioRun.to_evidence` stores under the contract's "disciplines".
    points = mapping(detail.get("disciplines", detail.get("points")))
    if points:
        best = mapping(detail.get("discipline_max"))
        score = number(ev.score)
        fallback = clamp(score) if score is not None else 100.0 if ev.success else 0.0
        weight = p.drill_discipline_weight
        for discipline, raw in points.items():
            if discipline not in DISCIPLINE_SET:
                continue
            # Plain ints are by far the common case: skip the general check for them.
            earned = float(raw) if type(raw) is int else number(raw)
            if earned is None:
                continue
            top = best.get(discipline)
            most = float(top) if type(top) is int else number(top)
            if most is not None and most > 0:
                value = clamp(100.0 * earned / most)
            else:
                value = 0.0 if earned < 0 else fallback
            info = (earned, most)
            group = f"{discipline}|drill|{slug}"
            kind = "drill_discipline"
            out(_new(Signal, (discipline, group, t, weight, value, kind, ev, info, True)))
    axes = mapping(detail.get("axes"))
    if axes:
        step = p.drill_axis_step
        weight = p.drill_axis_weight
        for axis, raw in axes.items():
            if axis not in AXIS_SET:
                continue
            amount = float(raw) if type(raw) is int else number(raw)
            if amount is None:
                continue
            value = clamp(50.0 + step * amount)
            # The practice signal already counted this run as an item on behaviour.
            counts = not (practised and axis == "behaviour")
            group = f"{axis}|drill|{slug}"
            out(_new(Signal, (axis, group, t, weight, value, "drill_axis", ev, amount, counts)))


def _observation(x: _Extraction, ev: Evidence, t: float) -> None:
    p = x.params
    detail = mapping(ev.detail)
    ratings = mapping(detail.get("axes"))
    checklist = mapping(detail.get("seven_ones"))
    # target -> [weight, weighted value sum, rating or None, {one: status}]
    parts: dict[str, list[Any]] = {}
    weight = p.observation_weight
    for axis in AXES:
        rating = rating_of(ratings.get(axis))
        if rating is not None:
            parts[axis] = [weight, weight * rating_value(rating), rating, {}]
            x.ratings[axis].append((t, rating))
    values = p.seven_ones_values
    each = p.seven_ones_weight
    targets = x.seven_ones_targets
    for one, status in checklist.items():
        value = values.get(status) if isinstance(status, str) else None
        if value is None:
            continue
        for target in targets.get(one, ()):
            part = parts.get(target)
            if part is None:
                part = parts[target] = [0.0, 0.0, None, {}]
            part[0] += each
            part[1] += each * value
            part[3][one] = status
    out = x.out
    for target, (total, weighted, rating, ones) in parts.items():
        if total > 0:
            info = (rating, ones)
            value = weighted / total
            out(_new(Signal, (target, "", t, total, value, "observation", ev, info, True)))


def _feedback_card(x: _Extraction, ev: Evidence, t: float) -> None:
    rating = rating_of(mapping(ev.detail).get("rating"))
    score = number(ev.score)
    if score is not None:
        value = clamp(score)
    elif rating is not None:
        value = rating_value(rating)
    else:
        return
    for axis, weight in x.params.card_axis_weights.items():
        if weight > 0 and axis in AXIS_SET:
            x.out(_new(Signal, (axis, "", t, weight, value, "card", ev, rating, True)))


def _reflection(x: _Extraction, ev: Evidence, t: float) -> None:
    p = x.params
    detail = mapping(ev.detail)
    length = number(detail.get("length")) or 0.0
    emitted = False
    if length >= p.reflection_min_length:
        weight = p.reflection_weight  # a long entry is not a better one
        about = detail.get("about")
        info = (about if isinstance(about, str) else None, length)
        x.out(_new(Signal, ("behaviour", "", t, weight, 100.0, "reflection", ev, info, True)))
        emitted = True
    rated = mapping(detail.get("self_ratings"))
    if rated:
        own = {axis: r for axis in AXES if (r := rating_of(rated.get(axis))) is not None}
        if own:
            x.self_ratings.append((t, ev, own, emitted))


def _certificate(x: _Extraction, ev: Evidence, t: float) -> None:
    """Certificates are derived from the evidence above: counting them again would double it."""


#: Evidence kinds the model reads, keyed by (verb, object_type).
EVIDENCE_KINDS: Final[Mapping[tuple[str, str], Extractor]] = {
    ("completed", "module"): _lesson_completed,
    ("experienced", "module"): _lesson_read,
    ("passed", "quiz"): _quiz,
    ("failed", "quiz"): _quiz,
    ("passed", "refresher"): _refresher,
    ("failed", "refresher"): _refresher,
    ("completed", "scenario"): _drill,
    ("observed", "observation"): _observation,
    ("rated", "feedback_card"): _feedback_card,
    ("reflected", "reflection"): _reflection,
    ("earned", "certificate"): _certificate,
    ("revoked", "certificate"): _certificate,
}


def _calibrate(x: _Extraction) -> None:
    """Pair each self-rating with the trainer's latest rating of that axis before it."""
    p = x.params
    ratings: dict[str, tuple[list[float], list[float]]] = {}
    for axis, pairs in x.ratings.items():
        pairs.sort()
        ratings[axis] = ([t for t, _ in pairs], [r for _, r in pairs])
    for t, ev, own, emitted in x.self_ratings:
        found: list[tuple[str, float, float, float]] = []
        for axis, mine in own.items():
            times, values = ratings[axis]
            index = bisect_right(times, t) - 1
            if index < 0 or t - times[index] > p.calibration_window_days:
                continue
            # At equal times the highest rating wins (sorted last): a better
            # observation can only make the calibration look better.
            observed = values[index]
            found.append((axis, mine, observed, mine - observed))
        if not found:
            continue
        value = sum(max(0.0, 100.0 - p.calibration_step * max(0.0, gap)) for *_, gap in found)
        value /= len(found)
        weight = p.calibration_weight
        signal = Signal("behaviour", "", t, weight, value, "calibration", ev, tuple(found), True)
        x.signals.append(signal._replace(counts=not emitted))


def _canonical(ev: Evidence) -> str:
    detail = sorted((str(k), repr(v)) for k, v in mapping(ev.detail).items())
    fields = (ev.verb, ev.object_type, ev.object_id, ev.score, ev.success)
    return repr((*fields, ev.initiative, ev.on_time, detail))


#: Canonical order: time, then target, group, kind, value, weight (Signal field positions).
_order_key: Final = itemgetter(2, 0, 1, 5, 4, 3)
_time: Final = itemgetter(2)


def _canonical_order(signals: list[Signal]) -> list[Signal]:
    """Sort by time and content; break the rare exact ties by the evidence itself."""
    signals.sort(key=_order_key)
    keys = list(map(_order_key, signals))
    ties = [i for i in range(1, len(keys)) if keys[i] == keys[i - 1]]
    start = -1
    for index in ties:
        if index - 1 <= start:
            continue  # already inside a run sorted below
        end = index + 1
        while end < len(keys) and keys[end] == keys[index]:
            end += 1
        signals[index - 1 : end] = sorted(
            signals[index - 1 : end], key=lambda s: (_canonical(s.evidence), repr(s.info))
        )
        start = end - 1
    return signals


def extract(evidence: Sequence[Evidence], params: Params) -> Timeline:
    """All signals of one employee's evidence, in canonical order (independent of `now`)."""
    x = _Extraction(params)
    kinds = EVIDENCE_KINDS
    for ev in evidence:
        at = ev.at
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        t = at.timestamp() / SECONDS_PER_DAY  # `days`, inlined: this loop is the hot path
        extractor = kinds.get((ev.verb, ev.object_type))
        if extractor is None:
            x.ignored.append((t, f"{ev.verb} {ev.object_type}"))
            continue
        extractor(x, ev, t)
    if x.self_ratings:
        _calibrate(x)
    signals = _canonical_order(x.signals)
    return Timeline(
        signals=tuple(signals),
        times=tuple(map(_time, signals)),
        completions=tuple(sorted(x.completions)),
        drill_runs=tuple(sorted(x.drill_runs)),
        ignored=tuple(sorted(x.ignored)),
    )


#: Signal kinds of e-learning activity, and of conduct someone else observed: on the
#: behaviour axis the first weigh at most `Params.behaviour_elearning_cap` once the
#: second exist (`elearning_factors`).
ELEARNING_KINDS: Final = frozenset({"practice", "drill_axis"})
OBSERVED_KINDS: Final = frozenset({"observation", "card"})


#: Weights below this are no evidence at all (far below any real item's faded weight).
NEGLIGIBLE: Final = 1e-9


def elearning_factors(
    elearning: float, observed: float, other: float, cap: float
) -> tuple[float, float]:
    """(factor on e-learning weights, factor on every weight) that cap e-learning's share.

    Given the axis's total weights of e-learning, observed and other signals, the
    e-learning items are scaled so they weigh `cap` of the mean, then every item is
    rescaled so the total weight (the amount of evidence) stays what it was. Without
    observed evidence, or below the cap, both factors are 1. All items fading alike
    leaves the factors unchanged, so a stored score still fades exactly.
    """
    total = elearning + observed + other
    # Negligible observed weight (faded to nothing) counts as none: no division blow-up.
    if observed <= NEGLIGIBLE or elearning <= 0 or elearning <= cap * total:
        return 1.0, 1.0
    rest = observed + other
    scaled = cap * rest / ((1.0 - cap) * elearning) if cap < 1 else 1.0
    return scaled, total / (scaled * elearning + rest)


#: The evidence that moves each axis, strongest first (for next-step hints).
AXIS_SOURCES: Final[Mapping[str, tuple[str, ...]]] = {
    "behaviour": (
        "observation",
        "card",
        "calibration",
        "refresher",
        "reflection",
        "practice",
        "drill",
    ),
    "language": ("observation", "drill", "card"),
    "attitude": ("observation", "drill", "card"),
    "work": ("observation", "drill", "card"),
}

#: The evidence that moves each discipline, strongest first.
DISCIPLINE_SOURCES: Final[tuple[str, ...]] = ("quiz", "refresher", "drill", "observation", "lesson")

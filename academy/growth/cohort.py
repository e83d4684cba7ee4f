"""Cohort and trend helpers for trainer and HR pages (pure, no database).

- `stage_distribution`: how many staff are at each stage of each axis (the
  number the company reports), `stage_shares` as percentages;
- `monthly_trend`: each axis's mean score month by month for a department;
- `movers`: who improved, who slipped and who is stuck since a month ago;
- `department_signal`: what residents' feedback cards say about a department.

`monthly_trend` does not re-assess from scratch at every month end. Each
employee's evidence is turned into signals once (`extract`), then compiled per
axis into running sums, scaled to a reference date, per repeat group. A month
end then costs one binary search per group: O(E) per employee once, plus
O(M · G · log E) for M month ends and G groups (≈ 50 per employee), instead of
M full assessments. It gives the same scores as `assess` at each month end.
"""

from __future__ import annotations

import calendar
import math
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Final

from academy.evidence import Evidence
from academy.vocabulary import AXES

from .model import Assessment, stage_for
from .params import DEFAULT, Params
from .signals import (
    ELEARNING_KINDS,
    OBSERVED_KINDS,
    Timeline,
    days,
    elearning_factors,
    extract,
    mapping,
    number,
    rating_of,
    rating_value,
)

STAGE_KEYS: Final[tuple[int | None, ...]] = (1, 2, 3, 4, None)


def stage_distribution(assessments: Iterable[Assessment]) -> dict[str, dict[int | None, int]]:
    """{axis: {stage 1..4 or None: number of staff}}, every key present."""
    result: dict[str, dict[int | None, int]] = {axis: dict.fromkeys(STAGE_KEYS, 0) for axis in AXES}
    for assessment in assessments:
        for axis in AXES:
            result[axis][assessment.axes[axis].stage] += 1
    return result


def stage_shares(
    distribution: Mapping[str, Mapping[int | None, int]], *, include_unknown: bool = False
) -> dict[str, dict[int | None, float | None]]:
    """Percentages per stage; by default of the staff with a stage (None = no one has one)."""
    result: dict[str, dict[int | None, float | None]] = {}
    for axis, counts in distribution.items():
        keys = STAGE_KEYS if include_unknown else STAGE_KEYS[:-1]
        total = sum(counts.get(key, 0) for key in keys)
        result[axis] = {
            key: (100.0 * counts.get(key, 0) / total if total else None) for key in keys
        }
    return result


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def month_end(month: date, zone: tzinfo = UTC) -> datetime:
    """The last instant of `month` (any day in it) in `zone`."""
    last = calendar.monthrange(month.year, month.month)[1]
    return datetime(month.year, month.month, last, tzinfo=zone) + timedelta(days=1, microseconds=-1)


def last_months(now: datetime, count: int) -> list[date]:
    """The first days of the `count` months up to and including `now`'s, oldest first."""
    year, month = now.year, now.month
    months: list[date] = []
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


class _AxisCurve:
    """One axis of one employee, compiled for evaluation at many dates.

    Sums are kept per bucket (e-learning, observed, other) so the behaviour axis
    can cap e-learning's share exactly as `academy.growth.model` does.
    """

    __slots__ = ("decay", "reference", "groups", "cap")

    def __init__(self, decay: float, reference: float, cap: float | None) -> None:
        self.decay = decay
        self.reference = reference
        self.cap = cap  # None: no cap on this axis
        # per repeat group: (bucket, times, Σ weights, Σ weights·values, items), running,
        # each weight scaled by exp(-decay · (reference − t))
        self.groups: list[tuple[str, list[float], list[float], list[float], list[int]]] = []

    def at(self, today: float) -> tuple[float, float, int]:
        """(Σ a·v, Σ a, items) at `today` (not after the reference date)."""
        weighted = dict.fromkeys(BUCKETS, 0.0)
        total = dict.fromkeys(BUCKETS, 0.0)
        items = 0
        for bucket, times, weights, values, counts in self.groups:
            k = bisect_right(times, today)
            if k:
                weighted[bucket] += values[k - 1]
                total[bucket] += weights[k - 1]
                items += counts[k - 1]
        scale = math.exp(-self.decay * (today - self.reference))
        scaled = every = 1.0
        if self.cap is not None:
            scaled, every = elearning_factors(
                total["elearning"], total["observed"], total["other"], self.cap
            )
        sum_w = every * (scaled * weighted["elearning"] + weighted["observed"] + weighted["other"])
        sum_a = sum(total.values())
        return sum_w * scale, sum_a * scale, items


BUCKETS: Final = ("elearning", "observed", "other")


def _bucket(kind: str) -> str:
    if kind in ELEARNING_KINDS:
        return "elearning"
    return "observed" if kind in OBSERVED_KINDS else "other"


def _compile(timeline: Timeline, reference: float, params: Params) -> dict[str, _AxisCurve]:
    decay = math.log(2.0) / params.half_life_days
    curves = {
        axis: _AxisCurve(
            decay, reference, params.behaviour_elearning_cap if axis == "behaviour" else None
        )
        for axis in AXES
    }
    running: dict[
        tuple[str, str, str], tuple[str, list[float], list[float], list[float], list[int]]
    ] = {}
    for s in timeline.signals:
        curve = curves.get(s.target)
        if curve is None or s.t > reference:
            continue
        bucket = _bucket(s.kind)
        key = (s.target, s.group, bucket)
        group = running.get(key)
        if group is None:
            group = (bucket, [], [], [], [])
            running[key] = group
            curve.groups.append(group)
        _, times, weights, values, counts = group
        # Repeats: each newer one scales the older ones by the repeat factor.
        # Records (group "") are never repeats: a plain running sum.
        factor = params.repeat_factor if s.group else 1.0
        a = s.weight * math.exp(-decay * (reference - s.t))
        previous_w = weights[-1] * factor if weights else 0.0
        previous_v = values[-1] * factor if values else 0.0
        times.append(s.t)
        weights.append(previous_w + a)
        values.append(previous_v + a * s.value)
        counts.append((counts[-1] if counts else 0) + s.counts)
    return curves


def employee_trend(
    timeline: Timeline,
    months: Sequence[date],
    params: Params = DEFAULT,
    *,
    zone: tzinfo = UTC,
) -> dict[str, list[float | None]]:
    """{axis: [score at each month end]} for one employee (None: not enough evidence then).

    These are the per-employee values `monthly_trend` averages; a batch job that
    stores them per employee (HR's snapshots) gets the same department means.
    """
    ends = [days(month_end(month_start(m), zone)) for m in months]
    result: dict[str, list[float | None]] = {axis: [] for axis in AXES}
    if not ends:
        return result
    for axis, curve in _compile(timeline, max(ends), params).items():
        for today in ends:
            weighted, total, items = curve.at(today)
            enough = items >= params.min_items and total >= params.min_weight
            result[axis].append(weighted / (params.prior_weight + total) if enough else None)
    return result


def monthly_trend(
    evidence_by_employee: Mapping[Hashable, Sequence[Evidence]],
    months: Sequence[date],
    params: Params = DEFAULT,
    *,
    zone: tzinfo = UTC,
) -> dict[str, list[tuple[date, float | None]]]:
    """{axis: [(month, mean score)]} at each month end, over staff with enough evidence."""
    firsts = [month_start(m) for m in months]
    result: dict[str, list[tuple[date, float | None]]] = {axis: [] for axis in AXES}
    if not firsts:
        return result
    sums = {axis: [0.0] * len(firsts) for axis in AXES}
    staff = {axis: [0] * len(firsts) for axis in AXES}
    for evidence in evidence_by_employee.values():
        scores = employee_trend(extract(evidence, params), firsts, params, zone=zone)
        for axis, values in scores.items():
            for index, value in enumerate(values):
                if value is not None:
                    sums[axis][index] += value
                    staff[axis][index] += 1
    for axis in AXES:
        for index, first in enumerate(firsts):
            count = staff[axis][index]
            result[axis].append((first, sums[axis][index] / count if count else None))
    return result


@dataclass(frozen=True)
class AgedAxis:
    """One axis's score, weight and stage some days later, with no new evidence."""

    score: float | None
    weight: float
    enough_evidence: bool
    stage: int | None


def aged_axis(
    score: float | None,
    weight: float,
    items: int,
    gates: Mapping[int, bool],
    elapsed_days: float,
    params: Params = DEFAULT,
) -> AgedAxis:
    """An axis assessed earlier (score, total weight, items, which stage gates were met),
    `elapsed_days` later without new evidence.

    Exact while the gates stay as they were (see `unchanged_until`): every item of
    an axis fades by the same factor, so Σa·v and Σa are both scaled by it.
    """
    if score is None:
        return AgedAxis(None, weight, False, None)
    factor = math.exp(-math.log(2.0) / params.half_life_days * elapsed_days)
    weighted = score * (params.prior_weight + weight) * factor
    weight = weight * factor
    new = weighted / (params.prior_weight + weight)
    enough = items >= params.min_items and weight >= params.min_weight
    return AgedAxis(new, weight, enough, stage_for(new, params, enough=enough, gates=gates))


@dataclass(frozen=True)
class Mover:
    """One employee's change on one axis since the earlier assessment."""

    employee: Hashable
    axis: str
    stage_before: int | None
    stage_after: int | None
    score_before: float | None
    score_after: float | None

    @property
    def change(self) -> float | None:
        """Score points gained (negative: lost); None when either score is missing."""
        if self.score_before is None or self.score_after is None:
            return None
        return self.score_after - self.score_before


@dataclass(frozen=True)
class Movers:
    """Who moved since a month ago: improved and declined per axis, stuck per employee."""

    improved: tuple[Mover, ...]
    declined: tuple[Mover, ...]
    stuck: tuple[Hashable, ...]


def _direction(mover: Mover, min_change: float) -> int:
    before = mover.stage_before or 0
    after = mover.stage_after or 0
    if after != before:
        return 1 if after > before else -1
    change = mover.change
    if change is None or abs(change) < min_change:
        return 0
    return 1 if change > 0 else -1


def movers(
    assessments_now: Mapping[Hashable, Assessment],
    assessments_month_ago: Mapping[Hashable, Assessment],
    *,
    min_change: float = 5.0,
) -> Movers:
    """Improved / declined (stage change or ≥ `min_change` points) and stuck staff."""
    improved: list[Mover] = []
    declined: list[Mover] = []
    stuck: list[Hashable] = []
    for employee, now in assessments_now.items():
        before = assessments_month_ago.get(employee)
        if before is None:
            continue
        moved = False
        for axis in AXES:
            a, b = now.axes[axis], before.axes[axis]
            mover = Mover(employee, axis, b.stage, a.stage, b.score, a.score)
            direction = _direction(mover, min_change)
            if direction > 0:
                improved.append(mover)
                moved = True
            elif direction < 0:
                declined.append(mover)
        if not moved and any(now.axes[axis].stage != 4 for axis in AXES):
            stuck.append(employee)

    def size(m: Mover) -> tuple[int, float]:
        return ((m.stage_after or 0) - (m.stage_before or 0), m.change or 0.0)

    improved.sort(key=size, reverse=True)
    declined.sort(key=size)
    return Movers(tuple(improved), tuple(declined), tuple(stuck))


@dataclass(frozen=True)
class CardComment:
    """What one resident wrote on a feedback card."""

    at: datetime
    rating: float | None
    good: str
    bad: str


@dataclass(frozen=True)
class DepartmentSignal:
    """Residents' feedback cards for a department (cards naming no employee)."""

    cards: int  # cards up to `now`
    weight: float  # their total weight after recency
    score: float | None  # recency-weighted mean, 0..100
    mean_rating: float | None  # recency-weighted mean rating, 1..5
    satisfied_share: float | None  # recency-weighted % of cards rated 4 or 5
    comments: tuple[CardComment, ...]  # newest first, only cards with text


def department_signal(
    cards: Sequence[Evidence], now: datetime, params: Params = DEFAULT, *, comments: int = 5
) -> DepartmentSignal:
    """Recency-weighted satisfaction of a department from its feedback cards."""
    decay = math.log(2.0) / params.half_life_days
    today = days(now)
    count = 0
    weight = weighted = satisfied = rated = rating_sum = 0.0
    notes: list[tuple[float, str, CardComment]] = []
    for card in cards:
        if (card.verb, card.object_type) != ("rated", "feedback_card"):
            continue
        t = days(card.at)
        if t > today:
            continue
        detail = mapping(card.detail)
        rating = rating_of(detail.get("rating"))
        score = number(card.score)
        if score is None and rating is None:
            continue
        value = min(100.0, max(0.0, score)) if score is not None else rating_value(rating or 1.0)
        a = math.exp(-decay * (today - t))
        count += 1
        weight += a
        weighted += a * value
        if rating is not None:
            rated += a
            rating_sum += a * rating
        satisfied += a * (rating >= 4.0 if rating is not None else value >= rating_value(4.0))
        good, bad = (detail.get(k) for k in ("good", "bad"))
        good = good.strip() if isinstance(good, str) else ""
        bad = bad.strip() if isinstance(bad, str) else ""
        if good or bad:
            notes.append((t, repr((good, bad, rating)), CardComment(card.at, rating, good, bad)))
    notes.sort(key=lambda n: (n[0], n[1]), reverse=True)
    if not count:
        return DepartmentSignal(0, 0.0, None, None, None, ())
    score = weighted / weight
    return DepartmentSignal(
        cards=count,
        weight=weight,
        score=score,
        mean_rating=rating_sum / rated if rated > 0 else None,
        satisfied_share=100.0 * satisfied / weight,
        comments=tuple(n[2] for n in notes[:comments]),
    )

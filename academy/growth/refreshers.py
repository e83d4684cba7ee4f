"""Spaced repetition: passed quizzes come back as short refresher quizzes.

Each module whose quiz was passed runs through the intervals (default 7, 21
and 60 days). The clock of an interval starts at the pass, or at the last
refresher that moved the schedule:

- a passed refresher moves to the next interval (after the last one the module
  has *graduated*: no more refreshers), unless it came too early: before half of
  the current interval had run, it is practice but leaves the schedule alone;
- a failed refresher sends the module back to the first interval, from that day;
- passing the quiz again restarts the current interval from that day;
- a failed quiz changes nothing.

Dates are calendar days in the time zone of `now` (a naive `now` is UTC). A
refresher is *due* on its due date and after; *overdue* the day after.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Final

from academy.evidence import Evidence

DEFAULT_INTERVALS: Final[tuple[int, ...]] = (7, 21, 60)


@dataclass(frozen=True)
class DueRefresher:
    """The next refresher of one module."""

    module: str  # module key, e.g. "look/reading-the-need"
    due: date
    interval: int  # which interval: 0 = the first (7 days by default)
    interval_days: int
    since: datetime  # the pass or refresher the interval counts from
    overdue: bool  # the due date has passed
    days_overdue: int  # 0 unless overdue

    @property
    def is_first(self) -> bool:
        """True for the first refresher after the pass."""
        return self.interval == 0


@dataclass
class _Chain:
    interval: int
    since: datetime


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _local_date(at: datetime, zone: tzinfo) -> date:
    return _utc(at).astimezone(zone).date()


def _quiz_passed(chains: dict[str, _Chain], ev: Evidence, intervals: Sequence[int]) -> None:
    chain = chains.get(ev.object_id)
    if chain is None:
        chains[ev.object_id] = _Chain(0, ev.at)
    else:
        chain.since = ev.at


def _refresher_passed(chains: dict[str, _Chain], ev: Evidence, intervals: Sequence[int]) -> None:
    chain = chains.get(ev.object_id)
    if chain is None:
        chains[ev.object_id] = _Chain(min(1, len(intervals)), ev.at)
        return
    if chain.interval >= len(intervals):
        return
    elapsed = (_utc(ev.at) - _utc(chain.since)).total_seconds() / 86400.0
    if elapsed * 2 < intervals[chain.interval]:
        return
    chain.interval += 1
    chain.since = ev.at


def _refresher_failed(chains: dict[str, _Chain], ev: Evidence, intervals: Sequence[int]) -> None:
    chain = chains.get(ev.object_id)
    if chain is not None:
        chain.interval = 0
        chain.since = ev.at


#: How each kind of evidence moves a module's refresher schedule.
SCHEDULE_STEPS: Final[
    Mapping[tuple[str, str], Callable[[dict[str, _Chain], Evidence, Sequence[int]], None]]
] = {
    ("passed", "quiz"): _quiz_passed,
    ("passed", "refresher"): _refresher_passed,
    ("failed", "refresher"): _refresher_failed,
}
_STEP_ORDER: Final = {key: rank for rank, key in enumerate(SCHEDULE_STEPS)}


def refresher_schedule(
    evidence: Sequence[Evidence], now: datetime, intervals: Sequence[int] = DEFAULT_INTERVALS
) -> list[DueRefresher]:
    """The next refresher of every module not yet graduated, due or not, soonest first."""
    if any(days <= 0 for days in intervals):
        raise ValueError("refresher intervals must be positive numbers of days")
    now_utc = _utc(now)
    steps = [
        ev
        for ev in evidence
        if (ev.verb, ev.object_type) in SCHEDULE_STEPS and _utc(ev.at) <= now_utc
    ]
    steps.sort(key=lambda ev: (_utc(ev.at), ev.object_id, _STEP_ORDER[ev.verb, ev.object_type]))
    chains: dict[str, _Chain] = {}
    for ev in steps:
        SCHEDULE_STEPS[ev.verb, ev.object_type](chains, ev, intervals)
    zone = now.tzinfo or UTC
    today = _local_date(now, zone)
    result = []
    for module, chain in chains.items():
        if chain.interval >= len(intervals):
            continue
        length = intervals[chain.interval]
        due = _local_date(chain.since, zone) + timedelta(days=length)
        late = max(0, (today - due).days)
        result.append(
            DueRefresher(module, due, chain.interval, length, chain.since, late > 0, late)
        )
    result.sort(key=lambda item: (item.due, item.module))
    return result


def refreshers_due(
    evidence: Sequence[Evidence], now: datetime, intervals: Sequence[int] = DEFAULT_INTERVALS
) -> list[DueRefresher]:
    """Refreshers due today or earlier (most overdue first), from passed quizzes."""
    today = _local_date(now, now.tzinfo or UTC)
    return [item for item in refresher_schedule(evidence, now, intervals) if item.due <= today]


def refresher_initiative(
    at: datetime, due: date | None, *, assigned: bool, reminded: bool = False
) -> str:
    """``self`` for a refresher done unassigned before its due date or before any reminder."""
    if assigned:
        return "assigned"
    if not reminded or due is None or _utc(at).date() <= due:
        return "self"
    return "assigned"

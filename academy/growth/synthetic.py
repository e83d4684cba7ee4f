"""Synthetic but realistic evidence histories, for benchmarks, tests and demos.

A `Persona` says how an employee starts and ends a period (how often they
practise unprompted, meet due dates, how well they do, how often they reflect,
how far their self-ratings sit above what trainers see); `synthetic_history`
draws a year (by default) of evidence along that path, in the shapes of the
evidence contract (`docs/growth-model.md`). Seeded: the same seed gives the
same history.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from academy.evidence import Evidence
from academy.vocabulary import AXES, DISCIPLINES, SEVEN_ONES


@dataclass(frozen=True)
class Persona:
    """How one employee behaves at the start and at the end of the period."""

    name: str
    initiative: tuple[float, float]  # chance that practice is self-initiated
    on_time: tuple[float, float]  # chance that assigned work meets its due date
    quality: tuple[float, float]  # 0..1: how well quizzes, drills and the counter go
    reflections: tuple[float, float]  # chance that a statement is a reflection (relative)
    self_bias: tuple[float, float]  # self-rating minus the trainer's view, in rating points


PERSONAS: Final[Mapping[str, Persona]] = {
    p.name: p
    for p in (
        Persona("directed", (0.05, 0.1), (0.35, 0.5), (0.3, 0.4), (0.1, 0.2), (1.5, 1.5)),
        Persona("compliant", (0.15, 0.25), (0.9, 0.95), (0.5, 0.6), (0.3, 0.5), (0.8, 0.6)),
        Persona("growing", (0.1, 0.75), (0.6, 0.97), (0.35, 0.85), (0.2, 1.6), (1.5, 0.0)),
        Persona("self_disciplined", (0.7, 0.85), (0.95, 1.0), (0.8, 0.92), (1.4, 1.6), (0.2, 0.0)),
    )
}

DEFAULT_MODULES: Final[tuple[str, ...]] = tuple(
    f"{d}/lesson-{n}" for d in DISCIPLINES for n in range(1, 5)
)
DEFAULT_SCENARIOS: Final[Mapping[str, tuple[str, ...]]] = {
    "angry-resident-window": ("attitude", "language", "behaviour"),
    "outage-complaint": ("language", "work"),
    "hotline-repair-call": ("language", "attitude"),
    "winter-heating-visit": ("attitude", "work", "behaviour"),
    "site-power-restore": ("work", "behaviour"),
}

#: Relative frequency of each kind of statement in a history.
MIX: Final[Mapping[str, float]] = {
    "read": 12,
    "lesson": 10,
    "quiz": 16,
    "refresher": 12,
    "drill": 20,
    "observation": 8,
    "card": 10,
    "reflection": 8,
    "certificate": 1,
}


class _Employee:
    """Working state while drawing one history."""

    def __init__(
        self,
        rng: random.Random,
        persona: Persona,
        modules: Sequence[str],
        scenarios: Mapping[str, Sequence[str]],
    ) -> None:
        self.rng = rng
        self.persona = persona
        self.modules = list(modules)
        self.scenarios = dict(scenarios)
        self.next_module = 0
        self.unquizzed: list[str] = []
        self.passed: list[str] = []
        self.last_drill: str | None = None

    def level(self, pair: tuple[float, float], progress: float) -> float:
        start, end = pair
        return start + (end - start) * progress

    def chance(self, pair: tuple[float, float], progress: float) -> bool:
        return self.rng.random() < self.level(pair, progress)

    def skill(self, progress: float, spread: float = 0.12) -> float:
        value = self.rng.gauss(self.level(self.persona.quality, progress), spread)
        return min(1.0, max(0.0, value))

    def rating(self, progress: float) -> int:
        return max(1, min(5, round(1 + 4 * self.skill(progress, 0.15))))

    def how(self, progress: float) -> dict[str, Any]:
        if self.chance(self.persona.initiative, progress):
            return {"initiative": "self", "on_time": None}
        return {"initiative": "assigned", "on_time": self.chance(self.persona.on_time, progress)}


def _read(e: _Employee, at: datetime, p: float, serial: int) -> Evidence:
    key = e.modules[e.next_module % len(e.modules)]
    return Evidence("experienced", "module", key, at)


def _lesson(e: _Employee, at: datetime, p: float, serial: int) -> Evidence:
    key = e.modules[e.next_module % len(e.modules)]
    e.next_module += 1
    if key not in e.passed and key not in e.unquizzed:
        e.unquizzed.append(key)
    return Evidence("completed", "module", key, at, **e.how(p))


def _quiz(e: _Employee, at: datetime, p: float, serial: int) -> Evidence:
    pool = e.unquizzed or e.modules
    key = pool[0] if e.unquizzed else e.rng.choice(pool)
    score = round(100 * e.skill(p + 0.15))
    passed = score >= 80
    if passed and key in e.unquizzed:
        e.unquizzed.remove(key)
        e.passed.append(key)
    verb = "passed" if passed else "failed"
    return Evidence(verb, "quiz", key, at, score=score, success=passed, **e.how(p))


def _refresher(e: _Employee, at: datetime, p: float, serial: int) -> Evidence:
    if not e.passed:
        return _quiz(e, at, p, serial)
    key = e.rng.choice(e.passed)
    score = round(100 * e.skill(p + 0.1))
    verb = "passed" if score >= 70 else "failed"
    return Evidence(verb, "refresher", key, at, score=score, success=score >= 70, **e.how(p))


def _drill(e: _Employee, at: datetime, p: float, serial: int) -> Evidence:
    slug = e.rng.choice(sorted(e.scenarios))
    e.last_drill = slug
    skill = e.skill(p)
    best = {d: 4 for d in e.rng.sample(DISCIPLINES, 3)}
    points = {
        d: round(most * (1.5 * skill - 0.3) + e.rng.gauss(0, 0.7)) for d, most in best.items()
    }
    axes = {axis: round(6 * (skill - 0.45) + e.rng.gauss(0, 0.8)) for axis in e.scenarios[slug]}
    score = max(0, min(100, round(100 * sum(points.values()) / sum(best.values()))))
    ending = "success" if score >= 70 else "partial" if score >= 40 else "failure"
    detail = {"ending": ending, "disciplines": points, "discipline_max": best, "axes": axes}
    return Evidence(
        "completed",
        "scenario",
        slug,
        at,
        score=score,
        success=score >= 70,
        detail=detail,
        **e.how(p),
    )


def _observation(e: _Employee, at: datetime, p: float, serial: int) -> Evidence:
    axes = {axis: e.rating(p) for axis in AXES if e.rng.random() < 0.8}
    ones: dict[str, str] = {}
    for one in SEVEN_ONES:
        skill = e.skill(p)
        ones[one] = "done" if skill > 0.6 else "partly" if skill > 0.35 else "not"
    detail = {"seven_ones": ones, "axes": axes, "note": "At the window."}
    return Evidence("observed", "observation", f"obs-{serial}", at, detail=detail)


def _card(e: _Employee, at: datetime, p: float, serial: int) -> Evidence:
    rating = e.rating(p + 0.1)
    detail = {"rating": rating, "good": "Quick and polite" if rating >= 4 else "", "bad": ""}
    if rating <= 2:
        detail["bad"] = "Had to come back twice"
    return Evidence(
        "rated", "feedback_card", f"card-{serial}", at, score=(rating - 1) * 25.0, detail=detail
    )


def _reflection(e: _Employee, at: datetime, p: float, serial: int) -> Evidence:
    bias = e.level(e.persona.self_bias, p)
    rated = e.rng.sample(AXES, 2)
    ratings = {axis: max(1, min(5, round(e.rating(p) + bias))) for axis in rated}
    detail = {
        "self_ratings": ratings,
        "about": e.last_drill,
        "length": max(10, round(e.rng.gauss(60 + 220 * e.skill(p), 50))),
    }
    return Evidence("reflected", "reflection", f"ref-{serial}", at, detail=detail)


def _certificate(e: _Employee, at: datetime, p: float, serial: int) -> Evidence:
    return Evidence("earned", "certificate", e.rng.choice(DISCIPLINES), at)


_MAKERS: Final = {
    "read": _read,
    "lesson": _lesson,
    "quiz": _quiz,
    "refresher": _refresher,
    "drill": _drill,
    "observation": _observation,
    "card": _card,
    "reflection": _reflection,
    "certificate": _certificate,
}


def synthetic_history(
    rng: random.Random,
    start: datetime,
    *,
    persona: Persona | str = "growing",
    days: int = 365,
    statements: int = 150,
    modules: Sequence[str] = DEFAULT_MODULES,
    scenarios: Mapping[str, Sequence[str]] = DEFAULT_SCENARIOS,
) -> list[Evidence]:
    """About `statements` evidence items over `days` from `start`, following `persona`."""
    chosen = PERSONAS[persona] if isinstance(persona, str) else persona
    e = _Employee(rng, chosen, modules, scenarios)
    times = sorted(rng.random() * days for _ in range(statements))
    kinds = list(MIX)
    history: list[Evidence] = []
    for serial, offset in enumerate(times):
        progress = offset / days
        weights = [
            MIX[k] * (e.level(chosen.reflections, progress) if k == "reflection" else 1.0)
            for k in kinds
        ]
        kind = rng.choices(kinds, weights)[0]
        at = start + timedelta(days=offset)
        history.append(_MAKERS[kind](e, at, progress, serial))
    return history

"""One next activity: the weakest discipline or axis → a lesson, a drill, a refresher.

The web layer fills a `Catalogue` from the published content and passes the
employee's `Assessment` (and, optionally, their due refreshers). The weakest
target is the one with the lowest score (no evidence counts lowest; at equal
scores disciplines come before axes, in teaching order). Per target:

- a discipline → its first lesson not yet completed (in order), else the drill
  training it that the employee has run least;
- language, attitude, work → the least-run drill that evidences the axis, else a
  lesson that trains it;
- behaviour (他律→自律) → a due refresher (done now, unprompted, it counts as
  self-initiated), else a reflection (with self-ratings) when there is none in
  the gate window or the self-ratings are missing or off, else any lesson or
  drill taken on one's own initiative.

If the weakest target has nothing to offer, the next weakest is tried.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from academy.vocabulary import AXES, DISCIPLINES

from .model import Assessment
from .refreshers import DueRefresher


@dataclass(frozen=True)
class CatalogueModule:
    """A published lesson module, as the recommender needs it."""

    key: str  # "look/reading-the-need"
    title: str
    discipline: str
    axes: tuple[str, ...] = ()
    order: int = 0


@dataclass(frozen=True)
class CatalogueScenario:
    """A published drill (role-play scenario), as the recommender needs it."""

    slug: str
    title: str
    disciplines: tuple[str, ...] = ()
    axes: tuple[str, ...] = ()  # axes its choices give evidence on


@dataclass(frozen=True)
class Catalogue:
    """What can be recommended: the web layer fills it from the database."""

    modules: tuple[CatalogueModule, ...] = ()
    scenarios: tuple[CatalogueScenario, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    """One next activity and why (a reason key and params the web layer translates)."""

    kind: str  # module | scenario | refresher | reflection | none
    key: str | None  # module key or scenario slug (None for reflection / none)
    title: str | None
    target: str | None  # the axis or discipline it works on
    target_kind: str | None  # "axis" | "discipline"
    reason: str  # next_lesson | drill_for_discipline | drill_for_axis | lesson_for_axis |
    #              refresher_due | reflect | self_practice_lesson | self_practice_drill | all_done
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


Finder = Callable[[str, Assessment, Catalogue, Sequence[DueRefresher]], Recommendation | None]


def _target_params(assessment: Assessment, target: str, **extra: Any) -> Mapping[str, Any]:
    if target in assessment.axes:
        result = assessment.axes[target]
        base: dict[str, Any] = {"score": result.score, "stage": result.stage}
    else:
        base = {"score": assessment.disciplines[target].score}
    return MappingProxyType({**base, **extra})


def _next_module(
    assessment: Assessment, modules: Sequence[CatalogueModule]
) -> CatalogueModule | None:
    order = {d: i for i, d in enumerate(DISCIPLINES)}
    pending = [m for m in modules if m.key not in assessment.completed_modules]
    pending.sort(key=lambda m: (order.get(m.discipline, len(order)), m.order, m.key))
    return pending[0] if pending else None


def _least_run(
    assessment: Assessment, scenarios: Sequence[CatalogueScenario]
) -> CatalogueScenario | None:
    ranked = sorted(scenarios, key=lambda s: (assessment.drill_runs.get(s.slug, 0), s.slug))
    return ranked[0] if ranked else None


def _module(
    m: CatalogueModule, target: str, kind: str, reason: str, a: Assessment
) -> Recommendation:
    return Recommendation("module", m.key, m.title, target, kind, reason, _target_params(a, target))


def _drill(
    s: CatalogueScenario, target: str, kind: str, reason: str, a: Assessment
) -> Recommendation:
    params = _target_params(a, target, runs=a.drill_runs.get(s.slug, 0))
    return Recommendation("scenario", s.slug, s.title, target, kind, reason, params)


def _for_discipline(
    target: str, a: Assessment, catalogue: Catalogue, due: Sequence[DueRefresher]
) -> Recommendation | None:
    module = _next_module(a, [m for m in catalogue.modules if m.discipline == target])
    if module is not None:
        return _module(module, target, "discipline", "next_lesson", a)
    drill = _least_run(a, [s for s in catalogue.scenarios if target in s.disciplines])
    if drill is not None:
        return _drill(drill, target, "discipline", "drill_for_discipline", a)
    return None


def _for_axis(
    target: str, a: Assessment, catalogue: Catalogue, due: Sequence[DueRefresher]
) -> Recommendation | None:
    drill = _least_run(a, [s for s in catalogue.scenarios if target in s.axes])
    if drill is not None:
        return _drill(drill, target, "axis", "drill_for_axis", a)
    module = _next_module(a, [m for m in catalogue.modules if target in m.axes])
    if module is not None:
        return _module(module, target, "axis", "lesson_for_axis", a)
    return None


def _for_behaviour(
    target: str, a: Assessment, catalogue: Catalogue, due: Sequence[DueRefresher]
) -> Recommendation | None:
    if due:
        first = min(due, key=lambda d: (d.due, d.module))
        params = _target_params(
            a, target, module=first.module, due=first.due.isoformat(), overdue=first.overdue
        )
        title = next((m.title for m in catalogue.modules if m.key == first.module), None)
        return Recommendation(
            "refresher", first.module, title, target, "axis", "refresher_due", params
        )
    missing = a.axes[target].next_step.missing
    uncalibrated = a.facts.calibrations == 0 or "calibration_gap" in missing
    wanted = a.facts.reflections == 0 or "needs_reflection" in missing or uncalibrated
    if wanted and a.axes[target].score is not None:  # something to reflect on
        params = _target_params(a, target, self_rate=uncalibrated, about=a.last_drill)
        return Recommendation("reflection", None, None, target, "axis", "reflect", params)
    module = _next_module(a, catalogue.modules)
    if module is not None:
        return _module(module, target, "axis", "self_practice_lesson", a)
    drill = _least_run(a, catalogue.scenarios)
    if drill is not None:
        return _drill(drill, target, "axis", "self_practice_drill", a)
    return None


#: Target -> how to find an activity for it.
FINDERS: Final[Mapping[str, Finder]] = {
    **{d: _for_discipline for d in DISCIPLINES},
    **{axis: _for_axis for axis in AXES},
    "behaviour": _for_behaviour,
}


def weakest_targets(assessment: Assessment) -> list[tuple[str, str]]:
    """(kind, name) of every discipline and axis, weakest first."""
    ranked: list[tuple[float, int, int, str, str]] = []
    for index, d in enumerate(DISCIPLINES):
        score = assessment.disciplines[d].score
        ranked.append((-1.0 if score is None else score, 0, index, "discipline", d))
    for index, axis in enumerate(AXES):
        score = assessment.axes[axis].score
        ranked.append((-1.0 if score is None else score, 1, index, "axis", axis))
    ranked.sort()
    return [(kind, name) for *_, kind, name in ranked]


def recommend(
    assessment: Assessment, catalogue: Catalogue, due: Sequence[DueRefresher] = ()
) -> Recommendation:
    """One next activity for the weakest discipline or axis that has something to offer."""
    for _kind, name in weakest_targets(assessment):
        found = FINDERS[name](name, assessment, catalogue, due)
        if found is not None:
            return found
    return Recommendation("none", None, None, None, None, "all_done")

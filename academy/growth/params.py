"""Every tunable number of the growth model, in one frozen dataclass.

`Params` is the single place where a weight, a half-life or a threshold lives;
`docs/growth-model.md` documents each field (a test checks that every field is
named there with its default). `DEFAULT` is what the platform uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final


def _weights(**values: float) -> Mapping[str, float]:
    return MappingProxyType(values)


def _names(**values: str) -> Mapping[str, str]:
    return MappingProxyType(values)


@dataclass(frozen=True)
class Params:
    """The weights, half-lives and thresholds of the growth model (see the docs)."""

    # Recency: evidence loses half its weight every half-life.
    half_life_days: float = 90.0
    discipline_half_life_days: float = 120.0
    # A blank pseudo-item worth 0 points: little or old evidence pulls a score down.
    prior_weight: float = 1.0
    # Repeats of the same lesson / quiz / refresher / drill: the newest counts in full,
    # each older one counts this fraction of the one after it.
    repeat_factor: float = 0.5

    # Stages: score thresholds for stage 2, 3 and 4 (stage 1 below the first).
    stage_thresholds: tuple[float, float, float] = (40.0, 60.0, 80.0)
    # Minimum evidence before a stage is claimed (per axis).
    min_items: int = 3
    min_weight: float = 4.0
    # Stage gates look at this many days back from the assessment date.
    gate_window_days: float = 180.0
    stage3_min_observations: int = 1
    stage4_self_share: float = 0.5
    stage4_min_reflections: int = 1
    stage4_min_calibrations: int = 1
    stage4_max_calibration_gap: float = 1.0

    # Practice (lessons, quizzes, refreshers, drills) on the behaviour axis.
    practice_weights: Mapping[str, float] = field(
        default_factory=lambda: _weights(lesson=0.5, quiz=1.0, refresher=1.5, drill=1.0)
    )
    self_value: float = 100.0
    on_time_value: float = 50.0
    assigned_value: float = 45.0
    late_value: float = 15.0

    # Reflection journal (behaviour): one weight per entry, whatever its length.
    reflection_weight: float = 1.5
    reflection_min_length: int = 20

    # Behaviour: once observed conduct (trainer observations, resident cards) speaks to
    # the axis, e-learning (lessons, quizzes, refreshers, drills) weighs at most this share.
    behaviour_elearning_cap: float = 0.4

    # Calibration: self-rating in a reflection vs the latest trainer rating before it.
    calibration_weight: float = 2.0
    calibration_window_days: float = 60.0
    calibration_step: float = 40.0

    # Trainer observations.
    observation_weight: float = 3.0
    seven_ones_weight: float = 0.5
    seven_ones_values: Mapping[str, float] = field(
        default_factory=lambda: _weights(done=100.0, partly=50.0, **{"not": 0.0})
    )
    seven_ones_axes: Mapping[str, str] = field(
        default_factory=lambda: _names(
            smile="attitude",
            seat="attitude",
            greet="language",
            record="work",
            promise="language",
            arrange="work",
            goodbye="language",
        )
    )
    seven_ones_disciplines: Mapping[str, str] = field(
        default_factory=lambda: _names(
            smile="smile",
            seat="act",
            greet="speak",
            record="listen",
            promise="speak",
            arrange="act",
            goodbye="speak",
        )
    )

    # Drill runs.
    drill_axis_weight: float = 1.0
    drill_axis_step: float = 25.0
    drill_discipline_weight: float = 1.5

    # Resident feedback cards naming the employee.
    card_axis_weights: Mapping[str, float] = field(
        default_factory=lambda: _weights(behaviour=1.0, attitude=1.0, language=0.5, work=0.5)
    )

    # Discipline proficiency (the radar chart).
    quiz_weight: float = 2.0
    refresher_weight: float = 1.5
    lesson_completed_weight: float = 0.5
    lesson_read_weight: float = 0.25

    # Explanations: how many contributors each axis and discipline lists.
    top_contributors: int = 5

    def __post_init__(self) -> None:
        """Refuse parameters that cannot mean anything (ValueError)."""
        problems = []
        if self.half_life_days <= 0 or self.discipline_half_life_days <= 0:
            problems.append("half-lives must be positive")
        if self.prior_weight < 0:
            problems.append("prior_weight must not be negative")
        if not 0 <= self.repeat_factor <= 1:
            problems.append("repeat_factor must be within 0..1")
        low, middle, high = self.stage_thresholds
        if not 0 <= low <= middle <= high <= 100:
            problems.append("stage_thresholds must rise within 0..100")
        if not 0 < self.behaviour_elearning_cap <= 1:
            problems.append("behaviour_elearning_cap must be within 0..1 (above 0)")
        if problems:
            raise ValueError("; ".join(problems))


DEFAULT: Final[Params] = Params()

#: Stage numbers and their stable keys (the web layer translates the labels).
STAGES: Final[Mapping[int, str]] = MappingProxyType(
    {1: "directed", 2: "compliant", 3: "practising", 4: "self_disciplined"}
)

#: English labels of the stages, for logs, docs and tests.
STAGE_LABELS: Final[Mapping[int, str]] = MappingProxyType(
    {1: "Directed", 2: "Compliant", 3: "Practising", 4: "Self-disciplined"}
)

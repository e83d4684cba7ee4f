"""The growth model (pure domain): from evidence to the four transformations.

For each employee, the four axes the company wants to see move — behaviour
他律→自律, language 粗俗→文明, attitude 生硬→礼貌, work 习惯→标准 — get a score
0..100, a stage (1 Directed, 2 Compliant, 3 Practising, 4 Self-disciplined, or
None: not enough evidence yet), the next step and the evidence behind them; the
five disciplines (看听笑说动) get a proficiency for the radar chart::

    assessment = assess(evidence, now)                  # Sequence[Evidence] -> Assessment
    assessment.axes["behaviour"].stage                  # 1..4 or None
    assessment.axes["behaviour"].contributors           # the "why", largest first
    due = refreshers_due(evidence, now)                 # spaced repetition
    pick = recommend(assessment, catalogue, due)        # one next activity
    stage_distribution(assessments), monthly_trend(...), movers(...)   # cohorts

No web, no database: the web layer loads `Evidence` from the ledger, calls these
functions and renders. `docs/growth-model.md` explains every number.
"""

from __future__ import annotations

from .cohort import (
    AgedAxis,
    CardComment,
    DepartmentSignal,
    Mover,
    Movers,
    aged_axis,
    department_signal,
    employee_trend,
    last_months,
    month_end,
    monthly_trend,
    movers,
    stage_distribution,
    stage_shares,
)
from .explain import axis_title, describe, describe_next_step
from .model import (
    Assessment,
    AxisResult,
    Contribution,
    DisciplineResult,
    Facts,
    NextStep,
    assess,
    evaluate,
    stage_for,
    stage_gates,
    unchanged_until,
)
from .params import DEFAULT, STAGE_LABELS, STAGES, Params
from .recommend import (
    Catalogue,
    CatalogueModule,
    CatalogueScenario,
    Recommendation,
    recommend,
    weakest_targets,
)
from .refreshers import (
    DEFAULT_INTERVALS,
    DueRefresher,
    refresher_initiative,
    refresher_schedule,
    refreshers_due,
)
from .signals import EVIDENCE_KINDS, Timeline, extract

__all__ = [
    "AgedAxis",
    "DEFAULT",
    "DEFAULT_INTERVALS",
    "EVIDENCE_KINDS",
    "STAGES",
    "STAGE_LABELS",
    "Assessment",
    "AxisResult",
    "CardComment",
    "Catalogue",
    "CatalogueModule",
    "CatalogueScenario",
    "Contribution",
    "DepartmentSignal",
    "DisciplineResult",
    "DueRefresher",
    "Facts",
    "Mover",
    "Movers",
    "NextStep",
    "Params",
    "Recommendation",
    "Timeline",
    "aged_axis",
    "assess",
    "axis_title",
    "department_signal",
    "describe",
    "describe_next_step",
    "employee_trend",
    "evaluate",
    "extract",
    "last_months",
    "month_end",
    "monthly_trend",
    "movers",
    "recommend",
    "refresher_initiative",
    "refresher_schedule",
    "refreshers_due",
    "stage_distribution",
    "stage_for",
    "stage_gates",
    "stage_shares",
    "unchanged_until",
    "weakest_targets",
]

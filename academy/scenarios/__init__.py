"""Branching role-play drills (pure): format, validation, engine, debrief, Twee, map.

Nothing here imports a web framework or a database. The web layer loads a
file with `academy.sourcemap.load_yaml`, validates it with `parse_scenario`,
stores `RunState.to_data()` after every `choose`, and shows `debrief(...)`
at the end. The file format and the scoring rule are documented in
``docs/formats-scenario.md``.
"""

from academy.scenarios.analysis import MAX_CONFIGURATIONS, Analysis, analyse
from academy.scenarios.condition import ConditionError, evaluate, parse_condition
from academy.scenarios.debrief import (
    Debrief,
    DebriefStep,
    debrief,
    discipline_maxima,
    run_score,
)
from academy.scenarios.diagram import (
    ReachChoice,
    ReachRow,
    layout,
    node_flags,
    reach_table,
    render_map_svg,
)
from academy.scenarios.engine import (
    RunState,
    Step,
    available_choices,
    choose,
    is_finished,
    presented_order,
    start_run,
)
from academy.scenarios.model import (
    ENDINGS,
    SPEAKERS,
    Choice,
    EndingType,
    Node,
    RunStateError,
    Scenario,
    ScenarioError,
    Speaker,
    StaleChoiceError,
    StateVar,
)
from academy.scenarios.parse import (
    check_scenario_source,
    dump_scenario_yaml,
    parse_scenario,
    validate_scenario_text,
)
from academy.scenarios.twee import TweeProblem, load_twee, parse_twee, story_ifid, to_twee

__all__ = [
    "ENDINGS",
    "MAX_CONFIGURATIONS",
    "SPEAKERS",
    "Analysis",
    "Choice",
    "ConditionError",
    "Debrief",
    "DebriefStep",
    "EndingType",
    "Node",
    "ReachChoice",
    "ReachRow",
    "RunState",
    "RunStateError",
    "Scenario",
    "ScenarioError",
    "Speaker",
    "StaleChoiceError",
    "StateVar",
    "Step",
    "TweeProblem",
    "analyse",
    "available_choices",
    "check_scenario_source",
    "choose",
    "debrief",
    "discipline_maxima",
    "dump_scenario_yaml",
    "evaluate",
    "is_finished",
    "layout",
    "load_twee",
    "node_flags",
    "parse_condition",
    "parse_scenario",
    "parse_twee",
    "presented_order",
    "reach_table",
    "render_map_svg",
    "run_score",
    "start_run",
    "story_ifid",
    "to_twee",
    "validate_scenario_text",
]

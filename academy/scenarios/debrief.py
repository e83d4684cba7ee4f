"""The debrief of a finished run: the path replayed, explained and scored.

Scoring rule (see ``docs/formats-scenario.md``): a run's points are the sum,
over every choice it took, of that choice's ``scores`` (all disciplines
together). ``max_points`` is the best total any complete run can reach
(`academy.scenarios.analysis`). The score is ``100 * max(0, points) /
max_points``, rounded down to one decimal, so the best run scores exactly 100.
When ``max_points <= 0`` (nothing to earn) a run scores 100 if it ends in a
success ending and 0 otherwise. The run passes when ``score >= pass_score``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from academy.evidence import Evidence
from academy.scenarios.analysis import analyse
from academy.scenarios.engine import RunState, apply_effects, current_choices, is_available
from academy.scenarios.model import Choice, RunStateError, Scenario
from academy.scenarios.quantities import Number, add, exact, percent_floor, plain
from academy.vocabulary import AXES, DISCIPLINES

#: The state variable the mood meter and mood series follow.
MOOD = "mood"


@dataclass(frozen=True)
class DebriefStep:
    """One step of the replay: what was said, what was chosen, and why it mattered."""

    number: int  # 1-based
    node: str
    speaker: str
    text: str
    choice: int  # index in the file's list of the node's choices
    choice_text: str
    feedback: str
    state_before: dict[str, Number]
    state_after: dict[str, Number]
    mood_before: Number | None
    mood_after: Number | None
    points: dict[str, Number]  # as scored by this choice, per discipline
    axes: dict[str, Number]
    better: str | None  # the better choice's text (or the author's hint), if any
    better_choice: int | None  # its file index when the engine derived it


@dataclass(frozen=True)
class Debrief:
    """Everything the debrief page shows and the ledger records."""

    scenario: str
    title: str
    steps: tuple[DebriefStep, ...]
    mood: tuple[Number, ...]  # the mood before the first step and after each step
    points: dict[str, Number]  # totals for all five disciplines, in teaching order
    axes: dict[str, Number]  # totals for all four axes
    total_points: Number
    max_points: Number | None
    ending: str  # the ending node's id
    ending_type: str  # success | partial | failure
    ending_text: str
    ending_summary: str
    score: float  # 0..100
    pass_score: Number
    passed: bool

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data for storing or templating."""
        return {
            "scenario": self.scenario,
            "title": self.title,
            "steps": [
                {
                    "number": step.number,
                    "node": step.node,
                    "speaker": step.speaker,
                    "text": step.text,
                    "choice": step.choice,
                    "choice_text": step.choice_text,
                    "feedback": step.feedback,
                    "state_before": dict(step.state_before),
                    "state_after": dict(step.state_after),
                    "mood_before": step.mood_before,
                    "mood_after": step.mood_after,
                    "points": dict(step.points),
                    "axes": dict(step.axes),
                    "better": step.better,
                    "better_choice": step.better_choice,
                }
                for step in self.steps
            ],
            "mood": list(self.mood),
            "points": dict(self.points),
            "axes": dict(self.axes),
            "total_points": self.total_points,
            "max_points": self.max_points,
            "ending": self.ending,
            "ending_type": self.ending_type,
            "ending_text": self.ending_text,
            "ending_summary": self.ending_summary,
            "score": self.score,
            "pass_score": self.pass_score,
            "passed": self.passed,
        }

    def to_evidence(
        self, at: datetime, *, initiative: str = "self", on_time: bool | None = None
    ) -> Evidence:
        """The ledger record of this run (verb ``completed``, object ``scenario``)."""
        return Evidence(
            verb="completed",
            object_type="scenario",
            object_id=self.scenario,
            at=at,
            score=self.score,
            success=self.passed,
            initiative=initiative,
            on_time=on_time,
            detail={
                "ending": self.ending,
                "ending_type": self.ending_type,
                "points": dict(self.points),
                "axes": dict(self.axes),
                "total_points": self.total_points,
                "max_points": self.max_points,
                "pass_score": self.pass_score,
                "steps": len(self.steps),
            },
        )


def run_score(scenario: Scenario, points: Number, ending_type: str | None) -> float:
    """A run's score 0..100 from its total points (the rule in the module docstring)."""
    best = scenario.max_points
    if best is None or best <= 0:
        return 100.0 if ending_type == "success" else 0.0
    earned = max(Decimal(0), exact(points))
    return min(100.0, percent_floor(earned, exact(best)))


def _choice_value(scenario: Scenario, state: dict[str, Number], choice: Choice) -> Decimal | None:
    """Points this choice earns plus the best still achievable after it."""
    if not scenario.has_node(choice.goto):
        return None
    after = apply_effects(scenario, state, choice)
    rest = scenario.analysis.points_to_go(choice.goto, after)
    if rest is None and scenario.analysis.complete:
        return None
    return exact(choice.points) + (rest if rest is not None else Decimal(0))


def _better(
    scenario: Scenario, state: dict[str, Number], choices: tuple[Choice, ...], chosen: int
) -> tuple[str | None, int | None]:
    picked = choices[chosen]
    if picked.better is not None:
        return picked.better, None
    values = {var.name: exact(state[var.name]) for var in scenario.state}
    mine = _choice_value(scenario, state, picked)
    best: tuple[Decimal, int] | None = None
    for index, choice in enumerate(choices):
        if index == chosen or not is_available(choice, values):
            continue
        value = _choice_value(scenario, state, choice)
        if value is not None and (best is None or value > best[0]):
            best = (value, index)
    if best is not None and (mine is None or best[0] > mine):
        return choices[best[1]].text, best[1]
    return None, None


def debrief(scenario: Scenario, run: RunState) -> Debrief:
    """Replay a finished run (raises `RunStateError` if it has not ended)."""
    current_choices(scenario, run)
    ending = scenario.node(run.node)
    if not ending.is_ending or ending.ending is None:
        raise RunStateError("the run has not reached an ending yet")
    steps: list[DebriefStep] = []
    points: dict[str, Number] = {d: 0 for d in DISCIPLINES}
    axes: dict[str, Number] = {a: 0 for a in AXES}
    total: Number = 0
    for number, step in enumerate(run.path):
        if not scenario.has_node(step.node):
            raise RunStateError(f"step {number + 1}: node '{step.node}' no longer exists")
        node = scenario.node(step.node)
        if not 0 <= step.choice < len(node.choices):
            raise RunStateError(f"step {number + 1}: node '{node.id}' has no choice {step.choice}")
        choice = node.choices[step.choice]
        before = run.state_before(number)
        for key, value in choice.scores.items():
            points[key] = add(points.get(key, 0), value)
            total = add(total, value)
        for key, value in choice.axes.items():
            axes[key] = add(axes.get(key, 0), value)
        better, better_choice = _better(scenario, before, node.choices, step.choice)
        steps.append(
            DebriefStep(
                number=number + 1,
                node=node.id,
                speaker=node.speaker,
                text=node.text,
                choice=step.choice,
                choice_text=choice.text,
                feedback=choice.feedback,
                state_before=dict(before),
                state_after=dict(step.state),
                mood_before=before.get(MOOD),
                mood_after=step.state.get(MOOD),
                points=dict(choice.scores),
                axes=dict(choice.axes),
                better=better,
                better_choice=better_choice,
            )
        )
    mood: tuple[Number, ...] = ()
    if MOOD in run.initial:
        mood = (run.initial[MOOD], *(step.state.get(MOOD, 0) for step in run.path))
    score = run_score(scenario, total, ending.ending)
    return Debrief(
        scenario=scenario.slug,
        title=scenario.title,
        steps=tuple(steps),
        mood=mood,
        points=points,
        axes=axes,
        total_points=plain(total),
        max_points=scenario.max_points,
        ending=ending.id,
        ending_type=ending.ending,
        ending_text=ending.text,
        ending_summary=ending.summary,
        score=score,
        pass_score=scenario.pass_score,
        passed=score >= scenario.pass_score,
    )


def discipline_maxima(scenario: Scenario) -> dict[str, Number]:
    """The most points a complete run can earn in each discipline, in teaching order.

    Computed like `max_points`, on the explored (node, state) graph, once per
    discipline with the other disciplines' scores left out. A loop may earn one
    discipline without limit while its total stays at or below zero (which the
    validator allows); such a discipline gets the points the best run (the one
    scoring 100) earns in it instead. The debrief's five-axis chart draws each
    discipline against this number; it can be zero or negative when no run
    earns anything there.
    """
    on_best = _best_run_points(scenario)
    found: dict[str, Number] = {}
    for discipline in DISCIPLINES:
        nodes = tuple(
            replace(
                node,
                choices=tuple(
                    replace(
                        choice,
                        scores={k: v for k, v in choice.scores.items() if k == discipline},
                    )
                    for choice in node.choices
                ),
            )
            for node in scenario.nodes
        )
        best = analyse(replace(scenario, nodes=nodes)).max_points
        found[discipline] = on_best[discipline] if best is None else best
    return found


def _best_run_points(scenario: Scenario) -> dict[str, Number]:
    points: dict[str, Number] = {d: 0 for d in DISCIPLINES}
    for node_id, index in scenario.best_path():
        for key, value in scenario.node(node_id).choices[index].scores.items():
            points[key] = add(points.get(key, 0), value)
    return points

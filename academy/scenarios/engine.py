"""Playing a scenario: runs as plain values, one choice at a time.

All of a run's state lives in `RunState` (current node, state numbers, the
steps taken), which converts to and from JSON-ready data so the web layer can
store it after every step and resume later. Functions here never mutate: each
`choose` returns a new `RunState`. A choice that no longer applies (an old
page posted again) raises `StaleChoiceError` instead of being applied twice.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from academy.scenarios.condition import ConditionError
from academy.scenarios.model import Choice, RunStateError, Scenario, StaleChoiceError
from academy.scenarios.quantities import Number, clamp, exact, is_number, plain

#: Version of the `RunState.to_data` layout.
RUN_DATA_VERSION = 1


@dataclass(frozen=True)
class Step:
    """One choice made: at `node`, the choice with file index `choice`; `state` after it."""

    node: str
    choice: int
    state: dict[str, Number] = field(hash=False)


@dataclass(frozen=True)
class RunState:
    """Where a run stands: current node, state values, and the steps so far."""

    scenario: str
    node: str
    state: dict[str, Number] = field(hash=False)
    initial: dict[str, Number] = field(hash=False)
    path: tuple[Step, ...] = ()

    def state_before(self, step: int) -> dict[str, Number]:
        """The state values just before step number `step` (0-based)."""
        return self.initial if step == 0 else self.path[step - 1].state

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data (plain dicts, lists, strings and numbers)."""
        return {
            "version": RUN_DATA_VERSION,
            "scenario": self.scenario,
            "node": self.node,
            "state": dict(self.state),
            "initial": dict(self.initial),
            "path": [
                {"node": step.node, "choice": step.choice, "state": dict(step.state)}
                for step in self.path
            ],
        }

    @classmethod
    def from_data(cls, data: object) -> RunState:
        """Rebuild a run from `to_data` output (raises `RunStateError`)."""
        if not isinstance(data, Mapping):
            raise RunStateError("run data must be a mapping")
        if data.get("version") != RUN_DATA_VERSION:
            raise RunStateError(f"unsupported run data version {data.get('version')!r}")
        path = data.get("path")
        if not isinstance(path, list):
            raise RunStateError("run data: 'path' must be a list")
        steps = []
        for item in path:
            if not isinstance(item, Mapping):
                raise RunStateError("run data: each step must be a mapping")
            choice = item.get("choice")
            if isinstance(choice, bool) or not isinstance(choice, int) or choice < 0:
                raise RunStateError("run data: a step's 'choice' must be an index")
            steps.append(Step(_text(item, "node"), choice, _numbers(item.get("state"))))
        return cls(
            scenario=_text(data, "scenario"),
            node=_text(data, "node"),
            state=_numbers(data.get("state")),
            initial=_numbers(data.get("initial")),
            path=tuple(steps),
        )


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise RunStateError(f"run data: '{key}' must be text")
    return value


def _numbers(value: object) -> dict[str, Number]:
    if not isinstance(value, Mapping):
        raise RunStateError("run data: state must be a mapping of names to numbers")
    found: dict[str, Number] = {}
    for name, number in value.items():
        if not isinstance(name, str) or not is_number(number):
            raise RunStateError("run data: state must be a mapping of names to numbers")
        found[name] = plain(number)
    return found


def start_run(scenario: Scenario) -> RunState:
    """A new run at the start node with the initial state."""
    initial = {var.name: var.initial for var in scenario.state}
    return RunState(scenario.slug, scenario.start, dict(initial), dict(initial))


def _values(scenario: Scenario, state: Mapping[str, Number]) -> dict[str, Decimal]:
    try:
        return {var.name: exact(state[var.name]) for var in scenario.state}
    except KeyError as exc:
        raise RunStateError(f"run has no value for state '{exc.args[0]}'") from None


def is_available(choice: Choice, values: Mapping[str, Decimal]) -> bool:
    """Whether a choice's condition holds for these state values."""
    if choice.test is None:
        return True
    try:
        return choice.test.holds(values)
    except ConditionError:
        return False


def current_choices(scenario: Scenario, run: RunState) -> tuple[Choice, ...]:
    """All choices of the run's current node (raises `RunStateError` on a mismatch)."""
    if run.scenario != scenario.slug:
        raise RunStateError(f"run belongs to scenario '{run.scenario}', not '{scenario.slug}'")
    if not scenario.has_node(run.node):
        raise RunStateError(f"run is at node '{run.node}', which the scenario no longer has")
    node = scenario.node(run.node)
    return () if node.is_ending else node.choices


def available_choices(scenario: Scenario, run: RunState) -> list[tuple[int, Choice]]:
    """The choices offered now, as ``(index in the file, choice)``; empty at an ending."""
    choices = current_choices(scenario, run)
    values = _values(scenario, run.state)
    return [(index, c) for index, c in enumerate(choices) if is_available(c, values)]


def presented_order(seed: int, node_id: str, indices: Sequence[int]) -> list[int]:
    """`indices` (file indices of offered choices) in the order one run shows them.

    The order depends only on the run's seed and the node, so every render of the
    same moment (reload, back button, resume on another device) shows the same
    order, while another run of the same drill shows another. Seeding `Random` with
    a string hashes it with SHA-512, which does not vary between processes.
    """
    order = sorted(indices)
    random.Random(f"{seed}:{node_id}").shuffle(order)
    return order


def apply_effects(
    scenario: Scenario, state: Mapping[str, Number], choice: Choice
) -> dict[str, Number]:
    """State after a choice: each effect added, then clamped to its variable's bounds."""
    after: dict[str, Number] = {}
    for var in scenario.state:
        value = exact(state[var.name]) + exact(choice.effects.get(var.name, 0))
        after[var.name] = plain(clamp(value, exact(var.minimum), exact(var.maximum)))
    return after


def choose(scenario: Scenario, run: RunState, node_id: str, choice_index: int) -> RunState:
    """Take a choice; raises `StaleChoiceError` if it does not apply to the run now."""
    if node_id != run.node:
        raise StaleChoiceError(f"the run is at '{run.node}', not '{node_id}'")
    if is_finished(scenario, run):
        raise StaleChoiceError("the run has already ended")
    offered = dict(available_choices(scenario, run))
    if isinstance(choice_index, bool) or choice_index not in offered:
        raise StaleChoiceError(f"choice {choice_index!r} is not available at '{node_id}'")
    choice = offered[choice_index]
    after = apply_effects(scenario, run.state, choice)
    return RunState(
        scenario=run.scenario,
        node=choice.goto,
        state=after,
        initial=run.initial,
        path=(*run.path, Step(node_id, choice_index, after)),
    )


def is_finished(scenario: Scenario, run: RunState) -> bool:
    """Whether the run stands at an ending."""
    current_choices(scenario, run)
    return scenario.node(run.node).is_ending

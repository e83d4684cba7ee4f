"""The scenario model: frozen values for a branching role-play drill.

A `Scenario` is a graph of `Node`s; each non-ending node offers `Choice`s that
move bounded numeric state (`StateVar`, e.g. ``mood`` 0 calm … 10 furious),
earn points per discipline and evidence on the four axes. Registries name the
allowed speakers and ending types. Values are built by
`academy.scenarios.parse.parse_scenario` (which validates them) and are read
by the engine, the debrief, the Twee converter and the map. Mapping-valued
fields are plain dicts for easy templating: treat them as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final

from academy.scenarios.condition import Boolean, parse_condition
from academy.scenarios.quantities import Number, add

if TYPE_CHECKING:
    from academy.scenarios.analysis import Analysis


class ScenarioError(Exception):
    """Base class of the errors raised by the scenario package."""


class StaleChoiceError(ScenarioError):
    """A choice that does not apply to the run as it stands now.

    Raised for a post from an old page (back button, double click, second tab):
    the node is not the current one, the choice is not available, or the run
    has already ended. The web layer redirects to the current node.
    """


class RunStateError(ScenarioError, ValueError):
    """Stored run data that is malformed or does not fit the scenario."""


@dataclass(frozen=True)
class Speaker:
    """Who says a node's text. `label` is the English source string (gettext)."""

    key: str
    label: str


#: Speakers a node may have (``speaker:``); ``narrator`` is the default.
SPEAKERS: Final[dict[str, Speaker]] = {
    speaker.key: speaker
    for speaker in (
        Speaker("resident", "Resident"),
        Speaker("narrator", "Narrator"),
        Speaker("colleague", "Colleague"),
        Speaker("supervisor", "Supervisor"),
        Speaker("phone", "Caller on the phone"),
        Speaker("employee", "You"),
        Speaker("dispatcher", "Duty dispatcher"),
        Speaker("technician", "Repair technician"),
    )
}

DEFAULT_SPEAKER: Final = "narrator"


@dataclass(frozen=True)
class EndingType:
    """A kind of ending. `label` is the English source string (gettext)."""

    key: str
    label: str


#: Ending types (``ending:``), best first.
ENDINGS: Final[dict[str, EndingType]] = {
    ending.key: ending
    for ending in (
        EndingType("success", "Success"),
        EndingType("partial", "Partial success"),
        EndingType("failure", "Failure"),
    )
}

#: Tags a decision node may carry (``tags:``), with what they promise (ASSESSMENT.md):
#: ``judgement`` — two or more choices are defensible, the difference is judgement
#: (what first, what to promise, when to hand over); ``constraint`` — the honest
#: answer is "we cannot, and here is what we will do".
NODE_TAGS: Final = ("judgement", "constraint")

#: Bounds a state variable gets when the file does not declare them.
DEFAULT_MIN: Final = 0
DEFAULT_MAX: Final = 10
DEFAULT_PASS_SCORE: Final = 70


@dataclass(frozen=True)
class StateVar:
    """A number the choices move, kept inside ``[minimum, maximum]``."""

    name: str
    initial: Number
    minimum: Number = DEFAULT_MIN
    maximum: Number = DEFAULT_MAX


@dataclass(frozen=True)
class Choice:
    """One option at a node. `condition` is the ``if:`` source text, if any."""

    text: str
    goto: str
    feedback: str
    condition: str | None = None
    # Dicts are left out of the hash so that scenarios stay hashable.
    effects: dict[str, Number] = field(default_factory=dict, hash=False)
    scores: dict[str, Number] = field(default_factory=dict, hash=False)
    axes: dict[str, Number] = field(default_factory=dict, hash=False)
    better: str | None = None
    #: The parsed condition (derived from `condition`).
    test: Boolean | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.condition is not None and self.test is None:
            object.__setattr__(self, "test", parse_condition(self.condition))

    @property
    def points(self) -> Number:
        """Total points of this choice over all disciplines."""
        total: Number = 0
        for value in self.scores.values():
            total = add(total, value)
        return total


@dataclass(frozen=True)
class Node:
    """A moment of the drill: who speaks, what they say, and what you can do."""

    id: str
    text: str
    speaker: str = DEFAULT_SPEAKER
    choices: tuple[Choice, ...] = ()
    ending: str | None = None  # "success" | "partial" | "failure" for an ending
    summary: str = ""  # an ending's one-line summary for the debrief
    tags: tuple[str, ...] = ()  # drawn from NODE_TAGS

    @property
    def is_ending(self) -> bool:
        """Whether the drill stops here."""
        return self.ending is not None


@dataclass(frozen=True)
class Scenario:
    """A validated drill. `nodes` keeps the file's order; `start` is a node id."""

    slug: str
    title: str
    start: str
    nodes: tuple[Node, ...]
    summary: str = ""
    setting: str = ""
    disciplines: tuple[str, ...] = ()
    state: tuple[StateVar, ...] = ()
    pass_score: Number = DEFAULT_PASS_SCORE
    minutes: Number | None = None
    #: What Twine knows of the story and the platform does not use (``twine:`` in YAML):
    #: ``ifid``, ``format``, ``format-version``, ``tag-colors`` and ``tags`` (passage
    #: name → Twine tags). Kept so that a Twee export gives Twine its story back.
    twine: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @cached_property
    def _index(self) -> dict[str, Node]:
        return {node.id: node for node in self.nodes}

    def node(self, node_id: str) -> Node:
        """The node with this id (raises `KeyError`)."""
        return self._index[node_id]

    def has_node(self, node_id: str) -> bool:
        """Whether a node with this id exists."""
        return node_id in self._index

    def state_var(self, name: str) -> StateVar | None:
        """The declared state variable of that name, if any."""
        for var in self.state:
            if var.name == name:
                return var
        return None

    @property
    def endings(self) -> tuple[Node, ...]:
        """The ending nodes, in file order."""
        return tuple(node for node in self.nodes if node.is_ending)

    @cached_property
    def analysis(self) -> Analysis:
        """The explored (node, state) graph: reachability, scoring, problems."""
        from academy.scenarios.analysis import analyse

        return analyse(self)

    @property
    def max_points(self) -> Number | None:
        """Best achievable total points over complete runs (None if unknown)."""
        return self.analysis.max_points

    def best_path(self) -> tuple[tuple[str, int], ...]:
        """A best-scoring run as ``(node id, file index of the choice)`` steps."""
        return self.analysis.best_path

    def to_data(self) -> dict[str, Any]:
        """The scenario as YAML-shaped data that `parse_scenario` accepts."""
        from academy.scenarios.parse import scenario_to_data

        return scenario_to_data(self)

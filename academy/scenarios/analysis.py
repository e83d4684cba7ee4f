"""Exploring a scenario's (node, state) graph: reachability, dead ends, scoring.

State is a tuple of bounded decimals, so a scenario has finitely many
*configurations* (node, state). `analyse` walks them breadth-first from the
start (up to `MAX_CONFIGURATIONS`), applying conditions and clamped effects
exactly as the engine does. On that graph it decides, exactly rather than
approximately:

* which nodes can be reached at all (conditions included);
* dead ends: a reachable configuration of a non-ending node where every
  choice is hidden by its condition;
* configurations from which no ending can be reached, and the closed cycles
  ("no way out") that cause them;
* scoring. A run's points are the sum of the scores of the choices it takes,
  counted every time a choice is taken. The best total over all complete runs
  is a longest-path problem; it is finite exactly when no cycle that can still
  reach an ending has a positive total, and such a loop is reported as an
  error. Ties between equally good runs go to the shortest, then to the
  earliest choice in the file, which makes `best_path` unique.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from academy.scenarios.condition import Boolean, ConditionError
from academy.scenarios.quantities import Number, clamp, exact, plain

if TYPE_CHECKING:
    from academy.scenarios.model import Scenario

#: Most (node, state) configurations explored before giving up.
MAX_CONFIGURATIONS: Final = 200_000

State = tuple[Decimal, ...]
Config = tuple[int, State]  # (node position in the file, state values)
# Best remaining value from a configuration: (points, -steps), compared as a tuple
# so that among equally scoring runs the shorter one wins (zero-gain loops lose).
Value = tuple[Decimal, int]


@dataclass(frozen=True)
class Analysis:
    """What exploring the (node, state) graph found. States are name → number."""

    limit: int
    names: tuple[str, ...] = ()
    too_large: bool = False
    configurations: int = 0
    reached: frozenset[str] = frozenset()
    dead_ends: dict[str, dict[str, Number]] = field(default_factory=dict)
    traps: tuple[tuple[tuple[str, ...], dict[str, Number]], ...] = ()
    stuck: dict[str, dict[str, Number]] = field(default_factory=dict)
    positive_loops: tuple[tuple[str, ...], ...] = ()
    never_available: tuple[tuple[str, int], ...] = ()
    success_reachable: bool = False
    max_points: Number | None = None
    best_path: tuple[tuple[str, int], ...] = ()
    _values: dict[tuple[str, State], Decimal] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def complete(self) -> bool:
        """Whether every reachable configuration was explored."""
        return not self.too_large

    def points_to_go(self, node_id: str, state: Mapping[str, Number]) -> Decimal | None:
        """Best points still achievable from this node in this state (None if no ending)."""
        try:
            key = (node_id, tuple(exact(state[name]) for name in self.names))
        except KeyError:
            return None
        return self._values.get(key)


@dataclass
class _Move:
    index: int  # the choice's index in the file
    test: Boolean | None
    target: int | None  # node position, None when the goto names no node
    deltas: State
    points: Decimal


class _Graph:
    """The configuration graph, built breadth-first."""

    def __init__(self, scenario: Scenario, limit: int) -> None:
        self.scenario = scenario
        self.limit = limit
        self.names = tuple(var.name for var in scenario.state)
        self.lows = tuple(exact(var.minimum) for var in scenario.state)
        self.highs = tuple(exact(var.maximum) for var in scenario.state)
        positions = {node.id: pos for pos, node in enumerate(scenario.nodes)}
        self.moves: list[list[_Move]] = [
            [
                _Move(
                    index,
                    choice.test,
                    positions.get(choice.goto),
                    tuple(exact(choice.effects.get(name, 0)) for name in self.names),
                    sum((exact(v) for v in choice.scores.values()), Decimal(0)),
                )
                for index, choice in enumerate(node.choices)
            ]
            for node in scenario.nodes
        ]
        self.configs: list[Config] = []
        self.index: dict[Config, int] = {}
        # Out-edges per configuration, in file order: (choice index, target config, points).
        self.edges: list[list[tuple[int, int, Decimal]]] = []
        self.available: set[tuple[int, int]] = set()
        self.offered: list[int] = []  # how many choices each configuration offers
        self.too_large = False

    def add(self, config: Config) -> int:
        found = self.index.get(config)
        if found is None:
            found = len(self.configs)
            self.index[config] = found
            self.configs.append(config)
            self.edges.append([])
            self.offered.append(0)
        return found

    def explore(self, start: int) -> None:
        initial = tuple(exact(var.initial) for var in self.scenario.state)
        self.add((start, initial))
        cursor = 0
        while cursor < len(self.configs):
            if len(self.configs) > self.limit:
                self.too_large = True
                return
            pos, state = self.configs[cursor]
            node = self.scenario.nodes[pos]
            if not node.is_ending:
                values = dict(zip(self.names, state, strict=True))
                for move in self.moves[pos]:
                    if move.test is not None and not _holds(move.test, values):
                        continue
                    self.available.add((pos, move.index))
                    self.offered[cursor] += 1
                    if move.target is None:
                        continue
                    after = tuple(
                        clamp(value + delta, low, high)
                        for value, delta, low, high in zip(
                            state, move.deltas, self.lows, self.highs, strict=True
                        )
                    )
                    target = self.add((move.target, after))
                    self.edges[cursor].append((move.index, target, move.points))
            cursor += 1

    def state_dict(self, config: int) -> dict[str, Number]:
        return {
            name: plain(value)
            for name, value in zip(self.names, self.configs[config][1], strict=True)
        }

    def node_id(self, config: int) -> str:
        return self.scenario.nodes[self.configs[config][0]].id


def _holds(test: Boolean, values: Mapping[str, Decimal]) -> bool:
    try:
        return test.holds(values)
    except ConditionError:
        # Only drafts (lenient parses) reach this: an unknown name hides the choice.
        return False


def _strongly_connected(edges: list[list[tuple[int, int, Decimal]]]) -> list[list[int]]:
    """Tarjan's algorithm, iterative; components come out sinks first."""
    count = len(edges)
    index = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(count):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            vertex, child = work.pop()
            if child == 0:
                index[vertex] = low[vertex] = counter
                counter += 1
                stack.append(vertex)
                on_stack[vertex] = True
            else:
                previous = edges[vertex][child - 1][1]
                low[vertex] = min(low[vertex], low[previous])
            descended = False
            out = edges[vertex]
            while child < len(out):
                target = out[child][1]
                child += 1
                if index[target] == -1:
                    work.append((vertex, child))
                    work.append((target, 0))
                    descended = True
                    break
                if on_stack[target]:
                    low[vertex] = min(low[vertex], index[target])
            if descended:
                continue
            if low[vertex] == index[vertex]:
                component: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == vertex:
                        break
                components.append(component)
    return components


def _cycle_through(graph: _Graph, members: set[int], first: int) -> tuple[str, ...]:
    """Story node ids along a shortest cycle from `first` back to itself inside `members`."""
    parent: dict[int, int] = {}
    queue = deque([first])
    seen = {first}
    last = first
    while queue:
        vertex = queue.popleft()
        closing = [t for _, t, _ in graph.edges[vertex] if t == first]
        if closing:
            last = vertex
            break
        for _, target, _ in graph.edges[vertex]:
            if target in members and target not in seen:
                seen.add(target)
                parent[target] = vertex
                queue.append(target)
    chain = [last]
    while chain[-1] != first:
        chain.append(parent[chain[-1]])
    ids: list[str] = []
    for vertex in reversed(chain):
        node_id = graph.node_id(vertex)
        if not ids or ids[-1] != node_id:
            ids.append(node_id)
    if len(ids) > 1 and ids[0] == ids[-1]:
        ids.pop()
    return tuple(ids)


def _has_cycle(graph: _Graph, component: list[int]) -> bool:
    if len(component) > 1:
        return True
    vertex = component[0]
    return any(target == vertex for _, target, _ in graph.edges[vertex])


def _score(
    graph: _Graph, components: list[list[int]], ending: list[bool]
) -> tuple[list[Value | None], list[tuple[str, ...]]]:
    """Best (points, -steps) to an ending from every configuration."""
    values: list[Value | None] = [None] * len(graph.configs)
    loops: list[tuple[str, ...]] = []
    component_of: dict[int, int] = {}
    for number, component in enumerate(components):
        for vertex in component:
            component_of[vertex] = number
    for number, component in enumerate(components):
        internal: list[tuple[int, int, Decimal]] = []
        for vertex in component:
            best: Value | None = (Decimal(0), 0) if ending[vertex] else None
            for _, target, points in graph.edges[vertex]:
                if component_of[target] == number:
                    internal.append((vertex, target, points))
                    continue
                done = values[target]
                if done is not None:
                    candidate = (done[0] + points, done[1] - 1)
                    if best is None or candidate > best:
                        best = candidate
            values[vertex] = best
        if not internal:
            continue
        # Bellman-Ford inside the component: without a positive loop it settles
        # within len(component) rounds; a change after that proves such a loop.
        for _ in range(len(component) + 1):
            changed = False
            for vertex, target, points in internal:
                done = values[target]
                if done is None:
                    continue
                candidate = (done[0] + points, done[1] - 1)
                current = values[vertex]
                if current is None or candidate > current:
                    values[vertex] = candidate
                    changed = True
            if not changed:
                break
        else:
            ids = {graph.node_id(vertex) for vertex in component}
            loops.append(tuple(node.id for node in graph.scenario.nodes if node.id in ids))
    return values, loops


def analyse(scenario: Scenario, limit: int = MAX_CONFIGURATIONS) -> Analysis:
    """Explore the scenario's configurations and report what was found."""
    positions = {node.id: pos for pos, node in enumerate(scenario.nodes)}
    if scenario.start not in positions:
        return Analysis(limit=limit)
    graph = _Graph(scenario, limit)
    graph.explore(positions[scenario.start])
    if graph.too_large:
        return Analysis(limit=limit, too_large=True, configurations=len(graph.configs))

    nodes = scenario.nodes
    ending = [nodes[pos].is_ending for pos, _ in graph.configs]
    reached = frozenset(nodes[pos].id for pos, _ in graph.configs)

    dead_ends: dict[str, dict[str, Number]] = {}
    for config, (pos, _) in enumerate(graph.configs):
        if not ending[config] and not graph.offered[config]:
            dead_ends.setdefault(nodes[pos].id, graph.state_dict(config))

    # Configurations that can still reach an ending: backwards from the endings.
    incoming: list[list[int]] = [[] for _ in graph.configs]
    for source, out in enumerate(graph.edges):
        for _, target, _ in out:
            incoming[target].append(source)
    alive = list(ending)
    queue = deque(config for config, flag in enumerate(ending) if flag)
    while queue:
        config = queue.popleft()
        for source in incoming[config]:
            if not alive[source]:
                alive[source] = True
                queue.append(source)

    components = _strongly_connected(graph.edges)
    traps: list[tuple[tuple[str, ...], dict[str, Number]]] = []
    for component in components:
        if alive[component[0]] or not _has_cycle(graph, component):
            continue
        members = set(component)
        leaves = any(t not in members for v in component for _, t, _ in graph.edges[v])
        if not leaves:
            first = min(component)
            traps.append((_cycle_through(graph, members, first), graph.state_dict(first)))

    stuck: dict[str, dict[str, Number]] = {}
    for config in range(len(graph.configs)):
        if not alive[config]:
            stuck.setdefault(graph.node_id(config), graph.state_dict(config))

    never_available = tuple(
        (node.id, index)
        for pos, node in enumerate(nodes)
        if node.id in reached
        for index in range(len(node.choices))
        if (pos, index) not in graph.available
    )

    values, loops = _score(graph, components, ending)
    start_value = values[0]
    max_points: Number | None = None
    best_path: tuple[tuple[str, int], ...] = ()
    if start_value is not None and not loops:
        max_points = plain(start_value[0])
        best_path = _best_path(graph, values)
    table = {
        (graph.node_id(config), state): value[0]
        for config, ((_, state), value) in enumerate(zip(graph.configs, values, strict=True))
        if value is not None
    }
    return Analysis(
        limit=limit,
        names=graph.names,
        configurations=len(graph.configs),
        reached=reached,
        dead_ends=dead_ends,
        traps=tuple(traps),
        stuck=stuck,
        positive_loops=tuple(loops),
        never_available=never_available,
        success_reachable=any(node.ending == "success" for node in nodes if node.id in reached),
        max_points=max_points,
        best_path=best_path,
        _values=table if not loops else {},
    )


def _best_path(graph: _Graph, values: list[Value | None]) -> tuple[tuple[str, int], ...]:
    path: list[tuple[str, int]] = []
    config = 0
    while True:
        value = values[config]
        assert value is not None
        if graph.scenario.nodes[graph.configs[config][0]].is_ending:
            return tuple(path)
        for index, target, points in graph.edges[config]:
            done = values[target]
            if done is not None and (done[0] + points, done[1] - 1) == value:
                path.append((graph.node_id(config), index))
                config = target
                break
        else:  # pragma: no cover - values are consistent by construction
            raise AssertionError("best path lost")

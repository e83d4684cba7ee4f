"""The trainer's map of a scenario: a layered SVG drawn on the server, plus a reach table.

Layout: a node's layer is its breadth-first depth from the start (following
every ``goto``); nodes the start cannot reach go in layers below the rest;
``goto`` targets that are not nodes are drawn as "missing" boxes one layer
below their source. Within a layer, nodes are ordered by the barycentre (mean
position) of their neighbours in the layers above, then below, in a few
alternating sweeps, which removes most edge crossings of a drill-sized graph.

Drawing: boxes show the node id, the speaker and (when given) the visit
count; endings are coloured by type; unreachable and dead-end nodes get a
dashed red outline; every edge carries a short numbered choice label with the
full text in its ``<title>``. All text is XML-escaped. Works on any
`Scenario`, including a lenient draft of a broken file.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape

from academy.scenarios.model import ENDINGS, SPEAKERS, Scenario
from academy.scenarios.parse import structural_reach

Key = tuple[str, str]  # ("node", id) or ("missing", id)

BOX_W: Final = 168
BOX_H: Final = 64
H_GAP: Final = 48
V_GAP: Final = 104
MARGIN: Final = 24
LOOP_GAP: Final = 28
LABEL_UNITS: Final = 18  # label width budget, in half-em units (a CJK character is 2)
SWEEPS: Final = 4

#: Fill and stroke per kind of box.
COLOURS: Final[dict[str, tuple[str, str]]] = {
    "node": ("#ffffff", "#455a64"),
    "success": ("#e8f5e9", "#2e7d32"),
    "partial": ("#fff3e0", "#e65100"),
    "failure": ("#ffebee", "#c62828"),
    "missing": ("#fafafa", "#c62828"),
}
PROBLEM_STROKE: Final = "#c62828"

#: English source strings; the web layer passes translations through `labels`.
DEFAULT_LABELS: Final[dict[str, str]] = {
    "title": "Scenario map: {title}",
    "desc": "{nodes} nodes in {layers} layers, {endings} endings; {problems} need attention.",
    "visits": "visits: {count}",
    "missing": "missing node",
    "unreachable": "unreachable",
    "dead_end": "dead end",
    "start": "start",
    **{key: speaker.label for key, speaker in SPEAKERS.items()},
    **{f"ending-{key}": ending.label for key, ending in ENDINGS.items()},
}


@dataclass(frozen=True)
class Layout:
    """Layers of boxes, top to bottom; each layer ordered left to right."""

    layers: tuple[tuple[Key, ...], ...]
    edges: tuple[tuple[str, int, Key], ...]  # (source node id, choice index, target)

    def position(self) -> dict[Key, tuple[int, int]]:
        """(layer, order within the layer) of every box."""
        return {
            key: (depth, order)
            for depth, layer in enumerate(self.layers)
            for order, key in enumerate(layer)
        }


def layout(scenario: Scenario) -> Layout:
    """The layered layout of a scenario's graph."""
    known = {node.id for node in scenario.nodes}
    edges: list[tuple[str, int, Key]] = []
    for node in scenario.nodes:
        for index, choice in enumerate(node.choices):
            kind = "node" if choice.goto in known else "missing"
            edges.append((node.id, index, (kind, choice.goto)))

    depth: dict[Key, int] = {("node", k): v for k, v in structural_reach(scenario).items()}
    order: list[Key] = sorted(depth, key=lambda key: depth[key])
    # Unreachable nodes: below everything reachable, each group laid out by its own BFS.
    base = max(depth.values(), default=-1) + 1
    successors: dict[str, list[Key]] = {}
    for source, _, target in edges:
        successors.setdefault(source, []).append(target)
    for node in scenario.nodes:
        key: Key = ("node", node.id)
        if key in depth:
            continue
        depth[key] = base
        order.append(key)
        queue = deque([node.id])
        while queue:
            current = queue.popleft()
            for target in successors.get(current, []):
                if target[0] == "node" and target not in depth:
                    depth[target] = depth[("node", current)] + 1
                    order.append(target)
                    queue.append(target[1])
    for source, _, target in edges:
        if target[0] == "missing":
            wanted = depth[("node", source)] + 1
            if target not in depth:
                order.append(target)
                depth[target] = wanted
            else:
                depth[target] = min(depth[target], wanted)

    count = max(depth.values(), default=-1) + 1
    layers: list[list[Key]] = [[] for _ in range(count)]
    for key in order:
        layers[depth[key]].append(key)
    _reduce_crossings(layers, edges, depth)
    return Layout(tuple(tuple(layer) for layer in layers if layer), tuple(edges))


def _reduce_crossings(
    layers: list[list[Key]], edges: list[tuple[str, int, Key]], depth: dict[Key, int]
) -> None:
    above: dict[Key, list[Key]] = {}
    below: dict[Key, list[Key]] = {}
    for source, _, target in edges:
        src: Key = ("node", source)
        if depth[target] > depth[src]:
            above.setdefault(target, []).append(src)
            below.setdefault(src, []).append(target)

    def sweep(neighbours: dict[Key, list[Key]], indices: range) -> None:
        for layer_index in indices:
            place = {key: i for layer in layers for i, key in enumerate(layer)}
            layers[layer_index].sort(key=lambda key: _barycentre(key, neighbours, place))

    for _ in range(SWEEPS):
        sweep(above, range(1, len(layers)))
        sweep(below, range(len(layers) - 2, -1, -1))
    sweep(above, range(1, len(layers)))


def _barycentre(key: Key, neighbours: dict[Key, list[Key]], place: dict[Key, int]) -> float:
    near = neighbours.get(key)
    if not near:
        return float(place[key])
    return sum(place[n] for n in near) / len(near)


def node_flags(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """Problems to highlight per node: ``unreachable`` and/or ``dead_end``."""
    flags: dict[str, list[str]] = {node.id: [] for node in scenario.nodes}
    analysis = scenario.analysis if scenario.has_node(scenario.start) else None
    if analysis is not None and analysis.complete:
        for node in scenario.nodes:
            if node.id not in analysis.reached:
                flags[node.id].append("unreachable")
            elif node.id in analysis.stuck or node.id in analysis.dead_ends:
                flags[node.id].append("dead_end")
        return {k: tuple(v) for k, v in flags.items()}
    reached = structural_reach(scenario)
    # Without the state graph: dead end = cannot reach an ending along any goto.
    alive = {node.id for node in scenario.nodes if node.is_ending}
    changed = True
    while changed:
        changed = False
        for node in scenario.nodes:
            if node.id not in alive and any(c.goto in alive for c in node.choices):
                alive.add(node.id)
                changed = True
    for node in scenario.nodes:
        if node.id not in reached:
            flags[node.id].append("unreachable")
        if node.id not in alive:
            flags[node.id].append("dead_end")
    return {k: tuple(v) for k, v in flags.items()}


# --- text helpers ------------------------------------------------------------

_XML_INVALID = {
    **{code: None for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)},
    0xFFFE: None,
    0xFFFF: None,
}


def _xml(text: str) -> str:
    """Text safe inside an element or a double-quoted attribute."""
    cleaned = text.translate(_XML_INVALID)
    cleaned = "".join(ch for ch in cleaned if not 0xD800 <= ord(ch) <= 0xDFFF)
    return escape(cleaned, {'"': "&quot;", "'": "&#39;"})


def _units(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def shorten(text: str, units: int = LABEL_UNITS) -> str:
    """`text` on one line, cut to about `units` half-em widths with an ellipsis."""
    flat = " ".join(text.split())
    used = 0
    for position, ch in enumerate(flat):
        used += _units(ch)
        if used > units:
            return flat[:position].rstrip() + "…"
    return flat


def _width(text: str, size: float) -> float:
    return sum(_units(ch) for ch in text) * size * 0.55


# --- SVG ---------------------------------------------------------------------


def _bezier(p: list[tuple[float, float]], t: float) -> tuple[float, float]:
    u = 1 - t
    x = u**3 * p[0][0] + 3 * u * u * t * p[1][0] + 3 * u * t * t * p[2][0] + t**3 * p[3][0]
    y = u**3 * p[0][1] + 3 * u * u * t * p[1][1] + 3 * u * t * t * p[2][1] + t**3 * p[3][1]
    return x, y


def render_map_svg(
    scenario: Scenario,
    visits: Mapping[str, int] | None = None,
    choice_counts: Mapping[tuple[str, int], int] | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    id_prefix: str = "scenario-map",
) -> str:
    """The scenario's graph as a standalone, accessible SVG document string."""
    words = {**DEFAULT_LABELS, **(labels or {})}
    plan = layout(scenario)
    flags = node_flags(scenario)
    places = plan.position()
    widest = max((len(layer) for layer in plan.layers), default=1)
    inner_w = widest * BOX_W + (widest - 1) * H_GAP
    loops = sum(1 for s, _, t in plan.edges if places[t][0] <= places[("node", s)][0])
    width = inner_w + 2 * MARGIN + LOOP_GAP * min(loops, 8) + LOOP_GAP
    height = len(plan.layers) * BOX_H + max(len(plan.layers) - 1, 0) * V_GAP + 2 * MARGIN

    corner: dict[Key, tuple[float, float]] = {}
    for depth, layer in enumerate(plan.layers):
        row_w = len(layer) * BOX_W + (len(layer) - 1) * H_GAP
        left = MARGIN + (inner_w - row_w) / 2
        for order, key in enumerate(layer):
            corner[key] = (left + order * (BOX_W + H_GAP), MARGIN + depth * (BOX_H + V_GAP))

    problems = sum(1 for f in flags.values() if f) + sum(
        1 for layer in plan.layers for key in layer if key[0] == "missing"
    )
    title = words["title"].format(title=scenario.title)
    desc = words["desc"].format(
        nodes=len(scenario.nodes),
        layers=len(plan.layers),
        endings=len(scenario.endings),
        problems=problems,
    )
    p = _xml(id_prefix)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="scenario-map"'
        f' aria-labelledby="{p}-title {p}-desc" viewBox="0 0 {width:.0f} {height:.0f}"'
        f' width="{width:.0f}" height="{height:.0f}" font-family="sans-serif">',
        f'<title id="{p}-title">{_xml(title)}</title>',
        f'<desc id="{p}-desc">{_xml(desc)}</desc>',
        "<defs>",
        f'<marker id="{p}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8"'
        ' markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#546e7a"/></marker>',
        "</defs>",
    ]
    out.extend(_edges(scenario, plan, corner, places, choice_counts, p))
    out.extend(_boxes(scenario, plan, corner, flags, visits, words))
    out.append("</svg>")
    return "\n".join(out)


def _edges(
    scenario: Scenario,
    plan: Layout,
    corner: dict[Key, tuple[float, float]],
    places: dict[Key, tuple[int, int]],
    choice_counts: Mapping[tuple[str, int], int] | None,
    p: str,
) -> list[str]:
    out: list[str] = ['<g class="edges" fill="none" stroke="#546e7a">']
    labels: list[str] = []
    per_source: dict[str, int] = {}
    for source, _, _ in plan.edges:
        per_source[source] = per_source.get(source, 0) + 1
    seen: dict[str, int] = {}
    loop_lane = 0
    inner_right = max((x + BOX_W for x, _ in corner.values()), default=0)
    for source, index, target in plan.edges:
        choice = scenario.node(source).choices[index]
        sx, sy = corner[("node", source)]
        tx, ty = corner[target]
        nth = seen.get(source, 0)
        seen[source] = nth + 1
        start_x = sx + BOX_W * (nth + 1) / (per_source[source] + 1)
        compact = False
        if places[target][0] > places[("node", source)][0]:
            curve = [
                (start_x, sy + BOX_H),
                (start_x, sy + BOX_H + V_GAP / 2),
                (tx + BOX_W / 2, ty - V_GAP / 2),
                (tx + BOX_W / 2, ty),
            ]
            d = "M {:.1f} {:.1f} C {:.1f} {:.1f}, {:.1f} {:.1f}, {:.1f} {:.1f}".format(
                *(c for point in curve for c in point)
            )
            # Stagger label heights so neighbouring labels do not overlap.
            label_at = _bezier(curve, (0.2, 0.36, 0.52, 0.68)[nth % 4])
            anchor = "middle"
        elif (
            places[target][0] == places[("node", source)][0]
            and abs(places[target][1] - places[("node", source)][1]) == 1
        ):
            # A neighbour in the same layer: a straight line between facing sides.
            rightwards = tx > sx
            x1 = sx + BOX_W if rightwards else sx
            x2 = tx if rightwards else tx + BOX_W
            y1 = sy + BOX_H * (nth + 1) / (per_source[source] + 1)
            d = f"M {x1:.1f} {y1:.1f} L {x2:.1f} {y1:.1f}"
            label_at = ((x1 + x2) / 2, y1 - 9)
            anchor = "middle"
            compact = True
        else:
            # Back edges (loops) run in the gaps between layers and up a lane on
            # the right, so they never cut through a box.
            loop_lane = loop_lane % 8 + 1
            lane = inner_right + LOOP_GAP * loop_lane
            below = sy + BOX_H + V_GAP * 0.62
            above = ty - V_GAP * 0.25
            end_x = tx + BOX_W * 0.85
            d = (
                f"M {start_x:.1f} {sy + BOX_H:.1f} L {start_x:.1f} {below:.1f}"
                f" L {lane:.1f} {below:.1f} L {lane:.1f} {above:.1f}"
                f" L {end_x:.1f} {above:.1f} L {end_x:.1f} {ty:.1f}"
            )
            label_at = (start_x + 6, below)
            anchor = "start"
        count: int | None = None
        stroke = 1.5
        if choice_counts is not None:
            count = choice_counts.get((source, index), 0)
            total = sum(choice_counts.get((source, i), 0) for i in range(per_source[source]))
            # Line width shows the share of runs that took this choice at its node.
            stroke = 1.2 + (4.0 * count / total if total else 0.0)
        full = f"{index + 1}. {choice.text}"
        if choice.condition:
            full += f" [if {choice.condition}]"
        if count is not None:
            full += f" ({count})"
        dash = ' stroke-dasharray="5 4"' if target[0] == "missing" else ""
        out.append(
            f'<path class="edge" d="{d}" stroke-width="{stroke:.1f}"{dash}'
            f' marker-end="url(#{p}-arrow)"><title>{_xml(full)}</title></path>'
        )
        # Between neighbours there is only room for the choice's number.
        short = f"{index + 1}" if compact else f"{index + 1}. {shorten(choice.text)}"
        if count is not None:
            short += f" ({count})"
        size = 11
        w = _width(short, size) + 8
        x, y = label_at
        left = x - w / 2 if anchor == "middle" else x - 4
        labels.append(
            f'<g class="edge-label"><title>{_xml(full)}</title>'
            f'<rect x="{left:.1f}" y="{y - 8:.1f}" width="{w:.1f}" height="16" rx="3"'
            ' fill="#ffffff" fill-opacity="0.85" stroke="none"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="{size}" text-anchor="{anchor}"'
            f' fill="#263238">{_xml(short)}</text></g>'
        )
    out.append("</g>")
    out.append('<g class="edge-labels">')
    out.extend(labels)
    out.append("</g>")
    return out


def _boxes(
    scenario: Scenario,
    plan: Layout,
    corner: dict[Key, tuple[float, float]],
    flags: dict[str, tuple[str, ...]],
    visits: Mapping[str, int] | None,
    words: Mapping[str, str],
) -> list[str]:
    out: list[str] = ['<g class="nodes">']
    for layer in plan.layers:
        for key in layer:
            x, y = corner[key]
            kind, ident = key
            if kind == "missing":
                fill, stroke = COLOURS["missing"]
                lines = [(ident, True), (words["missing"], False)]
                classes = "node missing"
                dash = ' stroke-dasharray="6 4"'
                tooltip = f"{ident}: {words['missing']}"
                width = 1.5
            else:
                node = scenario.node(ident)
                fill, stroke = COLOURS[node.ending or "node"]
                speaker = words.get(node.speaker, node.speaker)
                problems = flags.get(ident, ())
                lines = [(ident, True), (speaker, False)]
                if visits is not None:
                    lines.append((words["visits"].format(count=visits.get(ident, 0)), False))
                classes = " ".join(
                    ["node"]
                    + ([f"ending-{node.ending}"] if node.ending else [])
                    + (["start"] if ident == scenario.start else [])
                    + [p.replace("_", "-") for p in problems]
                )
                notes = [words[p] for p in problems]
                if node.ending:
                    notes.insert(0, words.get(f"ending-{node.ending}", node.ending))
                if ident == scenario.start:
                    notes.insert(0, words["start"])
                tooltip = f"{ident} ({speaker})"
                if notes:
                    tooltip += " — " + ", ".join(notes)
                if node.text:
                    tooltip += "\n" + shorten(node.text, 120)
                dash = ' stroke-dasharray="6 4"' if problems else ""
                if problems:
                    stroke = PROBLEM_STROKE
                width = 3.0 if ident == scenario.start else 1.5
            out.append(f'<g class="{_xml(classes)}"><title>{_xml(tooltip)}</title>')
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="8"'
                f' fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>'
            )
            step = BOX_H / (len(lines) + 1)
            for row, (text, bold) in enumerate(lines, start=1):
                weight = ' font-weight="bold"' if bold else ""
                size = 13 if bold else 11
                out.append(
                    f'<text x="{x + BOX_W / 2:.1f}" y="{y + row * step + 4:.1f}"'
                    f' font-size="{size}"{weight} text-anchor="middle" fill="#263238">'
                    f"{_xml(shorten(text, 26))}</text>"
                )
            out.append("</g>")
    out.append("</g>")
    return out


@dataclass(frozen=True)
class ReachChoice:
    """One choice's share of the runs that reached its node."""

    index: int
    text: str
    goto: str
    count: int
    share: float | None  # count / all choices taken at the node; None when none were


@dataclass(frozen=True)
class ReachRow:
    """One node's line in the reach table under the map."""

    node: str
    speaker: str
    ending: str | None
    layer: int
    visits: int
    choices: tuple[ReachChoice, ...]
    flags: tuple[str, ...]


def reach_table(
    scenario: Scenario,
    visits: Mapping[str, int] | None = None,
    choice_counts: Mapping[tuple[str, int], int] | None = None,
) -> list[ReachRow]:
    """Rows of reach statistics in map order (top to bottom, left to right)."""
    visits = visits or {}
    choice_counts = choice_counts or {}
    flags = node_flags(scenario)
    rows: list[ReachRow] = []
    for depth, layer in enumerate(layout(scenario).layers):
        for kind, ident in layer:
            if kind != "node":
                continue
            node = scenario.node(ident)
            counts = [choice_counts.get((ident, i), 0) for i in range(len(node.choices))]
            total = sum(counts)
            rows.append(
                ReachRow(
                    node=ident,
                    speaker=node.speaker,
                    ending=node.ending,
                    layer=depth,
                    visits=visits.get(ident, 0),
                    choices=tuple(
                        ReachChoice(
                            i, c.text, c.goto, counts[i], counts[i] / total if total else None
                        )
                        for i, c in enumerate(node.choices)
                    ),
                    flags=flags.get(ident, ()),
                )
            )
    return rows

"""Charts drawn on the server as accessible SVG: a radar chart and a line chart.

No JavaScript and no inline styles (the CSP forbids both): shapes carry SVG
presentation attributes so they draw correctly on their own, and class names
(``chart__…``, ``chart-tone--…``) that ``academy.css`` may refine. Every chart
has ``role="img"`` with a ``<title>`` and ``<desc>``; pages put the numbers in
a table next to it as the text alternative. All text is XML-escaped, so the
result is returned as `Markup` and templates insert it as is.

Used by the drill debrief (five-axis discipline radar, mood over time) and
meant for the growth pages (the same pentagon, progress lines).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Colours per tone: (stroke, fill). Contrast ≥ 3:1 against white for lines.
TONES: dict[str, tuple[str, str]] = {
    "primary": ("#0b5c8e", "#0b5c8e"),
    "reference": ("#8a94a3", "none"),
    "accent": ("#c2410c", "#c2410c"),
    "ok": ("#1f7a3a", "#1f7a3a"),
    "bad": ("#b42318", "#b42318"),
    "violet": ("#6b3fa0", "#6b3fa0"),
}
BAND_FILLS: dict[str, str] = {"ok": "#e5f4ea", "warn": "#fdf3dc", "bad": "#fdecea"}
GRID = "#d9dee6"
INK = "#1c2430"
MUTED = "#5b6676"
FONT = "system-ui, sans-serif"


def _num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(value: object) -> str:
    return str(escape(str(value)))


def _open(
    width: float,
    height: float,
    title: str,
    desc: str,
    id_prefix: str,
    kind: str,
    font_size: int = 14,
) -> list[str]:
    p = _text(id_prefix)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--{kind}" role="img"'
        f' viewBox="0 0 {_num(width)} {_num(height)}" aria-labelledby="{p}-title {p}-desc"'
        f' font-family="{FONT}" font-size="{font_size}">',
        f'<title id="{p}-title">{_text(title)}</title>',
        f'<desc id="{p}-desc">{_text(desc)}</desc>',
    ]


# --- radar -------------------------------------------------------------------------


@dataclass(frozen=True)
class RadarSeries:
    """One polygon: per axis, a fraction of the axis maximum (clamped to 0..1)."""

    name: str
    values: Sequence[float]
    tone: str = "primary"
    filled: bool = True


def radar_chart(
    labels: Sequence[str],
    series: Sequence[RadarSeries],
    *,
    title: str,
    desc: str,
    id_prefix: str = "radar",
    rings: int = 4,
    radius: float = 110,
    value_labels: Sequence[str] | None = None,
) -> Markup:
    """A radar chart with one spoke per label (five make the discipline pentagon).

    The first spoke points up and the others follow clockwise. `value_labels`
    (one per spoke) are printed under the spoke labels, e.g. ``"4 / 6"``.
    """
    count = len(labels)
    if count < 3:
        raise ValueError("a radar chart needs at least three axes")
    for item in series:
        if len(item.values) != count:
            raise ValueError(f"series {item.name!r} has {len(item.values)} values for {count} axes")
    margin_x, margin_y = 84, 62
    cx, cy = radius + margin_x, radius + margin_y
    width, height = 2 * cx, 2 * cy - 8

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * max(0.0, min(1.0, fraction))
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    def polygon(fractions: Sequence[float]) -> str:
        return " ".join(
            f"{_num(x)},{_num(y)}" for x, y in (point(i, f) for i, f in enumerate(fractions))
        )

    out = _open(width, height, title, desc, id_prefix, "radar", font_size=15)
    out.append(f'<g class="chart__grid" fill="none" stroke="{GRID}" stroke-width="1">')
    for ring in range(1, rings + 1):
        out.append(f'<polygon points="{polygon([ring / rings] * count)}"/>')
    for index in range(count):
        x, y = point(index, 1)
        out.append(f'<line x1="{_num(cx)}" y1="{_num(cy)}" x2="{_num(x)}" y2="{_num(y)}"/>')
    out.append("</g>")
    for number, item in enumerate(series):
        stroke, fill = TONES.get(item.tone, TONES["primary"])
        fill_attrs = (
            f'fill="{fill}" fill-opacity="0.18"'
            if item.filled and fill != "none"
            else 'fill="none"'
        )
        dash = ' stroke-dasharray="5 4"' if item.tone == "reference" else ""
        out.append(
            f'<g class="chart__series chart-tone--{_text(item.tone)}" data-series="{number}">'
            f"<title>{_text(item.name)}</title>"
            f'<polygon points="{polygon(item.values)}" {fill_attrs} stroke="{stroke}"'
            f' stroke-width="2" stroke-linejoin="round"{dash}/>'
        )
        if item.filled:
            for index, value in enumerate(item.values):
                x, y = point(index, value)
                out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.5" fill="{stroke}"/>')
        out.append("</g>")
    out.append(f'<g class="chart__labels" fill="{INK}">')
    for index, label in enumerate(labels):
        x, y = point(index, 1)
        dx, dy = x - cx, y - cy
        anchor = "middle" if abs(dx) < radius * 0.2 else ("start" if dx > 0 else "end")
        lx = x + (10 if anchor == "start" else -10 if anchor == "end" else 0)
        ly = y + (-12 if dy < -radius * 0.5 else 18 if dy > radius * 0.5 else 4)
        if value_labels is not None and dy < -radius * 0.5:
            ly -= 16  # a spoke pointing up: both lines above its end
        out.append(
            f'<text x="{_num(lx)}" y="{_num(ly)}" text-anchor="{anchor}" font-weight="600">'
            f"{_text(label)}</text>"
        )
        if value_labels is not None:
            out.append(
                f'<text x="{_num(lx)}" y="{_num(ly + 16)}" text-anchor="{anchor}"'
                f' fill="{MUTED}" font-size="13">{_text(value_labels[index])}</text>'
            )
    out.append("</g></svg>")
    return Markup("".join(out))


# --- line ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineSeries:
    """One line: a value (or None for a gap) per x position."""

    name: str
    values: Sequence[float | None]
    tone: str = "primary"


@dataclass(frozen=True)
class Band:
    """A shaded horizontal band between two y values, with a label at the right."""

    low: float
    high: float
    tone: str  # ok | warn | bad
    label: str = ""


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[LineSeries],
    *,
    y_min: float,
    y_max: float,
    y_ticks: Sequence[float],
    title: str,
    desc: str,
    id_prefix: str = "line",
    x_title: str = "",
    bands: Sequence[Band] = (),
    width: float = 420,
    height: float = 250,
    fmt: Callable[[float], str] = _num,
    right: float = 12,
) -> Markup:
    """A line chart over evenly spaced x positions, with points marked and titled.

    `right` is the margin after the last point: widen it when the last x label
    is wide (it is centred on the point).
    """
    if y_max <= y_min:
        raise ValueError("y_max must be greater than y_min")
    left, top, bottom = 36, 12, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    steps = max(len(x_labels) - 1, 1)

    def x_at(index: int) -> float:
        return left + plot_w * (index / steps if len(x_labels) > 1 else 0.5)

    def y_at(value: float) -> float:
        clamped = max(y_min, min(y_max, value))
        return top + plot_h * (1 - (clamped - y_min) / (y_max - y_min))

    out = _open(width, height, title, desc, id_prefix, "line")
    for band in bands:
        y_top, y_bottom = y_at(band.high), y_at(band.low)
        out.append(
            f'<rect class="chart__band chart__band--{_text(band.tone)}" x="{_num(left)}"'
            f' y="{_num(y_top)}" width="{_num(plot_w)}" height="{_num(y_bottom - y_top)}"'
            f' fill="{BAND_FILLS.get(band.tone, "#f4f6f9")}"/>'
        )
        if band.label:  # inside the band, at its right end
            out.append(
                f'<text x="{_num(left + plot_w - 6)}" y="{_num(y_top + 16)}" text-anchor="end"'
                f' fill="{MUTED}">{_text(band.label)}</text>'
            )
    out.append(f'<g class="chart__grid" stroke="{GRID}" stroke-width="1">')
    for tick in y_ticks:
        y = y_at(tick)
        out.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(left + plot_w)}" y2="{_num(y)}"/>'
        )
    out.append("</g>")
    out.append(f'<g class="chart__axis" fill="{MUTED}">')
    for tick in y_ticks:
        out.append(
            f'<text x="{_num(left - 8)}" y="{_num(y_at(tick) + 4)}" text-anchor="end">'
            f"{_text(fmt(tick))}</text>"
        )
    every = max(1, math.ceil(len(x_labels) / 12))  # at most about a dozen x labels
    for index, label in enumerate(x_labels):
        if index % every == 0 or index == len(x_labels) - 1:
            out.append(
                f'<text x="{_num(x_at(index))}" y="{_num(top + plot_h + 18)}"'
                f' text-anchor="middle">{_text(label)}</text>'
            )
    if x_title:
        out.append(
            f'<text x="{_num(left + plot_w / 2)}" y="{_num(height - 4)}" text-anchor="middle">'
            f"{_text(x_title)}</text>"
        )
    out.append("</g>")
    for number, item in enumerate(series):
        stroke, _ = TONES.get(item.tone, TONES["primary"])
        out.append(
            f'<g class="chart__series chart-tone--{_text(item.tone)}" data-series="{number}">'
            f"<title>{_text(item.name)}</title>"
        )
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, value in enumerate(item.values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_num(x_at(index))},{_num(y_at(value))}")
        if segment:
            segments.append(segment)
        for points in segments:
            out.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{stroke}"'
                ' stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
            )
        for index, value in enumerate(item.values):
            if value is None:
                continue
            out.append(
                f'<circle cx="{_num(x_at(index))}" cy="{_num(y_at(value))}" r="4"'
                f' fill="#ffffff" stroke="{stroke}" stroke-width="2">'
                f"<title>{_text(x_labels[index])}: {_text(fmt(value))}</title></circle>"
            )
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


# --- stacked bars ----------------------------------------------------------------------

#: Fills of bar segments; white text is never drawn on them (labels sit outside).
SEGMENT_FILLS: dict[str, str] = {
    "bad": "#c2410c",
    "warn": "#d99a1e",
    "primary": "#4f8fc0",
    "ok": "#1f7a3a",
    "reference": "#c9ced6",
}


@dataclass(frozen=True)
class Segment:
    """One kind of segment in every bar (e.g. a stage), with its legend name."""

    name: str
    tone: str


def stacked_bars(
    labels: Sequence[str],
    counts: Sequence[Sequence[float]],
    segments: Sequence[Segment],
    *,
    title: str,
    desc: str,
    id_prefix: str = "bars",
    width: float = 420,
    row_height: float = 34,
) -> Markup:
    """Horizontal bars of equal length, each split by share (counts → percentages).

    One bar per label; `counts[i][j]` is segment j of bar i. A bar with no
    counts is drawn empty. A legend with the segment names sits underneath.
    """
    for row in counts:
        if len(row) != len(segments):
            raise ValueError(f"a bar has {len(row)} counts for {len(segments)} segments")
    if len(counts) != len(labels):
        raise ValueError("one row of counts per label")
    label_w, right, top = 110, 8, 6
    bar_w = width - label_w - right
    legend_y = top + row_height * len(labels) + 18
    height = legend_y + 22 * math.ceil(len(segments) / 3) + 4
    out = _open(width, height, title, desc, id_prefix, "bars")
    for index, (label, row) in enumerate(zip(labels, counts, strict=True)):
        y = top + row_height * index
        total = sum(max(0.0, value) for value in row)
        out.append(
            f'<text x="{_num(label_w - 8)}" y="{_num(y + row_height / 2 + 5)}"'
            f' text-anchor="end" fill="{INK}">{_text(label)}</text>'
        )
        out.append(
            f'<rect x="{_num(label_w)}" y="{_num(y + 4)}" width="{_num(bar_w)}"'
            f' height="{_num(row_height - 8)}" fill="none" stroke="{GRID}"/>'
        )
        x = float(label_w)
        for segment, value in zip(segments, row, strict=True):
            if total <= 0 or value <= 0:
                continue
            share = max(0.0, value) / total
            w = bar_w * share
            out.append(
                f'<rect class="chart__segment chart-tone--{_text(segment.tone)}"'
                f' x="{_num(x)}" y="{_num(y + 4)}" width="{_num(w)}"'
                f' height="{_num(row_height - 8)}"'
                f' fill="{SEGMENT_FILLS.get(segment.tone, SEGMENT_FILLS["reference"])}">'
                f"<title>{_text(label)}: {_text(segment.name)} {_num(100 * share)}%</title></rect>"
            )
            x += w
    out.append(f'<g class="chart__legend" fill="{INK}" font-size="13">')
    for index, segment in enumerate(segments):
        lx = label_w + (index % 3) * (bar_w / 3)
        ly = legend_y + 22 * (index // 3)
        fill = SEGMENT_FILLS.get(segment.tone, SEGMENT_FILLS["reference"])
        out.append(
            f'<rect x="{_num(lx)}" y="{_num(ly - 11)}" width="12" height="12" fill="{fill}"/>'
            f'<text x="{_num(lx + 17)}" y="{_num(ly)}">{_text(segment.name)}</text>'
        )
    out.append("</g></svg>")
    return Markup("".join(out))

"""Server-drawn SVG charts: accessible, escaped, CSP-safe, and geometrically right."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from academy.web.charts import Band, LineSeries, RadarSeries, line_chart, radar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    return ET.fromstring(str(markup))


def test_radar_draws_a_pentagon_with_title_desc_and_escaped_labels():
    """Five spokes, one polygon per series, labels escaped, aria names the title and desc."""
    svg = radar_chart(
        ["看", "听", "笑", "说", "<b>&"],
        [RadarSeries("best", [1] * 5, "reference", filled=False), RadarSeries("run", [0.5] * 5)],
        title="Points & more",
        desc="Five disciplines",
        id_prefix="r1",
        value_labels=["1 / 2"] * 5,
    )
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "r1-title r1-desc"
    assert root.find(f"{SVG}title").text == "Points & more"
    assert "&lt;b&gt;&amp;" in str(svg) and "<b>" not in str(svg)
    grid = root.find(f"{SVG}g")
    assert len(grid.findall(f"{SVG}polygon")) == 4 and len(grid.findall(f"{SVG}line")) == 5
    series = [g for g in root.findall(f"{SVG}g") if g.get("data-series") is not None]
    assert len(series) == 2
    assert not re.search(r"\sstyle=", str(svg)) and "<script" not in str(svg)


def test_radar_values_are_clamped_to_the_rings():
    """A value above 1 lands on the outer ring; below 0 at the centre; the first spoke is up."""
    svg = radar_chart(["a", "b", "c"], [RadarSeries("s", [2.0, -1.0, 1.0])], title="t", desc="d")
    points = re.findall(r'<polygon points="([^"]+)" fill="#0b5c8e"', str(svg))[0].split()
    outer = re.findall(r'<polygon points="([^"]+)"/>', str(svg))[-1].split()
    assert points[0] == outer[0]  # clamped to the outer ring
    centre = re.search(r'<line x1="([\d.]+)" y1="([\d.]+)"', str(svg)).groups()
    assert points[1] == ",".join(centre)
    x0, y0 = map(float, outer[0].split(","))
    assert x0 == float(centre[0]) and y0 < float(centre[1])  # straight up


def test_radar_refuses_too_few_axes_or_mismatched_series():
    """Fewer than three axes, or a series of the wrong length, is a programming error."""
    with pytest.raises(ValueError):
        radar_chart(["a", "b"], [], title="t", desc="d")
    with pytest.raises(ValueError):
        radar_chart(["a", "b", "c"], [RadarSeries("s", [1, 2])], title="t", desc="d")


def test_line_chart_marks_points_and_leaves_gaps_for_missing_values():
    """Each value gets a titled point; None splits the line into two polylines."""
    svg = line_chart(
        ["Start", "1", "2", "3"],
        [LineSeries("Mood", [8, 5, None, 2], "accent")],
        y_min=0,
        y_max=10,
        y_ticks=[0, 5, 10],
        bands=[Band(0, 3, "ok", "calm")],
        title="Mood",
        desc="values",
        id_prefix="m",
        x_title="Step",
    )
    root = parse(svg)
    series = [g for g in root.findall(f"{SVG}g") if g.get("data-series") == "0"][0]
    assert len(series.findall(f"{SVG}polyline")) == 2
    titles = [c.find(f"{SVG}title").text for c in series.findall(f"{SVG}circle")]
    assert titles == ["Start: 8", "1: 5", "3: 2"]
    assert "calm" in str(svg) and ">Step<" in str(svg)
    assert not re.search(r"\sstyle=", str(svg))


def test_line_chart_keeps_values_inside_the_plot():
    """Out-of-range values are drawn at the edge, never outside the viewBox."""
    svg = line_chart(
        ["a", "b"],
        [LineSeries("s", [-5, 50])],
        y_min=0,
        y_max=10,
        y_ticks=[0, 10],
        title="t",
        desc="d",
    )
    width, height = map(float, parse(svg).get("viewBox").split()[2:])
    for cx, cy in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', str(svg)):
        assert 0 <= float(cx) <= width and 0 <= float(cy) <= height
    with pytest.raises(ValueError):
        line_chart(["a"], [], y_min=1, y_max=1, y_ticks=[], title="t", desc="d")

"""The stacked-bar chart of HR's stage shares: shares add up, text escaped, accessible."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from academy.web.charts import Segment, stacked_bars

SVG = "{http://www.w3.org/2000/svg}"
SEGMENTS = [Segment("1 <Directed>", "bad"), Segment("2", "warn"), Segment("3", "primary")]


def widths(svg, label):
    return [
        float(rect.get("width"))
        for rect in ET.fromstring(str(svg)).iter(f"{SVG}rect")
        if rect.get("class", "").startswith("chart__segment")
        and rect.find(f"{SVG}title").text.startswith(label)
    ]


def test_segments_split_each_bar_by_share():
    """1:1:2 fills a quarter, a quarter and a half of the bar; zero counts draw nothing."""
    svg = stacked_bars(
        ["他律→自律", "empty"], [[1, 1, 2], [0, 0, 0]], SEGMENTS, title="t", desc="d", width=420
    )
    bar = 420 - 110 - 8
    assert widths(svg, "他律→自律") == pytest.approx([bar / 4, bar / 4, bar / 2], abs=0.1)
    assert widths(svg, "empty") == []
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "t"


def test_labels_are_escaped_and_no_inline_style():
    """Legend and titles are XML-escaped; the CSP-safe chart has no style attribute."""
    svg = str(stacked_bars(["<b>"], [[1, 0, 0]], SEGMENTS, title="x & y", desc="d"))
    assert "&lt;b&gt;" in svg and "&lt;Directed&gt;" in svg and "<b>" not in svg
    assert not re.search(r"\sstyle=", svg)


def test_mismatched_rows_are_a_programming_error():
    """A row with the wrong number of counts, or counts without a label, is refused."""
    with pytest.raises(ValueError):
        stacked_bars(["a"], [[1, 2]], SEGMENTS, title="t", desc="d")
    with pytest.raises(ValueError):
        stacked_bars(["a"], [[1, 2, 3], [1, 2, 3]], SEGMENTS, title="t", desc="d")


def test_line_chart_right_margin_leaves_room_for_the_last_label():
    """A wider right margin moves the last point left by the difference; the default is kept."""
    from academy.web.charts import LineSeries, line_chart

    def last_x(svg):
        return float(re.findall(r'<circle cx="([\d.]+)"', str(svg))[-1])

    args = (["12月", "1月", "11月"], [LineSeries("s", [10, 20, 30])])
    kwargs = {"y_min": 0, "y_max": 100, "y_ticks": [0, 100], "title": "t", "desc": "d"}
    default = line_chart(*args, **kwargs)
    roomy = line_chart(*args, **kwargs, right=28)
    assert last_x(default) == 420 - 12 and last_x(roomy) == 420 - 28

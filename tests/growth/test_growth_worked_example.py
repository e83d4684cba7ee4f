"""The worked example of docs/growth-model.md: three months of one employee, figures checked."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from academy.evidence import Evidence
from academy.growth import assess, describe, last_months, month_end

ASSESSED = datetime(2025, 11, 30, 12, 0, tzinfo=UTC)
ON_TIME = {"initiative": "assigned", "on_time": True}
LATE = {"initiative": "assigned", "on_time": False}
SELF = {"initiative": "self"}


def on(month: int, day: int) -> datetime:
    """A working morning in 2025."""
    return datetime(2025, month, day, 9, 30, tzinfo=UTC)


def drill(
    day: datetime,
    slug: str,
    score: float,
    points: dict[str, int],
    best: dict[str, int],
    axes: dict[str, int],
    **how: Any,
) -> Evidence:
    """A drill run in contract shape."""
    ending = "success" if score >= 70 else "partial"
    detail = {"ending": ending, "disciplines": points, "discipline_max": best, "axes": axes}
    return Evidence(
        "completed", "scenario", slug, day, score=score, success=score >= 70, detail=detail, **how
    )


#: Wang Li, counter clerk at the water and power service window (the doc's example).
WANG_LI: list[Evidence] = [
    # September: does what is assigned, not always on time.
    Evidence("completed", "module", "look/reading-the-need", on(9, 2), **ON_TIME),
    Evidence("failed", "quiz", "look/reading-the-need", on(9, 3), score=70, success=False,
             **ON_TIME),
    Evidence("passed", "quiz", "look/reading-the-need", on(9, 5), score=85, success=True, **LATE),
    drill(
        on(9, 10), "angry-resident-window", 55,
        {"look": 2, "listen": 1, "smile": 1, "speak": -1},
        {"look": 4, "listen": 4, "smile": 2, "speak": 4},
        {"attitude": -1, "language": -1, "behaviour": 1},
        **ON_TIME,
    ),
    Evidence(
        "observed", "observation", "obs-311", on(9, 15),
        detail={
            "seven_ones": {"smile": "partly", "seat": "done", "greet": "done", "record": "partly",
                           "promise": "not", "arrange": "done", "goodbye": "done"},
            "axes": {"behaviour": 2, "language": 3, "attitude": 3, "work": 3},
            "note": "Greeted well; gave no time for the repair.",
        },
    ),
    Evidence("rated", "feedback_card", "card-1201", on(9, 20), score=50.0,
             detail={"rating": 3, "good": "", "bad": "Had to ask twice when they would come"}),
    # October: starts practising on her own, and reflects.
    Evidence("completed", "module", "speak/taboo-phrases-and-better-words", on(10, 1), **SELF),
    Evidence("passed", "quiz", "speak/taboo-phrases-and-better-words", on(10, 3), score=90,
             success=True, **SELF),
    Evidence("reflected", "reflection", "ref-88", on(10, 6),
             detail={"self_ratings": {"attitude": 4, "language": 3},
                     "about": "angry-resident-window", "length": 260}),
    Evidence("passed", "refresher", "look/reading-the-need", on(10, 12), score=90, success=True,
             **SELF),
    drill(
        on(10, 14), "outage-complaint", 80,
        {"listen": 3, "speak": 3, "act": 2}, {"listen": 4, "speak": 4, "act": 2},
        {"language": 2, "work": 1},
        **SELF,
    ),
    Evidence("rated", "feedback_card", "card-1377", on(10, 22), score=75.0,
             detail={"rating": 4, "good": "Polite and explained the outage", "bad": ""}),
    # November: observed again, reflects, keeps going without being told.
    Evidence(
        "observed", "observation", "obs-402", on(11, 3),
        detail={
            "seven_ones": {"smile": "done", "seat": "done", "greet": "done", "record": "partly",
                           "promise": "done", "arrange": "done", "goodbye": "done"},
            "axes": {"behaviour": 4, "language": 4, "attitude": 5, "work": 4},
            "note": "Wrote the fault in the log and promised a time.",
        },
    ),
    Evidence("reflected", "reflection", "ref-97", on(11, 5),
             detail={"self_ratings": {"attitude": 4, "language": 4, "behaviour": 4},
                     "about": "outage-complaint", "length": 180}),
    drill(
        on(11, 10), "angry-resident-window", 85,
        {"look": 3, "listen": 4, "smile": 2, "speak": 3},
        {"look": 4, "listen": 4, "smile": 2, "speak": 4},
        {"attitude": 2, "language": 1, "behaviour": 1},
        **SELF,
    ),
    Evidence("passed", "quiz", "listen/listening-and-the-log", on(11, 12), score=95, success=True,
             **SELF),
    Evidence("rated", "feedback_card", "card-1490", on(11, 18), score=100.0,
             detail={"rating": 5, "good": "Came back the same day", "bad": ""}),
    Evidence("passed", "refresher", "speak/taboo-phrases-and-better-words", on(11, 24), score=100,
             success=True, **SELF),
    Evidence("experienced", "module", "smile/the-smile-is-a-business-card", on(11, 26)),
]  # fmt: skip

#: The figures the documentation quotes (rounded as printed there).
EXPECTED_AXES = {
    # axis: (score, stage, next step)
    "behaviour": (77, 3, "raise_score"),
    "language": (67, 3, "raise_score"),
    "attitude": (73, 3, "raise_score"),
    "work": (61, 3, "raise_score"),
}
EXPECTED_DISCIPLINES = {"look": 66, "listen": 68, "smile": 63, "speak": 73, "act": 73}
EXPECTED_MONTHS = {
    # month: (score, stage) of behaviour, language, attitude, work at the month's end
    "2025-09": ((33, 1), (42, 2), (42, 2), (44, None)),
    "2025-10": ((63, 3), (51, 2), (46, 2), (50, 2)),
    "2025-11": ((77, 3), (67, 3), (73, 3), (61, 3)),
}


def test_example_has_nineteen_statements():
    """The doc says nineteen statements over three months."""
    assert len(WANG_LI) == 19


def test_axis_scores_and_stages_match_the_doc():
    """Scores (rounded), stages and next steps of the example at 30 Nov 2025."""
    result = assess(WANG_LI, ASSESSED)
    found = {axis: (round(r.score), r.stage, r.next_step.key) for axis, r in result.axes.items()}
    assert found == EXPECTED_AXES


def test_discipline_scores_match_the_doc():
    """The radar chart values of the example."""
    result = assess(WANG_LI, ASSESSED)
    found = {d: int(r.score + 0.5) for d, r in result.disciplines.items()}
    assert found == EXPECTED_DISCIPLINES


def test_month_by_month_matches_the_doc():
    """Assessed at each month end, the shift the doc describes."""
    for month in last_months(ASSESSED, 3):
        result = assess(WANG_LI, month_end(month))
        found = tuple((round(r.score), r.stage) for r in (result.axes[a] for a in result.axes))
        assert found == EXPECTED_MONTHS[f"{month:%Y-%m}"], month


def test_facts_match_the_doc():
    """Self-initiated share, reflections and calibration of the example."""
    facts = assess(WANG_LI, ASSESSED).facts
    assert round(facts.self_share, 2) == pytest.approx(0.82)
    assert (facts.reflections, facts.calibrations) == (2, 2)
    assert facts.calibration_gaps["all"] == pytest.approx(0.4)
    assert facts.calibration_gaps["attitude"] == pytest.approx(1.0)


def test_behaviour_explanation_matches_the_doc():
    """The behaviour contributors the doc lists, in order."""
    result = assess(WANG_LI, ASSESSED)
    lines = [describe(c) for c in result.axes["behaviour"].contributors]
    assert lines == [
        "Observation on 15 Sep 2025: behaviour rated 2 (-4.7)",
        "Self-rating on 5 Nov 2025: behaviour 4 vs 4, language 4 vs 4, attitude 4 vs 5"
        " (yours vs the trainer's) (+2.0)",
        "Refresher on 24 Nov 2025: speak/taboo-phrases-and-better-words,"
        " on your own initiative (+1.6)",
        "Quiz on 5 Sep 2025: look/reading-the-need, assigned, done late (-1.5)",
        "Reflection on 5 Nov 2025: 180 characters on outage-complaint (+1.5)",
    ]


def test_attitude_explanation_matches_the_doc():
    """The attitude contributors and their points, as the doc's table sums them."""
    attitude = assess(WANG_LI, ASSESSED).axes["attitude"]
    assert attitude.score == pytest.approx(73.04, abs=0.005)
    assert attitude.weight == pytest.approx(8.83, abs=0.005)
    assert [(c.kind, round(c.points, 1)) for c in attitude.contributors] == [
        ("observation", 13.3),
        ("observation", -4.9),
        ("card", 2.8),
        ("drill_axis", 2.6),
        ("card", -1.4),
    ]

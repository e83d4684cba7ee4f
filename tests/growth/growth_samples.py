"""Builders and Hypothesis strategies for growth-model tests: evidence in contract shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from academy.evidence import Evidence
from academy.vocabulary import AXES, DISCIPLINES, SEVEN_ONES

NOW = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
MODULES = tuple(f"{d}/module-{n}" for d in DISCIPLINES for n in (1, 2))
SCENARIOS = ("angry-resident-window", "outage-complaint", "hotline-repair")


def ago(days: float) -> datetime:
    """`days` before NOW."""
    return NOW - timedelta(days=days)


def lesson(key: str, days: float, *, read: bool = False, **how: Any) -> Evidence:
    """A lesson completed (or only read) `days` ago."""
    verb = "experienced" if read else "completed"
    return Evidence(verb, "module", key, ago(days), **how)


def quiz(key: str, days: float, score: float = 90, **how: Any) -> Evidence:
    """A quiz attempt: passed at 80 and above."""
    verb = "passed" if score >= 80 else "failed"
    return Evidence(verb, "quiz", key, ago(days), score=score, success=score >= 80, **how)


def refresher(key: str, days: float, score: float = 90, **how: Any) -> Evidence:
    """A refresher quiz: passed at 70 and above."""
    verb = "passed" if score >= 70 else "failed"
    return Evidence(verb, "refresher", key, ago(days), score=score, success=score >= 70, **how)


def drill(
    slug: str,
    days: float,
    *,
    points: dict[str, float] | None = None,
    best: dict[str, float] | None = None,
    axes: dict[str, float] | None = None,
    score: float = 80,
    **how: Any,
) -> Evidence:
    """A drill run with per-discipline points (and their maximum) and axis evidence."""
    detail: dict[str, Any] = {
        "ending": "success" if score >= 70 else "failure",
        "disciplines": points or {},
        "axes": axes or {},
    }
    if best is not None:
        detail["discipline_max"] = best
    return Evidence(
        "completed",
        "scenario",
        slug,
        ago(days),
        score=score,
        success=score >= 70,
        detail=detail,
        **how,
    )


def observation(
    record: str,
    days: float,
    axes: dict[str, float] | None = None,
    seven: dict[str, str] | None = None,
    note: str = "",
) -> Evidence:
    """A trainer's field observation: axis ratings 1-5 and the seven ones."""
    detail = {"seven_ones": seven or {}, "axes": axes or {}, "note": note}
    return Evidence("observed", "observation", record, ago(days), detail=detail)


def card(record: str, days: float, rating: int) -> Evidence:
    """A resident's feedback card naming the employee."""
    detail = {"rating": rating, "good": "", "bad": ""}
    return Evidence(
        "rated", "feedback_card", record, ago(days), score=(rating - 1) * 25.0, detail=detail
    )


def reflection(
    record: str, days: float, *, length: int = 250, ratings: dict[str, int] | None = None
) -> Evidence:
    """A journal entry, optionally with self-ratings per axis."""
    detail: dict[str, Any] = {"length": length, "about": None}
    if ratings is not None:
        detail["self_ratings"] = ratings
    return Evidence("reflected", "reflection", record, ago(days), detail=detail)


# ---- Hypothesis strategies ------------------------------------------------------

AGE = st.floats(min_value=0, max_value=400, allow_nan=False)
HOW = st.sampled_from(
    [
        {"initiative": "self"},
        {"initiative": "assigned", "on_time": True},
        {"initiative": "assigned", "on_time": False},
        {"initiative": "assigned"},
    ]
)
RATING = st.integers(min_value=1, max_value=5)
SCORE = st.integers(min_value=0, max_value=100)
STATUS = st.sampled_from(["done", "partly", "not"])


@st.composite
def any_evidence(draw: st.DrawFn, serial: st.SearchStrategy[int] | None = None) -> Evidence:
    """One evidence item of any kind, in contract shape, at most 400 days before NOW."""
    kind = draw(
        st.sampled_from(["lesson", "read", "quiz", "refresher", "drill", "obs", "card", "refl"])
    )
    days = draw(AGE)
    record = f"r{draw(st.integers(0, 10**9))}"
    if kind in ("lesson", "read"):
        return lesson(draw(st.sampled_from(MODULES)), days, read=kind == "read", **draw(HOW))
    if kind == "quiz":
        return quiz(draw(st.sampled_from(MODULES)), days, draw(SCORE), **draw(HOW))
    if kind == "refresher":
        return refresher(draw(st.sampled_from(MODULES)), days, draw(SCORE), **draw(HOW))
    if kind == "drill":
        touched = draw(st.lists(st.sampled_from(DISCIPLINES), min_size=1, max_size=3, unique=True))
        points = {d: draw(st.integers(-3, 5)) for d in touched}
        best = {d: 4 for d in touched} if draw(st.booleans()) else None
        axes = {a: draw(st.integers(-3, 3)) for a in draw(st.sets(st.sampled_from(AXES)))}
        slug = draw(st.sampled_from(SCENARIOS))
        return drill(
            slug, days, points=points, best=best, axes=axes, score=draw(SCORE), **draw(HOW)
        )
    if kind == "obs":
        axes = {a: draw(RATING) for a in draw(st.sets(st.sampled_from(AXES)))}
        seven = {o: draw(STATUS) for o in draw(st.sets(st.sampled_from(SEVEN_ONES)))}
        return observation(record, days, axes, seven)
    if kind == "card":
        return card(record, days, draw(RATING))
    ratings = {a: draw(RATING) for a in draw(st.sets(st.sampled_from(AXES)))}
    return reflection(record, days, length=draw(st.integers(0, 400)), ratings=ratings or None)


EVIDENCE = st.lists(any_evidence(), max_size=40)


@st.composite
def good_evidence(draw: st.DrawFn) -> Evidence:
    """An item every one of whose say is the top of its scale (the docs' definition of good).

    Lessons and quizzes taken on one's own initiative (quizzes with 100), a drill run
    on one's own with full points and axis evidence of +2 or more, an observation
    rating 5 with the seven ones done, a card rated 5, a substantive reflection whose
    self-ratings (if any) are no higher than any trainer rating (here: 1).
    """
    kind = draw(
        st.sampled_from(["lesson", "read", "quiz", "refresher", "drill", "obs", "card", "refl"])
    )
    days = draw(AGE)
    record = f"g{draw(st.integers(0, 10**9))}"
    mine = {"initiative": "self"}
    if kind in ("lesson", "read"):
        return lesson(draw(st.sampled_from(MODULES)), days, read=kind == "read", **mine)
    if kind == "quiz":
        return quiz(draw(st.sampled_from(MODULES)), days, 100, **mine)
    if kind == "refresher":
        return refresher(draw(st.sampled_from(MODULES)), days, 100, **mine)
    if kind == "drill":
        touched = draw(st.lists(st.sampled_from(DISCIPLINES), min_size=1, max_size=3, unique=True))
        with_best = draw(st.booleans())
        points = {d: 4 for d in touched}
        best = {d: 4 for d in touched} if with_best else None
        axes = {a: draw(st.integers(2, 4)) for a in draw(st.sets(st.sampled_from(AXES)))}
        slug = draw(st.sampled_from(SCENARIOS))
        return drill(slug, days, points=points, best=best, axes=axes, score=100, **mine)
    if kind == "obs":
        axes = {a: 5 for a in draw(st.sets(st.sampled_from(AXES)))}
        seven = {o: "done" for o in draw(st.sets(st.sampled_from(SEVEN_ONES)))}
        return observation(record, days, axes, seven)
    if kind == "card":
        return card(record, days, 5)
    ratings = {a: 1 for a in draw(st.sets(st.sampled_from(AXES)))}
    return reflection(record, days, length=draw(st.integers(200, 400)), ratings=ratings or None)


def scores(assessment: Any) -> dict[str, float | None]:
    """Every axis and discipline score of an assessment, by name."""
    result = {axis: r.score for axis, r in assessment.axes.items()}
    result.update({d: r.score for d, r in assessment.disciplines.items()})
    return result

"""Plain-English sentences for contributions and next steps.

The web layer translates from the stable keys (`Contribution.kind` + `params`,
`NextStep.key` + `params`); these English renderings are the reference wording,
used in logs, the documentation and tests. One template function per kind, in a
registry, like the evidence kinds themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

from academy.vocabulary import AXIS_TERMS

from .model import Contribution, NextStep
from .params import STAGE_LABELS

INITIATIVE_TEXT: Final[Mapping[str, str]] = {
    "self": "on your own initiative",
    "on_time": "assigned, done on time",
    "late": "assigned, done late",
    "assigned": "assigned",
}

SOURCE_TEXT: Final[Mapping[str, str]] = {
    "lesson": "Lesson",
    "quiz": "Quiz",
    "refresher": "Refresher",
    "drill": "Drill",
}


def day(at: datetime) -> str:
    """``3 Nov 2025``: the date style of the explanations."""
    return f"{at.day} {at:%b %Y}"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _practice(c: Contribution) -> tuple[str, str]:
    p = c.params
    return SOURCE_TEXT[p["source"]], f"{c.object_id}, {INITIATIVE_TEXT[p['initiative']]}"


def _lesson(c: Contribution) -> tuple[str, str]:
    return "Lesson", f"{c.object_id} {'completed' if c.params['completed'] else 'read'}"


def _quiz(c: Contribution) -> tuple[str, str]:
    p = c.params
    outcome = "passed" if p["passed"] else "failed"
    name = "Quiz" if c.kind == "quiz" else "Refresher"
    return name, f"{c.object_id} {outcome} with {_number(p['score'])}"


def _drill_discipline(c: Contribution) -> tuple[str, str]:
    p = c.params
    best = "" if p["max"] is None else f" of {_number(p['max'])}"
    return "Drill", f"{c.object_id}, {_number(p['points'])}{best} {c.target} points"


def _drill_axis(c: Contribution) -> tuple[str, str]:
    return "Drill", f"{c.object_id}, {c.target} evidence {c.params['evidence']:+g}"


def _observation(c: Contribution) -> tuple[str, str]:
    p = c.params
    parts = []
    if p["rating"] is not None:
        parts.append(f"{c.target} rated {_number(p['rating'])}")
    parts.extend(f"{one} {status}" for one, status in p["seven_ones"].items())
    return "Observation", ", ".join(parts)


def _card(c: Contribution) -> tuple[str, str]:
    rating = c.params["rating"]
    return "Feedback card", "resident's card" if rating is None else f"rated {_number(rating)}"


def _reflection(c: Contribution) -> tuple[str, str]:
    about = c.params["about"]
    return "Reflection", f"{c.params['length']} characters" + (f" on {about}" if about else "")


def _calibration(c: Contribution) -> tuple[str, str]:
    pairs = ", ".join(
        f"{pair['axis']} {_number(pair['self'])} vs {_number(pair['observed'])}"
        for pair in c.params["pairs"]
    )
    return "Self-rating", f"{pairs} (yours vs the trainer's)"


#: Contribution kind -> its English label.
LABELS: Final[Mapping[str, Callable[[Contribution], tuple[str, str]]]] = {
    "practice": _practice,
    "lesson": _lesson,
    "quiz": _quiz,
    "refresher": _quiz,
    "drill_discipline": _drill_discipline,
    "drill_axis": _drill_axis,
    "observation": _observation,
    "card": _card,
    "reflection": _reflection,
    "calibration": _calibration,
}


def describe(contribution: Contribution) -> str:
    """``Observation on 3 Nov 2025: attitude rated 5 (+12)``: one contributor in English."""
    head, rest = LABELS[contribution.kind](contribution)
    return f"{head} on {day(contribution.at)}: {rest} ({signed(contribution.points)})"


def signed(points: float) -> str:
    """``+12``, ``-3.5``, ``+0.4``: whole points from 10 up, one decimal below."""
    return f"{points:+.0f}" if abs(points) >= 9.95 else f"{points:+.1f}"


def _raise_score(step: NextStep) -> str:
    p = step.params
    return (
        f"Raise the score from {p['score']:.0f} to {p['threshold']:.0f}: "
        f"most weight comes from {', '.join(p['sources'][:3])}"
    )


NEXT_STEP_TEXT: Final[Mapping[str, Callable[[NextStep], str]]] = {
    "more_evidence": lambda s: (
        f"Not enough evidence yet: {s.params['items_needed']} more item(s) and "
        f"{s.params['weight_needed']:g} more weight, from {', '.join(s.params['sources'][:3])}"
    ),
    "raise_score": _raise_score,
    "needs_observation": lambda s: "Ask a trainer to observe you at work",
    "needs_self_practice": lambda s: (
        "Start more practice on your own: refreshers before they are due, drills, lessons"
    ),
    "needs_reflection": lambda s: "Write a reflection in your journal",
    "needs_calibration": lambda s: "Rate yourself in a reflection after a trainer has observed you",
    "calibration_gap": lambda s: "Your self-ratings differ from the trainer's: compare them",
    "keep_practising": lambda s: "Keep practising: old evidence fades",
}


def describe_next_step(step: NextStep) -> str:
    """The next step in English, with the target stage."""
    text = NEXT_STEP_TEXT[step.key](step)
    if step.target_stage is None or step.key == "keep_practising":
        return text
    return f"{text} (for stage {step.target_stage}, {STAGE_LABELS[step.target_stage]})"


def axis_title(axis: str) -> str:
    """``behaviour (他律→自律)``: an axis with the Chinese terms staff use."""
    start, end = AXIS_TERMS[axis]
    return f"{axis} ({start}→{end})"

"""The growth model's keys in the reader's language.

The pure model says *what* (a contribution kind with params, a next-step key,
a recommendation reason); this module turns each into a translated sentence,
one function per key in a registry, like `academy.growth.explain` does for the
English reference wording. Content keys become titles through the
`ContentIndex` the page already loaded.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy.growth import Contribution, NextStep, Recommendation
from academy.practice.growth import ContentIndex, TimelineEntry
from academy.vocabulary import AXIS_TERMS, DISCIPLINE_CHARS

STAGE_NAMES: Final = {
    1: _l("Directed"),
    2: _l("Compliant"),
    3: _l("Practising"),
    4: _l("Self-disciplined"),
}
STAGE_MEANINGS: Final = {
    1: _l("needs reminding and supervision"),
    2: _l("does what is assigned, on time"),
    3: _l("applies it consistently, seen at work by a trainer"),
    4: _l("practises unprompted, reflects, sees themself as others do"),
}
#: Shown in English on every page, next to the Chinese terms staff use.
AXIS_ENGLISH: Final = {
    "behaviour": "External discipline → self-discipline",
    "language": "Crude → civil",
    "attitude": "Stiff → polite",
    "work": "By habit → by standard",
}
AXIS_NAMES: Final = {
    "behaviour": _l("Behaviour"),
    "language": _l("Language"),
    "attitude": _l("Attitude"),
    "work": _l("Work"),
}
DISCIPLINE_NAMES: Final = {
    "look": _l("Look"),
    "listen": _l("Listen"),
    "smile": _l("Smile"),
    "speak": _l("Speak"),
    "act": _l("Act"),
}
SEVEN_ONES_NAMES: Final = {
    "smile": _l("smiling face"),
    "seat": _l("seat offered"),
    "greet": _l("greeting"),
    "record": _l("written in the log"),
    "promise": _l("clear promise"),
    "arrange": _l("job arranged"),
    "goodbye": _l("goodbye"),
}
SEVEN_ONES_STATUS: Final = {"done": _l("done"), "partly": _l("partly"), "not": _l("not done")}
INITIATIVE: Final = {
    "self": _l("self-initiated"),
    "on_time": _l("assigned, done on time"),
    "late": _l("assigned, done late"),
    "assigned": _l("assigned"),
}
SOURCES: Final = {
    "observation": _l("observations"),
    "calibration": _l("self-ratings after an observation"),
    "refresher": _l("refreshers"),
    "reflection": _l("reflections"),
    "practice": _l("practice on your own"),
    "drill": _l("drills"),
    "card": _l("residents' cards"),
    "quiz": _l("quizzes"),
    "lesson": _l("lessons"),
}


def number(value: float | int | None) -> str:
    """A number for people: whole numbers, locale digits."""
    return "—" if value is None else format_decimal(round(float(value)), format="#,##0")


def score(value: float | int | None) -> str:
    """A 0–100 score for people: whole points, rounded down, so 79.7 never reads as 80
    (the stage thresholds are whole numbers)."""
    return "—" if value is None else format_decimal(math.floor(float(value)), format="#,##0")


def signed(points: float) -> str:
    """+13, −4.9, +0.4: whole points from 10 up, one decimal below."""
    text = f"{points:+.0f}" if abs(points) >= 9.95 else f"{points:+.1f}"
    return text.replace("-", "−")


def day(at: datetime | None) -> str:
    return format_date(at, "medium") if at is not None else "—"


def axis_name(axis: str) -> str:
    return str(AXIS_NAMES.get(axis, axis))


def axis_label(axis: str) -> str:
    """行为（他律→自律）: the axis with the Chinese terms staff use."""
    start, end = AXIS_TERMS.get(axis, ("", ""))
    return _("%(name)s (%(from)s→%(to)s)", name=axis_name(axis), **{"from": start, "to": end})


def discipline_name(key: str) -> str:
    name = str(DISCIPLINE_NAMES.get(key, key))
    char = DISCIPLINE_CHARS.get(key, "")
    return name if not char or name == char else f"{char} {name}"


def target_name(target: str | None) -> str:
    if target is None:
        return ""
    return axis_label(target) if target in AXIS_NAMES else discipline_name(target)


def stage_name(stage: int | None) -> str:
    return str(STAGE_NAMES[stage]) if stage in STAGE_NAMES else _("not enough evidence yet")


def _initiative(how: str) -> str:
    return str(INITIATIVE.get(how, how))


def _sources(keys: Any, limit: int = 3) -> str:
    names = [str(SOURCES[k]) for k in list(keys or ())[:limit] if k in SOURCES]
    return _(", ").join(names) if names else ""


# --- contributions (the "why") -----------------------------------------------------


def _practice(c: Contribution, content: ContentIndex) -> str:
    source = c.params.get("source")
    title = content.title("scenario" if source == "drill" else "module", c.object_id)
    how = _initiative(str(c.params.get("initiative")))
    if source == "refresher" and c.params.get("initiative") != "self":
        how = _("after a reminder")  # refreshers are never assigned, only reminded
    texts = {
        "lesson": _("Lesson “%(title)s”, %(how)s", title=title, how=how),
        "quiz": _("Quiz of “%(title)s”, %(how)s", title=title, how=how),
        "refresher": _("Refresher of “%(title)s”, %(how)s", title=title, how=how),
        "drill": _("Drill “%(title)s”, %(how)s", title=title, how=how),
    }
    return texts.get(str(source), title)


def _lesson(c: Contribution, content: ContentIndex) -> str:
    title = content.title("module", c.object_id)
    if c.params.get("completed"):
        return _("Lesson “%(title)s” completed", title=title)
    return _("Lesson “%(title)s” read", title=title)


def _quiz(c: Contribution, content: ContentIndex) -> str:
    title = content.title("module", c.object_id)
    shown = number(c.params.get("score"))
    if c.kind == "refresher":
        if c.params.get("passed"):
            return _("Refresher of “%(title)s” passed with %(score)s", title=title, score=shown)
        return _("Refresher of “%(title)s” failed with %(score)s", title=title, score=shown)
    if c.params.get("passed"):
        return _("Quiz of “%(title)s” passed with %(score)s", title=title, score=shown)
    return _("Quiz of “%(title)s” failed with %(score)s", title=title, score=shown)


def _drill_discipline(c: Contribution, content: ContentIndex) -> str:
    title = content.title("scenario", c.object_id)
    points = number(c.params.get("points"))
    most = c.params.get("max")
    if most is None:
        return _("Drill “%(title)s”: %(points)s points", title=title, points=points)
    return _(
        "Drill “%(title)s”: %(points)s of %(max)s points",
        title=title,
        points=points,
        max=number(most),
    )


def _drill_axis(c: Contribution, content: ContentIndex) -> str:
    title = content.title("scenario", c.object_id)
    evidence = format(float(c.params.get("evidence") or 0), "+g").replace("-", "−")
    return _(
        "Drill “%(title)s”: choices %(evidence)s on this shift", title=title, evidence=evidence
    )


def _observation(c: Contribution, content: ContentIndex) -> str:
    parts = []
    if c.params.get("rating") is not None:
        parts.append(_("rated %(rating)s of 5", rating=number(c.params["rating"])))
    for one, status in dict(c.params.get("seven_ones") or {}).items():
        parts.append(f"{SEVEN_ONES_NAMES.get(one, one)} {SEVEN_ONES_STATUS.get(status, status)}")
    return _("Observed at work: %(what)s", what=_(", ").join(str(p) for p in parts))


def _card(c: Contribution, content: ContentIndex) -> str:
    rating = c.params.get("rating")
    if rating is None:
        return _("A resident's feedback card")
    return _("A resident's feedback card: %(rating)s of 5", rating=number(rating))


def _reflection(c: Contribution, content: ContentIndex) -> str:
    about = c.params.get("about")
    length = int(c.params.get("length") or 0)
    if about:
        title = content.title("scenario", str(about))
        return _("Reflection of %(n)d characters on “%(title)s”", n=length, title=title)
    return _("Reflection of %(n)d characters", n=length)


def _calibration(c: Contribution, content: ContentIndex) -> str:
    pairs = _(", ").join(
        _(
            "%(axis)s %(mine)s vs %(seen)s",
            axis=axis_name(str(pair["axis"])),
            mine=number(pair["self"]),
            seen=number(pair["observed"]),
        )
        for pair in c.params.get("pairs", ())
    )
    return _("Self-rating compared with the trainer's: %(pairs)s", pairs=pairs)


CONTRIBUTIONS: Final[Mapping[str, Callable[[Contribution, ContentIndex], str]]] = {
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


def contribution_text(c: Contribution, content: ContentIndex) -> str:
    """What one piece of evidence was, in the reader's language (without date or points)."""
    describe = CONTRIBUTIONS.get(c.kind)
    return describe(c, content) if describe else c.kind


# --- next steps ---------------------------------------------------------------------


def _more_evidence(step: NextStep) -> str:
    p = step.params
    items = int(p.get("items_needed") or 0)
    sources = _sources(p.get("sources"))
    if items:
        return _(
            "Not enough evidence yet: at least %(n)d more, from %(sources)s.",
            n=items,
            sources=sources,
        )
    return _("Not enough evidence yet: more recent evidence, from %(sources)s.", sources=sources)


def _raise_score(step: NextStep) -> str:
    p = step.params
    return _(
        "Raise the score from %(score)s to %(threshold)s, through %(sources)s.",
        score=score(p.get("score")),
        threshold=number(p.get("threshold")),
        sources=_sources(p.get("sources")),
    )


NEXT_STEPS: Final[Mapping[str, Callable[[NextStep], str]]] = {
    "more_evidence": _more_evidence,
    "raise_score": _raise_score,
    "needs_observation": lambda s: _("Ask a trainer to observe you at the window."),
    "needs_self_practice": lambda s: _(
        "Practise more on your own initiative: refreshers before they are due, drills, lessons."
    ),
    "needs_reflection": lambda s: _("Write a reflection in your journal."),
    "needs_calibration": lambda s: _(
        "After a trainer has observed you, rate yourself in a reflection."
    ),
    "calibration_gap": lambda s: _(
        "Your self-ratings differ from the trainer's: compare them honestly in a reflection."
    ),
    "keep_practising": lambda s: _("Keep practising: old evidence fades."),
}


def next_step_text(step: NextStep) -> str:
    """The next step of one axis, in the reader's language."""
    describe = NEXT_STEPS.get(step.key)
    text = describe(step) if describe else step.key
    if step.target_stage in STAGE_NAMES and step.key != "keep_practising":
        return _(
            "%(step)s (to reach stage %(n)d, %(name)s)",
            step=text,
            n=step.target_stage,
            name=STAGE_NAMES[step.target_stage],
        )
    return text


# --- the recommendation -----------------------------------------------------------


def recommendation_text(rec: Recommendation, content: ContentIndex) -> str:
    """Why this one activity, in the reader's language."""
    p = rec.params
    target = target_name(rec.target)
    current = score(p.get("score")) if p.get("score") is not None else _("no score yet")
    title = rec.title or ""
    if rec.kind == "refresher" and rec.key:
        title = content.title("module", rec.key)
    texts: dict[str, Callable[[], str]] = {
        "next_lesson": lambda: _(
            "Your weakest discipline is %(target)s (%(score)s): the lesson “%(title)s” is next.",
            target=target,
            score=current,
            title=title,
        ),
        "drill_for_discipline": lambda: _(
            "Your weakest discipline is %(target)s (%(score)s): play the drill “%(title)s”.",
            target=target,
            score=current,
            title=title,
        ),
        "drill_for_axis": lambda: _(
            "%(target)s is your weakest shift (%(score)s): the drill “%(title)s” trains it.",
            target=target,
            score=current,
            title=title,
        ),
        "lesson_for_axis": lambda: _(
            "%(target)s is your weakest shift (%(score)s): the lesson “%(title)s” trains it.",
            target=target,
            score=current,
            title=title,
        ),
        "refresher_due": lambda: _(
            "%(target)s grows when you practise unprompted: take the refresher of “%(title)s” now.",
            target=target,
            title=title,
        ),
        "reflect": lambda: _(
            "%(target)s grows when you reflect: write what you will do differently, "
            "and rate yourself honestly.",
            target=target,
        ),
        "self_practice_lesson": lambda: _(
            "%(target)s grows with practice nobody asked for: the lesson “%(title)s”.",
            target=target,
            title=title,
        ),
        "self_practice_drill": lambda: _(
            "%(target)s grows with practice nobody asked for: the drill “%(title)s”.",
            target=target,
            title=title,
        ),
        "all_done": lambda: _(
            "You have done everything on offer. Keep practising: old evidence fades."
        ),
    }
    make = texts.get(rec.reason)
    return make() if make else rec.reason


# --- the timeline -------------------------------------------------------------------


def _how(entry: TimelineEntry) -> str:
    if entry.initiative == "self":
        return str(INITIATIVE["self"])
    if entry.on_time is True:
        return str(INITIATIVE["on_time"])
    if entry.on_time is False:
        return str(INITIATIVE["late"])
    return str(INITIATIVE["assigned"])


def timeline_text(entry: TimelineEntry, content: ContentIndex) -> tuple[str, str]:
    """(what happened, how: initiative or who recorded it) for one timeline entry."""
    kind = (entry.verb, entry.object_type)
    title = content.title(entry.object_type, entry.object_id)
    detail = entry.detail or {}
    shown = number(entry.score)
    how = _how(entry) if entry.object_type in ("module", "quiz", "refresher", "scenario") else ""
    if entry.object_type == "refresher" and entry.initiative != "self":
        how = _("after a reminder")
    if entry.recorded_by:
        how = _("recorded by %(name)s", name=entry.recorded_by)
    if kind == ("experienced", "module"):
        return _("Read the lesson “%(title)s”", title=title), ""
    if kind == ("completed", "module"):
        return _("Completed the lesson “%(title)s”", title=title), how
    if kind == ("passed", "quiz"):
        return _("Passed the quiz of “%(title)s” with %(score)s", title=title, score=shown), how
    if kind == ("failed", "quiz"):
        return _("Quiz of “%(title)s”: %(score)s, not passed yet", title=title, score=shown), how
    if kind == ("passed", "refresher"):
        return _("Refresher of “%(title)s” passed with %(score)s", title=title, score=shown), how
    if kind == ("failed", "refresher"):
        return _("Refresher of “%(title)s”: %(score)s, not passed", title=title, score=shown), how
    if kind == ("completed", "scenario"):
        return _("Played the drill “%(title)s”: %(score)s", title=title, score=shown), how
    if kind == ("observed", "observation"):
        ones = detail.get("seven_ones") if isinstance(detail.get("seven_ones"), dict) else {}
        done = sum(1 for status in ones.values() if status == "done")
        return _(
            "Observed at the window: %(done)d of %(seen)d of the seven ones done",
            done=done,
            seen=len(ones),
        ), how
    if kind == ("rated", "feedback_card"):
        rating = detail.get("rating")
        return _("A resident's feedback card: %(rating)s of 5", rating=number(rating)), how
    if kind == ("reflected", "reflection"):
        length = int(detail.get("length") or 0)
        return _("Wrote a reflection (%(n)d characters)", n=length), ""
    if kind == ("earned", "certificate"):
        return _("Earned the certificate “%(title)s”", title=title), ""
    if kind == ("revoked", "certificate"):
        return _("Certificate “%(title)s” revoked", title=title), ""
    return f"{entry.verb} {entry.object_type} {entry.object_id}", how

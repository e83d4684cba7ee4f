"""Handouts made from a module's content: pocket-card lines and a pre-shift (班前会) guide.

Pure: `module_handout` reads one validated `ModuleSource` and returns JSON-ready
data; `pocket_card` puts a discipline's modules together. The catalogue builds
the data once at content sync and stores it with the module, so pages never
parse lessons or quizzes per request. Labels and the guide's wording are the web
layer's (translated); the data holds only what the content says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from academy.courses.model import ModuleSource

#: A Markdown task-list line: ``- [ ] text`` (the lesson's printable checklist).
CHECKLIST_RE = re.compile(r"^\s{0,3}[-*+]\s+\[[ xX]\]\s+(?P<text>\S.*?)\s*$")
#: The ten minutes of a pre-shift session: (part, minutes).
PRE_SHIFT_TIMING: tuple[tuple[str, int], ...] = (
    ("objectives", 1),
    ("situation", 4),
    ("checklist", 2),
    ("discussion", 3),
)
#: How many checklist lines one module may put on a pocket card.
POCKET_CHECKLIST = 8


def checklist_of(body: str) -> tuple[str, ...]:
    """The lesson's checklist: its Markdown task-list lines, in order."""
    found = []
    for line in body.split("\n"):
        match = CHECKLIST_RE.match(line)
        if match:
            found.append(_plain(match["text"]))
    return tuple(found)


def _plain(text: str) -> str:
    """Markdown emphasis and code marks dropped (a printed card shows plain text)."""
    return re.sub(r"(\*\*|__|\*|`)", "", text).strip()


def situation_of(quiz: Any | None) -> dict[str, Any] | None:
    """One situation from the quiz bank for discussion: the first single-choice item.

    With the key and its feedback for the facilitator only (the guide is for trainers).
    """
    for question in getattr(quiz, "questions", ()) or ():
        if question.kind != "single":
            continue
        options = list(question.options)
        best = max(options, key=lambda option: option.credit)
        return {
            "prompt": question.prompt,
            "options": [option.text for option in options],
            "answer": best.text,
            "why": best.feedback or "",
        }
    return None


def module_handout(source: ModuleSource) -> dict[str, Any]:
    """What the pocket card and the pre-shift guide take from one module (JSON-ready)."""
    return {
        "scripts": list(source.scripts),
        "checklist": list(checklist_of(source.body)),
        "objectives": list(source.objectives),
        "situation": situation_of(source.quiz),
        "timing": [[part, minutes] for part, minutes in PRE_SHIFT_TIMING],
    }


def pocket_card(modules: Iterable[tuple[str, str, Mapping[str, Any]]]) -> dict[str, Any]:
    """A discipline's pocket card from its modules' (key, title, handout), in course order.

    Front: the scripts to say; back: the checklists to do. Modules with neither
    are left out.
    """
    front: list[dict[str, Any]] = []
    back: list[dict[str, Any]] = []
    for key, title, handout in modules:
        scripts: Sequence[str] = handout.get("scripts") or ()
        checklist: Sequence[str] = handout.get("checklist") or ()
        if scripts:
            front.append({"key": key, "title": title, "lines": list(scripts)})
        if checklist:
            back.append({"key": key, "title": title, "lines": list(checklist[:POCKET_CHECKLIST])})
    return {"front": front, "back": back}

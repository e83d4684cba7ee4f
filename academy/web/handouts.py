"""Printable handouts made from the content: pocket cards and pre-shift (班前会) guides.

The data comes from `academy.courses.handouts`, built at content sync and stored
with each module; these pages only arrange it. Pocket cards (A6, two sides) are
for every signed-in member of staff; the facilitator guides, which show a quiz
item's key, are for trainers.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from academy.catalog import queries as content
from academy.courses.handouts import pocket_card
from academy.vocabulary import DISCIPLINES
from academy.web.decorators import roles_required, signed_in

bp = Blueprint("handouts", __name__)
trainers = roles_required("trainer")


def _card(discipline: str) -> dict[str, Any]:
    modules = [m for m in content.published_modules() if m.discipline == discipline]
    return pocket_card((m.key, m.title, m.handout or {}) for m in modules)


@bp.get("/handouts/")
@signed_in
def index() -> Any:
    """Every discipline's pocket card, and (for trainers) each module's pre-shift guide."""
    modules = content.published_modules()
    return render_template(
        "handouts/index.html",
        disciplines=[
            (d, [m for m in modules if m.discipline == d])
            for d in DISCIPLINES
            if any(m.discipline == d for m in modules)
        ],
    )


@bp.get("/handouts/pocket/<discipline>")
@signed_in
def pocket(discipline: str) -> Any:
    """One discipline's pocket card: scripts on the front, checklists on the back (A6)."""
    if discipline not in DISCIPLINES:
        abort(404)
    if not any(m.discipline == discipline for m in content.published_modules()):
        abort(404)
    card = content.content_memo(("pocket-card", discipline), lambda: _card(discipline))
    return render_template("handouts/pocket.html", discipline=discipline, card=card)


@bp.get("/trainer/pre-shift/<discipline>/<slug>")
@trainers
def pre_shift(discipline: str, slug: str) -> Any:
    """A ten-minute pre-shift session on one module, for the facilitator."""
    module = content.published_module(discipline, slug) or abort(404)
    handout = module.handout or {}
    return render_template(
        "handouts/pre_shift.html",
        module=module,
        handout=handout,
        timing=handout.get("timing") or [],
        total=sum(minutes for _part, minutes in handout.get("timing") or []),
    )

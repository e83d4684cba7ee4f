"""Search pages: lessons and drills for everyone signed in; people for trainers and HR."""

from __future__ import annotations

import threading
from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.accounts.models import User
from academy.assignments.services import scope_department_ids
from academy.extensions import db
from academy.search import queries
from academy.search import text as words
from academy.web.decorators import roles_required, signed_in
from academy.web.pagination import page_number

bp = Blueprint("search", __name__)
desk = roles_required("trainer", "hr")

RESULTS_PAGE = 10
PEOPLE_LIMIT = 20


@bp.record_once
def _warm_up(state: Any) -> None:
    """Load the Chinese dictionary in the background, so the first search is quick."""
    if not state.app.testing:
        threading.Thread(target=words.warm_up, name="jieba-warm-up", daemon=True).start()


@bp.get("/search")
@signed_in
def results() -> Any:
    """Published lessons and drills matching ?q=, best first, highlighted, 10 a page."""
    q = request.args.get("q", "")
    found = queries.search_content(q, page_number(), RESULTS_PAGE)
    return render_template("search/results.html", q=q.strip()[: words.MAX_QUERY], results=found)


@bp.get("/search/people")
@desk
def people() -> Any:
    """People by name, username or employee number, within the trainer's departments.

    The assignment form's people picker reads this page (``?fragment=1``: the list only).
    """
    q = request.args.get("q", "").strip()[: words.MAX_QUERY]
    match = queries.people_match(q)
    rows: list[User] = []
    if match is not None:
        scope = scope_department_ids(current_user)
        rows = list(
            db.session.scalars(
                select(User)
                .options(joinedload(User.department))
                .where(match, User.active.is_(True), queries.in_departments(scope))
                .order_by(User.display_name, User.id)
                .limit(PEOPLE_LIMIT + 1)
            )
        )
    template = "search/_people_list.html" if request.args.get("fragment") else "search/people.html"
    return render_template(template, q=q, people=rows[:PEOPLE_LIMIT], more=len(rows) > PEOPLE_LIMIT)

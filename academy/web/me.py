"""The employee's own pages: the dashboard of what to do next."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user

from academy.assignments import services as assignments
from academy.catalog import queries as content
from academy.progress import lessons
from academy.progress.continuing import continue_with
from academy.web.decorators import signed_in

bp = Blueprint("me", __name__, url_prefix="/me")


@bp.get("/")
@signed_in
def dashboard() -> Any:
    """Assigned work by urgency, and where to continue learning."""
    work = assignments.my_assignments(current_user)
    modules = content.published_modules()
    statuses = lessons.lesson_statuses(current_user)
    next_step = continue_with(work, modules, statuses)
    completed = sum(1 for m in modules if statuses.get(m.key) == lessons.COMPLETED)
    return render_template(
        "me/dashboard.html",
        work=work,
        open_work=[w for w in work if w.target.completed_at is None],
        done_work=[w for w in work if w.target.completed_at is not None],
        next_step=next_step,
        completed=completed,
        total=len(modules),
    )

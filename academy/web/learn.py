"""Employees learn: the course catalogue and lessons."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from academy.assignments import services as assignments
from academy.catalog import queries as content
from academy.catalog.queries import ModuleView
from academy.extensions import db
from academy.progress import lessons, quizzing
from academy.vocabulary import DISCIPLINE_CHARS, DISCIPLINES
from academy.web.decorators import signed_in
from academy.web.forms import ActionForm

bp = Blueprint("learn", __name__)


@bp.get("/courses/")
@signed_in
def catalog() -> Any:
    """The five disciplines with their modules and the learner's own status."""
    modules = content.published_modules()
    statuses = lessons.lesson_statuses(current_user)
    work = assignments.my_open_work(current_user)
    by_discipline = {d: list(ms) for d, ms in groupby(modules, key=lambda m: m.discipline)}
    disciplines = [
        {
            "key": d,
            "char": DISCIPLINE_CHARS[d],
            "modules": by_discipline.get(d, []),
            "done": sum(
                1 for m in by_discipline.get(d, []) if statuses.get(m.key) == lessons.COMPLETED
            ),
        }
        for d in DISCIPLINES
    ]
    return render_template(
        "learn/catalog.html",
        disciplines=disciplines,
        statuses=statuses,
        due={object_id: w for (kind, object_id), w in work.items() if kind == "module"},
    )


@bp.get("/courses/<discipline>/<slug>")
@signed_in
def lesson(discipline: str, slug: str) -> Any:
    """One lesson: objectives, the pre-rendered body, completion, navigation."""
    module = content.published_module(discipline, slug) or abort(404)
    status = lessons.lesson_status(current_user, module)
    if status == lessons.NOT_STARTED:
        lessons.note_lesson_opened(current_user, module)
        status = lessons.READ
    return render_template(
        "learn/lesson.html",
        module=module,
        fragments=lesson_fragments(module),
        status=status,
        quiz=quizzing.quiz_summary(current_user, module) if module.question_count else None,
        rule=lessons.completion_rule(module),
        due=assignments.my_open_work(current_user).get(("module", module.key)),
        form=ActionForm(),
    )


@dataclass(frozen=True)
class LessonFragments:
    """The parts of a lesson page that only change with the content or the language."""

    head: Markup
    body: Markup
    pager: Markup


def lesson_fragments(module: ModuleView) -> LessonFragments:
    """Render a lesson's fixed parts once per content version and language."""

    def render() -> LessonFragments:
        macros = current_app.jinja_env.get_template("learn/_lesson_static.html").module
        previous, following = content.neighbours(module)
        return LessonFragments(
            head=Markup(macros.head(module)),
            body=Markup(macros.body(module)),
            pager=Markup(macros.pager(previous, following)),
        )

    return content.content_memo(("lesson", module.key, str(get_locale())), render)


@bp.post("/courses/<discipline>/<slug>/complete")
@signed_in
def complete(discipline: str, slug: str) -> Any:
    """Mark a lesson completed (idempotent), then go back to it."""
    module = content.published_module(discipline, slug) or abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        lessons.complete_lesson(current_user, module)
    except lessons.CompletionRuleError:
        abort(422, _("This lesson is completed by passing its quiz."))
    db.session.commit()
    flash(_("Lesson completed: %(title)s", title=module.title), "success")
    return redirect(url_for("learn.lesson", discipline=discipline, slug=slug))

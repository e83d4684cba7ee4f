"""Recording practice: observations at the window, residents' cards, the journal, refreshers.

Forms here are filled on phones at the service window, so they post plain
HTML (no JavaScript needed), use big radio "segments" instead of selects, and
carry a one-time key so a double tap or a resent post never records twice.
Views parse the form, call one service in `academy.practice`, commit, redirect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.accounts.models import Department, User
from academy.assignments.services import COMPANY_TZ
from academy.catalog import queries as content
from academy.extensions import db, intend_to_write, sqlite_begin
from academy.practice import cards, observations, reflections, refreshers
from academy.practice.once import form_key_or_none, new_form_key
from academy.practice.people import (
    PracticeError,
    can_coach,
    card_scope,
    coaching_scope,
    departments_in,
    find_person,
    people_in,
    person_label,
)
from academy.progress import drills
from academy.quizzes import present
from academy.timeutil import utcnow
from academy.vocabulary import AXES, AXIS_TERMS, SEVEN_ONES, SEVEN_ONES_CHINESE
from academy.web import growth_text as text
from academy.web.decorators import roles_required, signed_in

bp = Blueprint("practice", __name__)
trainers = roles_required("trainer")

F = TypeVar("F", bound=Callable[..., Any])

STATUS_CHOICES = (
    ("", _l("not seen"), "none"),
    ("done", _l("done"), "ok"),
    ("partly", _l("partly"), "warn"),
    ("not", _l("not done"), "bad"),
)
RATING_CHOICES = (("", "—", "none"), *((str(n), str(n), "scale") for n in range(1, 6)))
CARD_RATINGS = (
    ("1", _l("1 very unhappy"), "bad"),
    ("2", _l("2 unhappy"), "bad"),
    ("3", _l("3 so-so"), "warn"),
    ("4", _l("4 satisfied"), "ok"),
    ("5", _l("5 very satisfied"), "ok"),
)
SOURCE_CHOICES = (("window", _l("At the window"), "none"), ("paper", _l("Paper card"), "none"))


def _writes(view: F) -> F:
    """Outermost on a GET that writes: begin SQLite's transaction IMMEDIATE."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        intend_to_write()
        if db.session().in_transaction():
            db.session.rollback()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _rating(raw: str | None) -> int | None:
    """A 1–5 rating from a form (None when left blank); ValueError otherwise."""
    if raw in (None, ""):
        return None
    if raw not in {"1", "2", "3", "4", "5"}:  # ASCII digits only
        raise ValueError(raw)
    return int(raw)


def _ratings(form: Mapping[str, str], prefix: str, errors: dict[str, str]) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for axis in AXES:
        try:
            found[axis] = _rating(form.get(f"{prefix}_{axis}"))
        except ValueError:
            errors[f"{prefix}_{axis}"] = _("A rating is a whole number from 1 to 5.")
    return found


def _axes_labels() -> list[tuple[str, str, str]]:
    return [(axis, text.axis_name(axis), "→".join(AXIS_TERMS[axis])) for axis in AXES]


# --- observations ---------------------------------------------------------------------


def _observe_page(values: Mapping[str, str], errors: Mapping[str, str], person: User | None):
    scope = coaching_scope(current_user)
    return render_template(
        "practice/observe.html",
        values=values,
        errors=errors,
        person=person,
        people=[person_label(p) for p in people_in(scope)],
        form_key=values.get("form_key") or new_form_key(),
        seven_ones=[
            (one, SEVEN_ONES_CHINESE[one], text.SEVEN_ONES_NAMES[one]) for one in SEVEN_ONES
        ],
        status_choices=STATUS_CHOICES,
        rating_choices=RATING_CHOICES,
        axes=_axes_labels(),
        note_max=observations.NOTE_MAX,
    )


@bp.get("/trainer/observe")
@trainers
def observe() -> Any:
    """The observation form, pre-filled with an employee (``?employee=username``)."""
    wanted = request.args.get("employee", "").strip()
    person = find_person(coaching_scope(current_user), wanted) if wanted else None
    errors: dict[str, str] = {}
    if wanted and person is None:
        errors["employee"] = _("No one in your departments is called that.")
    values = {"employee": person_label(person) if person else wanted}
    return _observe_page(values, errors, person)


@bp.post("/trainer/observe")
@trainers
def record_observation() -> Any:
    """Record an observation, then show the employee's coaching page."""
    form = request.form
    values = {key: form.get(key, "") for key in form}
    errors: dict[str, str] = {}
    person = find_person(coaching_scope(current_user), form.get("employee", ""))
    if person is None:
        errors["employee"] = _("Choose someone from your departments (name, username or 工号).")
    checklist = {one: form.get(f"one_{one}", "") for one in SEVEN_ONES}
    for one, status in checklist.items():
        if status not in ("", "done", "partly", "not"):
            errors[f"one_{one}"] = _("Choose done, partly or not done.")
    ratings = _ratings(form, "rating", errors)
    if errors:
        return _observe_page(values, errors, person), 400
    assert person is not None
    try:
        observations.record_observation(
            current_user,
            person,
            seven_ones=checklist,
            ratings=ratings,
            note=form.get("note", ""),
            form_key=form_key_or_none(form.get("form_key")),
        )
    except PracticeError as refused:
        errors[refused.field] = str(refused.message)
        return _observe_page(values, errors, person), 400
    db.session.commit()
    flash(_("Observation of %(name)s saved.", name=person.display_name), "success")
    if can_coach(current_user, person):
        return redirect(url_for("growth.person", user_id=person.id), 303)
    return redirect(url_for("practice.observe"), 303)


# --- feedback cards -------------------------------------------------------------------


def _card_page(values: Mapping[str, str], errors: Mapping[str, str], status: int = 200):
    scope = card_scope(current_user)
    can_name = current_user.role != "employee"
    people = [p for p in people_in(scope) if p.id != current_user.id] if can_name else []
    return (
        render_template(
            "practice/card.html",
            values=values,
            errors=errors,
            can_name=can_name,
            people=[person_label(p) for p in people],
            departments=departments_in(scope),
            form_key=new_form_key() if status == 200 else values.get("form_key") or new_form_key(),
            rating_choices=CARD_RATINGS,
            source_choices=SOURCE_CHOICES,
            today=utcnow().astimezone(COMPANY_TZ).date(),
            text_max=cards.TEXT_MAX,
        ),
        status,
    )


@bp.get("/feedback-cards/new")
@signed_in
def new_card() -> Any:
    """Enter a resident's feedback card (意见反馈卡): at the window, or from paper."""
    args = request.args
    values = {
        "employee": args.get("employee", ""),
        "department": args.get("department", str(current_user.department_id or "")),
        "source": args.get("source", "window"),
        "received_on": args.get("received_on", ""),
    }
    wanted = values["employee"].strip()
    if wanted:
        person = find_person(card_scope(current_user), wanted)
        values["employee"] = person_label(person) if person else wanted
    return _card_page(values, {})


@bp.post("/feedback-cards/new")
@signed_in
def create_card() -> Any:
    """Store the card; come back to an empty form for the next one."""
    form = request.form
    values = {key: form.get(key, "") for key in form}
    errors: dict[str, str] = {}
    try:
        rating = _rating(form.get("rating"))
    except ValueError:
        rating = None
    if rating is None:
        errors["rating"] = _("Choose the resident's rating, from 1 to 5.")
    scope = card_scope(current_user)
    person = None
    wanted = form.get("employee", "").strip()
    if wanted and current_user.role == "employee":
        errors["employee"] = _(
            "Staff cannot name a worker on a card: residents do it themselves, by scanning "
            "the QR code on the worker's badge. Enter this card for the department."
        )
    elif wanted:
        person = find_person(scope, wanted)
        if person is None:
            errors["employee"] = _("No one you may enter cards for is called that.")
        elif person.id == current_user.id:
            errors["employee"] = _("You cannot enter a card that names yourself.")
    department = None
    raw_department = form.get("department", "")
    if raw_department.isascii() and raw_department.isdigit():
        department = db.session.get(Department, int(raw_department))
    received_on: date | None = None
    raw_day = form.get("received_on", "")
    if raw_day:
        try:
            received_on = date.fromisoformat(raw_day)
        except ValueError:
            errors["received_on"] = _("Give the date as on the card.")
    if errors:
        return _card_page(values, errors, 400)
    assert rating is not None
    try:
        cards.record_card(
            current_user,
            rating=rating,
            good=form.get("good", ""),
            bad=form.get("bad", ""),
            employee=person,
            department=department if person is None else None,
            source=form.get("source", "window"),
            received_on=received_on,
            form_key=form_key_or_none(form.get("form_key")),
        )
    except PracticeError as refused:
        errors[refused.field] = str(refused.message)
        return _card_page(values, errors, 400)
    db.session.commit()
    flash(_("Card saved. Thank you: every card is heard."), "success")
    sticky = {
        "source": form.get("source", "window"),
        "department": raw_department,
        "received_on": raw_day,
    }
    return redirect(url_for("practice.new_card", **{k: v for k, v in sticky.items() if v}), 303)


# --- the journal ----------------------------------------------------------------------


def _reflect_page(values: Mapping[str, str], errors: Mapping[str, str], status: int = 200):
    about = values.get("about") or ""
    scenario = drills.published_scenario(about) if about else None
    return (
        render_template(
            "practice/reflect.html",
            values=values,
            errors=errors,
            scenario=scenario,
            form_key=values.get("form_key") or new_form_key(),
            rating_choices=RATING_CHOICES,
            axes=_axes_labels(),
            min_length=reflections.MIN_LENGTH,
            max_length=reflections.MAX_LENGTH,
        ),
        status,
    )


@bp.get("/me/journal/new")
@signed_in
def reflect() -> Any:
    """Write what you will do differently (after a drill: ``?run=<id>``)."""
    values = {"about": "", "run": ""}
    run_id = request.args.get("run", "")
    if run_id.isascii() and run_id.isdigit():
        run = drills.find_run(current_user, int(run_id))
        if run is not None and run.finished_at is not None:
            values = {"about": run.scenario_slug, "run": str(run.id)}
    elif request.args.get("about"):
        values["about"] = request.args.get("about", "")[:100]
    return _reflect_page(values, {})


@bp.post("/me/journal/new")
@signed_in
def write_reflection() -> Any:
    """Save a journal entry."""
    form = request.form
    values = {key: form.get(key, "") for key in form}
    errors: dict[str, str] = {}
    ratings = _ratings(form, "self", errors)
    about = form.get("about", "")[:100] or None
    run_id = None
    raw_run = form.get("run", "")
    if raw_run.isascii() and raw_run.isdigit():
        run = drills.find_run(current_user, int(raw_run))
        if run is not None:
            run_id, about = run.id, run.scenario_slug
    if about is not None and drills.published_scenario(about) is None and run_id is None:
        about = None
    if errors:
        return _reflect_page(values, errors, 400)
    try:
        reflections.write_reflection(
            current_user,
            form.get("text", ""),
            self_ratings=ratings,
            about=about,
            run_id=run_id,
            form_key=form_key_or_none(form.get("form_key")),
        )
    except PracticeError as refused:
        errors[refused.field] = str(refused.message)
        return _reflect_page(values, errors, 400)
    db.session.commit()
    flash(_("Saved in your journal."), "success")
    return redirect(url_for("growth.mine") + "#journal", 303)


# --- refreshers ---------------------------------------------------------------------------


def _module_or_404(discipline: str, slug: str) -> Any:
    module = content.published_module(discipline, slug)
    if module is None or not module.question_count:
        abort(404)
    return module


@bp.get("/me/refreshers/<discipline>/<slug>")
@_writes
@signed_in
def refresher(discipline: str, slug: str) -> Any:
    """A short refresher of a passed module's quiz (the open one, or a new paper)."""
    module = _module_or_404(discipline, slug)
    try:
        attempt = refreshers.open_refresher(current_user, module)
    except refreshers.RefresherUnavailableError:
        abort(404)
    db.session.commit()
    sqlite_begin.set("DEFERRED")
    quiz, paper = refreshers.quiz_and_paper(attempt)
    return render_template(
        "practice/refresher.html",
        module=module,
        attempt=attempt,
        questions=present(quiz, paper),
    )


@bp.post("/me/refreshers/<discipline>/<slug>")
@signed_in
def submit_refresher(discipline: str, slug: str) -> Any:
    """Grade the refresher once; posting it again shows the same result."""
    module = _module_or_404(discipline, slug)
    attempt = refreshers.find_refresher(current_user, request.form.get("attempt", "")) or abort(404)
    if attempt.module_key != module.key:
        abort(400)
    refreshers.submit_refresher(current_user, attempt, request.form)
    db.session.commit()
    return redirect(url_for("practice.refresher_result", token=attempt.token), 303)


@bp.get("/me/refreshers/attempts/<token>")
@signed_in
def refresher_result(token: str) -> Any:
    """A submitted refresher: score, passed or not, the right answers, the next date."""
    attempt = refreshers.find_refresher(current_user, token) or abort(404)
    module = content.published_modules()
    found = next((m for m in module if m.key == attempt.module_key), None)
    if attempt.submitted_at is None:
        if found is None:
            abort(404)
        return redirect(url_for("practice.refresher", discipline=found.discipline, slug=found.slug))
    upcoming = refreshers.next_refresher(current_user, attempt.module_key, utcnow())
    return render_template(
        "practice/refresher_result.html",
        attempt=attempt,
        module=found,
        result=refreshers.result_of(attempt),
        upcoming=upcoming,
    )

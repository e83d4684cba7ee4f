"""Trainers and HR give work with a due date; everyone sees what is assigned to them."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from academy.accounts.queries import all_departments
from academy.assignments import services
from academy.assignments.models import Assignment
from academy.credentials.services import record_audit
from academy.extensions import db
from academy.web.decorators import roles_required
from academy.web.forms import ActionForm, MultiCheckboxField

bp = Blueprint("assign", __name__, url_prefix="/assignments")
assigners = roles_required("trainer", "hr")

KIND_LABELS = {"module": _l("Lesson"), "scenario": _l("Drill"), "certificate": _l("Certificate")}


def _module_url(object_id: str) -> str:
    discipline, _sep, slug = object_id.partition("/")
    return url_for("learn.lesson", discipline=discipline, slug=slug)


#: kind → function giving the page where the assigned work is done (features register).
ITEM_URLS: dict[str, Any] = {"module": _module_url}


@bp.app_template_global()
def assignment_item_url(kind: str, object_id: str) -> str | None:
    """Link to where an assigned item is done, when that page exists."""
    builder = ITEM_URLS.get(kind)
    return builder(object_id) if builder else None


class AssignmentForm(FlaskForm):
    item = SelectField(_l("What"), validators=[DataRequired()], validate_choice=False)
    departments = MultiCheckboxField(_l("Whole departments"), coerce=int, validate_choice=False)
    people = TextAreaField(
        _l("People"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Usernames or employee numbers, separated by commas, spaces or lines."),
    )
    due = DateField(_l("Due date"), validators=[DataRequired()])
    note = TextAreaField(_l("Note for the people"), validators=[Optional(), Length(max=1000)])


def _form() -> AssignmentForm:
    form = AssignmentForm()
    choices = []
    for kind in services.KINDS:
        lister = services.ASSIGNABLES.get(kind)
        if lister is None:
            continue
        for item in lister():
            choices.append(
                SelectChoice(
                    f"{kind}:{item.object_id}", item.title, optgroup=str(KIND_LABELS[kind])
                )
            )
    form.item.choices = choices
    scope = services.scope_department_ids(current_user)
    form.departments.choices = [
        SelectChoice(d.id, d.name) for d in all_departments() if scope is None or d.id in scope
    ]
    if request.method == "GET" and request.args.get("item"):
        form.item.data = request.args["item"]
    return form


@bp.get("/")
@assigners
def index() -> Any:
    """Assignments with progress (trainers: those reaching their departments)."""
    status = request.args.get("status") or None
    rows = services.assignment_rows(current_user, status=status)
    return render_template("assign/index.html", rows=rows, status=status, kinds=KIND_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@assigners
def new() -> Any:
    """Assign a lesson, drill or certificate to departments or people with a due date."""
    form = _form()
    if request.method == "POST":
        valid = form.validate_on_submit()
        kind, _sep, object_id = (form.item.data or "").partition(":")
        people = re.split(r"[\s,，、;；]+", form.people.data or "")
        departments = form.departments.data if not form.departments.errors else []
        if "csrf_token" not in form.errors:
            # Name every invalid field at once: the form's own checks and the rules.
            for problem in services.assignment_problems(
                current_user,
                kind=kind,
                object_id=object_id,
                due=form.due.data if not form.due.errors else None,
                department_ids=departments or [],
                usernames=people,
            ):
                field = getattr(form, problem.field, form.item)
                if not field.errors:
                    field.errors = [*field.errors, str(problem.message)]
        if valid and not form.errors:
            assignment = services.assign(
                current_user,
                kind=kind,
                object_id=object_id,
                due=form.due.data,
                department_ids=departments or [],
                usernames=people,
                note=form.note.data,
            )
            audit_assignment("assign", assignment)
            db.session.commit()
            flash(
                _(
                    "Assigned to %(n)d people, due %(due)s.",
                    n=len(assignment.targets),
                    due=form.due.data.isoformat(),
                ),
                "success",
            )
            return redirect(url_for("assign.detail", assignment_id=assignment.id))
    status = 422 if form.errors else 200
    return render_template("assign/new.html", form=form), status


def audit_assignment(action: str, assignment: Assignment) -> None:
    """Note who assigned or withdrew what in the audit log (admins read it)."""
    record_audit(
        current_user,
        action,
        detail={
            "assignment": assignment.id,
            "kind": assignment.kind,
            "object_id": assignment.object_id,
            "title": assignment.title,
            "people": len(assignment.targets),
            "due": assignment.due_at.isoformat(),
        },
    )


def _visible(assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id) or abort(404)
    return assignment


@bp.get("/<int:assignment_id>")
@assigners
def detail(assignment_id: int) -> Any:
    """Who has done it, who has not, who is late."""
    assignment = _visible(assignment_id)
    targets = services.targets_of(assignment, current_user)
    if not targets:
        abort(404)  # nothing of it reaches this trainer's departments
    return render_template(
        "assign/detail.html",
        assignment=assignment,
        targets=targets,
        now=services.utcnow(),
        form=ActionForm(),
        kinds=KIND_LABELS,
    )


@bp.post("/<int:assignment_id>/cancel")
@assigners
def cancel(assignment_id: int) -> Any:
    """Withdraw the open part of an assignment (asks for confirmation first)."""
    assignment = _visible(assignment_id)
    if not services.targets_of(assignment, current_user):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.cancel(current_user, assignment)
    audit_assignment("withdraw_assignment", assignment)
    db.session.commit()
    flash(_("Assignment withdrawn."), "success")
    return redirect(url_for("assign.detail", assignment_id=assignment.id))

"""Administrators manage people, departments and published content."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from academy.accounts import queries, services
from academy.accounts.models import Department, User
from academy.assignments import services as assignments
from academy.catalog.sync import sync_content
from academy.extensions import db
from academy.web.decorators import roles_required
from academy.web.forms import ActionForm, DepartmentForm, UserForm, role_choices
from academy.web.pagination import paginate

logger = logging.getLogger(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = roles_required("admin")


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.get("/users")
@admin_only
def users() -> Any:
    """Everyone, filtered by role, department, activity or a search, 50 a page."""
    role = request.args.get("role") or None
    active_arg = request.args.get("active")
    active = {"1": True, "0": False}.get(active_arg or "")
    query = queries.user_list_query(
        role=role,
        department_id=_int_arg("department"),
        search=request.args.get("q") or None,
        active=active,
    )
    page = paginate(query)
    return render_template(
        "admin/users.html",
        page=page,
        departments=queries.all_departments(),
        roles=role_choices(),
        filters=request.args,
    )


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user) if user is not None and request.method == "GET" else UserForm()
    form.role.choices = role_choices()
    form.department.choices = [SelectChoice("", _("(none)"))] + [
        SelectChoice(d.name, d.name) for d in queries.all_departments()
    ]
    form.coached.choices = [SelectChoice(d.id, d.name) for d in queries.all_departments()]
    if user is not None and request.method == "GET":
        form.department.data = user.department.name if user.department else ""
        form.coached.data = sorted(assignments.coached_department_ids(user))
    return form


def _user_input(form: UserForm) -> services.UserInput:
    return services.UserInput(
        username=form.username.data or "",
        display_name=form.display_name.data or "",
        role=form.role.data or "employee",
        department=form.department.data or None,
        employee_no=form.employee_no.data or None,
        email=form.email.data or None,
    )


def _name_every_problem(form: UserForm, existing: User | None) -> None:
    """Add the account rules' problems to the form's own, so every bad field is named at once."""
    if "csrf_token" in form.errors:
        return
    problems, _department = services.user_input_problems(_user_input(form), existing=existing)
    if form.password.data and not form.password.errors:
        try:
            services.check_password_policy(form.password.data)
        except services.AccountError as exc:
            problems.append(exc)
    for problem in problems:
        field = getattr(form, problem.field, form.username)
        if not field.errors:
            field.errors = [*field.errors, str(problem.message)]


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def new_user() -> Any:
    """Create a user; with no password typed, one is generated and shown once."""
    form = _user_form()
    valid = form.validate_on_submit()
    if request.method == "POST":
        _name_every_problem(form, None)
    if valid and not form.errors:
        password = form.password.data or services.generate_password()
        try:
            user = services.create_user(_user_input(form), password, actor=current_user)
        except services.AccountError as exc:
            getattr(form, exc.field, form.username).errors.append(str(exc.message))
        else:
            user.active = form.active.data
            if user.role == "trainer":
                assignments.set_trainer_departments(user, form.coached.data or [])
            db.session.commit()
            if form.password.data:
                flash(_("User %(name)s created.", name=user.username), "success")
            else:
                flash(
                    _(
                        "User %(name)s created. Their password (shown once): %(password)s",
                        name=user.username,
                        password=password,
                    ),
                    "success",
                )
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def edit_user(user_id: int) -> Any:
    """Change a user; a typed password replaces theirs and ends their sessions."""
    user = db.session.get(User, user_id) or abort(404)
    form = _user_form(user)
    valid = form.validate_on_submit()
    if request.method == "POST":
        _name_every_problem(form, user)
    if valid and not form.errors:
        try:
            services.update_user(
                user, _user_input(form), active=form.active.data, actor=current_user
            )
            if user.role == "trainer":
                assignments.set_trainer_departments(user, form.coached.data or [])
            if form.password.data:
                services.set_password(user, form.password.data, actor=current_user)
        except services.AccountError as exc:
            db.session.rollback()
            getattr(form, exc.field, form.username).errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("User %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.route("/departments", methods=["GET", "POST"])
@admin_only
def departments() -> Any:
    """List departments with head counts; add a new one."""
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            services.create_department(form.name.data or "")
        except services.AccountError as exc:
            form.name.errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("Department %(name)s added.", name=form.name.data.strip()), "success")
            return redirect(url_for("admin.departments"))
    status = 422 if form.errors else 200
    return (
        render_template(
            "admin/departments.html",
            form=form,
            rows=queries.departments_with_counts(),
            action=ActionForm(),
        ),
        status,
    )


@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@admin_only
def edit_department(department_id: int) -> Any:
    """Rename a department."""
    department = db.session.get(Department, department_id) or abort(404)
    form = DepartmentForm(obj=department) if request.method == "GET" else DepartmentForm()
    if form.validate_on_submit():
        try:
            services.rename_department(department, form.name.data or "")
        except services.AccountError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("Department renamed."), "success")
            return redirect(url_for("admin.departments"))
    status = 422 if form.errors else 200
    return (
        render_template(
            "admin/department_form.html", form=form, department=department, action=ActionForm()
        ),
        status,
    )


@bp.post("/departments/<int:department_id>/delete")
@admin_only
def delete_department(department_id: int) -> Any:
    """Delete an empty department (the page asks for confirmation first)."""
    department = db.session.get(Department, department_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.delete_department(department)
    except services.AccountError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("Department deleted."), "success")
    return redirect(url_for("admin.departments"))


@bp.route("/content", methods=["GET", "POST"])
@admin_only
def content() -> Any:
    """Sync content files into the database and show what happened."""
    form = ActionForm()
    report = None
    if form.validate_on_submit():
        report = sync_content(
            current_app.config["COURSES_DIR"], current_app.config["SCENARIOS_DIR"]
        )
        db.session.commit()
        logger.info("content synced by %s: %s", current_user.username, report.summary())
        flash(_("Content synced: %(summary)s", summary=report.summary()), "success")
    from academy.catalog.queries import published_modules

    return render_template(
        "admin/content.html", form=form, report=report, modules=published_modules()
    )

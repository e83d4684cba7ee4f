"""The HR desk: who holds which certificate, by department; revocation; the CSV export.

HR and admins see everyone; trainers get the same pages read-only, limited to
their departments. Everything but revoking and reinstating is read-only
(assignments are given in the Assignments area). Lists read the materialised
`certificate_states` (see `academy.reports.certifications`), so each page
costs the same few queries whatever the number of employees.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from academy.accounts.models import Department, User
from academy.assignments import services as assignments
from academy.credentials import rules as published_rules
from academy.credentials import services
from academy.credentials.models import Certificate
from academy.extensions import db
from academy.progress.models import Statement
from academy.reports import certifications as reports
from academy.web.decorators import roles_required

bp = Blueprint("hr", __name__, url_prefix="/hr")
desk = roles_required("trainer", "hr")
hr_only = roles_required("hr")

TIMELINE_PAGE = 25


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (kept in the audit log, not shown publicly)"),
        validators=[DataRequired(message=_l("Give a reason.")), Length(max=1000)],
    )
    dependents = BooleanField(_l("Also revoke the certificates that depend on it"), default=True)


class ReinstateForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for reinstating"),
        validators=[DataRequired(message=_l("Give a reason.")), Length(max=1000)],
    )


def _scope() -> frozenset[int] | None:
    scope = assignments.scope_department_ids(current_user)
    return None if scope is None else frozenset(scope)


def _titles() -> dict[str, str]:
    return services.certificate_titles()


def _departments(scope: frozenset[int] | None) -> list[Department]:
    query = select(Department).order_by(Department.name)
    if scope is not None:
        query = query.where(Department.id.in_(scope or {-1}))
    return list(db.session.scalars(query))


@bp.get("/")
@desk
def matrix() -> Any:
    """Departments × certificates: how many people are in each status (each a link)."""
    scope = _scope()
    titles = _titles()
    now = reports.now()
    table = reports.matrix(list(titles), scope, now)
    return render_template(
        "hr/matrix.html",
        table=table,
        titles=titles,
        statuses=reports.STATUSES,
        scope=scope,
        departments=_departments(scope) if scope is not None else [],
    )


@bp.get("/people")
@desk
def people() -> Any:
    """Employees × certificates, filtered, sorted and paginated."""
    scope = _scope()
    titles = _titles()
    filters = reports.parse_filters(request.args, list(titles), scope)
    query = reports.rows_query(filters, list(titles), reports.now())
    number = request.args.get("page", "1")
    page = reports.paginate(
        query, int(number) if number.isdigit() else 1, current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "hr/people.html",
        page=page,
        filters=filters,
        titles=titles,
        statuses=reports.FILTER_STATUSES,
        departments=_departments(scope),
        sorts=reports.SORTS,
    )


@bp.get("/certifications.csv")
@desk
def export_csv() -> Any:
    """The filtered list as CSV (streamed; UTF-8 with BOM so Excel reads Chinese names)."""
    scope = _scope()
    titles = _titles()
    filters = reports.parse_filters(request.args, list(titles), scope)
    now = reports.now()
    query = reports.rows_query(filters, list(titles), now)

    def generate() -> Any:
        yield from reports.csv_chunks(reports.stream_rows(query), titles)

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    stamp = reports.local_date(now)
    response.headers["Content-Disposition"] = f'attachment; filename="certifications-{stamp}.csv"'
    return response


def _person_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or not assignments.can_see_user(current_user, person):
        abort(404)
    return person


def _person_page(person: User, forms: dict[str, Any] | None = None, status: int = 200) -> Any:
    view = services.person_view(person)
    rules = published_rules.published()
    titles = _titles()
    work = assignments.my_assignments(person, include_done_days=3650)
    timeline = db.paginate(
        select(Statement)
        .where(Statement.actor_id == person.id)
        .order_by(Statement.timestamp.desc(), Statement.id.desc()),
        per_page=TIMELINE_PAGE,
        error_out=False,
    )
    modules = {m.key: m.title for m in rules.content.modules}
    scenarios = {s.slug: s.title for s in rules.content.scenarios}
    return (
        render_template(
            "hr/person.html",
            person=person,
            view=view,
            ruleset=rules.ruleset,
            titles=titles,
            work=work,
            timeline=timeline,
            object_titles={"module": modules, "quiz": modules, "scenario": scenarios},
            forms=forms or {},
            can_revoke=current_user.has_role("hr"),
            record_status=services.record_status,
            revoke_form=RevokeForm,
            reinstate_form=ReinstateForm,
            now=reports.now(),
        ),
        status,
    )


@bp.get("/people/<int:user_id>")
@desk
def person(user_id: int) -> Any:
    """One employee: certificates with history, what is missing, assignments, evidence."""
    return _person_page(_person_or_404(user_id))


def _record_or_404(code: str) -> Certificate:
    record = services.find_by_code(code)
    if record is None or not assignments.can_see_user(current_user, record.user):
        abort(404)
    return record


def _back_to_card(record: Any) -> Any:
    """Back to the person's page scrolled to the certificate, the confirmation inside it."""
    target = url_for("hr.person", user_id=record.user_id, changed=record.certificate_id)
    return redirect(f"{target}#cert-{record.certificate_id}")


@bp.post("/certificates/<code>/revoke")
@hr_only
def revoke(code: str) -> Any:
    """Revoke a certificate (with a reason): invalid everywhere at once, audited."""
    record = _record_or_404(code)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _person_page(record.user, {f"revoke-{code}": form}, 422)
    try:
        revoked = services.revoke(
            current_user, record, form.reason.data or "", dependents=bool(form.dependents.data)
        )
    except services.CredentialError as exc:
        form.reason.errors = [str(exc)]
        return _person_page(record.user, {f"revoke-{code}": form}, 422)
    db.session.commit()
    flash(
        _("Revoked: %(titles)s.", titles="、".join(dict.fromkeys(r.title for r in revoked))),
        "inline",
    )
    return _back_to_card(record)


@bp.post("/certificates/<code>/reinstate")
@hr_only
def reinstate(code: str) -> Any:
    """Reinstate a revoked certificate (with a reason), audited."""
    record = _record_or_404(code)
    form = ReinstateForm()
    if not form.validate_on_submit():
        return _person_page(record.user, {f"reinstate-{code}": form}, 422)
    try:
        restored = services.reinstate(current_user, record, form.reason.data or "")
    except services.CredentialError as exc:
        form.reason.errors = [str(exc)]
        return _person_page(record.user, {f"reinstate-{code}": form}, 422)
    db.session.commit()
    flash(
        _("Reinstated: %(titles)s.", titles="、".join(dict.fromkeys(r.title for r in restored))),
        "inline",
    )
    return _back_to_card(record)


#: (verb, object type) of a ledger statement → how the evidence timeline names it.
EVIDENCE_LABELS = {
    ("experienced", "module"): _l("Opened the lesson"),
    ("completed", "module"): _l("Completed the lesson"),
    ("passed", "quiz"): _l("Passed the quiz"),
    ("failed", "quiz"): _l("Did not pass the quiz"),
    ("completed", "scenario"): _l("Finished the drill"),
    ("earned", "certificate"): _l("Earned the certificate"),
    ("revoked", "certificate"): _l("Certificate revoked"),
    ("observed", "observation"): _l("Observed at work"),
    ("rated", "feedback_card"): _l("Feedback card"),
    ("reflected", "reflection"): _l("Reflection"),
}


@bp.app_template_global()
def evidence_label(verb: str, object_type: str) -> str:
    """A ledger statement's kind, in the reader's language."""
    label = EVIDENCE_LABELS.get((verb, object_type))
    return str(label) if label is not None else f"{verb} {object_type}"

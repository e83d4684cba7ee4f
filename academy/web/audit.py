"""Administrators read the audit log: who revoked, reinstated or assigned what, when and why."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased, joinedload

from academy.accounts.models import User
from academy.credentials.models import AuditLog
from academy.extensions import db
from academy.web.decorators import roles_required

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
COMPANY_TZ = ZoneInfo("Asia/Shanghai")
ACTIONS = ("revoke", "reinstate", "assign", "withdraw_assignment")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=COMPANY_TZ)


def audit_query(args: Any) -> Select:
    """Entries newest first, filtered by action, actor, person and dates (company days)."""
    actor = aliased(User)
    target = aliased(User)
    query = (
        select(AuditLog)
        .outerjoin(actor, actor.id == AuditLog.actor_id)
        .outerjoin(target, target.id == AuditLog.target_user_id)
        .options(joinedload(AuditLog.actor), joinedload(AuditLog.target_user))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )
    action = args.get("action")
    if action in ACTIONS:
        query = query.where(AuditLog.action == action)
    who = (args.get("actor") or "").strip()
    if who:
        query = query.where(or_(actor.username == who.lower(), actor.display_name == who))
    person = (args.get("person") or "").strip()
    if person:
        query = query.where(
            or_(
                target.username == person.lower(),
                target.display_name == person,
                target.employee_no == person,
            )
        )
    since = _day(args.get("from"))
    if since is not None:
        query = query.where(AuditLog.at >= _start_of(since))
    until = _day(args.get("to"))
    if until is not None:
        query = query.where(AuditLog.at < _start_of(until + timedelta(days=1)))
    return query


@bp.get("/")
@roles_required("admin")
def index() -> Any:
    """The audit log, filtered by action, actor, person and dates, 50 a page."""
    page = db.paginate(
        audit_query(request.args), per_page=current_app.config["PAGE_SIZE"], error_out=False
    )
    return render_template("audit/index.html", page=page, actions=ACTIONS, filters=request.args)


ACTION_LABELS = {
    "revoke": _l("Revoked a certificate"),
    "reinstate": _l("Reinstated a certificate"),
    "assign": _l("Assigned work"),
    "withdraw_assignment": _l("Withdrew an assignment"),
}


@bp.app_template_global()
def audit_action_label(action: str) -> str:
    """An audit action in the reader's language."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action

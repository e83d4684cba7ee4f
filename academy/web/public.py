"""Public endpoints: health check, home redirect, language choice."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import text

from academy.extensions import db
from academy.web.decorators import public
from academy.web.forms import LanguageForm
from academy.web.navigation import home_endpoint
from academy.web.urls import is_safe_next

bp = Blueprint("public", __name__)


@bp.get("/healthz")
@public
def healthz() -> Any:
    """200 with {"status": "ok"} when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok")


@bp.get("/")
@public
def home() -> Any:
    """Send each person to the page they start from."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(home_endpoint(current_user.role)))


@bp.post("/language")
@public
def set_language() -> Any:
    """Remember the interface language (cookie, and on the account when signed in)."""
    form = LanguageForm()
    target = request.form.get("next")
    response = redirect(target if is_safe_next(target) else url_for("public.home"))
    if form.validate_on_submit():
        response.set_cookie(
            "lang", form.lang.data, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
            db.session.commit()
    return response

"""Signing in and out, and changing one's own password."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from academy.accounts import services as accounts
from academy.extensions import db, limiter
from academy.web.decorators import public, signed_in
from academy.web.forms import ActionForm, LoginForm, PasswordChangeForm
from academy.web.navigation import home_endpoint
from academy.web.urls import is_safe_next

logger = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["RATELIMIT_LOGIN"]


def _username_key() -> str:
    return "login-user:" + accounts.normalise_username(request.form.get("username", ""))[:64]


def _failed(response: Any) -> bool:
    # Only failed attempts count against the limit: a successful login redirects.
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_username_key, deduct_when=_failed)
def login() -> Any:
    """The login form; on success go to `next` (same site only) or the home page."""
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = LoginForm()
    next_url = request.args.get("next") or request.form.get("next")
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data or "", form.password.data or "")
        if user is None:
            logger.info("failed login for %r from %s", form.username.data, request.remote_addr)
            form.password.errors.append(_("Wrong username or password."))
            return render_template("auth/login.html", form=form, next=next_url), 401
        db.session.commit()
        login_user(user)
        logger.info("login %s", user.username)
        if is_safe_next(next_url):
            return redirect(next_url)
        return redirect(url_for(home_endpoint(user.role)))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form, next=next_url), status


@bp.post("/logout")
@signed_in
def logout() -> Any:
    """Sign out (POST with a CSRF token, so no other site can sign you out)."""
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("public.home"))
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password() -> Any:
    """Change one's own password; other sessions of this account end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if accounts.authenticate(current_user.username, form.current.data or "") is None:
            form.current.errors.append(_("This is not your current password."))
        else:
            try:
                accounts.set_password(current_user, form.password.data or "")
            except accounts.AccountError as exc:
                form.password.errors.append(str(exc.message))
            else:
                db.session.commit()
                # Keep this session under the new version (pass the user, not the proxy).
                login_user(current_user._get_current_object())
                flash(_("Your password is changed."), "success")
                return redirect(url_for("public.home"))
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form), status

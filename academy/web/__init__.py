"""The web layer: blueprints by audience, security headers, errors, i18n."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from flask import Flask, g, has_request_context, render_template, request
from flask_babel import format_datetime, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import HTTPException

from academy.extensions import babel, db, login_manager, sqlite_begin
from academy.web.navigation import nav_groups

CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SUPPORTED_LOCALES = ("zh_Hans", "en")


def select_locale() -> str:
    """The user's choice, else the browser's preference, else Simplified Chinese.

    Outside a request (command line), follow the shell's ``LANG``.
    """
    if not has_request_context():
        return "zh_Hans" if os.environ.get("LANG", "").startswith("zh") else "en"
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    chosen = request.cookies.get("lang")
    if chosen in SUPPORTED_LOCALES:
        return chosen
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-Hans", "en"])
    if best and best.startswith("en"):
        return "en"
    return "zh_Hans"


def init_web(app: Flask) -> None:
    """Register blueprints, login loader, i18n, headers and error pages."""
    babel.init_app(app, locale_selector=select_locale, default_locale="zh_Hans")
    _install_fast_gettext(app)

    @login_manager.user_loader
    def load_user(user_id: str) -> Any:
        from academy.accounts.models import User

        ident, _, version = user_id.partition(":")
        if not ident.isdigit():
            return None
        # The department shows in every page's header: load it with the user.
        user = db.session.get(User, int(ident), options=[joinedload(User.department)])
        if user is None or not user.active or str(user.session_version) != version:
            return None
        return user

    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    from academy.web import (
        admin,
        assign,
        audit,
        auth,
        certificates,
        drills,
        hr,
        learn,
        me,
        public,
        quiz,
        verify,
    )

    for module in (public, auth, me, learn, quiz, drills, assign, admin):
        app.register_blueprint(module.bp)
    for module in (certificates, verify, hr, audit):
        app.register_blueprint(module.bp)
    # studio_drill and studio_quiz add their routes to studio.bp.
    from academy.web import (  # noqa: F401
        growth,
        handouts,
        points,
        practice,
        search,
        studio,
        studio_drill,
        studio_quiz,
    )

    for module in (growth, practice, points, handouts, studio, search):
        app.register_blueprint(module.bp)

    @app.before_request
    def _begin_mode() -> None:
        # Writers take SQLite's write lock up front and queue on the busy timeout.
        # Always set (and reset at teardown): server threads are reused.
        reads_only = request.method in ("GET", "HEAD", "OPTIONS")
        g._sqlite_token = sqlite_begin.set("DEFERRED" if reads_only else "IMMEDIATE")

    @app.teardown_request
    def _reset_begin_mode(_exc: BaseException | None) -> None:
        token = g.pop("_sqlite_token", None)
        if token is not None:
            sqlite_begin.reset(token)

    @app.after_request
    def _security_headers(response: Any) -> Any:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.endpoint != "static" and "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-store" if current_user.is_authenticated else "no-cache"
        return response

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        return {
            "csrf_token_value": generate_csrf,
            "current_locale": lambda: str(get_locale()),
            "nav_groups": nav_groups,
        }

    @app.template_filter("datetime")
    def _format_datetime(value: datetime | None, fmt: str = "medium") -> str:
        return format_datetime(value, fmt) if value else "—"

    @app.template_filter("date")
    def _format_date(value: datetime | None) -> str:
        from flask_babel import format_date

        return format_date(value, "medium") if value else "—"

    def _error(exc: HTTPException) -> Any:
        return render_template("errors/error.html", error=exc), exc.code

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> Any:
        return render_template("errors/error.html", error=exc, csrf=True), 400

    for code in (400, 403, 404, 405, 413, 422, 429):
        app.register_error_handler(code, _error)

    @app.errorhandler(500)
    def _server_error(exc: Any) -> Any:
        db.session.rollback()
        return render_template("errors/error.html", error=None), 500


def _translations() -> Any:
    """This request's translations, looked up once (Flask-Babel looks them up per string)."""
    translations = g.get("_academy_translations")
    if translations is None:
        translations = g._academy_translations = get_translations()
    return translations


def _install_fast_gettext(app: Flask) -> None:
    """Templates call gettext dozens of times a page: resolve the catalogue once per request."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )

"""Public proof: the verification page, Open Badges documents and badge images.

Reachable without signing in. The verification page shows the holder's
display name, the certificate, its dates and whether it is valid, expired or
revoked: nothing else personal. Every ``/verify/…`` request counts against a
per-address rate limit, so codes cannot be enumerated.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale

from academy.credentials import badges, services
from academy.credentials import rules as published_rules
from academy.extensions import limiter
from academy.web.certificates import requirement_text, site_url
from academy.web.decorators import public

bp = Blueprint("verify", __name__)


def _verify_limit() -> str:
    return current_app.config.get("RATELIMIT_VERIFY", "30 per minute")


#: One budget for every /verify/… request (page and JSON together), per client address.
verify_limit = limiter.shared_limit(_verify_limit, scope="verify")


def badge_urls() -> badges.BadgeUrls:
    """Absolute URLs of the Open Badges documents on this server."""
    site = site_url()
    return badges.BadgeUrls(
        assertion=lambda code: site + url_for("verify.assertion", code=code),
        badge_class=lambda cid: site + url_for("verify.badge_class", certificate_id=cid),
        image=lambda cid: site + url_for("verify.badge_image", certificate_id=cid),
        criteria=lambda cid: site + url_for("verify.criteria", certificate_id=cid),
        issuer=site + url_for("verify.issuer"),
        site=site,
    )


def _json(document: dict[str, Any], status: int = 200) -> Response:
    """A JSON-LD response: application/ld+json, or application/json when only that is asked."""
    accepted = request.accept_mimetypes
    plain = accepted["application/json"] > accepted["application/ld+json"]
    mimetype = "application/json" if plain else "application/ld+json"
    response = Response(
        json.dumps(document, ensure_ascii=False, indent=2), status=status, mimetype=mimetype
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/verify/<code>")
@public
@verify_limit
def show(code: str) -> Any:
    """Is this certificate genuine and valid? (name, certificate, dates, status)."""
    record = services.find_by_code(code)
    if record is None:
        return render_template("verify/unknown.html"), 404
    return render_template(
        "verify/show.html",
        record=record,
        status=services.record_status(record),
        holder=record.user.display_name,
    )


@bp.get("/verify/<code>.json")
@public
@verify_limit
def assertion(code: str) -> Any:
    """The Open Badges 2.0 hosted Assertion (410 Gone with revoked: true when revoked)."""
    record = services.find_by_code(code)
    if record is None:
        return _json({"error": "not found"}, 404)
    urls = badge_urls()
    if record.revoked_at is not None:
        return _json(badges.revoked_assertion(record.code, urls, record.revoked_at), 410)
    user = record.user
    return _json(
        badges.assertion(
            code=record.code,
            certificate_id=record.certificate_id,
            issued_at=record.issued_at,
            expires_at=record.expires_at,
            email=user.email,
            username=user.username,
            salt=record.salt,
            urls=urls,
            verify_page=site_url() + url_for("verify.show", code=record.code),
        )
    )


def _rule_or_404(certificate_id: str) -> Any:
    ruleset = published_rules.published().ruleset
    if ruleset is None or certificate_id not in ruleset.certificates:
        abort(404)
    return ruleset.certificate(certificate_id)


@bp.get("/badges/<certificate_id>.json")
@public
def badge_class(certificate_id: str) -> Any:
    """The BadgeClass of a certificate (stable URL)."""
    rule = _rule_or_404(certificate_id)
    # The same document whoever asks: criteria in the company's language.
    with force_locale("zh_Hans"):
        lines = [f"- {requirement_text(r)}" for r in rule.requirements]
        narrative = "\n".join(lines)
    return _json(badges.badge_class(rule, narrative, badge_urls()))


@bp.get("/badges/<certificate_id>.svg")
@public
def badge_image(certificate_id: str) -> Any:
    """The badge image (SVG)."""
    rule = _rule_or_404(certificate_id)
    response = Response(badges.badge_svg(rule), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/badges/<certificate_id>")
@public
def criteria(certificate_id: str) -> Any:
    """What earns the certificate, in words (the BadgeClass criteria page)."""
    rule = _rule_or_404(certificate_id)
    return render_template("verify/criteria.html", rule=rule)


@bp.get("/badges/issuer.json")
@public
def issuer() -> Any:
    """The issuer Profile."""
    config = current_app.config
    host = request.host.split(":")[0]
    return _json(
        badges.issuer(
            name=config.get("BADGE_ISSUER_NAME") or "服务修炼学院 · Service Academy",
            email=config.get("BADGE_ISSUER_EMAIL") or f"training@{host}",
            urls=badge_urls(),
        )
    )

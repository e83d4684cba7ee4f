"""My certificates: what I hold, what I still lack, the printable certificate and its PDF.

HR and admins can open anyone's certificate pages, trainers those of the
people in their departments. Helpers shared with the HR desk and the public
verification pages (links to what is missing, requirement sentences, the
site's absolute address, the QR code) live here too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.routing import BuildError

from academy.assignments import services as assignments
from academy.certification import ContentRef, MissingItem, Requirement
from academy.credentials import printing, services
from academy.credentials import rules as published_rules
from academy.credentials.models import Certificate, CertificateState
from academy.extensions import db
from academy.timeutil import utcnow
from academy.web.assign import ITEM_URLS
from academy.web.decorators import signed_in

bp = Blueprint("certificates", __name__, url_prefix="/me/certificates")
COMPANY_TZ = ZoneInfo("Asia/Shanghai")

#: Status of a certificate (or of one period) → label shown to people.
STATUS_LABELS = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "certified": _l("Valid"),
    "expiring": _l("Expiring soon"),
    "expired": _l("Expired"),
    "revoked": _l("Revoked"),
    "valid": _l("Valid"),
    "pending": _l("Valid from a later date"),
}


# --- helpers shared with the HR desk and verification ------------------------------------


def site_url() -> str:
    """This server's absolute address without a trailing slash (``PUBLIC_BASE_URL`` wins)."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    return (configured or request.host_url).rstrip("/")


def verify_url(code: str) -> str:
    """The absolute public verification URL of a certificate."""
    return site_url() + url_for("verify.show", code=code)


def _build(endpoint: str, **values: Any) -> str | None:
    try:
        return url_for(endpoint, **values)
    except BuildError:  # the feature's pages are not installed
        return None


def _module_link(key: str) -> str | None:
    discipline, _sep, slug = key.partition("/")
    return _build("learn.lesson", discipline=discipline, slug=slug)


#: ContentRef kind → page where it is done (a registry: features may add kinds).
CONTENT_URLS: dict[str, Callable[[str], str | None]] = {
    "module": _module_link,
    "quiz": lambda key: _build(
        "quiz.take", discipline=key.partition("/")[0], slug=key.partition("/")[2]
    ),
    "scenario": lambda slug: _build("drills.scenario", slug=slug),
    "certificate": lambda cid: _build("certificates.index") + f"#cert-{cid}",
}


@bp.app_template_global()
def content_url(ref: ContentRef) -> str | None:
    """Link to where a missing item is done."""
    builder = CONTENT_URLS.get(ref.kind)
    return builder(ref.key) if builder else None


def _discipline(key: str | None) -> str:
    names = {
        "look": _("Look"),
        "listen": _("Listen"),
        "smile": _("Smile"),
        "speak": _("Speak"),
        "act": _("Act"),
    }
    return names.get(key or "", key or "")


def _req_modules(req: Any) -> str:
    return _("Complete every lesson of %(discipline)s", discipline=_discipline(req.discipline))


def _req_quizzes(req: Any) -> str:
    return _(
        "Pass every quiz of %(discipline)s at its pass mark", discipline=_discipline(req.discipline)
    )


def _number(value: float | None) -> str:
    """A score without a needless decimal part (80, 72.5)."""
    return f"{value or 0:g}"


def _req_drills(req: Any) -> str:
    if req.min_score is not None:
        return _(
            "Pass %(count)d different drills exercising %(discipline)s with a score of at least "
            "%(score)s",
            count=req.count,
            discipline=_discipline(req.discipline),
            score=_number(req.min_score),
        )
    return _(
        "Pass %(count)d different drills exercising %(discipline)s",
        count=req.count,
        discipline=_discipline(req.discipline),
    )


def _req_held(req: Any) -> str:
    titles = services.certificate_titles()
    names = "、".join(titles.get(c, c) for c in req.certificates)
    return _("Hold a valid certificate for each of: %(names)s", names=names)


def _req_observation(req: Any) -> str:
    return _("A trainer's field observation")


#: Requirement kind → translated sentence (a registry, like the requirement kinds).
REQUIREMENT_TEXT: dict[str, Callable[[Any], str]] = {
    "modules_completed": _req_modules,
    "quizzes_passed": _req_quizzes,
    "drills_passed": _req_drills,
    "certificates_held": _req_held,
    "observation": _req_observation,
}


@bp.app_template_global()
def requirement_text(requirement: Requirement) -> str:
    """One requirement of a certificate rule, as a sentence in the reader's language."""
    describe = REQUIREMENT_TEXT.get(requirement.kind)
    return describe(requirement) if describe else requirement.describe()


@bp.app_template_global()
def certificate_status_label(status: str) -> str:
    """A certificate status in the reader's language."""
    return str(STATUS_LABELS.get(status, status))


@bp.app_template_global()
def missing_text(item: MissingItem) -> str:
    """What one missing item asks, without its links (the template adds those)."""
    mark = _number(item.min_score)
    if item.action == "complete_lesson":
        return _("Complete the lesson")
    if item.action == "pass_quiz":
        if item.best_score is not None:
            best = _number(item.best_score)
            return _(
                "Pass the quiz with at least %(mark)s (best so far: %(best)s)", mark=mark, best=best
            )
        return _("Pass the quiz with at least %(mark)s", mark=mark)
    if item.action == "pass_drills":
        if item.min_score is not None:
            return _(
                "Pass %(count)d more drill(s) with a score of at least %(score)s, for example",
                count=item.count,
                score=mark,
            )
        return _("Pass %(count)d more drill(s), for example", count=item.count)
    if item.action == "hold_certificate":
        return _("Hold a valid certificate")
    if item.action == "be_observed":
        return _("A trainer's field observation (not recorded in the app yet)")
    return _("Not available yet: no published content can meet this requirement")


@bp.app_template_global()
def local_date(value: datetime | None) -> str:
    """A date in the company's time zone, formatted for the reader."""
    if value is None:
        return "—"
    return format_date(value.astimezone(COMPANY_TZ).date(), "medium")


def qr_svg(url: str) -> Markup:
    """A QR code for `url` as inline SVG (made here from our own data: safe to embed)."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        scale=4,
        border=2,
        dark="#000",
        light="#fff",
        omitsize=True,
        svgclass="certificate__qr",
        title=_("QR code of the verification address"),
    )
    return Markup(svg)  # noqa: S704 - generated by segno from an escaped URL


def can_view(record: Certificate) -> bool:
    """The holder, HR and admins, and trainers of the holder's department."""
    return assignments.can_see_user(current_user, record.user)


def _record_or_404(code: str) -> Certificate:
    record = services.find_by_code(code)
    if record is None:
        abort(404)
    if not can_view(record):
        abort(403)
    return record


# --- certificate summary on the dashboard ------------------------------------------------


@bp.app_template_global()
def certificate_summary(user: Any) -> dict[str, Any]:
    """Counts for the dashboard: held (valid), expiring, total, the closest to complete."""
    titles = services.certificate_titles()
    if not titles:
        return {"total": 0}
    states = {
        s.certificate_id: s
        for s in db.session.scalars(
            select(CertificateState).where(CertificateState.user_id == user.id)
        )
        if s.certificate_id in titles
    }
    now = utcnow()
    held = expiring = 0
    closest: tuple[float, str, CertificateState] | None = None
    for cid in titles:
        state = states.get(cid)
        if state is None:
            continue
        if state.status == "certified" and state.valid_until and state.valid_until > now:
            held += 1
            if state.renewal_opens_at and state.renewal_opens_at <= now:
                expiring += 1
        elif state.status == "in_progress" and state.total:
            share = state.done / state.total
            if closest is None or share > closest[0]:
                closest = (share, cid, state)
    return {
        "total": len(titles),
        "held": held,
        "expiring": expiring,
        "next": (titles[closest[1]], closest[2]) if closest else None,
    }


# --- pages -----------------------------------------------------------------------------


@bp.get("/")
@signed_in
def index() -> Any:
    """Held certificates with their dates, and a checklist of what is missing for the rest."""
    view = services.person_view(current_user)
    rules = published_rules.published()
    return render_template(
        "certificates/index.html",
        view=view,
        ruleset=rules.ruleset,
        now=utcnow(),
        record_status=services.record_status,
    )


def _print_context(record: Certificate) -> dict[str, Any]:
    ruleset = published_rules.published().ruleset
    rule = ruleset.certificates.get(record.certificate_id) if ruleset else None
    url = verify_url(record.code)
    return {
        "record": record,
        "status": services.record_status(record),
        "holder": record.user.display_name,
        "description": rule.description if rule else "",
        "verify_url": url,
    }


@bp.get("/<code>")
@signed_in
def show(code: str) -> Any:
    """The printable certificate (A4 landscape when printed) with its verification QR code."""
    record = _record_or_404(code)
    context = _print_context(record)
    return render_template("certificates/show.html", qr=qr_svg(context["verify_url"]), **context)


def _long_date(value: datetime) -> str:
    return format_date(value.astimezone(COMPANY_TZ).date(), "long")


@bp.get("/<code>.pdf")
@signed_in
def pdf(code: str) -> Any:
    """The certificate as a PDF (A4 landscape, Chinese font embedded)."""
    record = _record_or_404(code)
    context = _print_context(record)
    try:
        font = printing.find_cjk_font(current_app.config.get("CERTIFICATE_FONT"))
    except printing.FontMissingError:
        return render_template("certificates/no_font.html", packages=printing.PACKAGES), 503
    status = context["status"]
    note = {"revoked": _("REVOKED"), "expired": _("EXPIRED")}.get(status)
    text = printing.CertificateText(
        heading=_("Certificate of qualification"),
        heading_en="CERTIFICATE OF QUALIFICATION",
        issuer=current_app.config.get("BADGE_ISSUER_NAME") or "服务修炼学院 · Service Academy",
        preamble=_("This certifies that"),
        name=context["holder"],
        achievement=_("has met every requirement and holds the"),
        title=record.title,
        title_en=record.title_en,
        description=context["description"],
        dates=[
            (_("Issued on"), _long_date(record.issued_at)),
            (_("Valid from"), _long_date(record.starts_at)),
            (_("Valid until"), _long_date(record.expires_at)),
        ],
        code_label=_("Certificate code"),
        code=record.code,
        verify_label=_("Scan or open this address to verify"),
        verify_url=context["verify_url"],
        status_note=str(note) if note else None,
    )
    qr = segno.make(context["verify_url"], error="m")
    modules = [[bool(cell) for cell in row] for row in qr.matrix]
    data = printing.certificate_pdf(text, modules, font)
    response = Response(data, mimetype="application/pdf")
    filename = f"certificate-{record.certificate_id}-{record.code[:8]}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


ITEM_URLS["certificate"] = lambda cid: url_for("certificates.index") + f"#cert-{cid}"

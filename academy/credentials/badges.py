"""Open Badges 2.0 documents: hosted Assertion, BadgeClass, issuer Profile, badge image.

Plain builders: the web layer passes the URLs (absolute, one per document) and
serves the results. Spec: https://www.imsglobal.org/spec/ob/v2p0/ (IMS Final
Release, 2018). Choices, documented for HR in ``docs/certificates.md``:

- Verification is ``hosted``: the Assertion's ``id`` is its own URL on this
  server, the BadgeClass and the issuer Profile are served from the same origin.
- The recipient is a salted SHA-256 hash, never the plain value: the person's
  e-mail address when the account has one (lower-cased, trimmed); otherwise
  (``type: url``) the address ``<site>/people/<username>``, which the holder can
  tell a verifier so that the hash can be checked. The salt is random per
  certificate and stored with it.
- A revoked Assertion answers ``410 Gone`` with ``revoked: true`` and a
  generic, public ``revocationReason``; HR's own reason stays in the audit log,
  because it may be personal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from academy.certification import CertificateRule
from academy.vocabulary import DISCIPLINE_CHARS

CONTEXT = "https://w3id.org/openbadges/v2"


@dataclass(frozen=True)
class BadgeUrls:
    """Absolute URLs of the documents, built by the web layer."""

    assertion: Callable[[str], str]  # code → assertion JSON
    badge_class: Callable[[str], str]  # certificate id → BadgeClass JSON
    image: Callable[[str], str]  # certificate id → badge image
    criteria: Callable[[str], str]  # certificate id → human-readable criteria page
    issuer: str
    site: str  # the issuer's home page (no trailing slash)


def timestamp(value: datetime) -> str:
    """An ISO 8601 timestamp in UTC with its zone designator, as the spec asks."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def hashed(value: str, salt: str) -> str:
    """An IdentityHash: ``sha256$`` + hex SHA-256 of value + salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def recipient_identity(email: str | None, username: str, site: str) -> tuple[str, str]:
    """(type, plain identity) of a recipient: the e-mail address, else a profile URL."""
    if email and email.strip():
        return "email", email.strip().lower()
    return "url", f"{site}/people/{username}"


def recipient(email: str | None, username: str, site: str, salt: str) -> dict[str, Any]:
    """The hashed IdentityObject of a recipient."""
    kind, identity = recipient_identity(email, username, site)
    return {"type": kind, "hashed": True, "salt": salt, "identity": hashed(identity, salt)}


def assertion(
    *,
    code: str,
    certificate_id: str,
    issued_at: datetime,
    expires_at: datetime,
    email: str | None,
    username: str,
    salt: str,
    urls: BadgeUrls,
    verify_page: str,
) -> dict[str, Any]:
    """A hosted Assertion of one certificate period."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls.assertion(code),
        "recipient": recipient(email, username, urls.site, salt),
        "badge": urls.badge_class(certificate_id),
        "verification": {"type": "hosted"},
        "issuedOn": timestamp(issued_at),
        "expires": timestamp(expires_at),
        "evidence": verify_page,
    }


def revoked_assertion(code: str, urls: BadgeUrls, revoked_at: datetime) -> dict[str, Any]:
    """What a revoked Assertion answers (with HTTP 410 Gone)."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls.assertion(code),
        "revoked": True,
        "revocationReason": f"Revoked by the issuer on {timestamp(revoked_at)[:10]}.",
    }


def badge_class(rule: CertificateRule, narrative: str, urls: BadgeUrls) -> dict[str, Any]:
    """The BadgeClass of one certificate."""
    tags = [rule.title_en] + ([rule.discipline] if rule.discipline else [])
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": urls.badge_class(rule.id),
        "name": rule.title,
        "description": rule.description or rule.title_en,
        "image": urls.image(rule.id),
        "criteria": {"id": urls.criteria(rule.id), "narrative": narrative},
        "issuer": urls.issuer,
        "tags": tags,
    }


def issuer(*, name: str, email: str, urls: BadgeUrls) -> dict[str, Any]:
    """The issuer Profile."""
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": urls.issuer,
        "name": name,
        "url": urls.site + "/",
        "email": email,
    }


def badge_svg(rule: CertificateRule) -> str:
    """A round medal for the certificate, as a standalone SVG document."""
    mark = DISCIPLINE_CHARS.get(rule.discipline or "", "五")
    colours = {
        "look": "#0b5c8e",
        "listen": "#6b3fa0",
        "smile": "#c2410c",
        "speak": "#1f7a3a",
        "act": "#a11d48",
    }
    colour = colours.get(rule.discipline or "", "#083f62")
    title = escape(rule.title)
    subtitle = escape(rule.title_en)
    font = "'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"
     role="img" aria-label="{title}">
  <title>{title} · {subtitle}</title>
  <circle cx="128" cy="128" r="124" fill="{colour}"/>
  <circle cx="128" cy="128" r="108" fill="none" stroke="#ffffff" stroke-width="4"
          stroke-dasharray="2 6"/>
  <circle cx="128" cy="128" r="92" fill="#ffffff"/>
  <text x="128" y="150" text-anchor="middle" font-size="88" font-weight="700"
        fill="{colour}" font-family="{font}">{mark}</text>
  <text x="128" y="190" text-anchor="middle" font-size="15" fill="{colour}"
        font-family="{font}">合格证</text>
</svg>
"""

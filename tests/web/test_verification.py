"""Public verification: the page, Open Badges 2.0 documents, unknown codes, rate limit."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from credentials_support import ALL, cert_app, certificates_of, record

OB_CONTEXT = "https://w3id.org/openbadges/v2"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """The test app with certification rules published."""
    yield from cert_app(tmp_path)


@pytest.fixture
def holder(app: Any) -> Any:
    """An employee with every personal field filled, holding look, smile and both."""
    from academy.accounts.models import Department, User
    from academy.extensions import db

    with app.app_context():
        department = Department(name="供水车间")
        user = User(
            username="wangqiang",
            display_name="王强",
            role="employee",
            department=department,
            employee_no="D00042",
            email="Wang.Qiang@Example.org ",
            password_hash="x",
        )
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    record(app, user_id, *ALL)
    return {c.certificate_id: c for c in certificates_of(app, user_id)}


def _revoke(app: Any, code: str) -> None:
    from academy.accounts.models import User
    from academy.credentials import services
    from academy.extensions import db

    with app.app_context():
        hr = User(username="hr9", display_name="人事", role="hr", password_hash="x")
        db.session.add(hr)
        db.session.flush()
        services.revoke(hr, services.find_by_code(code), "王强在窗口使用服务忌语（内部理由）")
        db.session.commit()


def test_page_shows_name_certificate_dates_and_validity_only(client, holder):
    """The page says valid, with the display name and dates, and nothing else personal."""
    look = holder["look"]
    response = client.get(f"/verify/{look.code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Valid certificate" in html and "王强" in html and "看 · 修炼合格证" in html
    assert 'data-status="valid"' in html
    for private in ("wangqiang", "D00042", "供水车间", "Wang.Qiang", "example.org"):
        assert private.lower() not in html.lower(), private


def test_revoked_certificate_says_revoked_without_the_internal_reason(app, client, holder):
    """After revocation the page says revoked; HR's reason is not published."""
    _revoke(app, holder["look"].code)
    html = client.get(f"/verify/{holder['look'].code}").get_data(as_text=True)
    assert "Revoked certificate" in html and 'data-status="revoked"' in html
    assert "服务忌语" not in html


def test_expired_certificate_says_expired(app, client, holder):
    """A period past its expiry verifies as expired."""
    from academy.credentials.models import Certificate
    from academy.extensions import db

    smile = holder["smile"]
    with app.app_context():
        record_ = db.session.get(Certificate, smile.id)
        record_.starts_at -= timedelta(days=400)
        record_.expires_at -= timedelta(days=400)
        db.session.commit()
    html = client.get(f"/verify/{smile.code}").get_data(as_text=True)
    assert "Expired certificate" in html and 'data-status="expired"' in html


def test_unknown_code_is_a_friendly_404(client):
    """An unknown code answers 404 with a page that explains what to check."""
    response = client.get("/verify/abcdefghijklmnopqrstuvwx")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "No certificate has this code" in html and "case-sensitive" in html
    assert client.get("/verify/abcdefghijklmnopqrstuvwx.json").status_code == 404


def test_verification_is_rate_limited_per_address(client, holder):
    """More than 30 verification requests a minute from one address get 429."""
    statuses = [client.get(f"/verify/guess{n:04d}").status_code for n in range(30)]
    assert set(statuses) == {404}
    assert client.get(f"/verify/{holder['look'].code}").status_code == 429
    assert client.get(f"/verify/{holder['look'].code}.json").status_code == 429
    other = client.get("/badges/look.json")  # the documents a verifier needs stay reachable
    assert other.status_code == 200


def _documents(client: Any, code: str) -> dict[str, Any]:
    assertion = client.get(f"/verify/{code}.json")
    assert assertion.status_code == 200
    assert assertion.mimetype == "application/ld+json"
    found = {"assertion": assertion.get_json(force=True)}
    found["badge"] = client.get(_path(found["assertion"]["badge"])).get_json(force=True)
    found["issuer"] = client.get(_path(found["badge"]["issuer"])).get_json(force=True)
    return found


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.netloc == "localhost", url
    return parts.path


def _urls(document: Any) -> list[str]:
    if isinstance(document, dict):
        return [u for value in document.values() for u in _urls(value)]
    if isinstance(document, list):
        return [u for value in document for u in _urls(value)]
    if isinstance(document, str) and document.startswith(("http://", "https://")):
        return [document]
    return []


def test_open_badges_documents_have_every_required_field(client, holder):
    """Assertion, BadgeClass and issuer Profile carry the fields OB 2.0 requires."""
    look = holder["look"]
    docs = _documents(client, look.code)
    assertion, badge, issuer = docs["assertion"], docs["badge"], docs["issuer"]
    assert assertion["@context"] == OB_CONTEXT and assertion["type"] == "Assertion"
    assert assertion["id"] == f"http://localhost/verify/{look.code}.json"
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["issuedOn"].endswith("+00:00") and "T" in assertion["issuedOn"]
    assert assertion["expires"] > assertion["issuedOn"]
    recipient = assertion["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    digest = hashlib.sha256(("wang.qiang@example.org" + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == "sha256$" + digest
    assert badge["@context"] == OB_CONTEXT and badge["type"] == "BadgeClass"
    assert badge["id"] == "http://localhost/badges/look.json"
    for key in ("name", "description", "image", "criteria", "issuer"):
        assert badge[key], key
    assert badge["criteria"]["narrative"] and badge["criteria"]["id"]
    assert issuer["@context"] == OB_CONTEXT and issuer["type"] == "Issuer"
    for key in ("id", "name", "url", "email"):
        assert issuer[key], key
    assert "@" in issuer["email"]


def test_every_url_in_the_badge_documents_resolves(client, holder):
    """Each URL in the three documents eventually answers 200 from this app (as OB asks)."""
    docs = _documents(client, holder["both"].code)
    urls = {u for doc in docs.values() for u in _urls(doc)} - {OB_CONTEXT}
    assert len(urls) >= 6, urls
    for url in sorted(urls):
        response = client.get(_path(url), follow_redirects=True)
        assert response.status_code == 200, url
    image = client.get("/badges/both.svg")
    assert image.mimetype == "image/svg+xml"
    ElementTree.fromstring(image.data)  # well-formed SVG


def test_recipient_without_email_is_a_hashed_profile_url(app, client, make_user):
    """No e-mail address: the recipient is the salted hash of <site>/people/<username>."""
    user = make_user(username="lina")
    record(app, user.id, "smile")
    [smile] = certificates_of(app, user.id)
    recipient = client.get(f"/verify/{smile.code}.json").get_json(force=True)["recipient"]
    assert recipient["type"] == "url"
    digest = hashlib.sha256(("http://localhost/people/lina" + smile.salt).encode()).hexdigest()
    assert recipient["identity"] == "sha256$" + digest


def test_revoked_assertion_answers_410_with_revoked_true(app, client, holder):
    """A revoked Assertion is 410 Gone with revoked: true and a public reason."""
    code = holder["look"].code
    _revoke(app, code)
    response = client.get(f"/verify/{code}.json")
    document = json.loads(response.data)
    assert response.status_code == 410
    assert document["revoked"] is True and document["id"].endswith(f"/verify/{code}.json")
    assert document["revocationReason"] and "服务忌语" not in document["revocationReason"]
    # 'both' depended on look: revoked with it.
    assert client.get(f"/verify/{holder['both'].code}.json").status_code == 410


def test_json_when_only_json_is_accepted(client, holder):
    """A client asking only for application/json gets that content type."""
    response = client.get(
        f"/verify/{holder['look'].code}.json", headers={"Accept": "application/json"}
    )
    assert response.mimetype == "application/json"


def test_criteria_page_and_unknown_badge(client):
    """The criteria page lists the requirements; an unknown certificate is 404."""
    html = client.get("/badges/look").get_data(as_text=True)
    assert "Complete every lesson of Look" in html and "Valid for 365 days." in html
    assert client.get("/badges/nope.json").status_code == 404

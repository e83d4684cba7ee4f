"""The employee's certificate pages: held certificates, checklists, printable page, PDF."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from credentials_support import ALL, cert_app, certificates_of, record


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """The test app with certification rules published."""
    yield from cert_app(tmp_path)


def test_checklist_links_to_the_lessons_and_drills_still_missing(auth, client, app):
    """Nothing held yet: each certificate lists what is missing, linked to where it is done."""
    user = auth.login_as("employee")
    record(app, user.id, "look-lessons")
    html = client.get("/me/certificates/").get_data(as_text=True)
    look = html[html.index('id="cert-look"') :].split("</article>", 1)[0]
    assert 'data-status="in_progress"' in look
    assert 'href="/courses/look/first-look/quiz"' in look  # the quiz still to pass
    assert 'href="/scenarios/front-desk"' in look  # a drill that would count
    assert 'first-look"' not in look.split("Pass the quiz")[0].split("cert-missing")[-1]
    smile = html[html.index('id="cert-smile"') :].split("</article>", 1)[0]
    assert 'href="/courses/smile/one-metre"' in smile and 'data-status="not_started"' in smile
    both = html[html.index('id="cert-both"') :].split("</article>", 1)[0]
    assert 'href="/me/certificates/#cert-look"' in both
    assert "You do not hold a certificate yet" in html


def test_earned_certificates_show_dates_and_links(auth, client, app):
    """Held certificates show validity and link to the printable page and the PDF."""
    user = auth.login_as("employee")
    record(app, user.id, *ALL)
    codes = {c.certificate_id: c.code for c in certificates_of(app, user.id)}
    html = client.get("/me/certificates/").get_data(as_text=True)
    for cid, code in codes.items():
        card = html[html.index(f'id="cert-{cid}"') :].split("</article>", 1)[0]
        assert 'data-status="certified"' in card and "Valid until" in card
        assert f'href="/me/certificates/{code}"' in card
        assert f'href="/me/certificates/{code}.pdf"' in card
    assert "Still to earn" not in html


def test_dashboard_summarises_certificates(auth, client, app):
    """/me/ says how many certificates are held and which is closest."""
    user = auth.login_as("employee")
    record(app, user.id, "smile", "look-lessons")
    html = client.get("/me/").get_data(as_text=True)
    assert "You hold 1 of 3 certificates." in html
    assert "Closest to earn:" in html and 'href="/me/certificates/"' in html


def test_printable_page_has_a_qr_code_of_the_absolute_verification_url(auth, client, app):
    """The certificate page names holder, title, dates, code, and a QR of /verify/<code>."""
    import segno

    user = auth.login_as("employee", display_name="张伟")
    record(app, user.id, "smile")
    [smile] = certificates_of(app, user.id)
    html = client.get(f"/me/certificates/{smile.code}").get_data(as_text=True)
    url = f"http://localhost/verify/{smile.code}"
    assert "张伟" in html and "笑 · 修炼合格证" in html and smile.code in html and url in html
    expected = segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)
    path = re.search(r' d="([^"]+)"', expected).group(1)
    assert '<svg viewBox="' in html and f' d="{path}"' in html


def test_print_css_sets_a4_landscape_for_the_certificate(app):
    """The stylesheet prints the certificate on an A4 landscape page."""
    css = (Path(app.static_folder) / "academy.css").read_text(encoding="utf-8")
    section = css[css.index("/* The printable certificate") :]
    assert "size: A4 landscape" in section and "page: certificate" in section


def test_pdf_download_embeds_a_cjk_font(auth, client, app):
    """The PDF is A4 landscape with an embedded TrueType font for the Chinese name."""
    from academy.credentials import printing

    try:
        printing.find_cjk_font()
    except printing.FontMissingError:
        pytest.skip("no CJK font on this machine (fonts-wqy-microhei or fonts-noto-cjk)")
    user = auth.login_as("employee", display_name="王秀兰")
    record(app, user.id, "smile")
    [smile] = certificates_of(app, user.id)
    response = client.get(f"/me/certificates/{smile.code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.data
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data and b"/Type0" in data  # an embedded TrueType (CID) font
    assert b"/MediaBox [0 0 841.89 595.28]" in data or b"841.89" in data  # A4 landscape
    assert "attachment" in response.headers["Content-Disposition"]


def test_pdf_without_a_cjk_font_explains_what_to_install(auth, client, app, monkeypatch):
    """No CJK font on the server: 503 with a page naming the packages."""
    from academy.credentials import printing

    monkeypatch.setattr(printing, "KNOWN_FONTS", ())
    monkeypatch.setattr(printing.shutil, "which", lambda name: None)
    printing._find.cache_clear()
    user = auth.login_as("employee")
    record(app, user.id, "smile")
    [smile] = certificates_of(app, user.id)
    try:
        response = client.get(f"/me/certificates/{smile.code}.pdf")
    finally:
        printing._find.cache_clear()
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "fonts-wqy-microhei" in text and "fonts-noto-cjk" in text


def test_others_certificates_are_refused_to_employees(auth, client, app, make_user):
    """An employee cannot open a colleague's certificate page or PDF."""
    colleague = make_user()
    record(app, colleague.id, "smile")
    [smile] = certificates_of(app, colleague.id)
    auth.login_as("employee")
    assert client.get(f"/me/certificates/{smile.code}").status_code == 403
    assert client.get(f"/me/certificates/{smile.code}.pdf").status_code == 403
    assert client.get("/me/certificates/not-a-code").status_code == 404


def test_trainers_see_certificates_of_their_departments_only(auth, client, app, make_user):
    """A trainer opens certificates of people in their department, not elsewhere."""
    ours = make_user(department="客服窗口")
    theirs = make_user(department="供水车间")
    record(app, ours.id, "smile")
    record(app, theirs.id, "smile")
    [mine] = certificates_of(app, ours.id)
    [other] = certificates_of(app, theirs.id)
    auth.login_as("trainer", department="客服窗口")
    assert client.get(f"/me/certificates/{mine.code}").status_code == 200
    assert client.get(f"/me/certificates/{other.code}").status_code == 403


def test_hr_opens_anyones_certificate(auth, client, app, make_user):
    """HR opens any person's printable certificate."""
    person = make_user(department="供水车间")
    record(app, person.id, "smile")
    [smile] = certificates_of(app, person.id)
    auth.login_as("hr")
    assert client.get(f"/me/certificates/{smile.code}").status_code == 200

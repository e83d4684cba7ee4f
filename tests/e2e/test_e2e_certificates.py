"""In Chromium: a certificate appears when earned; HR revokes it; verification says revoked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from credentials_support import cert_app, certificates_of, record
from helpers import PASSWORD, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """The test app with certification rules published."""
    yield from cert_app(tmp_path)


def test_completing_the_last_requirement_shows_the_certificate(live_server, page, app, make_user):
    """The employee finishes the last look lesson and finds the look certificate held."""
    user = make_user("employee", username="zhangwei", display_name="张伟", department="客服窗口")
    record(app, user.id, "look-quiz", "drill")
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import ledger

    with app.app_context():
        ledger.record(db.session.get(User, user.id), "completed", "module", "look/first-look")
        db.session.commit()
    login(page, live_server.url, user.username, PASSWORD)
    page.wait_for_url("**/me/")
    page.goto(f"{live_server.url}/me/certificates/")
    card = page.locator("#cert-look")
    assert card.get_attribute("data-status") == "in_progress"
    card.locator('a[href="/courses/look/second-look"]').click()
    page.wait_for_url("**/courses/look/second-look")
    page.click("#complete-lesson")
    page.wait_for_selector('#lesson-status[data-status="completed"]')
    page.click("nav.site-nav >> text=我的证书")
    page.wait_for_url("**/me/certificates/")
    card = page.locator("#cert-look")
    assert card.get_attribute("data-status") == "certified"
    assert "有效期至" in card.inner_text()
    card.locator(".cert-periods a").first.click()
    page.wait_for_url("**/me/certificates/*")
    assert "张伟" in page.locator(".certificate__name").inner_text()
    assert page.locator("svg.certificate__qr").count() == 1


def test_hr_revokes_from_the_matrix_and_verification_says_revoked(
    live_server, page, app, make_user
):
    """HR: matrix → cell → person → revoke with a reason; the public page shows 'revoked'."""
    holder = make_user("employee", username="lina", display_name="李娜", department="客服窗口")
    record(app, holder.id, "smile")
    [smile] = certificates_of(app, holder.id)
    hr = make_user("hr", username="hr", display_name="刘红梅")
    login(page, live_server.url, hr.username, PASSWORD)
    page.wait_for_url("**/hr/")  # HR lands on the desk
    page.click("nav.site-nav >> text=人事台")
    page.wait_for_url("**/hr/")
    page.locator('a[href*="certificate=smile"][data-status="certified"]').first.click()
    page.wait_for_url("**/hr/people?*")
    page.click("text=李娜")
    page.wait_for_url(f"**/hr/people/{holder.id}")
    card = page.locator("#cert-smile")
    card.locator("summary", has_text="撤销").click()
    page.once("dialog", lambda dialog: dialog.accept())
    card.locator("textarea[name=reason]").fill("窗口服务投诉经核实，暂停证书。")
    card.locator("button[type=submit]", has_text="撤销证书").click()
    page.wait_for_selector('#cert-smile[data-status="revoked"]')
    done = card.locator(".cert-card__done")  # the confirmation is where the page scrolled to
    assert "已撤销" in done.inner_text()
    box, height = done.bounding_box(), page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= height
    visitor = page.context.browser.new_context(locale="zh-CN")
    public = visitor.new_page()
    public.goto(f"{live_server.url}/verify/{smile.code}")
    assert public.locator(".verify").get_attribute("class").endswith("verify--revoked")
    assert "已撤销" in public.locator("h1").inner_text()
    assert "投诉" not in public.content()
    visitor.close()

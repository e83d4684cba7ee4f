"""In Chromium: a trainer makes and prints a window code; a resident fills the card by phone."""

from __future__ import annotations

import re

import pytest
from helpers import PASSWORD, login

pytestmark = pytest.mark.e2e


def test_trainer_makes_a_code_and_a_resident_fills_the_card(live_server, page, phone, make_user):
    """Code made, poster printed with a QR; the resident's phone card lands as a card."""
    from sqlalchemy import select

    from academy.extensions import db
    from academy.practice.models import FeedbackCard

    trainer = make_user("trainer", username="trainer", department="客服窗口")
    login(page, live_server.url, trainer.username, PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{live_server.url}/trainer/feedback-points")
    page.fill("#new-point #name", "南区营业厅 2号窗口")
    with page.expect_navigation():
        page.click("#new-point button[type=submit]")
    row = page.locator("#points-table tbody tr").first
    code = row.get_attribute("data-code")
    assert code and "南区营业厅 2号窗口" in row.inner_text()
    page.click("#print-all")
    page.wait_for_url("**/print")
    assert page.locator(".point-poster svg").count() == 1
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()

    phone.goto(f"{live_server.url}/r/{code}")
    assert "南区营业厅 2号窗口" in phone.locator(".resident-card__who").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the card scrolls sideways ({width}px)"
    assert not phone.locator("#website").is_visible()  # the honeypot
    phone.locator("label.segmented__option", has_text="5").tap()
    phone.fill("#good", "讲得很清楚，态度也好")
    with phone.expect_navigation():
        phone.locator("#send-card").tap()
    assert re.search(r"/r/[^/]+/thanks$", phone.url)
    with live_server.app.app_context():
        (card,) = db.session.scalars(select(FeedbackCard))
        assert (card.rating, card.source, card.good) == (5, "resident", "讲得很清楚，态度也好")

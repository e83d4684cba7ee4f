"""In Chromium: the pocket card prints as two A6 pages; a trainer opens the pre-shift guide."""

from __future__ import annotations

import re

import pytest
from helpers import PASSWORD, login

pytestmark = pytest.mark.e2e


def test_pocket_card_prints_on_two_a6_pages_and_the_guide_opens(live_server, page, make_user):
    """From the catalogue to the card; printed: 2 pages of 105 × 148 mm; then the guide."""
    trainer = make_user("trainer")
    login(page, live_server.url, trainer.username, PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{live_server.url}/courses/")
    page.click("a.discipline__pocket[href='/handouts/pocket/look']")
    page.wait_for_url("**/handouts/pocket/look")
    assert "您好，今天想办什么事？" in page.locator("#pocket-front").inner_text()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
    assert len(boxes) == 2, boxes
    width, height = (float(v) for v in boxes[0])
    assert abs(width - 105 / 25.4 * 72) < 2 and abs(height - 148 / 25.4 * 72) < 2
    page.goto(f"{live_server.url}/courses/look/first-look")
    page.click("#lesson-handouts a[href='/trainer/pre-shift/look/first-look']")
    page.wait_for_url("**/trainer/pre-shift/look/first-look")
    page.click(".pre-shift__answer summary")
    assert "起身问候" in page.locator(".pre-shift__answer").inner_text()

"""In Chromium: a trainer observes on a phone at the window, and the employee's ladder moves."""

from __future__ import annotations

import pytest
from growth_support import add_history
from helpers import PASSWORD, login

pytestmark = pytest.mark.e2e


def ladder(page, axis):
    """(stage, score) read from the ladder's data attributes."""
    found = page.locator(f'section.ladder[data-axis="{axis}"]')
    stage = found.get_attribute("data-stage")
    return (int(stage) if stage else None, float(found.get_attribute("data-score") or 0))


def test_observe_on_a_phone_and_the_ladder_moves(app, live_server, page, phone, make_user):
    """Phone: coaching page → observe now → tap the segments → save; /me/ shows the rise."""
    make_user("trainer", username="trainer", display_name="王秀兰", department="客服窗口")
    zhang = make_user("employee", username="zhangwei", display_name="张伟", department="客服窗口")
    add_history(app, zhang, persona="directed", statements=60, seed=11)

    login(page, live_server.url, "zhangwei", PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{live_server.url}/me/")
    before = ladder(page, "attitude")
    assert page.locator("section.ladder").count() == 4
    assert page.locator("svg.chart--radar").is_visible()

    login(phone, live_server.url, "trainer", PASSWORD)
    phone.wait_for_url(lambda url: "/login" not in url)
    phone.goto(f"{live_server.url}/trainer/people/{zhang.id}")
    assert ladder(phone, "attitude") == before
    with phone.expect_navigation():
        phone.locator("#observe-now").tap()
    assert phone.locator("#observe-person").inner_text().startswith("张伟")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the observation form scrolls sideways ({width}px)"
    for one in ("smile", "seat", "greet", "record", "promise", "arrange", "goodbye"):
        phone.locator(f"#one_{one}-group label.segmented__option--ok").tap()
    for axis in ("attitude", "language"):
        phone.locator(f"#rating_{axis}-group label", has=phone.locator('input[value="5"]')).tap()
    assert phone.locator('#one_smile-group input[value="done"]').is_checked()
    phone.fill("#note", "起身相迎，让座，记录清楚，当场派单。")
    with phone.expect_navigation():
        phone.locator("#save-observation").tap()
    phone.wait_for_url(f"**/trainer/people/{zhang.id}")
    assert "张伟" in phone.locator(".flash--success").inner_text()
    stage, score = ladder(phone, "attitude")
    assert score > before[1] + 3, (before, score)

    page.reload()
    after = ladder(page, "attitude")
    assert after == (stage, score)
    assert (after[0] or 0) >= (before[0] or 0)
    assert "窗口现场观察" in page.locator(".timeline").first.inner_text()

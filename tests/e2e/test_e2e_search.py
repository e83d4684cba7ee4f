"""In Chromium: search from the header box, open a result; pick people by name."""

from __future__ import annotations

import pytest
from helpers import PASSWORD, login

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_search_from_the_header_and_open_a_lesson(live_server, browser, make_user, width, height):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        user = make_user("employee", username="searcher", display_name="查找者")
        login(page, live_server.url, user.username, PASSWORD)
        page.wait_for_url("**/me/")
        box = page.locator("header #site-search")
        assert box.is_visible()
        assert box.bounding_box()["width"] >= 100  # usable on a phone
        box.fill("倾听")
        box.press("Enter")
        page.wait_for_url("**/search?q=*")
        results = page.locator(".search-result")
        assert results.count() == 1
        assert results.first.locator("mark").first.inner_text() == "倾听"
        assert page.input_value("#site-search") == "倾听"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px wider than the viewport"
        results.first.locator("h2 a").click()
        page.wait_for_url("**/courses/listen/listen-log")
        assert "倾听一本记录" in page.locator("h1").inner_text()
        # nothing found: an empty state, not an error
        page.fill("#site-search", '"NEAR( 不存在的词')
        page.press("#site-search", "Enter")
        page.wait_for_selector(".search-empty")
    finally:
        context.close()


def test_assignment_form_picks_people_by_name(live_server, page, make_user):
    make_user("employee", username="liming", display_name="李明", department="客服窗口")
    make_user("employee", username="lixiao", display_name="李晓", department="供水车间")
    trainer = make_user("trainer", username="coach", department="客服窗口")
    login(page, live_server.url, trainer.username, PASSWORD)
    page.goto(f"{live_server.url}/assignments/new")
    page.fill("#people-picker-q", "李")
    item = page.locator('.people-picker__results [data-username="liming"]')
    item.wait_for()
    assert page.locator('.people-picker__results [data-username="lixiao"]').count() == 0
    item.locator("button").click()
    assert page.input_value("#people") == "liming"
    assert item.locator("button").is_disabled()

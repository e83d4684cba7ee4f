"""In Chromium: log in, open a lesson, complete it, see the status change."""

from __future__ import annotations

import pytest
from helpers import PASSWORD

pytestmark = pytest.mark.e2e


def test_read_and_complete_a_lesson(live_server, page, make_user):
    """An employee completes a lesson without a quiz and the catalogue shows it completed."""
    from helpers import login

    user = make_user("employee", username="zhangwei", display_name="张伟")
    login(page, live_server.url, user.username, PASSWORD)
    page.wait_for_url("**/me/")
    page.click("nav.site-nav >> text=课程")
    page.wait_for_url("**/courses/")
    item = page.locator('[data-module="listen/listen-log"]')
    assert item.get_attribute("data-status") == "not_started"
    item.locator("a").click()
    page.wait_for_url("**/courses/listen/listen-log")
    assert page.locator("#lesson-status").get_attribute("data-status") == "read"
    assert page.locator("#lesson-rule").get_attribute("data-rule") == "read"
    page.click("#complete-lesson")
    page.wait_for_selector('#lesson-status[data-status="completed"]')
    page.click("nav.site-nav >> text=课程")
    page.wait_for_url("**/courses/")
    assert page.locator('[data-module="listen/listen-log"]').get_attribute("data-status") == (
        "completed"
    )

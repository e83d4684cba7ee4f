"""In Chromium: play a drill to an ending, read the debrief, and do it again on a phone."""

from __future__ import annotations

import pytest
from helpers import PASSWORD, login

pytestmark = pytest.mark.e2e


def choose(page, text):
    """Click the choice button whose text contains `text` and wait for the next page."""
    with page.expect_navigation():
        page.locator("button.drill-choice", has_text=text).click()


def test_play_to_success_and_read_the_debrief(live_server, page, make_user):
    """From the list to the ending: the mood meter moves, the debrief shows 100 and passed."""
    user = make_user("employee", username="zhangwei", display_name="张伟")
    login(page, live_server.url, user.username, PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.get_by_role("link", name="演练", exact=True).first.click()
    page.wait_for_url("**/scenarios/")
    page.click("text=A resident at the window")
    page.click("#start-drill")
    page.wait_for_url("**/scenarios/runs/*")
    assert page.locator("#drill-mood").get_attribute("data-mood") == "8"
    assert page.locator(".drill-line__speaker").inner_text() == "居民"
    assert page.locator("button.drill-choice").count() == 3
    choose(page, "Stand, smile, offer a seat")
    assert page.locator("#drill-mood").get_attribute("data-mood") == "5"
    assert page.locator("#mood-meter").get_attribute("value") == "5"
    choose(page, "Call the dispatcher now")
    page.wait_for_url("**/debrief")
    debrief = page.locator("#drill-debrief")
    assert debrief.get_attribute("data-score") == "100"
    assert debrief.get_attribute("data-passed") == "true"
    assert debrief.get_attribute("data-ending-type") == "success"
    assert page.locator(".drill-step").count() == 2
    assert "A clear promise, arranged on the spot." in page.locator(".drill-steps").inner_text()
    assert page.locator("svg.chart--radar").is_visible()
    assert page.locator("svg.chart--line").is_visible()
    # Back to the old run page: it is not served from a cache, the ended run shows its debrief.
    page.go_back()
    page.wait_for_url("**/debrief")
    assert page.locator("#drill-debrief").get_attribute("data-score") == "100"


def test_play_to_failure_on_a_phone(live_server, phone, make_user):
    """On a phone the run page fits the screen; a taboo phrase fails the drill."""
    user = make_user("employee")
    login(phone, live_server.url, user.username, PASSWORD)
    phone.wait_for_url(lambda url: "/login" not in url)
    phone.goto(f"{live_server.url}/scenarios/front-desk")
    phone.locator("#start-drill").tap()
    phone.wait_for_url("**/scenarios/runs/*")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the run page scrolls sideways ({width}px)"
    with phone.expect_navigation():
        phone.locator("button.drill-choice", has_text="That's not my department.").tap()
    phone.wait_for_url("**/debrief")
    debrief = phone.locator("#drill-debrief")
    assert debrief.get_attribute("data-score") == "0"
    assert debrief.get_attribute("data-passed") == "false"
    assert debrief.get_attribute("data-ending-type") == "failure"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the debrief scrolls sideways ({width}px)"
    assert "Stand, smile, offer a seat" in phone.locator(".drill-step__better").inner_text()


def test_choice_order_survives_reload_and_back(live_server, page, make_user):
    """The shuffled order of the buttons is the run's: a reload or the back button keeps it."""
    user = make_user("employee")
    login(page, live_server.url, user.username, PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)

    def order():
        return page.locator("button.drill-choice").evaluate_all(
            "buttons => buttons.map(b => b.dataset.choice)"
        )

    orders = set()
    for _ in range(6):
        page.goto(f"{live_server.url}/scenarios/front-desk")
        page.click("#start-drill")
        page.wait_for_url("**/scenarios/runs/*")
        shown = order()
        assert sorted(shown) == ["0", "1", "2"]
        page.reload()
        assert order() == shown
        page.goto(f"{live_server.url}/scenarios/")
        page.go_back()
        page.wait_for_url("**/scenarios/runs/*")
        assert order() == shown
        orders.add(tuple(shown))
    assert len(orders) > 1, "every run showed the same order"

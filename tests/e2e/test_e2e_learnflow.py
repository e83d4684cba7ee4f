"""In Chromium: quiz answers survive leaving; unanswered questions ask first; an assigned drill."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers import PASSWORD, login
from quiz_fixtures import EVERY_KIND, QUIZ_URL, set_quiz

pytestmark = pytest.mark.e2e


def _sign_out(page):
    page.click(".user-menu summary")
    page.click(".user-menu button[type=submit]")
    page.wait_for_url("**/login")


def test_answers_are_kept_when_leaving_and_returning(app, live_server, page, make_user):
    """Answer 2 questions, leave, come back: both are still chosen and the count says 2 of 7."""
    set_quiz(app, EVERY_KIND)
    user = make_user("employee")
    login(page, live_server.url, user.username, PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(live_server.url + QUIZ_URL)
    progress = page.locator("#quiz-progress")
    assert progress.get_attribute("data-answered") == "0"
    page.locator('input[name="q1"][value="1"]').check()
    page.wait_for_selector('#quiz-saved[data-state="saved"]')
    with page.expect_response(lambda r: r.url.endswith("/answers") and r.status == 200):
        page.locator('input[name="q3"][value="false"]').check()
    assert page.locator("#quiz-progress").get_attribute("data-answered") == "2"
    page.goto(f"{live_server.url}/courses/look/first-look")
    page.goto(live_server.url + QUIZ_URL)
    assert page.locator('input[name="q1"][value="1"]').is_checked()
    assert page.locator('input[name="q3"][value="false"]').is_checked()
    progress = page.locator("#quiz-progress")
    assert progress.get_attribute("data-answered") == "2"
    assert "2" in progress.inner_text() and "7" in progress.inner_text()


def test_submitting_with_one_unanswered_asks_for_confirmation(live_server, page, make_user):
    """The shipped two-question quiz: one answered, submit → asked; cancel stays, OK submits."""
    user = make_user("employee")
    login(page, live_server.url, user.username, PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(live_server.url + QUIZ_URL)
    page.locator('input[name="q1"]').first.check()
    messages: list[str] = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("#submit-quiz")
    assert messages and "1" in messages[0]
    assert "/quiz/attempts/" not in page.url
    assert page.locator("#submit-quiz").is_enabled()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-quiz")
    page.wait_for_url("**/quiz/attempts/*")
    assert page.evaluate("document.activeElement.id") == "result-summary"


def test_an_assigned_drill_is_seen_due_and_completed(live_server, page, make_user):
    """A trainer assigns a drill; the employee sees it due, plays it to success, it is done."""
    from academy.assignments.services import COMPANY_TZ

    trainer = make_user("trainer", username="teacher", department="供水车间")
    worker = make_user("employee", username="zhangwei", department="供水车间")
    login(page, live_server.url, trainer.username, PASSWORD)
    page.goto(f"{live_server.url}/assignments/new")
    page.select_option("#item", "scenario:front-desk")
    page.check("input[name=departments]")
    due = datetime.now(COMPANY_TZ).date() + timedelta(days=5)
    page.fill("#due", due.isoformat())
    page.click("main button[type=submit]")
    page.wait_for_url("**/assignments/*")
    assert "zhangwei" in page.locator("main").inner_text()
    _sign_out(page)

    login(page, live_server.url, worker.username, PASSWORD)
    page.wait_for_url("**/me/")
    item = page.locator(".work-list__item").first
    assert "A resident at the window" in item.inner_text()
    assert page.locator("#continue-learning").get_attribute("data-kind") == "assigned"
    item.locator("a").click()
    page.wait_for_url("**/scenarios/front-desk")
    assert page.locator("#drill-due").is_visible()
    page.click("#start-drill")
    page.wait_for_url("**/scenarios/runs/*")
    with page.expect_navigation():
        page.locator("button.drill-choice", has_text="Stand, smile, offer a seat").click()
    assert page.evaluate("document.activeElement.id") == "drill-prompt"
    with page.expect_navigation():
        page.locator("button.drill-choice", has_text="Call the dispatcher now").click()
    page.wait_for_url("**/debrief")
    assert page.locator("#drill-debrief").get_attribute("data-passed") == "true"
    page.goto(f"{live_server.url}/me/")
    assert page.locator("#assigned-title ~ ul .work-list__item").count() == 0

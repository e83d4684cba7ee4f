"""In Chromium: take a quiz, fail it, read the feedback, retake it and pass."""

from __future__ import annotations

import pytest
from helpers import PASSWORD, login

pytestmark = pytest.mark.e2e


def test_fail_read_feedback_retake_and_pass(live_server, page, make_user):
    """An employee fails the quiz, sees why, retakes it and passes; the lesson shows the best."""
    user = make_user("employee", username="zhangwei", display_name="张伟")
    login(page, live_server.url, user.username, PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{live_server.url}/courses/look/first-look")
    page.click("#take-quiz")
    page.wait_for_url("**/courses/look/first-look/quiz")

    # Wrong on both: wait for the resident to speak; say a latent need is spoken.
    page.get_by_label("等他先开口").check()
    page.locator('input[name="q2"][value="true"]').check()
    page.click("#submit-quiz")
    page.wait_for_url("**/quiz/attempts/*")
    result = page.locator("#quiz-result")
    assert result.get_attribute("data-passed") == "false"
    assert float(result.get_attribute("data-score")) == 0
    feedback = page.locator(".quiz-review").first
    assert "“看”的修炼要求领先用户一步。" in feedback.inner_text()  # for what they chose
    assert "对。先读懂需求，再打开话题。" in feedback.inner_text()  # for the right answer
    assert "说出口的是现实需求。" in page.locator(".quiz-review").nth(1).inner_text()

    page.click("#retake-quiz")
    page.wait_for_url("**/courses/look/first-look/quiz")
    page.get_by_label("起身问候，问他今天办什么事").check()
    page.locator('input[name="q2"][value="false"]').check()
    page.click("#submit-quiz")
    page.wait_for_url("**/quiz/attempts/*")
    result = page.locator("#quiz-result")
    assert result.get_attribute("data-passed") == "true"
    assert float(result.get_attribute("data-score")) == 100

    page.goto(f"{live_server.url}/courses/look/first-look")
    block = page.locator("#quiz-block")
    assert block.get_attribute("data-best") == "100"
    assert block.get_attribute("data-attempts") == "2"
    page.goto(f"{live_server.url}/me/attempts")
    assert page.locator("tr[data-attempt]").count() == 2


def test_quiz_works_on_a_phone(live_server, phone, make_user):
    """On a phone-sized screen every option is reachable and the quiz submits."""
    user = make_user("employee")
    login(phone, live_server.url, user.username, PASSWORD)
    phone.wait_for_url(lambda url: "/login" not in url)
    phone.goto(f"{live_server.url}/courses/look/first-look/quiz")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the quiz page scrolls sideways ({width}px)"
    phone.get_by_label("起身问候，问他今天办什么事").tap()
    phone.locator('input[name="q2"][value="false"]').tap()
    phone.locator("#submit-quiz").tap()
    phone.wait_for_url("**/quiz/attempts/*")
    assert phone.locator("#quiz-result").get_attribute("data-passed") == "true"

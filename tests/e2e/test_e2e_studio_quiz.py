"""In Chromium: a trainer builds a three-question quiz of three kinds through the quiz
forms on a new module, then tries it; at 1280 px and on a 390×844 phone."""

from __future__ import annotations

import re

import pytest
from helpers import PASSWORD, login
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _save(page) -> None:
    with page.expect_navigation():
        page.click("#save-question")
    assert re.search(r"/quiz(#.*)?$", page.url), page.url  # back on the quiz page: saved


def _new(page, kind: str) -> None:
    page.select_option("#new-kind", kind)
    with page.expect_navigation():
        page.click("#add-question-button")
    expect(page.locator("#question-form input[name=kind]")).to_have_value(kind)


def _build_and_try(page, base: str, slug: str) -> None:
    login(page, base, "ana", PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{base}/studio/new/module")
    page.select_option("#discipline", "look")
    page.fill("#title", "夜巡小测")
    page.fill("#slug", slug)
    page.click("#create")
    page.wait_for_url(re.compile(r".*/studio/\d+$"))
    with page.expect_navigation():
        page.click("#quiz-forms")
    assert page.url.endswith("/quiz")

    # 1. single choice: three option rows at first; a fourth added by a plain submit button
    _new(page, "single")
    page.fill("#f-prompt", "夜里十一点到配电室，第一件事是什么？")
    page.fill("#f-option-0-text", "先看门口有没有人等着")
    page.check("#f-option-0-correct")
    page.fill("#f-option-0-feedback", "先看人，再看设备。")
    page.fill("#f-option-1-text", "先抄表")
    page.fill("#f-option-1-weight", "25")
    page.fill("#f-option-2-text", "先打电话给班长")
    with page.expect_navigation():
        page.click("#add-row")
    expect(page.locator("#f-option-3-text")).to_be_visible()
    expect(page.locator("#f-option-0-text")).to_have_value("先看门口有没有人等着")
    page.fill("#f-option-3-text", "先回家")
    _save(page)
    expect(page.locator("#question-1")).to_contain_text("夜里十一点")

    # 2. true or false, first saved without an answer: the field is named
    _new(page, "true_false")
    page.fill("#f-prompt", "带电作业前必须验电。")
    with page.expect_navigation():
        page.click("#save-question")
    expect(page.locator("#f-answer-error")).to_be_visible()
    page.check("#question-form input[name=answer][value=true]")
    page.fill("#f-feedback_false", "必须验电。")
    _save(page)

    # 3. matching, three pairs
    _new(page, "matching")
    page.fill("#f-prompt", "把情况和做法配起来。")
    for i, (left, right) in enumerate(
        [("居民慌张", "先稳住情绪"), ("设备冒烟", "先断电"), ("老人独居", "先问身体")]
    ):
        page.fill(f"#f-pair-{i}-left", left)
        page.fill(f"#f-pair-{i}-right", right)
    _save(page)

    page.fill("#f-pass_mark", "60")
    with page.expect_navigation():
        page.click("#save-settings")
    expect(page.locator("#questions")).to_contain_text("3")
    assert page.locator(".quizform-question").count() == 3
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"the quiz page scrolls sideways ({width}px)"

    # Try it as a learner sees it: no key on the page, full marks for the right answers.
    with page.expect_navigation():
        page.click("#try-quiz")
    html = page.content()
    assert "先看人，再看设备" not in html and "correct" not in html
    page.check("input[name=q1][value='0']")
    page.check("input[name=q2][value=true]")
    for i in range(3):
        page.select_option(f"#q3-{i}", str(i))
    with page.expect_navigation():
        page.click("#submit-quiz")
    expect(page.locator("#result")).to_contain_text("100")


def test_a_trainer_builds_a_three_kind_quiz_with_forms_and_tries_it(
    live_server, page, make_user
) -> None:
    make_user("trainer", username="ana", display_name="安娜")
    _build_and_try(page, live_server.url, "night-quiz")


def test_the_same_on_a_phone(live_server, phone, make_user) -> None:
    make_user("trainer", username="ana", display_name="安娜")
    _build_and_try(phone, live_server.url, "phone-quiz")

"""In Chromium: trainers author in the studio, review each other, publish; an employee
then learns from what they wrote. And the same editing on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import PASSWORD, login
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

GIFT = """::夜巡第一步:: 夜里十一点，你到配电室巡视，第一件事是什么？
{=先看门口有没有人等着 ~先抄表 ~先打电话给班长}

::安全:: 带电作业前必须验电。 {T}

::配对:: 把情况和做法配起来。 {
=居民慌张 -> 先稳住情绪
=设备冒烟 -> 先断电
=老人独居 -> 先问身体
}
"""

DRILL = """title: 夜里的报修电话
summary: 一户停电的夜间来电。
setting: |
  **时间**：夜里十一点。
disciplines: [listen, speak]
start: call
state:
  mood: 6
pass_score: 60
nodes:
  call:
    speaker: resident
    text: 我家停电了，孩子还在写作业！
    choices:
      - text: 先问地址和停电范围
        goto: ask
        effects: {mood: -2}
        scores: {listen: 2}
        feedback: 先弄清是一户还是一片。
      - text: 说夜里没人值班
        goto: angry
        effects: {mood: 3}
        scores: {speak: -1}
        feedback: 先说困难只会让人更急。
  ask:
    speaker: resident
    text: 就我家一户，邻居都有电。
    choices:
      - text: 请他看看表箱里的开关
        goto: fixed
        scores: {listen: 1, speak: 1}
        feedback: 一户停电，先查表后开关。
  angry:
    speaker: resident
    text: 那我打12345投诉！
    choices:
      - text: 道歉，马上派人
        goto: late
        effects: {mood: -1}
        scores: {speak: 1}
        feedback: 认错后马上补救，但已经晚了一步。
      - text: 说随便你
        if: mood >= 9
        goto: lost
        scores: {speak: -2}
        feedback: 这是禁语。
  fixed:
    ending: success
    text: 开关推上去，灯亮了。
  late:
    ending: partial
    text: 电工半小时后到了。
  lost:
    ending: failure
    text: 居民挂断了电话。
"""


def _logout(page, base: str) -> None:
    """The next person at the same computer (a fresh session)."""
    page.context.clear_cookies()


def _act(page, action: str, comment: str = "") -> None:
    if comment:
        page.fill("#comment", comment)
    if action in ("publish", "unpublish"):
        page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator(f"button[data-action={action}]").click()


def test_two_trainers_author_review_and_publish_then_an_employee_learns(
    live_server, page, make_user, tmp_path: Path
) -> None:
    base = live_server.url
    make_user("trainer", username="ana", display_name="安娜")
    make_user("trainer", username="bo", display_name="柏")
    make_user("employee", username="wei", display_name="魏")
    image = tmp_path / "配电室.png"
    image.write_bytes(PNG)

    # Ana writes a lesson from an empty studio.
    login(page, base, "ana", PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.click("nav.site-nav >> text=编写工作室")
    page.wait_for_url("**/studio/")
    assert "这里还没有内容" in page.content()
    page.click("#new-module")
    page.select_option("#discipline", "act")
    page.fill("#title", "夜巡配电室")
    page.fill("#slug", "night-round")
    page.click("#create")
    page.wait_for_url(re.compile(r".*/studio/\d+$"))
    page.fill("#objectives", "能够在夜巡时先看人再看设备")
    page.fill("#body", "## 先看人\n\n夜巡时，先看门口有没有人等着。\n")
    expect(page.locator("#preview")).to_contain_text("门口")
    assert page.locator("#preview h2").inner_text() == "先看人"  # rendered like the lesson
    page.set_input_files("#image-file", str(image))
    expect(page.locator("#body")).to_have_value(re.compile(r"/studio/media/[0-9a-f]{64}\.png"))
    page.wait_for_selector("#preview img")
    page.fill("#note", "第一稿")
    with page.expect_navigation():
        page.click("#save")
    page.locator("#gift-form summary").click()
    page.fill("#gift", GIFT)
    with page.expect_navigation():
        page.locator("#gift-form button[type=submit]").click()
    assert "已从 GIFT 添加 3 道题" in page.content()
    _act(page, "submit")
    assert page.locator("#doc-state").inner_text() == "审核中"
    doc_url = page.url.split("#")[0]
    _logout(page, base)

    # Bo returns it with a comment.
    login(page, base, "bo", PASSWORD)
    page.goto(f"{base}/studio/?state=submitted")
    page.locator("#studio-docs a", has_text="夜巡配电室").click()
    _act(page, "return", "第二段写清楚先做什么")
    assert page.locator("#doc-state").inner_text() == "已退回"
    _logout(page, base)

    # Ana fixes it and submits again; Bo approves and publishes.
    login(page, base, "ana", PASSWORD)
    page.goto(doc_url)
    assert "第二段写清楚先做什么" in page.locator(".studio-trail").inner_text()
    page.fill("#body", page.input_value("#body") + "\n第二步：问清楚他要办什么事。\n")
    with page.expect_navigation():
        page.click("#save")
    _act(page, "submit")
    _logout(page, base)
    login(page, base, "bo", PASSWORD)
    page.goto(doc_url)
    _act(page, "approve")
    _act(page, "publish")
    assert page.locator("#doc-state").inner_text() == "已发布"

    # Bo writes a six-node drill with a condition; Ana reviews it.
    page.goto(f"{base}/studio/new/drill")
    page.fill("#title", "夜里的报修电话")
    page.fill("#slug", "night-call")
    page.click("#create")
    page.wait_for_url(re.compile(r".*/studio/\d+$"))
    page.fill("#text", DRILL)
    page.wait_for_selector("#preview svg")
    with page.expect_navigation():
        page.click("#save")
    _act(page, "submit")
    drill_url = page.url
    _logout(page, base)
    login(page, base, "ana", PASSWORD)
    page.goto(drill_url)
    _act(page, "approve")
    _act(page, "publish")
    _logout(page, base)

    # The employee reads the lesson, passes the quiz and plays the drill.
    login(page, base, "wei", PASSWORD)
    page.goto(f"{base}/courses/act/night-round")
    assert "问清楚他要办什么事" in page.content()
    image_src = page.locator(".prose img").get_attribute("src")
    assert image_src.startswith("/studio/media/")
    assert page.request.get(f"{base}{image_src}").headers["content-type"] == "image/png"
    page.goto(f"{base}/courses/act/night-round/quiz")
    page.locator("label.quiz-option", has_text="先看门口有没有人等着").click()
    page.locator("fieldset[data-kind=true_false] label.quiz-option").first.click()
    for left, right in (
        ("居民慌张", "先稳住情绪"),
        ("设备冒烟", "先断电"),
        ("老人独居", "先问身体"),
    ):
        select = page.locator(".quiz-pair", has_text=left).locator("select")
        select.select_option(label=right)
    with page.expect_navigation():
        page.click("#submit-quiz")
    assert "100" in page.locator("main").inner_text()
    page.goto(f"{base}/scenarios/night-call")
    page.click("#start-drill")
    page.wait_for_url("**/scenarios/runs/*")
    with page.expect_navigation():
        page.locator("button.drill-choice", has_text="先问地址和停电范围").click()
    with page.expect_navigation():
        page.locator("button.drill-choice", has_text="请他看看表箱里的开关").click()
    page.wait_for_url("**/debrief")
    assert page.locator("#drill-debrief").get_attribute("data-ending-type") == "success"


def test_editing_on_a_phone_uses_tabs_and_fits_the_screen(
    live_server, phone, make_user, tmp_path: Path
):
    """The same editing at 390×844: text, an image, GIFT questions, submit for review."""
    base = live_server.url
    image = tmp_path / "笑.png"
    image.write_bytes(PNG)
    make_user("trainer", username="ana", display_name="安娜")
    login(phone, base, "ana", PASSWORD)
    phone.wait_for_url(lambda url: "/login" not in url)
    phone.goto(f"{base}/studio/new/module")
    phone.select_option("#discipline", "smile")
    phone.fill("#title", "电话里的笑")
    phone.fill("#slug", "phone-smile")
    phone.locator("#create").tap()
    phone.wait_for_url(re.compile(r".*/studio/\d+$"))
    assert phone.locator("#tab-write").is_visible()
    assert not phone.locator("#pane-preview").is_visible()
    phone.fill("#body", "## 先笑再开口\n\n声音里听得见笑。\n")
    phone.locator("#tab-preview").tap()
    expect(phone.locator("#preview")).to_contain_text("听得见")
    assert phone.locator("#pane-preview").is_visible()
    assert not phone.locator("#body").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the editor scrolls sideways ({width}px)"
    phone.locator("#tab-write").tap()
    with phone.expect_navigation():
        phone.locator("#save").tap()
    assert "已保存为第 2 版" in phone.content()
    phone.set_input_files("#image-file", str(image))
    expect(phone.locator("#body")).to_have_value(re.compile(r"/studio/media/[0-9a-f]{64}\.png"))
    phone.locator("#tab-preview").tap()
    phone.wait_for_selector("#preview img")
    phone.locator("#tab-write").tap()
    with phone.expect_navigation():
        phone.locator("#save").tap()
    phone.locator("#gift-form summary").tap()
    phone.fill("#gift", GIFT)
    with phone.expect_navigation():
        phone.locator("#gift-form button[type=submit]").tap()
    assert "已从 GIFT 添加 3 道题" in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the editor with a quiz scrolls sideways ({width}px)"
    phone.once("dialog", lambda dialog: dialog.accept())
    with phone.expect_navigation():
        phone.locator("button[data-action=submit]").tap()
    assert phone.locator("#doc-state").inner_text() == "审核中"

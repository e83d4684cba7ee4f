"""In Chromium: a trainer builds a six-node drill with a condition through the drill forms,
from a new drill, sees a warning next to the node it concerns, and play-tests the draft
from a middle node; on a desktop and on a 390×844 phone."""

from __future__ import annotations

import re

import pytest
from helpers import PASSWORD, login
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _add_node(page, node_id: str, kind: str = "decision") -> None:
    if not page.locator("#new-id").count():
        _submit(page, "a[href$='/drill']")  # "All nodes"
    page.fill("#new-id", node_id)
    page.select_option("#new-kind", kind)
    _submit(page, "#add-node button[type=submit]")
    page.wait_for_url(re.compile(rf".*/drill/node/{node_id}$"))


def _choice(page, index: int, text: str, goto: str, feedback: str, **numbers: str) -> None:
    _submit(page, "#add-choice")
    prefix = f"#choice-{index}"
    page.fill(f"{prefix}-text", text)
    page.select_option(f"{prefix}-goto", goto)
    page.fill(f"{prefix}-feedback", feedback)
    for name, value in numbers.items():
        page.fill(f"{prefix}-{name.replace('_', '-')}", value)  # score_listen → score-listen


def _overview(page, base: str, doc: str) -> None:
    page.goto(f"{base}/studio/{doc}/drill")


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_trainer_builds_a_drill_in_forms_and_play_tests_it(
    request, live_server, make_user, app, screen: str
) -> None:
    page = request.getfixturevalue(screen)
    base = live_server.url
    make_user("trainer", username="ana", display_name="安娜")
    login(page, base, "ana", PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(f"{base}/studio/new/drill")
    page.fill("#title", "夜里的报修电话")
    page.fill("#slug", "night-call")
    _submit(page, "#create")
    doc = re.search(r"/studio/(\d+)$", page.url).group(1)
    _submit(page, "#drill-forms-link")
    expect(page.locator("#node-list > li")).to_have_count(3)
    assert page.locator(".drillform-map svg").count() == 1

    # The header: a mood the choices move.
    page.locator("#header > summary").click()
    page.fill("#state-0-name", "mood")
    page.fill("#state-0-initial", "6")
    _submit(page, "#save-header")

    # A partial ending, then the two middle decisions.
    _add_node(page, "late", "partial")
    page.fill("#text", "师傅一个小时后才到，灯是亮了，他还窝着火。")
    _submit(page, "#save-node")

    _add_node(page, "ask")
    page.select_option("#speaker", "resident")
    page.fill("#text", "就我家一户，邻居都有电。")
    _choice(
        page, 0, "请他看看表箱里的开关", "good-end", "一户停电，先查表后开关。", score_listen="2"
    )
    _choice(page, 1, "说明天派人", "late", "能当晚解决的事拖到明天。", score_speak="-1")
    _submit(page, "#save-node")

    _add_node(page, "angry")
    page.fill("#text", "那我打12345投诉！")
    _choice(page, 0, "说随你便", "bad-end", "这是服务忌语。", score_speak="-2")
    _choice(page, 1, "道歉，马上派人", "late", "认错后马上补救。", score_speak="1")
    page.fill("#choice-1-if", "mood >= 9")
    _submit(page, "#save-node")

    # The start leads to the two decisions; the second raises the mood by one only.
    page.goto(f"{base}/studio/{doc}/drill/node/start")
    page.select_option("#choice-0-goto", "ask")
    page.select_option("#choice-1-goto", "angry")
    page.fill("#choice-1-effect-mood", "1")
    _submit(page, "#save-node")

    # Six nodes; the choice whose condition never holds is flagged beside its node.
    _overview(page, base, doc)
    expect(page.locator("#node-list > li")).to_have_count(6)
    angry = page.locator("#node-list > li[data-node=angry]")
    expect(angry).to_have_class(re.compile("drillform-node--warning"))
    expect(angry.locator(".problem--warning")).to_contain_text("never available")
    assert page.locator("#node-list .problem--error").count() == 0
    assert "ask" in page.locator(".drillform-map svg").inner_html()
    if screen == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 392, width

    # The node's own form shows the warning with its choice.
    angry.locator("a.drillform-node__link").click()
    page.wait_for_url(re.compile(r".*/drill/node/angry$"))
    expect(page.locator("#choice-1 .problem--warning")).to_contain_text("never available")
    if screen == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 392

    # Typing redraws the map and the checks beside the form (nothing saved yet).
    page.fill("#choice-0-text", "说随你便吧")
    expect(page.locator(".drillform-map svg")).to_contain_text("说随你便吧")
    expect(page.locator("#live-checks .problem--warning")).to_contain_text("never available")

    # Play-test from this middle node: nothing is recorded.
    _submit(page, "#play-link")
    assert "from=angry" in page.url
    expect(page.locator("#node-text")).to_contain_text("12345")
    expect(page.locator("a.drill-choice")).to_have_count(1)  # mood 6: the hidden one is not offered
    _submit(page, "a.drill-choice")
    expect(page.locator("#node-text")).to_contain_text("结局")

    from academy.extensions import db
    from academy.progress.run_models import DrillRun

    with app.app_context():
        assert db.session.query(DrillRun).count() == 0

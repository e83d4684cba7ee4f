"""In Chromium: a trainer brings work from Twine and Moodle through /studio/import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import PASSWORD, login
from sqlalchemy import func, select

from academy.extensions import db
from academy.studio.models import StudioDocument

pytestmark = pytest.mark.e2e

TWEE = """:: StoryTitle
停电的楼道

:: StoryData
{"ifid": "11111111-2222-4333-8444-555555555555", "format": "Harlowe", "start": "Start"}

:: Start
楼道里一片漆黑，居民在门口等你。
[[去看配电箱->Box]]
[[先安慰居民|Calm]]

:: Box
保险丝烧了。

:: Calm
居民平静下来。
"""

GIFT = """::夜巡:: 夜里十一点，你到配电室巡视，第一件事是什么？
{=先看门口有没有人等着 ~先抄表 ~先打电话给班长}

::安全:: 带电作业前必须验电。 {T}
"""

BROKEN_GIFT = """::夜巡:: 第一件事是什么？ {=先看人 ~先抄表

::第二题:: 只有一句话，没有答案。
"""

LINE = re.compile(r"(第 \d+ 行|line \d+)")


def _documents(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StudioDocument))


def test_a_twine_story_and_gift_files_become_drafts_or_name_their_lines(
    app, live_server, page, make_user, tmp_path: Path
) -> None:
    base = live_server.url
    make_user("trainer", username="ana", display_name="安娜")
    login(page, base, "ana", PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{base}/studio/")
    page.click("#import")
    page.wait_for_url("**/studio/import")

    # A plain Twine story, pasted: a draft drill, every missing feedback listed by line.
    page.fill("#twee-slug", "dark-stairs")
    page.fill("#twee-text", TWEE)
    with page.expect_navigation():
        page.click("#import-twee")
    warnings = page.locator("#import-warnings li")
    assert warnings.count() >= 2
    texts = warnings.all_inner_texts()
    assert all(LINE.match(text) for text in texts), texts
    assert any("去看配电箱" in text for text in texts), texts
    with page.expect_navigation():
        page.click("#open-draft")
    assert re.search(r"/studio/\d+$", page.url)
    assert page.locator("#doc-state").inner_text() == "草稿"
    assert "TODO" in page.input_value("#text")
    # Not publishable until written: the placeholders are errors beside the editor.
    assert "still holds an import placeholder" in page.locator(".problem--error").first.inner_text()

    # A GIFT file, uploaded: a draft lesson holding both questions.
    gift = tmp_path / "夜巡.gift"
    gift.write_text(GIFT, encoding="utf-8")
    page.goto(f"{base}/studio/import")
    page.select_option("#gift-discipline", "act")
    page.fill("#gift-title", "夜巡测验")
    page.fill("#gift-slug", "night-quiz")
    page.set_input_files("#gift-upload", str(gift))
    with page.expect_navigation():
        page.click("#import-gift")
    assert re.search(r"(2 道题|2 questions)", page.locator("main").inner_text())
    with page.expect_navigation():
        page.click("#open-draft")
    assert "夜里十一点" in page.content()  # the quiz is in the draft
    assert page.input_value("#title") == "夜巡测验"
    created = _documents(app)
    assert created == 2

    # A GIFT file with errors: each error at its line, nothing created.
    broken = tmp_path / "broken.gift"
    broken.write_text(BROKEN_GIFT, encoding="utf-8")
    page.goto(f"{base}/studio/import")
    page.select_option("#gift-discipline", "act")
    page.fill("#gift-title", "坏文件")
    page.fill("#gift-slug", "broken")
    page.set_input_files("#gift-upload", str(broken))
    with page.expect_navigation():
        page.click("#import-gift")
    problems = page.locator("#import-problems li").all_inner_texts()
    assert [LINE.match(p).group(1) for p in problems] in (
        ["line 1", "line 3"],
        ["第 1 行", "第 3 行"],
    ), problems
    assert page.locator("#import-gift").is_visible()  # still on the form
    assert _documents(app) == created

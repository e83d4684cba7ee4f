"""The main menu in a real browser: every item reachable in one tap, no page wider than a phone.

One demo organisation (several people, certificates, history) for the whole module,
each role in Chinese and English at 360, 390, 1024 and 1280 px.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from credentials_support import cert_app
from helpers import PASSWORD, login

ROLES = ("zhangwei", "trainer", "hr", "admin")
LOCALES = {"zh": "zh-CN", "en": "en-US"}
WIDTHS = (360, 390, 1024, 1280)


class Server:
    """The app under a real WSGI server in a thread (for the whole module)."""

    def __init__(self, app: Any) -> None:
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app with the demo organisation and an administrator, served for the module."""
    from werkzeug.security import generate_password_hash

    from academy.accounts.models import User
    from academy.demo import build_demo
    from academy.extensions import db

    before = os.environ.get("ACADEMY_DEMO_PASSWORD")
    os.environ["ACADEMY_DEMO_PASSWORD"] = PASSWORD
    apps = cert_app(tmp_path_factory.mktemp("navigation"))
    app = next(apps)
    try:
        with app.app_context():
            build_demo(employees=12)
            db.session.add(
                User(
                    username="admin",
                    display_name="系统管理员",
                    role="admin",
                    password_hash=generate_password_hash(PASSWORD),
                )
            )
            db.session.commit()
        server = Server(app)
        server.thread.start()
        try:
            yield server
        finally:
            server.server.shutdown()
            server.thread.join(timeout=5)
    finally:
        if before is None:
            os.environ.pop("ACADEMY_DEMO_PASSWORD", None)
        else:
            os.environ["ACADEMY_DEMO_PASSWORD"] = before
        apps.close()


def _in_viewport(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] + box["height"] <= size["height"] + 0.5
    )


def _menu_problems(page: Any) -> list[str]:
    """Menu items that are neither in view nor in view after one tap."""
    problems = []
    items = page.locator("#site-nav a")
    assert items.count() >= 6
    for index in range(items.count()):
        item = items.nth(index)
        label = item.inner_text().strip()
        if item.is_visible() and _in_viewport(page, item):
            continue
        menu_button = page.locator(".menu-button")
        if menu_button.is_visible():
            tap = menu_button
        else:
            group = item.locator("xpath=ancestor::div[contains(@class, 'nav-group')]")
            tap = group.locator(".nav-group__button")
        if not tap.is_visible():
            problems.append(f"{label}: hidden and no button opens it")
            continue
        tap.click()
        if not (item.is_visible() and _in_viewport(page, item)):
            problems.append(f"{label}: not in view after one tap")
        page.keyboard.press("Escape")
        if item.is_visible() and not page.locator(".menu-button").is_visible():
            tap.click()  # close again if Escape did not
    return problems


@pytest.mark.parametrize("lang", sorted(LOCALES))
@pytest.mark.parametrize("user", ROLES)
def test_every_menu_item_is_visible_or_one_tap_away(browser, demo_server, user, lang):
    """At 360, 390, 1024 and 1280 px, each menu item shows, or shows after one tap."""
    context = browser.new_context(locale=LOCALES[lang], viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        login(page, demo_server.url, user)
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == ("zh-Hans" if lang == "zh" else "en")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 740 if width < 600 else 800})
            page.reload()
            problems = _menu_problems(page)
            assert not problems, f"{user} {lang} {width}px: {problems}"
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, f"{user} {lang} {width}px: {wide}px wider than the window"
            if width >= 1024:  # on a desk the menu is one row under a one-row header
                assert page.locator("#site-nav").bounding_box()["height"] <= 50, (user, lang, width)
                assert page.locator(".site-header__inner").bounding_box()["height"] <= 60
    finally:
        context.close()


def test_menu_button_says_whether_it_is_open(browser, demo_server):
    """On a phone the menu button is a button with aria-expanded; Escape closes it."""
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        login(page, demo_server.url, "trainer")
        button = page.get_by_role("button", name="Menu")
        assert button.get_attribute("aria-expanded") == "false"
        observe = page.locator("#site-nav a[href='/trainer/observe']")
        assert not observe.is_visible()
        button.click()
        assert button.get_attribute("aria-expanded") == "true" and observe.is_visible()
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false" and not observe.is_visible()
        button.press("Enter")
        observe.click()
        page.wait_for_url("**/trainer/observe")
    finally:
        context.close()


def _pages(page: Any, base: str) -> list[str]:
    """The menu's pages, plus a person's page from each people list."""
    paths = page.eval_on_selector_all("#site-nav a", "els => els.map(a => a.getAttribute('href'))")
    extra = []
    for listing, pattern in (("/hr/people", "/hr/people/"), ("/admin/users", "/admin/users/")):
        if listing in paths or listing + "/" in paths:
            page.goto(base + listing)
            link = page.locator(f"main a[href^='{pattern}']").first
            if link.count():
                extra.append(link.get_attribute("href"))
    return paths + extra


@pytest.mark.parametrize("lang", sorted(LOCALES))
@pytest.mark.parametrize("user", ROLES)
def test_no_page_is_wider_than_a_phone(browser, demo_server, user, lang):
    """At 390 px every menu page (and a person's page) fits: lists become cards."""
    context = browser.new_context(
        locale=LOCALES[lang], viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, demo_server.url, user)
        wide = []
        for path in _pages(page, demo_server.url):
            page.goto(demo_server.url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                wide.append(f"{path}: {overflow}px")
        assert not wide, f"{user} {lang}: {wide}"
    finally:
        context.close()

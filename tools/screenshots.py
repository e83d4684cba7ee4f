"""Take README screenshots of a running Academy in Debian's Chromium.

    python tools/screenshots.py http://127.0.0.1:8000 [--out docs/screenshots]
        [--shot NAME:PATH:USER[:mobile]] ...
    python tools/screenshots.py http://127.0.0.1:8000 --every [--users zhangwei,trainer,hr,admin]
        [--out /tmp/shots]

Without --shot, takes the standard set. The demo password is used for logins.
--every signs in as each user, in Chinese and English, at 390 and 1280 px, and shots
every page of that user's main menu (plus the menu opened on the phone), printing the
pages wider than the window.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT = [
    "login:/login:",
    "catalogue:/courses/:zhangwei",
    "lesson:/courses/look/reading-the-need:zhangwei",
    "lesson-phone:/courses/speak/taboo-phrases-and-better-words:zhangwei:mobile",
    "admin-users:/admin/users:admin",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--shot", action="append")
    parser.add_argument(
        "--password", default=os.environ.get("ACADEMY_DEMO_PASSWORD", "academy-demo")
    )
    parser.add_argument("--admin-password", default=os.environ.get("ACADEMY_ADMIN_PASSWORD", ""))
    parser.add_argument("--full", action="store_true", help="full-page screenshots")
    parser.add_argument("--every", action="store_true", help="every menu page of every user")
    parser.add_argument("--users", default="zhangwei,trainer,hr,admin")
    args = parser.parse_args()
    if args.every:
        every_page(args)
        return
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for spec in args.shot or DEFAULT:
            name, path, user, *rest = spec.split(":")
            mobile = "mobile" in rest
            context = browser.new_context(
                locale="zh-CN",
                viewport={"width": 390, "height": 844}
                if mobile
                else {"width": 1280, "height": 860},
                device_scale_factor=2 if mobile else 1,
                is_mobile=mobile,
            )
            page = context.new_page()
            if user:
                page.goto(args.base + "/login")
                page.fill("input[name=username]", user)
                password = args.admin_password if user == "admin" else args.password
                page.fill("input[name=password]", password)
                page.click("button[type=submit]")
                page.wait_for_load_state()
            page.goto(args.base + path)
            page.wait_for_load_state()
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=args.full)
            print(target)
            context.close()
        browser.close()


def _login(page, base: str, user: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def every_page(args: argparse.Namespace) -> None:
    """Every menu page of every user, both languages, phone and desk."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wide: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for user in args.users.split(","):
            password = args.admin_password if user == "admin" else args.password
            for lang, locale in (("zh", "zh-CN"), ("en", "en-US")):
                for width in (390, 1280):
                    mobile = width < 600
                    context = browser.new_context(
                        locale=locale,
                        viewport={"width": width, "height": 844 if mobile else 860},
                        is_mobile=mobile,
                        has_touch=mobile,
                    )
                    page = context.new_page()
                    _login(page, args.base, user, password)
                    page.request.post(
                        args.base + "/language",
                        form={
                            "lang": "zh_Hans" if lang == "zh" else "en",
                            "csrf_token": page.locator("meta[name=csrf-token]").get_attribute(
                                "content"
                            ),
                            "next": "/",
                        },
                    )
                    page.reload()
                    hrefs = page.eval_on_selector_all(
                        ".site-nav a", "els => els.map(a => a.getAttribute('href'))"
                    )
                    if mobile:
                        page.click(".menu-button")
                        target = out / f"{user}-menu-{lang}-{width}.png"
                        page.screenshot(path=str(target))
                        print(target)
                    for href in hrefs:
                        page.goto(args.base + href)
                        page.wait_for_load_state()
                        name = href.strip("/").replace("/", "_") or "home"
                        target = out / f"{user}-{name}-{lang}-{width}.png"
                        page.screenshot(path=str(target), full_page=args.full)
                        overflow = page.evaluate(
                            "document.documentElement.scrollWidth - window.innerWidth"
                        )
                        if overflow > 0:
                            wide.append(f"{target.name}: {overflow}px too wide")
                        print(target)
                    context.close()
        browser.close()
    for line in wide:
        print("WIDE", line)


if __name__ == "__main__":
    main()

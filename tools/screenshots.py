"""Take README screenshots of a running Academy in Debian's Chromium.

    python tools/screenshots.py http://127.0.0.1:8000 [--out docs/screenshots]
        [--shot NAME:PATH:USER[:mobile]] ...

Without --shot, takes the standard set. The demo password is used for logins.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
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
    parser.add_argument("--password", default=os.environ.get("ACADEMY_DEMO_PASSWORD", "academy-demo"))
    parser.add_argument("--admin-password", default=os.environ.get("ACADEMY_ADMIN_PASSWORD", ""))
    parser.add_argument("--full", action="store_true", help="full-page screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for spec in args.shot or DEFAULT:
            name, path, user, *rest = spec.split(":")
            mobile = "mobile" in rest
            context = browser.new_context(
                locale="zh-CN",
                viewport={"width": 390, "height": 844} if mobile else {"width": 1280, "height": 860},
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


if __name__ == "__main__":
    main()

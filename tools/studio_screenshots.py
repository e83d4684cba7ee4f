"""Screenshots of the authoring studio for docs/authoring.md (Debian's Chromium).

    python tools/studio_screenshots.py http://127.0.0.1:8000 [--out docs/screenshots/studio]

Signs in as the demo trainer, opens one published lesson and one drill in the
studio and photographs each studio page at 390 and 1280 px, in Chinese and English.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 900}}
LOCALES = {"zh": "zh-CN", "en": "en-US"}


def open_document(page, base: str, kind: str) -> str:
    page.goto(base + "/studio/")
    form = page.locator(f"form[action*='/studio/open/{kind}/']").first
    form.locator("button").click()
    page.wait_for_load_state()
    return re.search(r"/studio/(\d+)", page.url).group(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--out", default="docs/screenshots/studio")
    parser.add_argument("--user", default="trainer")
    parser.add_argument("--password", default=os.environ.get("ACADEMY_DEMO_PASSWORD", "academy-demo"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for lang, locale in LOCALES.items():
            for size, viewport in SIZES.items():
                context = browser.new_context(locale=locale, viewport=viewport)
                page = context.new_page()
                page.goto(args.base + "/login")
                page.fill("input[name=username]", args.user)
                page.fill("input[name=password]", args.password)
                page.click("button[type=submit]")
                page.wait_for_load_state()
                lesson = open_document(page, args.base, "module")
                drill = open_document(page, args.base, "drill")
                page.goto(f"{args.base}/studio/{drill}/drill")
                node = page.locator("a[href*='/drill/node/']").first.get_attribute("href")
                pages = {
                    "index": "/studio/",
                    "lesson": f"/studio/{lesson}",
                    "quiz": f"/studio/{lesson}/quiz",
                    "question": f"/studio/{lesson}/quiz/1",
                    "drill": f"/studio/{drill}/drill",
                    "node": node,
                    "history": f"/studio/{lesson}/history",
                    "import": "/studio/import",
                }
                for name, path in pages.items():
                    page.goto(args.base + path if path.startswith("/") else path)
                    page.wait_for_load_state()
                    target = out / f"{name}-{size}-{lang}.png"
                    page.screenshot(path=str(target), full_page=size == "desk")
                    print(target)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()

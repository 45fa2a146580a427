"""Take the README screenshots from a running demo: python scripts/screenshots.py [BASE_URL] [OUT_DIR].

Uses Debian's chromium through Playwright (no downloaded browser)."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PAGES = [
    # (file name, path, demo user or None)
    ("home.png", "/", None),
    ("area-schadewijk.png", "/gebieden/WK082801", None),
    ("area-buurt-mettegeupel.png", "/gebieden/BU08280402", None),
    ("clustering-compare.png", "/indelingen/vergelijken?a=wijkzaken&b=ibor", "demo-coordinator"),
    ("clustering-detail.png", "/indelingen/wijkzaken", "demo-coordinator"),
    ("lookup.png", "/opzoeken?lon=5.53&lat=51.765", None),
    ("login-demo.png", "/inloggen", None),
]


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    extra = sys.argv[3:]  # optional extra "name.png=/path=user" items (user may be empty)
    pages = list(PAGES)
    for item in extra:
        name, rest = item.split("=", 1)
        path, user = rest.rsplit("=", 1)
        pages.append((name, path, user or None))
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, path, user in pages:
            ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page = ctx.new_page()
            if user:
                page.goto(base + "/inloggen")
                page.fill("#id_username", user)
                page.fill("#id_password", "wijkwijs-demo")
                page.click("button[type=submit].utrecht-button")
            page.goto(base + path)
            page.wait_for_timeout(800)
            page.screenshot(path=str(out / name), full_page=True)
            ctx.close()
            print(out / name)
        browser.close()


if __name__ == "__main__":
    main()

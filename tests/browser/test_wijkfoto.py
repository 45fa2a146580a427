"""The wijkfoto and the upload preview in headless chromium, checked with axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

from pathlib import Path

OSS = Path(__file__).resolve().parents[2] / "src" / "wijkwijs" / "demo" / "data" / "cbs" / "kwb_2024_oss.csv"


def login(page, base: str, username: str) -> None:
    page.goto(base + "/inloggen")
    page.fill("#id_username", username)
    page.fill("#id_password", "wijkwijs-demo")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_wijkfoto_public_and_staff(demo_server, page, assert_no_axe_violations, console_errors, blocked_requests):
    page.goto(demo_server + "/gebieden/WK082801")
    page.locator("a[href='/gebieden/WK082801/wijkfoto']").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Wijkfoto Schadewijk"
    assert page.locator("svg.ww-chart[role=img]").count() >= 4  # pyramid, trends, map
    assert page.locator("button[data-print]").is_visible()  # shown by JavaScript
    page.locator(".ww-chart-table summary").first.click()
    assert_no_axe_violations(page, "wijkfoto (public)")
    login(page, demo_server, "demo-coordinator")
    page.goto(demo_server + "/gebieden/WK082801/wijkfoto?kaart=demo_veiligheidsgevoel")
    assert "Indrukken uit het gebied" in page.locator("main").inner_text()
    assert_no_axe_violations(page, "wijkfoto (staff)")
    page.emulate_media(media="print")
    assert not page.locator(".ww-wijkfoto__actions").is_visible()
    assert console_errors == [] and blocked_requests == []


def test_wijkfoto_reads_without_javascript(demo_server, chromium_browser):
    ctx = chromium_browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = ctx.new_page()
    page.goto(demo_server + "/gebieden/BU08280200/wijkfoto")
    text = page.locator("main").inner_text()
    assert "minder dan 50 inwoners" in text  # small-number protection for the public
    ctx.close()


def test_upload_preview_is_accessible(demo_server, page, assert_no_axe_violations, tmp_path):
    login(page, demo_server, "demo-beheerder")
    page.goto(demo_server + "/monitor/inlezen/cbs")
    assert_no_axe_violations(page, "CBS upload form")
    lines = OSS.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "kwb-2024-centrum.csv"
    path.write_text("\n".join([lines[0], lines[2].replace(",6245,", ",6250,", 1)]), encoding="utf-8")
    page.set_input_files("#id_files", str(path))
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "Er is nog niets opgeslagen" in page.locator("main").inner_text()
    assert_no_axe_violations(page, "CBS upload preview")
    page.locator("button[value=cancel]").click()
    page.wait_for_load_state()
    assert "geannuleerd" in page.locator("main").inner_text()

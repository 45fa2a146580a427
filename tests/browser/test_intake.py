"""The resident's intake flow in headless chromium: report on the map, get a code, follow it.

Checked with axe-core (WCAG 2.1 A/AA) on the form, the status page and the staff pages.
"""

from __future__ import annotations

import re


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/inloggen")
    page.fill("#id_username", username)
    page.fill("#id_password", "wijkwijs-demo")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_resident_reports_gets_a_code_and_sees_the_status(demo_server, page, assert_no_axe_violations, console_errors):
    page.goto(demo_server + "/melden")
    page.wait_for_selector(".ww-map[data-state=ready]", timeout=15000)
    assert_no_axe_violations(page, "intake form")
    page.fill("#id_description", "De lantaarnpaal bij de speeltuin is al dagen kapot, het is erg donker.")
    page.locator(".ww-map").scroll_into_view_if_needed()
    box = page.locator(".ww-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("document.getElementById('id_lon').value !== ''", timeout=5000)
    assert page.input_value("#id_lon") and page.input_value("#id_lat")
    page.locator("#intake-form button[type=submit]").click()
    page.wait_for_url("**/melden/status/M-*")
    code = re.search(r"M-[0-9A-Z]{4}-[0-9A-Z]{4}", page.url).group(0)
    assert code in page.locator(".ww-messages").inner_text()
    assert page.locator("#history li").count() >= 1
    assert "lantaarnpaal" not in page.locator("main").inner_text()  # no description on the public page
    assert_no_axe_violations(page, "status page")
    page.goto(demo_server + "/melden/status")
    page.fill("#id_code", code.lower())
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/melden/status/{code}")
    assert console_errors == []


def test_form_errors_are_shown_next_to_the_fields(demo_server, page, assert_no_axe_violations):
    page.goto(demo_server + "/melden")
    page.locator("#intake-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert page.locator(".utrecht-form-field--invalid").count() >= 2
    assert_no_axe_violations(page, "intake form with errors")


def test_staff_pages_are_accessible(demo_server, page, assert_no_axe_violations):
    _login(page, demo_server, "demo-medewerker")
    for path in ("/werkvoorraad", "/werkvoorraad/geescaleerd", "/werkvoorraad/routering", "/doorlooptijden",
                 "/werkvoorraad/invoeren"):
        page.goto(demo_server + path)
        assert page.locator("h1").count() == 1, path
        assert_no_axe_violations(page, path)
    link = page.goto(demo_server + "/werkvoorraad?scope=all")
    first = page.locator("table a[href^='/werkvoorraad/']").first
    if first.count():
        first.click()
        page.wait_for_load_state()
        assert_no_axe_violations(page, "item page")
    assert link is not None

"""The foundation's pages in headless chromium, checked with axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import pytest


def login(page, base: str, username: str) -> None:
    page.goto(base + "/inloggen")
    page.fill("#id_username", username)
    page.fill("#id_password", "wijkwijs-demo")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def wait_for_map(page) -> None:
    page.wait_for_selector(".ww-map[data-state=ready]", timeout=15000)


def test_home_shows_the_map_and_all_areas(demo_server, page, assert_no_axe_violations, console_errors):
    page.goto(demo_server + "/")
    wait_for_map(page)
    assert page.locator("h1").inner_text().startswith("Gebieden")
    assert page.locator("table a[href^='/gebieden/WK']").count() == 23
    assert page.locator("table a[href^='/gebieden/BU']").count() == 106
    assert page.locator(".ww-map .leaflet-interactive").count() == 23
    assert_no_axe_violations(page, "home page")
    assert console_errors == []


def test_area_page_from_the_map(demo_server, page, assert_no_axe_violations, console_errors):
    page.goto(demo_server + "/gebieden/WK082801")
    wait_for_map(page)
    assert page.locator("h1").inner_text() == "Schadewijk"
    assert "10.575" in page.locator("main").inner_text()
    assert page.locator(".ww-map .leaflet-interactive").count() == 7  # its buurten
    assert_no_axe_violations(page, "area page")
    page.goto(demo_server + "/gebieden/BU08280402")
    wait_for_map(page)
    assert_no_axe_violations(page, "buurt page")
    assert console_errors == []


def test_clustering_comparison_for_staff(demo_server, page, assert_no_axe_violations):
    login(page, demo_server, "demo-coordinator")
    page.goto(demo_server + "/indelingen/vergelijken?a=wijkzaken&b=vth")
    wait_for_map(page)
    assert page.locator("table.ww-matrix").count() == 1
    assert_no_axe_violations(page, "clustering comparison")


@pytest.mark.parametrize("path", ["/opzoeken?lon=5.53&lat=51.765", "/inloggen", "/monitor/kaart?indicator=k_65JaarOfOuder&level=BU"])
def test_other_public_pages_are_accessible(demo_server, page, assert_no_axe_violations, path):
    page.goto(demo_server + path)
    assert_no_axe_violations(page, path)


def test_lookup_by_clicking_the_map(demo_server, page):
    page.goto(demo_server + "/opzoeken")
    wait_for_map(page)
    box = page.locator(".ww-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/opzoeken?*")
    assert "/gebieden/WK0828" in page.content()

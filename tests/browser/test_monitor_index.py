"""Index, ranking and change-report pages in headless chromium, checked with axe-core."""

from __future__ import annotations


def _goto(page, url: str) -> None:
    """The first request may come before a loaded machine has the demo server listening."""
    for attempt in range(20):
        try:
            page.goto(url)
            return
        except Exception:
            if attempt == 19:
                raise
            page.wait_for_timeout(1000)


def test_index_of_a_wijk_is_explained_and_accessible(demo_server, page, assert_no_axe_violations, console_errors):
    _goto(page, demo_server + "/monitor/index/WK082801")
    assert page.locator("h1").inner_text() == "Index van Schadewijk"
    assert page.locator("table tbody tr").count() == 6
    assert_no_axe_violations(page, "index of a wijk")
    page.goto(demo_server + "/monitor/index")
    assert page.locator("table tbody tr").count() == 23
    assert_no_axe_violations(page, "index overview")
    assert console_errors == []


def test_change_report_and_ranking_are_accessible(demo_server, page, assert_no_axe_violations):
    _goto(page, demo_server + "/monitor/veranderingen")
    assert page.locator("table.ww-changes tbody tr").count() > 5
    assert_no_axe_violations(page, "change report")
    page.goto(demo_server + "/inloggen")
    page.fill("#id_username", "demo-gebiedsmanager")
    page.fill("#id_password", "wijkwijs-demo")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(demo_server + "/monitor/prioriteiten")
    assert page.locator("table tbody tr").count() == 23
    assert_no_axe_violations(page, "priority ranking")
    page.fill("#id_t_sociaal", "-1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "minstens 0" in page.content()

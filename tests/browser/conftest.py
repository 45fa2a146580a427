"""Fixtures for browser tests (Playwright driving Debian's Chromium, headless).

- ``chromium_browser`` (session): skipped with a reason when /usr/bin/chromium (or
  $WIJKWIJS_CHROMIUM) or the playwright package is missing, unless
  WIJKWIJS_REQUIRE_BROWSER=1, then the run fails instead.
- ``page``: a fresh context per test (locale nl-NL, viewport 1280x900, CSP bypassed so
  axe can be injected). Requests to any host other than this machine are aborted and
  listed in ``blocked_requests`` (nothing may load from a CDN). On failure a screenshot
  goes to test-results/browser/.
- ``console_errors``: JavaScript errors and console.error messages of ``page``.
- ``assert_no_axe_violations(page, context_label)``: runs the vendored axe-core with the
  WCAG 2.1 A/AA tags and fails listing each violation.

Pages are served by pytest-django's ``live_server``:

    def test_home(live_server, page, assert_no_axe_violations):
        page.goto(live_server.url + "/")
        assert_no_axe_violations(page, "home page")
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

try:  # tests/browser as a package or as a plain directory on sys.path
    from . import browser_helpers as helpers
except ImportError:
    import browser_helpers as helpers  # type: ignore[no-redef]

# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM
# calls from that thread ("You cannot call this from an async context"). Test set-up code
# that creates rows next to a live browser is safe, so allow it for browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOT_DIR = helpers.REPO_ROOT / "test-results" / "browser"
_HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium (tests/browser)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


def _unavailable(reason: str) -> None:
    if helpers.browser_required():
        pytest.fail(f"{reason} (WIJKWIJS_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright, shared by the whole session."""
    executable = helpers.chromium_path()
    if not os.path.exists(executable):
        _unavailable(
            f"{executable} not found: install Debian's chromium (apt-get install -y chromium); "
            "browsers from 'playwright install' are not used"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -e '.[dev]')")
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(
            executable_path=executable, headless=True, args=list(helpers.CHROMIUM_ARGS)
        )
    except Exception:
        manager.stop()
        raise
    try:
        yield browser
    finally:
        browser.close()
        manager.stop()


@pytest.fixture
def blocked_requests() -> list[str]:
    """URLs of requests to other hosts that ``page`` aborted (should stay empty)."""
    return []


@pytest.fixture
def page(
    chromium_browser: Any, blocked_requests: list[str], request: pytest.FixtureRequest
) -> Iterator[Any]:
    """A new page in a fresh browser context (nl-NL, 1280x900) for each test."""
    context = chromium_browser.new_context(
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,
    )
    context.set_default_timeout(10_000)

    def guard(route: Any) -> None:
        url = route.request.url
        if helpers.is_local_url(url):
            route.continue_()
        else:
            blocked_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    try:
        yield pg
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
            with contextlib.suppress(Exception):  # best effort only
                pg.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
        context.close()


@pytest.fixture
def console_errors(page: Any) -> list[str]:
    """Collects uncaught page errors and console.error messages from ``page``."""
    errors: list[str] = []

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            errors.append(f"console.error: {msg.text}")

    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", on_console)
    return errors


@pytest.fixture
def assert_no_axe_violations() -> Callable[..., None]:
    """``assert_no_axe_violations(page, context_label, include=..., exclude=...)``."""
    return helpers.assert_no_axe_violations

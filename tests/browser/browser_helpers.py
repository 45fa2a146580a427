"""Helpers for the browser tests: launching Debian's Chromium and running axe-core.

No Django import here. The fixtures in ``conftest.py`` use these; tests normally use the
fixtures (``page``, ``assert_no_axe_violations``) and import nothing from this module.

Browsers downloaded by ``playwright install`` are not used (and not allowed): Playwright
drives the system Chromium from Debian's ``chromium`` package.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "src" / "wijkwijs" / "static" / "vendor" / "axe-core" / "axe.min.js"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
WCAG_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})

REQUIRE_ENV = "WIJKWIJS_REQUIRE_BROWSER"
CHROMIUM_ENV = "WIJKWIJS_CHROMIUM"


def chromium_path() -> str:
    """Path of the Chromium binary: $WIJKWIJS_CHROMIUM or /usr/bin/chromium."""
    return os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)


def browser_required() -> bool:
    """True when a missing browser must fail the run instead of skipping (CI)."""
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in {"1", "true", "yes"}


def is_local_url(url: str) -> bool:
    """True for URLs the browser may load in tests: this machine or inline data."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


def run_axe(
    page: Any,
    *,
    tags: tuple[str, ...] = WCAG_TAGS,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    disable_rules: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Inject the vendored axe-core into ``page`` and return the violations list."""
    if not AXE_PATH.is_file():
        raise FileNotFoundError(f"{AXE_PATH} is missing; run scripts/vendor-assets.sh")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": list(tags)},
        "resultTypes": ["violations"],
    }
    if disable_rules:
        options["rules"] = {rule: {"enabled": False} for rule in disable_rules}
    context: dict[str, Any] = {}
    if include:
        context["include"] = [[sel] for sel in include]
    if exclude:
        context["exclude"] = [[sel] for sel in exclude]
    result = page.evaluate(
        """async ([context, options]) => {
            const ctx = Object.keys(context).length ? context : document;
            const r = await window.axe.run(ctx, options);
            return r.violations;
        }""",
        [context, options],
    )
    return list(result)


def format_violations(violations: list[dict[str, Any]], context_label: str) -> str:
    """Readable report: one block per rule with impact, help and the failing targets."""
    lines = [f"{len(violations)} axe violation(s) on {context_label}:"]
    for v in violations:
        lines.append(
            f"- {v['id']} [{v.get('impact') or 'n/a'}]: {v['help']} ({v.get('helpUrl', '')})"
        )
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    target: {target}")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_no_axe_violations(
    page: Any,
    context_label: str,
    *,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    disable_rules: list[str] | None = None,
) -> None:
    """Fail (AssertionError) if axe-core finds WCAG 2.1 A/AA violations on the page."""
    violations = run_axe(page, include=include, exclude=exclude, disable_rules=disable_rules)
    if violations:
        raise AssertionError(format_violations(violations, context_label))

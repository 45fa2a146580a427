"""PDF rendering with WeasyPrint (HTML + CSS to PDF).

WeasyPrint needs Pango (and its GObject/HarfBuzz/fontconfig libraries) from the operating
system. Where they are missing, ``import weasyprint`` fails with OSError; ``available()`` is
then False and the pages say so (HTTP 503 with an explanation) instead of failing with a 500.
The renderer fetches nothing over the network: the stylesheet is inlined and every other URL
is refused.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

STYLESHEETS = ("wijkwijs/wijkfoto-pdf.css",)


@lru_cache(maxsize=1)
def _load() -> tuple[Any, str]:
    try:
        import weasyprint  # noqa: PLC0415
    except ImportError as exc:
        return None, f"the Python package weasyprint is not installed ({exc})"
    except OSError as exc:  # the system libraries (Pango, GObject) are missing
        return None, f"WeasyPrint's system libraries are missing: {exc}"
    return weasyprint, ""


def available() -> bool:
    return _load()[0] is not None


def unavailable_reason() -> str:
    return _load()[1]


def stylesheet() -> str:
    from django.contrib.staticfiles import finders  # noqa: PLC0415

    parts = []
    for name in STYLESHEETS:
        path = finders.find(name)
        if path:
            parts.append(Path(str(path)).read_text(encoding="utf-8"))
    return "\n".join(parts)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"not fetched while rendering a PDF: {url}")


def render(html: str) -> bytes:
    weasyprint, reason = _load()
    if weasyprint is None:
        raise RuntimeError(reason)
    return weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf()

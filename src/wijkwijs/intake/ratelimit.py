"""The intake's rate limit on public submissions: ``core.ratelimit`` with ``INTAKE_RATE_LIMIT``
("count/period", default "30/h"; empty switches it off). Only unsafe methods (POST) count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from wijkwijs.core import ratelimit


def _rate() -> str:
    return str(getattr(settings, "INTAKE_RATE_LIMIT", "30/h"))


def hit(request: HttpRequest, scope: str) -> bool:
    """Count a request; True when it is over the limit."""
    return ratelimit.hit(request, f"intake-{scope}", _rate())


def limited(scope: str, on_limit: Callable[[HttpRequest], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return ratelimit.limited(f"intake-{scope}", on_limit, _rate)

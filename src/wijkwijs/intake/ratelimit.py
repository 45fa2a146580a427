"""A small fixed-window rate limit on Django's cache, per client address and scope.

``INTAKE_RATE_LIMIT`` is "count/period" with period s, m, h or d (default "30/h"); empty
switches it off. Only unsafe methods (POST) count.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse(rate: str) -> tuple[int, int] | None:
    if not rate:
        return None
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[-1:] or "h"]


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def hit(request: HttpRequest, scope: str) -> bool:
    """Count a request; True when it is over the limit."""
    limit = parse(str(getattr(settings, "INTAKE_RATE_LIMIT", "30/h")))
    if limit is None or request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    count, period = limit
    window = int(time.time() // period)
    key = f"intake-rl:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=period + 5)
    try:
        current = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=period + 5)
        current = 1
    return current > count


def limited(scope: str, on_limit: Callable[[HttpRequest], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if hit(request, scope):
                return on_limit(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

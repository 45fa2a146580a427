"""A small fixed-window rate limit on Django's cache, per client address and scope.

A rate is "count/period" with period s, m, h or d ("30/h"); an empty rate switches the limit
off. Two ways to use it:

* ``hit(request, scope, rate)`` counts an unsafe request (POST) and says whether it is over the
  limit: for submissions, where every request costs something (intake forms and APIs).
* ``exceeded(request, scope, rate)`` only looks, and ``count(request, scope, rate)`` counts: for
  guessing guards that count *failed* attempts only (voting and cheque codes), so a library
  computer on which many residents vote in turn is not locked out by their valid codes.

The cache is per process with the default local-memory backend; with several processes use a
shared cache (``CACHES``) for the limit to hold across them.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SAFE = ("GET", "HEAD", "OPTIONS")


def parse(rate: str) -> tuple[int, int] | None:
    """``"30/h"`` -> ``(30, 3600)``; empty -> None (no limit). A bad rate is a configuration error."""
    rate = (rate or "").strip()
    if not rate:
        return None
    count, _, period = rate.partition("/")
    unit = period.strip()[-1:] or "h"
    if unit not in _PERIODS or not count.strip().isdigit():
        raise ValueError(f"rate limit {rate!r}: expected count/period with period s, m, h or d, like 30/h")
    return int(count), _PERIODS[unit]


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _key(request: HttpRequest, scope: str, period: int) -> str:
    return f"rl:{scope}:{client_ip(request)}:{int(time.time() // period)}"


def count(request: HttpRequest, scope: str, rate: str) -> int:
    """Add one to this client's count in the current window; returns the new count (0: no limit)."""
    limit = parse(rate)
    if limit is None:
        return 0
    key = _key(request, scope, limit[1])
    cache.add(key, 0, timeout=limit[1] + 5)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit[1] + 5)
        return 1


def exceeded(request: HttpRequest, scope: str, rate: str) -> bool:
    """Whether this client has used up the current window, without counting."""
    limit = parse(rate)
    if limit is None:
        return False
    return int(cache.get(_key(request, scope, limit[1]), 0)) >= limit[0]


def hit(request: HttpRequest, scope: str, rate: str) -> bool:
    """Count an unsafe request; True when it is over the limit. Safe methods never count."""
    if request.method in _SAFE:
        return False
    limit = parse(rate)
    return limit is not None and count(request, scope, rate) > limit[0]


def limited(scope: str, on_limit: Callable[[HttpRequest], Any],
            rate: Callable[[], str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: ``on_limit(request)`` answers instead of the view when ``hit`` says so.
    ``rate`` is read per request, so settings overrides in tests apply."""
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if hit(request, scope, rate()):
                return on_limit(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

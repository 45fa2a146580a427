"""A guard against guessing voting and cheque codes.

Wrong codes are counted per client address (``core.ratelimit``, setting ``CODE_ATTEMPT_LIMIT``,
default 20 per hour); once the window is used up, code entry from that address pauses until the
next window. Valid codes never count, so a library computer on which many residents vote in turn
keeps working. Codes have 12 characters from 31 (about 10^18 possibilities), so the guard is a
second line of defence, and it keeps the logs free of scripted guessing.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wijkwijs.core import ratelimit

MESSAGE = _("Too many wrong codes were entered from this connection. Please try again in an hour, "
            "or ask the municipality for help.")


def _rate() -> str:
    return str(getattr(settings, "CODE_ATTEMPT_LIMIT", "20/h"))


def blocked(request: HttpRequest, scope: str) -> bool:
    """Whether code entry for this scope ("vote", "cheque") is paused for this client."""
    return ratelimit.exceeded(request, f"code-{scope}", _rate())


def failed(request: HttpRequest, scope: str) -> None:
    """Count one wrong code."""
    ratelimit.count(request, f"code-{scope}", _rate())

"""Time is a parameter: services take ``now``; callers at the edge pass :func:`now`."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()

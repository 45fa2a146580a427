"""Budgeting tests. ``SHARED``: the real pabulib instances and pabutools' recorded outcomes
(``../shared/data/pabulib``; CI has it; some tests skip without it)."""

from pathlib import Path

SHARED = Path("/work/shared/data/pabulib")

"""CBS area codes: GM0828, WK082801, BU08280101. Pure functions, no Django."""

from __future__ import annotations

import re

_PATTERNS = {
    "GM": re.compile(r"^GM\d{4}$"),
    # Since 2023 CBS allows letters in the wijk and buurt part (Amsterdam: WK0363AA, BU0363AA01).
    "WK": re.compile(r"^WK\d{4}[0-9A-Z]{2}$"),
    "BU": re.compile(r"^BU\d{4}[0-9A-Z]{4}$"),
}


def normalise(code: str) -> str:
    return code.strip().upper()


def level_of(code: str) -> str | None:
    """'GM', 'WK' or 'BU' for a well-formed CBS code, else None."""
    code = normalise(code)
    pattern = _PATTERNS.get(code[:2])  # the prefix names the only pattern that can match
    return code[:2] if pattern is not None and pattern.match(code) else None


def parent_code(code: str) -> str | None:
    """The code of the enclosing area as CBS encodes it: BU08280101 -> WK082801 -> GM0828."""
    code = normalise(code)
    return parent_at(code, level_of(code))


def parent_at(code: str, level: str | None) -> str | None:
    """``parent_code`` for a normalised ``code`` whose ``level`` is known already."""
    if level == "BU":
        return "WK" + code[2:8]
    if level == "WK":
        return "GM" + code[2:6]
    return None

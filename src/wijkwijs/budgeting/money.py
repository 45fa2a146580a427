"""Parsing and formatting of euro amounts as people type them (pure: no Django)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


class AmountError(ValueError):
    """The text is not an amount of money."""


def parse_amount(text: str) -> Decimal:
    """``"1.234.567,89"``, ``"1234567.89"``, ``"€ 12.500"`` and ``"7,50"`` are all amounts.

    Dutch notation first: a comma is the decimal separator when present; dots followed by
    groups of exactly three digits are thousands separators (``12.500`` is twelve thousand five
    hundred). Otherwise a single dot is a decimal point. At most two decimals.
    """
    raw = (text or "").strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    if not raw:
        raise AmountError("empty")
    if "," in raw and "." in raw:
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        if raw.count(",") > 1:
            raise AmountError(text)
        raw = raw.replace(",", ".")
    elif _THOUSANDS_DOT.match(raw):
        raw = raw.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", raw):
        raise AmountError(text)
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules this out
        raise AmountError(text) from exc
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(value: Decimal | int | float | None, *, decimals: int = 2) -> str:
    """Dutch notation: ``€ 1.234.567,89``; ``decimals=0`` rounds to whole euros."""
    if value is None:
        return "–"
    q = Decimal(value).quantize(Decimal(1) if decimals == 0 else CENT, rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    if decimals:
        text += "," + (frac + "00")[:2]
    return f"{sign}€ {text}"


def format_short(value: Decimal | int | float) -> str:
    """Compact Dutch amount for chart labels: ``€ 1,2 mln``, ``€ 350.000``."""
    v = float(value)
    if abs(v) >= 1_000_000:
        return f"€ {v / 1_000_000:.1f} mln".replace(".", ",")
    return format_amount(Decimal(str(v)), decimals=0)

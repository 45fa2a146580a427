"""Template filters for money in the register, voucher and handgeld pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from wijkwijs.budgeting.money import format_amount, format_short

register = template.Library()


@register.filter
def euro(value: Any) -> str:
    """``€ 1.234,50``."""
    return format_amount(value)


@register.filter
def euro0(value: Any) -> str:
    """``€ 1.235`` (whole euros)."""
    return format_amount(value, decimals=0)


@register.filter
def euro_short(value: Any) -> str:
    """``€ 1,2 mln`` or ``€ 350.000``; an en dash for nothing."""
    return format_short(value) if value else "–"


@register.filter
def ratio(part: Any, whole: Any) -> float:
    """``part / whole`` between 0 and 1 (0 when the whole is zero), for bars and percentages."""
    try:
        whole = Decimal(whole)
        return float(min(max(Decimal(part) / whole, Decimal(0)), Decimal(1))) if whole else 0.0
    except (TypeError, ArithmeticError, ValueError):
        return 0.0


@register.filter
def pct_width(value: Any) -> str:
    """A share (0..1) as a CSS percentage for a bar width."""
    return f"{float(value or 0) * 100:.1f}%"

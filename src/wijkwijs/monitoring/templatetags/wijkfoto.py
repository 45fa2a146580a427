"""Number formatting for the wijkfoto: as many decimals as the value needs (at most two)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    """``10575.0`` -> ``10.575``; ``12.5`` -> ``12,5``; None -> an en dash (locale-aware)."""
    if value is None or value == "":
        return "–"
    if not isinstance(value, (int, float)):
        return str(value)
    v = float(value)
    digits = 0 if v.is_integer() else (1 if round(v, 1) == v else 2)
    return floatformat(v, f"{digits}g")


@register.filter
def signed(value: Any) -> str:
    """A change with its sign: ``+120``, ``-3,5``; None -> an en dash."""
    if value is None:
        return "–"
    text = figure(value)
    return text if float(value) < 0 or text.startswith("-") else ("±" + text if float(value) == 0 else "+" + text)

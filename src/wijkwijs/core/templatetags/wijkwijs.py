from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ dict|get_item:key }}``: look up a key that is itself a variable."""
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def percent(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{float(value) * 100:.{digits}f}%".replace(".", ",")


@register.filter
def number(value: Any, digits: int = 0) -> str:
    """A number with the locale's grouping (10.575 in Dutch), or an en dash for missing."""
    if value is None or value == "":
        return "–"
    if not isinstance(value, (int, float)):
        return str(value)
    return floatformat(value, f"{digits}g")

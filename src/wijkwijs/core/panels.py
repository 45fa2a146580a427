"""A small registry of panels that higher apps add to pages of lower apps.

The area page belongs to the area register, but the monitor, the intake and the budgets each
have something to show on it. Lower layers may not import higher ones, so a higher app
registers a panel here in its ``AppConfig.ready`` and the page renders whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

ContextFn = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str
    name: str
    template: str
    context: ContextFn
    order: int = 100


_PANELS: dict[str, dict[str, Panel]] = {}


def register(panel: Panel) -> None:
    _PANELS.setdefault(panel.slot, {})[panel.name] = panel


def render_context(slot: str, request: HttpRequest, obj: Any) -> list[dict[str, Any]]:
    """Context for every panel in ``slot``; a panel returning None is left out."""
    out = []
    for panel in sorted(_PANELS.get(slot, {}).values(), key=lambda p: (p.order, p.name)):
        ctx = panel.context(request, obj)
        if ctx is not None:
            out.append({"name": panel.name, "template": panel.template, "context": ctx})
    return out


@dataclass(frozen=True)
class Column:
    """An extra column in area lists (for example the population, from the monitor)."""

    name: str
    label: str
    values: Callable[[list[str]], dict[str, Any]]
    order: int = 100


_COLUMNS: dict[str, Column] = {}


def register_column(column: Column) -> None:
    _COLUMNS[column.name] = column


def columns() -> list[Column]:
    return sorted(_COLUMNS.values(), key=lambda c: (c.order, c.name))

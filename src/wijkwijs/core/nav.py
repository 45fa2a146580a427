"""Main-menu entries that apps register in ``AppConfig.ready`` (lower layers cannot link up)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    perm: str = ""  # shown only to users with this permission ("" = everyone)
    #: view-name prefixes that also mark the item as current (e.g. "areas:clustering")
    sections: tuple[str, ...] = ()


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.url_name] = item


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    out = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.url_name)):
        if item.perm and not request.user.has_perm(item.perm):
            continue
        current = view_name == item.url_name or any(view_name.startswith(p) for p in item.sections)
        out.append({"label": item.label, "url": reverse(item.url_name), "current": current})
    return out

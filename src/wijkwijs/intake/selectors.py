"""Reads on the intake: queues, items, public status, escalations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from wijkwijs.core.errors import NotFound
from wijkwijs.intake.models import (
    OPEN_STATES,
    RUNNING_STATES,
    Escalation,
    Item,
    Message,
    State,
    StatusChange,
)


def items_all() -> QuerySet[Item]:
    return Item.objects.select_related("owner", "owner_department", "buurt", "wijk")


def item_get(pk: int) -> Item:
    item = items_all().filter(pk=pk).first()
    if item is None:
        raise NotFound("melding bestaat niet")
    return item


def item_by_code(code: str) -> Item:
    item = items_all().filter(tracking_code=code.strip().upper()).first()
    if item is None:
        raise NotFound("melding bestaat niet")
    return item


def overdue_q(now: datetime) -> Q:
    """Open, clock running and the current deadline passed."""
    running = Q(state__in=RUNNING_STATES)
    triage = Q(owner_department__isnull=True, state=State.NEW, triage_due__lt=now)
    first = Q(first_response_at__isnull=True, first_response_due__lt=now) & ~Q(owner_department__isnull=True, state=State.NEW)
    resolution = Q(first_response_at__isnull=False, resolution_due__lt=now)
    return running & (triage | first | resolution)


def queue(
    *, scope: str, user: Any = None, department: Any = None, area: Any = None, include_done: bool = False
) -> QuerySet[Item]:
    """Work queues: ``department``, ``area`` (buurt or wijk), ``mine`` or ``no_owner``."""
    qs = items_all()
    if not include_done:
        qs = qs.filter(state__in=OPEN_STATES)
    if scope == "mine":
        qs = qs.filter(owner=user)
    elif scope == "department":
        qs = qs.filter(owner_department=department)
    elif scope == "area":
        qs = qs.filter(Q(buurt=area) | Q(wijk=area))
    elif scope == "no_owner":
        qs = qs.filter(owner_department__isnull=True)
    return qs.order_by("resolution_due", "pk")


def no_owner_count() -> int:
    return Item.objects.filter(owner_department__isnull=True, state__in=OPEN_STATES).count()


def history(item: Item, *, public_only: bool) -> list[StatusChange]:
    qs = item.status_changes.all()
    if public_only:
        qs = qs.filter(public=True)
    return list(qs.select_related("actor"))


def messages(item: Item, *, public_only: bool) -> list[Message]:
    qs = item.messages.all()
    if public_only:
        qs = qs.filter(public=True)
    return list(qs.select_related("actor"))


@dataclass(frozen=True)
class PublicStatus:
    """What anyone with the tracking code may see: no personal data."""

    code: str
    kind: str
    category: str
    area: str
    state: str
    received_at: datetime
    expected_at: datetime | None
    history: list[dict[str, Any]]
    answers: list[dict[str, Any]]
    waiting: bool


def public_status(item: Item) -> PublicStatus:
    area = item.buurt or item.wijk
    return PublicStatus(
        code=item.tracking_code,
        kind=item.get_kind_display(),
        category=item.category_label,
        area=area.name if area is not None else "",
        state=item.get_state_display(),
        received_at=item.received_at,
        expected_at=item.resolution_due if item.state in OPEN_STATES else None,
        history=[{"at": c.at, "state": State(c.to_state).label, "stateCode": c.to_state} for c in history(item, public_only=True)],
        answers=[{"at": m.at, "kind": m.get_kind_display(), "text": m.text} for m in messages(item, public_only=True)],
        waiting=item.state == State.WAITING,
    )


def escalated_to(user: Any, *, open_only: bool = True) -> QuerySet[Escalation]:
    qs = Escalation.objects.filter(to_user=user).select_related("item", "item__owner_department", "item__buurt", "item__wijk")
    if open_only:
        qs = qs.filter(item__state__in=OPEN_STATES)
    return qs.order_by("-at", "-id")


def training_examples() -> tuple[list[str], list[str]]:
    """Texts and final categories of handled items whose category a person confirmed or set.

    Only items handled (answered or closed) with a category count: what the municipality did,
    not what the classifier guessed for open items.
    """
    rows = Item.objects.filter(state__in=[State.ANSWERED, State.CLOSED]).exclude(category="").values_list(
        "subject", "description", "category"
    )
    texts = [f"{s} {d}".strip() for s, d, _c in rows]
    labels = [c for _s, _d, c in rows]
    return texts, labels

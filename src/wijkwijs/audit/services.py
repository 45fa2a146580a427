"""The one way to write to the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models

from wijkwijs.audit.models import AuditEvent


def record(
    *,
    actor: Any,
    action: str,
    now: datetime,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    label: str = "",
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``obj`` at ``now``.

    ``actor`` is a user, an anonymous user or None (the system); ``label`` overrides how the
    actor is shown (for example "inwoner (anoniem)" or "systeem: escalatie"). Personal data does
    not belong in ``data``: refer to objects by id.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    if not label:
        label = user.get_username() if user is not None else "systeem"
    return AuditEvent.objects.create(
        at=now,
        actor=user,
        actor_label=label[:200],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        data=data or {},
    )


def record_many(
    *, actor: Any, action: str, now: datetime, items: list[tuple[models.Model, dict[str, Any]]], label: str = ""
) -> int:
    """``record()`` for many objects at once (one event each, one bulk insert): for imports
    that create thousands of rows. Returns the number of events written."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if not label:
        label = user.get_username() if user is not None else "systeem"
    events = [
        AuditEvent(
            at=now,
            actor=user,
            actor_label=label[:200],
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            data=data or {},
        )
        for obj, data in items
    ]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)

"""The one way to write to the audit trail."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

from wijkwijs.audit.models import AuditEvent
from wijkwijs.core.bulk import insert_columns, insert_one


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
    event = AuditEvent(
        at=now,
        actor=user,
        actor_label=label[:200],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        data=data or {},
    )
    insert_one(event)  # a new event: what AuditEvent.save() allows, with the INSERT prepared once
    return event


def record_many(
    *,
    actor: Any,
    action: str,
    now: datetime,
    model: type[models.Model],
    items: list[tuple[Any, str, dict[str, Any]]],
    label: str = "",
) -> int:
    """``record()`` for many objects of ``model`` at once, ``items`` = (pk, text, data): one
    event each, bulk inserts; for imports that create thousands of rows. Returns the count."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if not label:
        label = user.get_username() if user is not None else "systeem"
    encoded: dict[int, tuple[Any, str]] = {}  # imports pass one data dict for every item: encode it once

    def as_json(data: dict[str, Any]) -> str:
        hit = encoded.get(id(data))
        if hit is None or hit[0] is not data:
            hit = encoded[id(data)] = (data, json.dumps(data or {}, cls=DjangoJSONEncoder))
        return hit[1]

    # what is the same for every event is bound once per statement (see ``insert_columns``)
    constants = {
        "at": connection.ops.adapt_datetimefield_value(now),
        "actor": user.pk if user is not None else None,
        "actor_label": label[:200],
        "action": action,
        "object_type": model._meta.label_lower,
    }
    texts = [as_json(data) for _, _, data in items]
    columns: dict[str, list[Any]] = {
        "object_id": [str(pk) for pk, _, _ in items],
        "object_repr": [text[:300] for _, text, _ in items],
    }
    if texts and all(t is texts[0] for t in texts):
        constants["data"] = texts[0]
    else:
        columns["data"] = texts
    return insert_columns(AuditEvent, columns, constants=constants)

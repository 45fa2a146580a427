from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from wijkwijs.audit.models import AuditEvent


def events_for(obj: models.Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def recent_events(limit: int = 50) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor")[:limit]

"""Writes for the composite index: index definitions (versioned, every change audited)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from wijkwijs.audit.services import record
from wijkwijs.core.errors import DomainError
from wijkwijs.monitoring.index import IndexConfig
from wijkwijs.monitoring.index_selectors import definition_snapshot
from wijkwijs.monitoring.models import IndexDefinition, IndexIndicator


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


@transaction.atomic
def index_definition_ensure(
    *,
    slug: str,
    config: IndexConfig,
    actor: Any,
    now: datetime,
    description: str = "",
    base_period: str = "",
    is_default: bool = False,
) -> IndexDefinition:
    """Create or replace the definition ``slug`` from a pure configuration (demo, defaults).
    Re-running with the same configuration changes nothing and records nothing."""
    definition = IndexDefinition.objects.filter(slug=slug).first() or IndexDefinition(slug=slug)
    before = definition_snapshot(definition) if definition.pk else None
    definition.name = config.name
    definition.description = description
    definition.base_period = base_period
    definition.method = config.method
    definition.center = config.center
    definition.scale = config.scale
    definition.weight_objective = config.part_weights.get("objective", 0.0)
    definition.weight_subjective = config.part_weights.get("subjective", 0.0)
    definition.theme_weights = dict(config.theme_weights)
    definition.min_coverage = config.min_coverage
    definition.min_population = int(config.min_population)
    if is_default:
        IndexDefinition.objects.filter(is_default=True).exclude(slug=slug).update(is_default=False)
    definition.is_default = is_default or definition.is_default
    wanted = [
        IndexIndicator(key=s.key, theme=s.theme, part=s.part, polarity=s.polarity, weight=s.weight, position=n)
        for n, s in enumerate(config.indicators)
    ]
    try:
        definition.full_clean(exclude=["municipality"])
        for item in wanted:
            item.full_clean(exclude=["definition"])
    except ValidationError as exc:
        raise DomainError(f"index {slug}: {_messages(exc)}") from exc
    if before is not None:
        current = [(i.key, i.theme, i.part, i.polarity, i.weight) for i in definition.indicators.all()]
        same = current == [(i.key, i.theme, i.part, i.polarity, i.weight) for i in wanted]
        trial = {**definition_snapshot(definition), "indicators": before["indicators"]}
        if same and trial == before:
            return definition
    definition.save()
    definition.indicators.all().delete()
    for item in wanted:
        item.definition = definition
    IndexIndicator.objects.bulk_create(wanted)
    return index_definition_changed(definition=definition, actor=actor, now=now, created=before is None)


@transaction.atomic
def index_definition_changed(
    *, definition: IndexDefinition, actor: Any, now: datetime, created: bool = False
) -> IndexDefinition:
    """After an edit (admin or service): raise the version and audit the full configuration,
    so any published score can be traced to the configuration that produced it."""
    definition = IndexDefinition.objects.select_for_update().get(pk=definition.pk)
    if not created:
        definition.version += 1
    definition.updated_at = now
    definition.save(update_fields=["version", "updated_at"])
    record(
        actor=actor,
        action="monitoring.index_definition_created" if created else "monitoring.index_definition_changed",
        obj=definition,
        now=now,
        data=definition_snapshot(definition),
    )
    return definition

"""Deadlines and the escalation schedule of an item (Django side of ``deadlines.py``)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from wijkwijs.intake import deadlines, taxonomy
from wijkwijs.intake.models import RUNNING_STATES, EscalationStep, Item, NormOverride


def triage_days() -> int:
    return int(getattr(settings, "INTAKE_TRIAGE_DAYS", 1))


def norm_for(kind: str, category: str) -> taxonomy.Norm:
    """The municipality's own norm if set (kind+category, then kind), else the taxonomy's."""
    overrides = {(o.category): o for o in NormOverride.objects.filter(kind=kind, category__in=[category, ""])}
    chosen = overrides.get(category) if category else None
    chosen = chosen or overrides.get("")
    if chosen is not None:
        return taxonomy.Norm(chosen.first_response_days, chosen.resolution_days)
    return taxonomy_norm(kind, category)


def taxonomy_norm(kind: str, category: str) -> taxonomy.Norm:
    """The shipped norm of the taxonomy (no database)."""
    if category:
        try:
            return taxonomy.norm_for(category, kind)
        except KeyError:
            pass
    return taxonomy.DEFAULT_NORMS[taxonomy.Kind(kind)]


def _pauses(item: Item) -> list[deadlines.Pause]:
    pauses: list[deadlines.Pause] = [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in item.pauses]
    if item.paused_since is not None:
        pauses.append((item.paused_since, None))
    return pauses


def recompute_deadlines(item: Item, *, now: datetime) -> None:
    """Set the item's deadlines from its norm, its clock start and the pauses so far."""
    key = (item.kind, item.category)
    cached = getattr(item, "_norm_cache", None)
    if cached is None or cached[0] != key:
        cached = (key, norm_for(item.kind, item.category))
        item._norm_cache = cached  # type: ignore[attr-defined]
    norm = cached[1]
    pauses = _pauses(item)
    item.first_response_due = deadlines.deadline_with_pauses(item.received_at, norm.first_response, pauses, now=now)
    item.resolution_due = deadlines.deadline_with_pauses(item.clock_start, norm.resolution, pauses, now=now)
    item.resolution_due = max(item.resolution_due, item.first_response_due)
    if item.triage_due is None:
        item.triage_due = deadlines.add_working_days(item.received_at, triage_days())


def ladder() -> list[EscalationStep]:
    return list(EscalationStep.objects.order_by("position"))


def step_due(due: datetime, delay_days: int) -> datetime:
    """End of the ``delay_days``-th working day after the deadline day (0: the deadline itself)."""
    if delay_days == 0:
        return due
    local = due.astimezone(deadlines.AMSTERDAM).replace(hour=12, minute=0, second=0, microsecond=0)
    return deadlines.add_working_days(local, delay_days)


def reschedule(item: Item, *, steps: list[EscalationStep] | None = None) -> None:
    """Set ``next_escalation_at``: when the next rung of the ladder is due (None: nothing due)."""
    if item.state not in RUNNING_STATES:
        item.next_escalation_at = None
        return
    kind, due = item.current_deadline
    if item.escalation_kind != kind:
        item.escalation_kind = kind
        item.escalation_level = 0
    if steps is None:
        steps = getattr(item, "_ladder_cache", None)
        if steps is None:
            steps = ladder()
            item._ladder_cache = steps  # type: ignore[attr-defined]
    if due is None or item.escalation_level >= len(steps):
        item.next_escalation_at = None
        return
    item.next_escalation_at = step_due(due, steps[item.escalation_level].delay_days)  # type: ignore[arg-type]

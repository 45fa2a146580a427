"""The escalation ladder (S5) and the retention of submitter data (S8).

Ladder: owner -> department head -> area manager (or management) -> alderman of the item's
area, each step a number of working days after the deadline (the :class:`EscalationStep`
table). The scan is idempotent: an item carries ``next_escalation_at``; a rung reached is a
row that a unique constraint allows once per (item, cycle, deadline, rung).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from wijkwijs.accounts.models import Department, User
from wijkwijs.accounts.roles import Role
from wijkwijs.areas.models import Area
from wijkwijs.areas.selectors import area_assignments
from wijkwijs.audit.services import record
from wijkwijs.core.errors import DomainError, Problem
from wijkwijs.intake import clock
from wijkwijs.intake.deadlines import AMSTERDAM
from wijkwijs.intake.models import (
    DeadlineKind,
    Escalation,
    EscalationStep,
    EscalationTarget,
    Item,
    State,
    SubmitterContact,
)

DEFAULT_LADDER = [
    (1, EscalationTarget.OWNER, 0),
    (2, EscalationTarget.DEPARTMENT_HEAD, 2),
    (3, EscalationTarget.AREA_MANAGER, 5),
    (4, EscalationTarget.ALDERMAN, 10),
]
ORDER = [t.value for t in EscalationTarget]


@transaction.atomic
def ladder_ensure_default(*, now: datetime, actor: Any = None) -> list[EscalationStep]:
    if not EscalationStep.objects.exists():
        for position, target, delay in DEFAULT_LADDER:
            EscalationStep.objects.create(position=position, target=target, delay_days=delay)
        record(actor=actor, action="intake.ladder_created", now=now, data={"steps": len(DEFAULT_LADDER)})
    return clock.ladder()


def _area_person(item: Item, role: str, cache: dict[Any, Any]) -> User | None:
    area: Area | None = item.buurt or item.wijk
    if area is None:
        return None
    key = (area.pk, role)
    if key not in cache:
        cache[key] = next(
            (a.person for a in area_assignments(area, public_only=False) if a.role == role and a.person_id is not None), None
        )
    return cache[key]


def _management(cache: dict[Any, Any]) -> User | None:
    if "management" not in cache:
        cache["management"] = User.objects.filter(role=Role.MANAGEMENT, is_active=True).order_by("username").first()
    return cache["management"]


def resolve(item: Item, target: str, cache: dict[Any, Any] | None = None) -> tuple[User | None, Department | None]:
    """The person (and department) a rung points at for this item; (None, None) when nobody."""
    cache = {} if cache is None else cache
    dept = item.owner_department
    if target == EscalationTarget.OWNER:
        if item.owner is not None:
            return item.owner, dept
        return None, dept
    if target == EscalationTarget.DEPARTMENT_HEAD:
        return (dept.head if dept is not None else None), dept
    if target == EscalationTarget.AREA_MANAGER:
        return _area_person(item, "area_manager", cache) or _management(cache), None
    if target == EscalationTarget.ALDERMAN:
        return _area_person(item, "alderman", cache), None
    return None, None


def _resolve_upwards(item: Item, target: str, cache: dict[Any, Any] | None = None,
                     skip: frozenset[int] = frozenset()) -> tuple[str, User | None, Department | None]:
    """Resolve ``target``; if nobody fits (no owner yet, no head), try the next rung up.

    People in ``skip`` (already reached on this deadline) are passed over too, so a head who owns
    the item, or an area manager who is also the department head, is not told twice and the
    item moves up. When everyone above has been reached already, the highest of them is
    reminded: a rung is never lost."""
    cache = {} if cache is None else cache
    reminded: tuple[str, User | None, Department | None] | None = None
    for candidate in ORDER[ORDER.index(target):]:
        person, dept = resolve(item, candidate, cache)
        if person is None and not (dept is not None and candidate == EscalationTarget.OWNER):
            continue
        if person is not None and person.pk in skip:
            reminded = (candidate, person, dept)
            continue
        return candidate, person, dept
    return reminded or (target, None, None)


def _escalate_due(item: Item, *, steps: list[EscalationStep], now: datetime, cache: dict[Any, Any]) -> list[Escalation]:
    made: list[Escalation] = []
    while item.next_escalation_at is not None and item.next_escalation_at <= now:
        step = steps[item.escalation_level]
        kind, due = item.current_deadline
        reached = frozenset(
            item.escalations.filter(cycle=item.escalation_cycle, deadline_kind=kind, manual=False, to_user__isnull=False)
            .values_list("to_user_id", flat=True)
        )
        target, person, dept = _resolve_upwards(item, step.target, cache, skip=reached)
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Deadline (%(kind)s) passed on %(due)s.") % {
                "kind": DeadlineKind(kind).label, "due": due.astimezone(AMSTERDAM).strftime("%d-%m-%Y") if due else "-"}
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    item=item, manual=False, deadline_kind=kind, cycle=item.escalation_cycle, position=step.position,
                    target=target, to_user=person, to_department=dept, at=now,
                    reason=reason,
                )
        except IntegrityError:
            escalation = None  # another run got here first
        if escalation is not None:
            made.append(escalation)
            record(actor=None, action="intake.escalated", obj=item, now=now, label="systeem: escalatie",
                   data={"position": step.position, "target": target, "to": person.pk if person else None})
        item.escalation_level += 1
        clock.reschedule(item, steps=steps)
    item.save(update_fields=["escalation_level", "escalation_kind", "next_escalation_at"])
    return made


def items_escalate_overdue(*, now: datetime, actor: Any = None, limit: int | None = None) -> dict[str, Any]:
    """Escalate every item whose next rung is due. Running it twice escalates nothing twice."""
    steps = clock.ladder()
    ids = list(
        Item.objects.filter(next_escalation_at__lte=now).order_by("next_escalation_at").values_list("pk", flat=True)[:limit]
    )
    by_target: Counter[str] = Counter()
    cache: dict[Any, Any] = {}  # who holds a role in an area, for this run
    items = 0
    for pk in ids:
        with transaction.atomic():
            item = Item.objects.select_for_update(of=("self",)).select_related("owner", "owner_department__head", "buurt", "wijk").get(pk=pk)
            made = _escalate_due(item, steps=steps, now=now, cache=cache)
        if made:
            items += 1
            by_target.update(e.target for e in made)
    return {"escalated": sum(by_target.values()), "items": items, "checked": len(ids), "byTarget": dict(by_target)}


@transaction.atomic
def item_escalate(*, item: Item, reason: str, actor: Any, now: datetime, target: str = "") -> Escalation:
    """Escalate by hand, with a reason, to ``target`` or the rung above the last one reached."""
    if not reason or not reason.strip():
        raise DomainError(_("Give a reason for the escalation."), problems=[Problem(field="reason", reason=_("required"))])
    if item.state not in (State.NEW, State.ROUTED, State.IN_PROGRESS, State.WAITING, State.REOPENED):
        raise DomainError(_("Only open items can be escalated."))
    if not target:
        last = item.escalations.order_by("-at", "-id").first()
        index = ORDER.index(last.target) + 1 if last is not None else ORDER.index(EscalationTarget.DEPARTMENT_HEAD)
        target = ORDER[min(index, len(ORDER) - 1)]
    if target not in ORDER:
        raise DomainError(_("Unknown escalation step."), problems=[Problem(field="target", reason=_("Unknown escalation step."))])
    target, person, dept = _resolve_upwards(item, target)
    escalation = Escalation.objects.create(
        item=item, manual=True, deadline_kind="", cycle=item.escalation_cycle, position=ORDER.index(target) + 1,
        target=target, to_user=person, to_department=dept, reason=reason.strip(), at=now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor=actor, action="intake.escalated_manually", obj=item, now=now,
           data={"target": target, "to": person.pk if person else None})
    return escalation


def retention_days() -> int:
    return int(getattr(settings, "INTAKE_RETENTION_DAYS", 365))


@transaction.atomic
def contacts_anonymise_expired(*, now: datetime, actor: Any = None) -> int:
    """Remove name, e-mail and phone of submitters of items handled more than the retention ago."""
    cutoff = now - timedelta(days=retention_days())
    qs = SubmitterContact.objects.filter(anonymised_at__isnull=True, item__done_at__lt=cutoff).filter(
        Q(item__state__in=[State.ANSWERED, State.REJECTED, State.CLOSED])
    )
    count = qs.update(name="", email="", phone="", anonymised_at=now)
    if count:
        record(actor=actor, action="intake.contacts_anonymised", now=now, label="systeem: bewaartermijn",
               data={"count": count, "retentionDays": retention_days()})
    return count

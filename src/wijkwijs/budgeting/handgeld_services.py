"""Writes on handgeld (B6, Rotterdam): a discretionary budget per area manager per year and
its spending log. The budget row is locked while spending is added, so two entries at the same
moment cannot together overspend."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from wijkwijs.accounts.models import User
from wijkwijs.accounts.roles import Role
from wijkwijs.areas.models import Area
from wijkwijs.audit.services import record
from wijkwijs.budgeting.money import format_amount
from wijkwijs.budgeting.register_models import HandgeldBudget, HandgeldSpending
from wijkwijs.core.errors import DomainError, Problem


def handgeld_spent(budget: HandgeldBudget) -> Decimal:
    return HandgeldSpending.objects.filter(budget=budget).aggregate(s=Sum("amount"))["s"] or Decimal(0)


@transaction.atomic
def handgeld_budget_set(*, manager: User, year: int, amount: Decimal, is_demo: bool = False, actor: Any, now: datetime) -> HandgeldBudget:
    """Create the budget of ``manager`` for ``year``, or change its amount (never below what is spent)."""
    if manager.role != Role.AREA_MANAGER:
        raise DomainError(_("The budget was not saved."), problems=[Problem(field="manager", reason=_("handgeld is for area managers"))])
    if amount < 0:
        raise DomainError(_("The budget was not saved."), problems=[Problem(field="amount", reason=_("the amount cannot be negative"))])
    budget = HandgeldBudget.objects.select_for_update().filter(manager=manager, year=year).first()
    if budget is None:
        budget = HandgeldBudget.objects.create(manager=manager, year=year, amount=amount, is_demo=is_demo, created_at=now)
        record(actor=actor, action="handgeld_budget.created", obj=budget, now=now, data={"amount": str(amount)})
        return budget
    spent = handgeld_spent(budget)
    if amount < spent:
        raise DomainError(_("The budget was not saved."), problems=[Problem(
            field="amount", reason=_("%(spent)s has already been spent") % {"spent": format_amount(spent)})])
    old = budget.amount
    if old != amount:
        budget.amount = amount
        budget.save(update_fields=["amount"])
        record(actor=actor, action="handgeld_budget.updated", obj=budget, now=now, data={"amount": [str(old), str(amount)]})
    return budget


@transaction.atomic
def handgeld_spend(
    *, budget: HandgeldBudget, spent_on: date, amount: Decimal, purpose: str, area: Area, receipt_reference: str,
    actor: Any, now: datetime,
) -> HandgeldSpending:
    """Log spending on a handgeld budget. Refuses (and stores nothing) when it would overspend;
    a negative amount corrects an earlier entry."""
    budget = HandgeldBudget.objects.select_for_update().get(pk=budget.pk)
    problems = []
    if amount == 0:
        problems.append(Problem(field="amount", reason=_("the amount cannot be zero")))
    if spent_on.year != budget.year:
        problems.append(Problem(field="spent_on", reason=_("the date must fall in %(y)s") % {"y": budget.year}))
    if spent_on > now.date():
        problems.append(Problem(field="spent_on", reason=_("the date lies in the future")))
    if not purpose.strip():
        problems.append(Problem(field="purpose", reason=_("say what the money was for")))
    if not receipt_reference.strip():
        problems.append(Problem(field="receipt_reference", reason=_("a receipt or invoice reference is required")))
    spent = handgeld_spent(budget)
    remaining = budget.amount - spent
    if amount > remaining:
        problems.append(Problem(field="amount", reason=_(
            "Not enough handgeld left: %(remaining)s remains of %(budget)s, this spending is %(amount)s."
        ) % {"remaining": format_amount(remaining), "budget": format_amount(budget.amount), "amount": format_amount(amount)}))
    if spent + amount < 0:
        problems.append(Problem(field="amount", reason=_("a correction cannot be larger than what was spent")))
    if problems:
        raise DomainError(_("The spending was not saved."), problems=problems)
    entry = HandgeldSpending.objects.create(
        budget=budget, spent_on=spent_on, amount=amount, purpose=purpose.strip()[:300], area=area,
        receipt_reference=receipt_reference.strip()[:100], created_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor=actor, action="handgeld.spent", obj=budget, now=now,
           data={"amount": str(amount), "area": area.code, "entry": entry.pk, "remaining": str(remaining - amount)})
    return entry

"""Reads on household vouchers and handgeld: balances are sums over the ledgers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from wijkwijs.budgeting.register_models import (
    HandgeldBudget,
    HandgeldSpending,
    Initiative,
    InitiativeStatus,
    LedgerKind,
    VoucherLedgerEntry,
    VoucherPeriod,
)

ZERO = Decimal(0)
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _ledger_sum(kind: str, prefix: str = "ledger__") -> Coalesce:
    return Coalesce(Sum(f"{prefix}amount", filter=Q(**{f"{prefix}kind": kind})), Value(ZERO), output_field=_MONEY)


def initiatives_with_balance(period: VoucherPeriod | None = None) -> QuerySet[Initiative]:
    qs = Initiative.objects.select_related("area", "period").annotate(
        pledged=_ledger_sum(LedgerKind.PLEDGE), paid_out=_ledger_sum(LedgerKind.PAYOUT),
        cheques=Count("ledger", filter=Q(ledger__kind=LedgerKind.PLEDGE)),
    )
    return qs.filter(period=period) if period is not None else qs


def initiatives_open(*, today: date) -> QuerySet[Initiative]:
    return initiatives_with_balance().filter(
        status=InitiativeStatus.OPEN, period__starts_on__lte=today, period__ends_on__gte=today
    ).order_by("area__name", "title")


def initiative_get(pk: int) -> Initiative | None:
    return initiatives_with_balance().filter(pk=pk).first()


@dataclass
class PeriodSummary:
    period: VoucherPeriod
    issued: int
    issued_value: Decimal
    pledged: int
    pledged_value: Decimal
    expired: int
    expired_value: Decimal
    paid_out_value: Decimal

    @property
    def outstanding(self) -> int:
        return self.issued - self.pledged - self.expired

    @property
    def outstanding_value(self) -> Decimal:
        return self.issued_value - self.pledged_value - self.expired_value

    @property
    def held_value(self) -> Decimal:
        """Pledged to initiatives, not yet paid out."""
        return self.pledged_value - self.paid_out_value


def period_summary(period: VoucherPeriod) -> PeriodSummary:
    rows = {r["kind"]: r for r in VoucherLedgerEntry.objects.filter(period=period).values("kind").annotate(n=Count("id"), v=Sum("amount"))}

    def get(kind: str) -> tuple[int, Decimal]:
        r = rows.get(kind)
        return (r["n"], r["v"] or ZERO) if r else (0, ZERO)

    issued, pledged, expired, paid = get(LedgerKind.ISSUE), get(LedgerKind.PLEDGE), get(LedgerKind.EXPIRY), get(LedgerKind.PAYOUT)
    return PeriodSummary(period, issued[0], issued[1], pledged[0], pledged[1], expired[0], expired[1], paid[1])


def periods_list() -> list[PeriodSummary]:
    return [period_summary(p) for p in VoucherPeriod.objects.order_by("-starts_on")]


def period_current(*, today: date) -> VoucherPeriod | None:
    return VoucherPeriod.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on").first()


def period_get(pk: int) -> VoucherPeriod | None:
    return VoucherPeriod.objects.filter(pk=pk).first()


def ledger_for(period: VoucherPeriod, *, limit: int = 200) -> list[VoucherLedgerEntry]:
    """The ledger without issue rows (there is one per cheque; the summary counts them)."""
    return list(
        VoucherLedgerEntry.objects.filter(period=period).exclude(kind=LedgerKind.ISSUE).select_related("initiative").order_by("-at", "-id")[:limit]
    )


# --- handgeld ------------------------------------------------------------------------------


def handgeld_budgets(*, user: Any, see_all: bool) -> QuerySet[HandgeldBudget]:
    qs = HandgeldBudget.objects.select_related("manager").annotate(
        spent=Coalesce(Sum("spending__amount"), Value(ZERO), output_field=_MONEY)
    ).annotate(remaining=ExpressionWrapper(F("amount") - F("spent"), output_field=_MONEY))
    return qs if see_all else qs.filter(manager=user)


def handgeld_budget_get(pk: int) -> HandgeldBudget | None:
    return handgeld_budgets(user=None, see_all=True).filter(pk=pk).first()


def handgeld_log(budget: HandgeldBudget) -> QuerySet[HandgeldSpending]:
    return HandgeldSpending.objects.filter(budget=budget).select_related("area", "created_by").order_by("-spent_on", "-id")

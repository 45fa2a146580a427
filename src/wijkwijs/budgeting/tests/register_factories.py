"""factory_boy factories for the register, vouchers and handgeld; they go through the services."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

import factory

from wijkwijs.accounts.models import Department
from wijkwijs.areas.models import Area
from wijkwijs.budgeting import register_services, voucher_services
from wijkwijs.budgeting.register_models import BudgetLine, Initiative, VoucherPeriod
from wijkwijs.conftest import NOW


class BudgetLineFactory(factory.Factory):
    class Meta:
        model = BudgetLine

    year = 2026
    reference = factory.Sequence(lambda n: f"T-{n:04d}")
    title = factory.Sequence(lambda n: f"Testbudget {n}")
    source = "own"
    department = factory.LazyFunction(lambda: Department.objects.get(slug="openbare-ruimte"))
    amount = Decimal("10000.00")
    area = factory.LazyFunction(lambda: Area.objects.get(code="WK082801"))
    cluster = None
    actor = None
    now = NOW

    class Params:
        citywide = factory.Trait(area=None)
        in_buurt = factory.Trait(area=factory.LazyFunction(lambda: Area.objects.get(code="BU08280101")))
        of_welzijn = factory.Trait(department=factory.LazyFunction(lambda: Department.objects.get(slug="welzijn")))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        return register_services.budget_line_create(**kwargs)


class VoucherPeriodFactory(factory.Factory):
    class Meta:
        model = VoucherPeriod

    name = factory.Sequence(lambda n: f"Testperiode {n}")
    starts_on = date(2026, 1, 1)
    ends_on = date(2026, 12, 31)
    cheque_value = Decimal("7.50")
    cheques_per_household = 2
    actor = None
    now = NOW

    class Params:
        ended = factory.Trait(starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        return voucher_services.voucher_period_create(**kwargs)


class InitiativeFactory(factory.Factory):
    class Meta:
        model = Initiative

    period = factory.SubFactory(VoucherPeriodFactory)
    title = factory.Sequence(lambda n: f"Buurtinitiatief {n}")
    area = factory.LazyFunction(lambda: Area.objects.get(code="WK082801"))
    target = Decimal("30.00")
    actor = None
    now = NOW

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        return voucher_services.initiative_create(**kwargs)


def issue(period: VoucherPeriod, households: int = 3, seed: int = 1, now: datetime = NOW) -> list[str]:
    """Issue codes for ``households`` households (at ``now``); the flat list of codes."""
    letters = voucher_services.vouchers_issue(period=period, households=households, actor=None, now=now, rng=random.Random(seed))
    return [c for letter in letters for c in letter]

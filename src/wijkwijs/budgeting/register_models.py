"""B1, B5, B6: the budget register, household vouchers and handgeld.

Money history is append-only: budget mutations (committed, spent), the voucher ledger and the
handgeld spending log are new rows, never changed or deleted. Totals and balances are derived.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AppendOnlyError",
    "BudgetLine",
    "BudgetMutation",
    "BudgetSource",
    "HandgeldBudget",
    "HandgeldSpending",
    "Initiative",
    "InitiativeStatus",
    "LedgerKind",
    "MutationKind",
    "Voucher",
    "VoucherLedgerEntry",
    "VoucherPeriod",
]

MONEY = {"max_digits": 14, "decimal_places": 2}


class AppendOnlyError(Exception):
    """Ledger rows are written once and never changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted")


# --- B1: budget register ---------------------------------------------------------------------


class BudgetSource(models.TextChoices):
    OWN = "own", _("Own funds")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National government")
    EU = "eu", _("European Union")
    PARTNER = "partner", _("Partners")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    """One budget for one year: tied to a wijk, buurt or kern (``area``), to a cluster of areas,
    or to neither (city-wide money). Amounts committed and spent come from the mutation log."""

    year = models.PositiveSmallIntegerField(_("year"))
    reference = models.CharField(_("reference"), max_length=40, help_text=_("Budget code in the municipal accounts."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="budget_lines"
    )
    cluster = models.ForeignKey(
        "areas.Cluster", verbose_name=_("cluster"), null=True, blank=True, on_delete=models.PROTECT, related_name="budget_lines"
    )
    source = models.CharField(_("source"), max_length=20, choices=BudgetSource.choices, default=BudgetSource.OWN)
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    is_demo = models.BooleanField(_("demo figure"), default=False)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["-year", "reference"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["year", "reference"], name="budget_line_reference_unique"),
            models.CheckConstraint(condition=~(Q(area__isnull=False) & Q(cluster__isnull=False)), name="budget_line_area_or_cluster"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.reference} {self.title}"

    @property
    def scope(self) -> str:
        if self.cluster_id:
            return "cluster"
        if self.area_id and self.area is not None and self.area.level != "GM":
            return "area"
        return "citywide"

    def clean(self) -> None:
        if self.area_id and self.cluster_id:
            raise ValidationError(_("Tie a budget to an area or to a cluster, not both."))


class MutationKind(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    SPENT = "spent", _("Spent")


class BudgetMutation(AppendOnlyModel):
    """A dated change in what is committed or spent on a budget line. Corrections are new rows
    with a negative amount."""

    line = models.ForeignKey(BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="mutations")
    kind = models.CharField(_("kind"), max_length=10, choices=MutationKind.choices)
    on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("budget mutation")
        verbose_name_plural = _("budget mutations")
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="budget_mutation_not_zero")]

    def __str__(self) -> str:
        return f"{self.on} {self.kind} {self.amount}"


# --- B5: household vouchers ------------------------------------------------------------------


class VoucherPeriod(models.Model):
    """A period in which every household receives a number of cheques of a fixed value."""

    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    cheque_value = models.DecimalField(_("value per cheque"), max_digits=8, decimal_places=2, default=Decimal("7.50"))
    cheques_per_household = models.PositiveSmallIntegerField(_("cheques per household"), default=2)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("voucher period")
        verbose_name_plural = _("voucher periods")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="voucher_period_ends_after_start"),
            models.CheckConstraint(condition=Q(cheque_value__gt=0), name="voucher_period_value_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Voucher(models.Model):
    """A single-use cheque. Only a keyed hash of its code is stored; nothing links it to a
    household's name or address. ``redeemed_at`` and ``expired_at`` are set once, each through a
    conditional UPDATE, so a code cannot be spent twice."""

    period = models.ForeignKey(VoucherPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="vouchers")
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2)
    issued_at = models.DateTimeField(_("issued"))
    redeemed_at = models.DateTimeField(_("pledged"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.CheckConstraint(
                condition=Q(redeemed_at__isnull=True) | Q(expired_at__isnull=True), name="voucher_not_redeemed_and_expired"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} #{self.pk}"


class InitiativeStatus(models.TextChoices):
    OPEN = "open", _("Collecting cheques")
    FUNDED = "funded", _("Funded")
    PAID_OUT = "paid_out", _("Paid out")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Initiative(models.Model):
    """A neighbourhood initiative that residents pool cheques towards."""

    period = models.ForeignKey(VoucherPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="initiatives")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="voucher_initiatives")
    target = models.DecimalField(_("target amount"), max_digits=10, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=InitiativeStatus.choices, default=InitiativeStatus.OPEN)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [models.CheckConstraint(condition=Q(target__gt=0), name="initiative_target_positive")]

    def __str__(self) -> str:
        return self.title


class LedgerKind(models.TextChoices):
    ISSUE = "issue", _("Issued")
    PLEDGE = "pledge", _("Pledged")
    PAYOUT = "payout", _("Paid out")
    EXPIRY = "expiry", _("Expired")


class VoucherLedgerEntry(AppendOnlyModel):
    """The voucher ledger. Issue and expiry concern a voucher; a pledge moves a voucher's value
    to an initiative; a pay-out moves an initiative's pledged money to the initiative's bank
    account (outside the system). Balances are sums over these rows."""

    period = models.ForeignKey(VoucherPeriod, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=10, choices=LedgerKind.choices)
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger")
    initiative = models.ForeignKey(Initiative, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    at = models.DateTimeField(_("time"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_ledger_amount_positive"),
            models.CheckConstraint(
                condition=(Q(kind__in=["issue", "expiry"]) & Q(voucher__isnull=False) & Q(initiative__isnull=True))
                | (Q(kind="pledge") & Q(voucher__isnull=False) & Q(initiative__isnull=False))
                | (Q(kind="payout") & Q(voucher__isnull=True) & Q(initiative__isnull=False)),
                name="voucher_ledger_kind_shape",
            ),
            # Each voucher is issued, pledged and expired at most once.
            models.UniqueConstraint(fields=["voucher", "kind"], condition=Q(voucher__isnull=False), name="voucher_ledger_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind} {self.amount}"


# --- B6: handgeld ------------------------------------------------------------------------------


class HandgeldBudget(models.Model):
    """A discretionary budget of one area manager for one year."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("area manager"), on_delete=models.PROTECT, related_name="handgeld_budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-year", "manager__username"]
        verbose_name = _("handgeld budget")
        verbose_name_plural = _("handgeld budgets")
        constraints = [
            models.UniqueConstraint(fields=["manager", "year"], name="handgeld_one_budget_per_manager_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="handgeld_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.manager} {self.year}"


class HandgeldSpending(AppendOnlyModel):
    """One entry in a handgeld spending log. A correction is a new row with a negative amount."""

    budget = models.ForeignKey(HandgeldBudget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="spending")
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=300)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="handgeld_spending")
    receipt_reference = models.CharField(_("receipt reference"), max_length=100)
    created_at = models.DateTimeField(_("recorded"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["spent_on", "id"]
        verbose_name = _("handgeld spending")
        verbose_name_plural = _("handgeld spending")
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="handgeld_spending_not_zero")]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.amount} {self.purpose}"

"""Admin for the register, vouchers and handgeld: read-mostly; ledgers cannot be changed here."""

from django.contrib import admin

from wijkwijs.budgeting.register_models import (
    BudgetLine,
    BudgetMutation,
    HandgeldBudget,
    HandgeldSpending,
    Initiative,
    VoucherLedgerEntry,
    VoucherPeriod,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["year", "reference", "title", "area", "cluster", "source", "department", "amount", "is_demo"]
    list_filter = ["year", "source", "department", "is_demo"]
    search_fields = ["reference", "title"]


@admin.register(BudgetMutation)
class BudgetMutationAdmin(ReadOnlyAdmin):
    list_display = ["on", "line", "kind", "amount", "note", "created_by"]
    list_filter = ["kind"]


@admin.register(VoucherPeriod)
class VoucherPeriodAdmin(ReadOnlyAdmin):
    list_display = ["name", "starts_on", "ends_on", "cheque_value", "cheques_per_household", "is_demo"]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ["title", "area", "period", "target", "status"]
    list_filter = ["status", "period"]


@admin.register(VoucherLedgerEntry)
class VoucherLedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "period", "kind", "initiative", "amount", "reference"]
    list_filter = ["kind", "period"]


@admin.register(HandgeldBudget)
class HandgeldBudgetAdmin(ReadOnlyAdmin):
    list_display = ["manager", "year", "amount", "is_demo"]


@admin.register(HandgeldSpending)
class HandgeldSpendingAdmin(ReadOnlyAdmin):
    list_display = ["spent_on", "budget", "amount", "purpose", "area", "receipt_reference"]

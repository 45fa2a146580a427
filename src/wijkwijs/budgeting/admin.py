"""Django admin for budgeting rounds: read-only views for the administrator. Changes go through
the pages and services (they validate, keep history and write the audit trail)."""

from django.contrib import admin

from wijkwijs.budgeting.models import CodeBatch, ImplementationUpdate, Proposal, Result, Round


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["slug", "title", "phase", "budget", "ballot_type", "rule", "is_demo"]
    list_filter = ["phase", "ballot_type", "is_demo"]
    search_fields = ["slug", "title"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["round", "number", "title", "cost", "status"]
    list_filter = ["status", "round"]
    search_fields = ["title"]


@admin.register(CodeBatch)
class CodeBatchAdmin(ReadOnlyAdmin):
    list_display = ["round", "label", "size", "created_at"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["round", "rule", "computed_at", "ballots", "total_cost"]


@admin.register(ImplementationUpdate)
class ImplementationUpdateAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "on", "status", "spent"]

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wijkwijs.core.clock import now
from wijkwijs.intake import apikeys, routing
from wijkwijs.intake.models import (
    ApiKey,
    EscalationStep,
    Item,
    NormOverride,
    RoutingRule,
    RoutingVersion,
    StatusChange,
)


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    extra = 1
    fields = ["priority", "category", "kind", "area", "department"]
    autocomplete_fields: list[str] = []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.is_draft

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission  # type: ignore[assignment]


@admin.register(RoutingVersion)
class RoutingVersionAdmin(admin.ModelAdmin):
    """Versions are frozen once active: edit a draft (or copy one with the action), then activate it."""

    list_display = ["number", "is_active", "created_at", "activated_at", "note"]
    readonly_fields = ["is_active", "activated_at", "created_by"]
    fields = ["number", "note", "created_at", "created_by", "is_active", "activated_at"]
    inlines = [RoutingRuleInline]
    actions = ["activate", "copy_as_draft"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and not obj.is_draft:
            return [*self.readonly_fields, "number", "note", "created_at"]
        return self.readonly_fields

    @admin.action(description=_("Activate (an active or old version is copied to a new one)"))
    def activate(self, request: HttpRequest, queryset: Any) -> None:
        for version in queryset.order_by("number")[:1]:
            new = routing.routing_version_activate(version=version, actor=request.user, now=now())
            self.message_user(request, _("Version %(n)s is active.") % {"n": new.number}, messages.SUCCESS)

    @admin.action(description=_("Copy as a new draft"))
    def copy_as_draft(self, request: HttpRequest, queryset: Any) -> None:
        from django.db.models import Max

        for version in queryset.order_by("number")[:1]:
            number = (RoutingVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
            draft = RoutingVersion.objects.create(number=number, note=f"concept op basis van v{version.number}", created_at=now(),
                                                  created_by=request.user)
            RoutingRule.objects.bulk_create([
                RoutingRule(version=draft, priority=r.priority, category=r.category, kind=r.kind, area=r.area, department=r.department)
                for r in version.rules.all()
            ])
            self.message_user(request, _("Draft version %(n)s created.") % {"n": number}, messages.SUCCESS)


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    list_display = ["position", "target", "delay_days"]
    list_editable = ["target", "delay_days"]


@admin.register(NormOverride)
class NormOverrideAdmin(admin.ModelAdmin):
    list_display = ["kind", "category", "first_response_days", "resolution_days"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Adding a key shows it once; only its hash is stored."""

    list_display = ["name", "prefix", "active", "created_at", "last_used_at"]
    fields = ["name", "active"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = apikeys.api_key_create(name=obj.name, actor=request.user, now=now())
        obj.pk, obj.key_hash, obj.prefix = key.pk, key.key_hash, key.prefix
        obj._state.adding = False
        self.message_user(request, _("The new key is %(key)s. Copy it now: it is not shown again.") % {"key": raw}, messages.WARNING)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["at", "from_state", "to_state", "action", "reason", "actor_label"]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """Read-only: items change only through the workflow (the item page or the API), and are
    never deleted (history, audit and the throughput roll-up rely on them; contact data goes by
    the retention job)."""

    list_display = ["tracking_code", "kind", "category", "state", "owner_department", "received_at"]
    list_filter = ["kind", "state", "owner_department", "channel"]
    search_fields = ["tracking_code"]
    inlines = [StatusChangeInline]
    exclude = ["reply_token", "pauses"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""Administration of the area monitor (functioneel beheerder, at /beheer/): index definitions."""

from django.contrib import admin

from wijkwijs.core.clock import now
from wijkwijs.monitoring import index_services
from wijkwijs.monitoring.models import IndexDefinition, IndexIndicator


class IndexIndicatorInline(admin.TabularInline):
    model = IndexIndicator
    extra = 1
    fields = ("position", "key", "theme", "part", "polarity", "weight")


@admin.register(IndexDefinition)
class IndexDefinitionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "municipality", "is_default", "base_period", "method", "version", "updated_at")
    list_filter = ("is_default", "method")
    search_fields = ("name", "slug")
    readonly_fields = ("version", "updated_at")
    inlines = [IndexIndicatorInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "description", "municipality", "is_default", "version", "updated_at")}),
        ("Formula", {"fields": ("base_period", "method", "center", "scale", "min_coverage", "min_population")}),
        ("Weights", {"fields": ("weight_objective", "weight_subjective", "theme_weights")}),
    )

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        # one version and one audit event (with the full configuration) per save
        index_services.index_definition_changed(definition=form.instance, actor=request.user, now=now(), created=not change)

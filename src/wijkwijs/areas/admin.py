"""Administration of the area register (functioneel beheerder, at /beheer/)."""

from django.contrib import admin

from wijkwijs.areas.models import Area, Assignment, Cluster, Clustering


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("role", "person", "name", "organisation", "email", "phone", "public", "valid_from", "valid_to")
    autocomplete_fields = ("person",)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent", "valid_from", "valid_to", "has_boundary")
    list_filter = ("level", "kind", "valid_to")
    search_fields = ("code", "name")
    readonly_fields = ("code", "level", "parent", "geometry_source", "min_lon", "min_lat", "max_lon", "max_lat")
    exclude = ("geometry",)
    inlines = [AssignmentInline]

    @admin.display(boolean=True, description="boundary")
    def has_boundary(self, obj: Area) -> bool:
        return obj.geometry is not None

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # areas are closed (valid until), never deleted


class ClusterInline(admin.TabularInline):
    model = Cluster
    extra = 0
    fields = ("name", "position")


@admin.register(Clustering)
class ClusteringAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "owner", "unit_level", "is_example", "created_at")
    list_filter = ("unit_level", "is_example")
    search_fields = ("name", "owner")
    readonly_fields = ("created_at", "source")
    inlines = [ClusterInline]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("name", "clustering", "position")
    list_filter = ("clustering",)
    search_fields = ("name",)
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("role", "display_name", "area", "cluster", "public")
    list_filter = ("role", "public")
    search_fields = ("name", "organisation", "person__username", "person__last_name", "area__name", "cluster__name")
    autocomplete_fields = ("person", "area", "cluster")

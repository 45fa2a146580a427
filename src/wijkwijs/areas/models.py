"""A: the area register: areas (GM/WK/BU), clusterings and who is responsible."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwijs.areas.codes import level_of


class Level(models.TextChoices):
    MUNICIPALITY = "GM", _("Municipality")
    DISTRICT = "WK", _("District (wijk)")
    NEIGHBOURHOOD = "BU", _("Neighbourhood (buurt)")


class Kind(models.TextChoices):
    CITY = "stad", _("City district")
    VILLAGE = "kern", _("Village (kern)")
    RURAL = "buitengebied", _("Rural area")
    INDUSTRIAL = "bedrijventerrein", _("Industrial estate")
    UNKNOWN = "", _("Not set")


class AreaQuerySet(models.QuerySet["Area"]):
    def current(self, on: date | None = None) -> AreaQuerySet:
        if on is None:
            return self.filter(valid_to__isnull=True)
        return self.filter(Q(valid_from__lte=on) | Q(valid_from__isnull=True)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )


class Area(models.Model):
    """A CBS area: the municipality, a wijk or a buurt. Areas are closed, never deleted, when
    CBS re-divides them (``valid_to``)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=2, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True, default="")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    geometry = models.JSONField(_("boundary (GeoJSON, WGS84)"), null=True, blank=True)
    geometry_source = models.CharField(_("boundary source"), max_length=300, blank=True)
    # Incremented on every boundary change, so look-up caches in other processes notice.
    geometry_version = models.PositiveIntegerField(default=0, editable=False)
    # Bounding box of the geometry, for a quick pre-filter in point look-ups.
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["GM", "WK", "BU"]), name="area_level_known"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="area_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.code and level_of(self.code) != self.level:
            raise ValidationError({"code": _("The code does not match the level.")})
        if self.parent_id is not None and self.parent is not None:
            expected = {"WK": "GM", "BU": "WK"}.get(self.level)
            if self.parent.level != expected:
                raise ValidationError({"parent": _("The parent area has the wrong level.")})

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Clustering(models.Model):
    """A named partition of wijken or buurten into clusters (an indeling), as one team uses it."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.CharField(_("used by"), max_length=200, blank=True)
    unit_level = models.CharField(
        _("unit level"), max_length=2, choices=[("WK", _("wijken")), ("BU", _("buurten"))]
    )
    is_example = models.BooleanField(
        _("example"),
        default=False,
        help_text=_("An assumed or illustrative division, not the municipality's official one."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("clustering")
        verbose_name_plural = _("clusterings")

    def __str__(self) -> str:
        return self.name


class Cluster(models.Model):
    clustering = models.ForeignKey(
        Clustering, verbose_name=_("clustering"), on_delete=models.CASCADE, related_name="clusters"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["clustering", "position", "name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        constraints = [
            models.UniqueConstraint(fields=["clustering", "name"], name="cluster_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ClusterMember(models.Model):
    """A unit (wijk or buurt) in a cluster. A unit is in at most one cluster per clustering."""

    clustering = models.ForeignKey(Clustering, on_delete=models.CASCADE, related_name="members")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cluster_memberships")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clustering", "area"], name="one_cluster_per_unit")
        ]

    def clean(self) -> None:
        if self.cluster.clustering_id != self.clustering_id:
            raise ValidationError(_("The cluster belongs to another clustering."))


class AssignmentRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Area coordinator")
    ALDERMAN = "alderman", _("Alderman (aandachtswethouder)")
    AREA_MANAGER = "area_manager", _("Area manager")
    BEHEER = "beheer", _("Public space contact (beheer)")
    PARTNER = "partner", _("Partner contact")
    COUNCIL = "council", _("Wijkraad or dorpsraad")


class Assignment(models.Model):
    """Who is responsible for an area or a cluster, in which role (A4)."""

    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="area_assignments",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown to residents on the area page.")
    )
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["role", "name"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(cluster__isnull=True))
                | (Q(area__isnull=True) & Q(cluster__isnull=False)),
                name="assignment_area_xor_cluster",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name=""), name="assignment_has_someone"
            ),
        ]

    def __str__(self) -> str:
        who = self.display_name
        return f"{self.get_role_display()}: {who}"

    @property
    def display_name(self) -> str:
        if self.person_id is not None and self.person is not None:
            return str(self.person)
        return self.name

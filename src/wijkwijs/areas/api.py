"""REST API of the area register (NL API Design Rules: camelCase, no trailing slashes)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkwijs.areas import geometry, selectors, services
from wijkwijs.areas.models import Area, Clustering
from wijkwijs.core.clock import now


class HasPerm(BasePermission):
    perm = ""

    def has_permission(self, request, view):  # type: ignore[no-untyped-def]
        return request.user.has_perm(self.perm)


class CanViewClusterings(HasPerm):
    perm = "areas.view_clusterings"


class CanManageClusterings(HasPerm):
    perm = "areas.manage_clusterings"


class AreaSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)
    validFrom = serializers.DateField(source="valid_from", allow_null=True)
    validTo = serializers.DateField(source="valid_to", allow_null=True)
    hasGeometry = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Area
        fields = ["code", "name", "level", "kind", "parent", "validFrom", "validTo", "hasGeometry", "url"]

    def get_hasGeometry(self, obj: Area) -> bool:  # noqa: N802
        return obj.geometry is not None

    def get_url(self, obj: Area) -> str:
        return f"/api/v1/areas/{obj.code}"


class AssignmentSerializer(serializers.Serializer):
    role = serializers.CharField()
    roleLabel = serializers.CharField(source="get_role_display")
    name = serializers.CharField(source="display_name")
    organisation = serializers.CharField()
    email = serializers.CharField()
    viaCluster = serializers.CharField(source="cluster.name", default=None, allow_null=True)


class ClusterRefSerializer(serializers.Serializer):
    clustering = serializers.CharField()
    clusteringName = serializers.CharField()
    cluster = serializers.CharField()


class AreaDetailSerializer(AreaSerializer):
    children = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    clusters = serializers.SerializerMethodField()

    class Meta(AreaSerializer.Meta):
        fields = [*AreaSerializer.Meta.fields, "children", "assignments", "clusters"]

    def get_children(self, obj: Area) -> list[str]:
        return [c.code for c in selectors.area_children(obj)]

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, obj: Area) -> list[dict[str, Any]]:
        user = self.context["request"].user
        public_only = not user.has_perm("areas.view_private_contacts")
        return AssignmentSerializer(selectors.area_assignments(obj, public_only=public_only), many=True).data

    @extend_schema_field(ClusterRefSerializer(many=True))
    def get_clusters(self, obj: Area) -> list[dict[str, str]]:
        user = self.context["request"].user
        if not user.has_perm("areas.view_clusterings"):
            return []
        return [
            {"clustering": cg.slug, "clusteringName": cg.name, "cluster": c.name}
            for cg, c in selectors.area_clusters(obj)
        ]


def _feature(area: Area, properties: dict[str, Any] | None = None) -> dict[str, Any]:
    props = {"code": area.code, "name": area.name, "level": area.level, "kind": area.kind}
    props.update(properties or {})
    return {"type": "Feature", "id": area.code, "properties": props, "geometry": area.geometry}


LEVEL_PARAM = OpenApiParameter("level", str, enum=["GM", "WK", "BU"], description="Only areas of this level.")
PARENT_PARAM = OpenApiParameter("parent", str, description="Only areas directly within this area code.")


def _level(request: Request) -> str | None:
    level = request.query_params.get("level")
    if level and level not in ("GM", "WK", "BU"):
        raise exceptions.ValidationError({"level": [_("Choose GM, WK or BU.")]})
    return level or None


class AreaListView(APIView):
    @extend_schema(parameters=[LEVEL_PARAM, PARENT_PARAM], responses=AreaSerializer(many=True), summary="List areas")
    def get(self, request: Request) -> Response:
        qs = selectors.areas_list(level=_level(request), parent=request.query_params.get("parent") or None)
        return Response(AreaSerializer(qs, many=True, context={"request": request}).data)


class AreaDetailView(APIView):
    @extend_schema(responses=AreaDetailSerializer, summary="One area with children, assignments and clusters")
    def get(self, request: Request, code: str) -> Response:
        area = selectors.area_get(code)
        return Response(AreaDetailSerializer(area, context={"request": request}).data)


class AreaBoundariesView(APIView):
    """Boundaries as a GeoJSON FeatureCollection in WGS84, for maps."""

    @extend_schema(parameters=[LEVEL_PARAM, PARENT_PARAM], responses={200: OpenApiTypes.OBJECT}, summary="Boundaries as GeoJSON")
    def get(self, request: Request) -> Response:
        qs = selectors.areas_list(level=_level(request), parent=request.query_params.get("parent") or None)
        features = [_feature(a) for a in qs.filter(geometry__isnull=False)]
        return Response({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")


class LookupView(APIView):
    """Point look-up (A5): WGS84 ``lon``/``lat`` or RD New ``x``/``y``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("lon", float, description="Longitude (WGS84)."),
            OpenApiParameter("lat", float, description="Latitude (WGS84)."),
            OpenApiParameter("x", float, description="RD New x in metres (EPSG:28992)."),
            OpenApiParameter("y", float, description="RD New y in metres (EPSG:28992)."),
        ],
        responses=inline_serializer(
            "Lookup",
            {
                "lon": serializers.FloatField(),
                "lat": serializers.FloatField(),
                "gemeente": AreaSerializer(allow_null=True),
                "wijk": AreaSerializer(allow_null=True),
                "buurt": AreaSerializer(allow_null=True),
            },
        ),
        summary="Which wijk and buurt contain a point",
    )
    def get(self, request: Request) -> Response:
        lon, lat = parse_point(request.query_params)
        return Response(lookup_payload(lon, lat, request))


def parse_point(params: Any) -> tuple[float, float]:
    def number(name: str) -> float | None:
        raw = params.get(name)
        if raw in (None, ""):
            return None
        try:
            return float(raw)
        except ValueError:
            raise exceptions.ValidationError({name: [_("Not a number.")]}) from None

    lon, lat, x, y = number("lon"), number("lat"), number("x"), number("y")
    if lon is not None and lat is not None:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise exceptions.ValidationError({"lon": [_("Coordinates out of range.")]})
        return lon, lat
    if x is not None and y is not None:
        return geometry.rd_to_wgs84(x, y)
    raise exceptions.ValidationError({"lon": [_("Give lon and lat, or x and y (RD New).")]})


def lookup_payload(lon: float, lat: float, request: Request | None = None) -> dict[str, Any]:
    found = selectors.area_lookup(lon=lon, lat=lat)
    ctx = {"request": request}
    return {
        "lon": round(lon, 6),
        "lat": round(lat, 6),
        "gemeente": AreaSerializer(found["GM"], context=ctx).data if "GM" in found else None,
        "wijk": AreaSerializer(found["WK"], context=ctx).data if "WK" in found else None,
        "buurt": AreaSerializer(found["BU"], context=ctx).data if "BU" in found else None,
    }


class ClusteringSerializer(serializers.ModelSerializer):
    unitLevel = serializers.CharField(source="unit_level")
    isExample = serializers.BooleanField(source="is_example")
    createdAt = serializers.DateTimeField(source="created_at")
    clusters = serializers.SerializerMethodField()
    gaps = serializers.SerializerMethodField()

    class Meta:
        model = Clustering
        fields = ["slug", "name", "description", "owner", "unitLevel", "isExample", "source", "createdAt", "clusters", "gaps"]

    @extend_schema_field(
        inline_serializer("ClusterMembers", {"name": serializers.CharField(), "units": serializers.ListField(child=serializers.CharField())}, many=True)
    )
    def get_clusters(self, obj: Clustering) -> list[dict[str, Any]]:
        units: dict[str, list[str]] = {}
        for code, cluster in sorted(selectors.clustering_assignment(obj).items()):
            units.setdefault(cluster, []).append(code)
        return [{"name": c.name, "units": units.get(c.name, [])} for c in obj.clusters.all()]

    def get_gaps(self, obj: Clustering) -> list[str]:
        return [a.code for a in selectors.clustering_gaps(obj)]


class ClusteringImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV: unit code, cluster name (header optional).")
    name = serializers.CharField(max_length=200)
    unitLevel = serializers.ChoiceField(choices=["WK", "BU"])
    description = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.CharField(required=False, allow_blank=True, default="")
    isExample = serializers.BooleanField(required=False, default=False)
    allowGaps = serializers.BooleanField(required=False, default=False)
    replace = serializers.BooleanField(required=False, default=False)


class ClusteringListView(APIView):
    parser_classes = [MultiPartParser]

    def get_permissions(self):  # type: ignore[no-untyped-def]
        return [CanManageClusterings()] if self.request.method == "POST" else [CanViewClusterings()]

    @extend_schema(responses=ClusteringSerializer(many=True), summary="List clusterings (indelingen)")
    def get(self, request: Request) -> Response:
        return Response(ClusteringSerializer(selectors.clusterings_list(), many=True).data)

    @extend_schema(request=ClusteringImportSerializer, responses={201: ClusteringSerializer}, summary="Import a clustering from CSV")
    def post(self, request: Request) -> Response:
        form = ClusteringImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        upload = data["file"]
        clustering = services.clustering_import(
            data=upload.read(),
            source=upload.name,
            name=data["name"],
            unit_level=data["unitLevel"],
            description=data["description"],
            owner=data["owner"],
            is_example=data["isExample"],
            allow_gaps=data["allowGaps"],
            replace=data["replace"],
            actor=request.user,
            now=now(),
        )
        return Response(ClusteringSerializer(clustering).data, status=201)


class ClusteringDetailView(APIView):
    permission_classes = [CanViewClusterings]

    @extend_schema(responses=ClusteringSerializer, summary="One clustering with its clusters and gaps")
    def get(self, request: Request, slug: str) -> Response:
        return Response(ClusteringSerializer(selectors.clustering_get(slug)).data)


class ClusteringCompareView(APIView):
    permission_classes = [CanViewClusterings]

    @extend_schema(
        parameters=[OpenApiParameter("a", str, required=True), OpenApiParameter("b", str, required=True)],
        responses=inline_serializer(
            "ClusteringComparison",
            {
                "a": serializers.CharField(),
                "b": serializers.CharField(),
                "unitLevel": serializers.CharField(),
                "rows": serializers.ListField(child=serializers.CharField()),
                "cols": serializers.ListField(child=serializers.CharField()),
                "matrix": serializers.ListField(child=serializers.ListField(child=serializers.IntegerField())),
                "adjustedRandIndex": serializers.FloatField(allow_null=True),
                "disagreements": serializers.ListField(child=serializers.DictField()),
            },
        ),
        summary="Compare two clusterings",
    )
    def get(self, request: Request) -> Response:
        a, b = request.query_params.get("a"), request.query_params.get("b")
        if not a or not b:
            raise exceptions.ValidationError({"a": [_("Give two clusterings: a and b.")]})
        cmp = selectors.clusterings_compare(selectors.clustering_get(a), selectors.clustering_get(b))
        r = cmp.result
        return Response(
            {
                "a": a,
                "b": b,
                "unitLevel": cmp.unit_level,
                "rows": r.rows,
                "cols": r.cols,
                "matrix": r.matrix,
                "adjustedRandIndex": r.adjusted_rand_index,
                "disagreements": [{"unit": u, "inA": ca, "inB": cb} for u, ca, cb in r.disagreements],
            }
        )

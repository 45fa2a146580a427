"""REST API of the area monitor: the indicator catalogue and stored observations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkwijs.monitoring import selectors
from wijkwijs.monitoring.models import Indicator


class IndicatorSerializer(serializers.ModelSerializer):
    nameNl = serializers.CharField(source="name_nl")
    nameEn = serializers.CharField(source="name_en")
    source = serializers.CharField(source="source.name")
    credit = serializers.CharField(source="source.credit")
    isDemo = serializers.BooleanField(source="source.is_demo")
    isCount = serializers.BooleanField(source="is_count")

    class Meta:
        model = Indicator
        fields = ["key", "nameNl", "nameEn", "unit", "theme", "domain", "polarity", "kind", "levels",
                  "isCount", "source", "credit", "isDemo"]


class ObservationSerializer(serializers.Serializer):
    area = serializers.CharField()
    indicator = serializers.CharField()
    period = serializers.CharField()
    value = serializers.FloatField(allow_null=True)


class IndicatorListView(APIView):
    @extend_schema(responses=IndicatorSerializer(many=True), summary="The indicator catalogue")
    def get(self, request: Request) -> Response:
        qs = Indicator.objects.select_related("source").order_by("key")
        return Response(IndicatorSerializer(qs, many=True).data)


class ObservationListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, required=True, description="Area code, e.g. WK082801."),
            OpenApiParameter("indicator", str, description="Catalogue key, e.g. AantalInwoners."),
            OpenApiParameter("period", str),
        ],
        responses=ObservationSerializer(many=True),
        summary="Stored values of an area (small areas suppressed for the public)",
    )
    def get(self, request: Request) -> Response:
        area = request.query_params.get("area")
        if not area:
            raise exceptions.ValidationError({"area": [_("Give an area code.")]})
        try:
            rows: list[dict[str, Any]] = selectors.observations_for(
                area_code=area,
                indicator=request.query_params.get("indicator") or None,
                period=request.query_params.get("period") or None,
            )
        except LookupError as exc:
            raise exceptions.NotFound(str(exc)) from exc
        population = selectors.population([area.strip().upper()]).get(area.strip().upper())
        if selectors.is_suppressed(population, user=request.user):
            rows = [r if r["indicator"] == selectors.POPULATION else {**r, "value": None} for r in rows]
        return Response(rows)

"""REST API of the public budget register (NL API Design Rules: camelCase, no trailing slashes,
problem+json errors). Amounts are JSON numbers in euros with two decimals."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkwijs.areas import selectors as area_selectors
from wijkwijs.budgeting import register_selectors as selectors
from wijkwijs.budgeting.register_selectors import Bucket
from wijkwijs.core.clock import now

YEAR_PARAM = OpenApiParameter("year", int, description="Budget year; default: the current year, or the latest year in the register.")


def _money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)


class BucketSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="CBS code of the wijk, or null")
    name = serializers.CharField()
    clustering = serializers.CharField(allow_null=True, help_text="Clustering code for a cluster, else null")
    amount = _money()
    committed = _money()
    spent = _money()
    share = serializers.FloatField(help_text="Part of all money in the register for the year (0..1)")
    lines = serializers.IntegerField()
    bySource = serializers.DictField(child=_money())


class OverviewSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField())
    isDemo = serializers.BooleanField()
    total = _money()
    areaTotal = _money()
    areaShare = serializers.FloatField()
    citywide = BucketSerializer()
    wijken = BucketSerializer(many=True)
    clusters = BucketSerializer(many=True)


class LineSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    area = serializers.CharField(source="area.code", allow_null=True, default=None)
    cluster = serializers.CharField(source="cluster.name", allow_null=True, default=None)
    source = serializers.CharField()
    department = serializers.CharField(source="department.name")
    amount = _money()
    committed = _money()
    spent = _money()
    isDemo = serializers.BooleanField(source="is_demo")


class AreaLinesSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    own = LineSerializer(many=True)
    buurten = LineSerializer(many=True)
    clusters = LineSerializer(many=True)


def _bucket(b: Bucket) -> dict[str, Any]:
    return {
        "code": b.area.code if b.area else None,
        "name": b.label if b.area or b.cluster else _("City-wide"),
        "clustering": b.cluster.clustering.slug if b.cluster else None,
        "amount": b.amount, "committed": b.committed, "spent": b.spent, "share": round(b.share, 4), "lines": b.lines,
        "bySource": {k: v for k, v in b.by_source.items() if v},
    }


def _year(request: Request) -> int | None:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return selectors.default_year(now().year)
    try:
        year = int(raw)
    except ValueError:
        raise exceptions.ValidationError({"year": [_("Not a year.")]}) from None
    if not 2000 <= year <= 2100:
        raise exceptions.ValidationError({"year": [_("A year between 2000 and 2100.")]})
    return year


class RegisterOverviewView(APIView):
    @extend_schema(operation_id="budget_register_overview", parameters=[YEAR_PARAM], responses=OverviewSerializer, summary="Budget register: money per wijk against city-wide money")
    def get(self, request: Request) -> Response:
        year = _year(request)
        if year is None:
            raise exceptions.NotFound(_("No budgets have been registered yet."))
        o = selectors.register_overview(year=year)
        data = {
            "year": year, "years": selectors.register_years(), "isDemo": o.is_demo, "total": o.total, "areaTotal": o.area_total,
            "areaShare": round(o.area_share, 4), "citywide": _bucket(o.citywide),
            "wijken": [_bucket(b) for b in o.wijken], "clusters": [_bucket(b) for b in o.clusters],
        }
        return Response(OverviewSerializer(data).data)


class RegisterAreaView(APIView):
    @extend_schema(operation_id="budget_register_area", parameters=[YEAR_PARAM], responses=AreaLinesSerializer, summary="Budget lines of one wijk, its buurten and its clusters")
    def get(self, request: Request, code: str) -> Response:
        area = area_selectors.area_get(code)
        year = _year(request)
        lines = selectors.register_area_lines(area=area, year=year) if year is not None else {"own": [], "buurten": [], "clusters": []}
        return Response(AreaLinesSerializer({"code": area.code, "name": area.name, "year": year, **lines}).data)

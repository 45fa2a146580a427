"""HTML pages of the area monitor."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from wijkwijs.areas import selectors as area_selectors
from wijkwijs.monitoring import selectors


def _choice(request: HttpRequest) -> dict[str, object]:
    indicators = selectors.mapped_indicators()
    keys = {i.key for i in indicators}
    key = request.GET.get("indicator") or selectors.POPULATION
    if key not in keys and indicators:
        key = selectors.POPULATION if selectors.POPULATION in keys else indicators[0].key
    level = request.GET.get("level") if request.GET.get("level") in ("WK", "BU") else "WK"
    periods = selectors.periods_of(key)
    period = request.GET.get("period") if request.GET.get("period") in periods else (periods[-1] if periods else "")
    return {"indicators": indicators, "key": key, "level": level, "periods": periods, "period": period}


def indicator_map(request: HttpRequest) -> HttpResponse:
    """Choropleth of any indicator across the municipality, with the same data as a table."""
    choice = _choice(request)
    rows = selectors.indicator_values(
        key=str(choice["key"]), level=str(choice["level"]), period=str(choice["period"]), user=request.user
    )
    indicator = next((i for i in choice["indicators"] if i.key == choice["key"]), None)  # type: ignore[attr-defined]
    return render(request, "monitoring/indicator_map.html", {**choice, "rows": rows, "indicator": indicator})


def indicator_map_geojson(request: HttpRequest) -> JsonResponse:
    choice = _choice(request)
    rows = {
        r["area"].code: r
        for r in selectors.indicator_values(
            key=str(choice["key"]), level=str(choice["level"]), period=str(choice["period"]), user=request.user
        )
    }
    features = [
        {
            "type": "Feature",
            "id": area.code,
            "properties": {
                "code": area.code,
                "name": area.name,
                "url": f"/gebieden/{area.code}",
                "value": rows[area.code]["value"] if area.code in rows else None,
            },
            "geometry": area.geometry,
        }
        for area in area_selectors.areas_list(level=str(choice["level"]))
        if area.geometry
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")

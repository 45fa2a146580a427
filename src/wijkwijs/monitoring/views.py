"""HTML pages of the area monitor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from wijkwijs.areas import selectors as area_selectors
from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError, NotFound
from wijkwijs.monitoring import selectors, services
from wijkwijs.monitoring.forms import ImpressionForm


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


@permission_required("monitoring.add_impression", raise_exception=True)
def impression_add(request: HttpRequest, code: str) -> HttpResponse:
    try:
        area = area_selectors.area_get(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = ImpressionForm(request.POST or None, initial={"observed_on": now().date()})
    if request.method == "POST" and form.is_valid():
        try:
            services.impression_add(area=area, actor=request.user, now=now(), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Impression recorded."))
            back = request.GET.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return redirect(back)
            return redirect("areas:area-detail", code=area.code)
    status = 422 if form.errors else 200
    return render(request, "monitoring/impression_form.html", {"form": form, "area": area}, status=status)

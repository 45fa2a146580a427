"""The wijkfoto pages (M4): HTML (printable), PDF and CSV of one area."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wijkwijs.areas import selectors as area_selectors
from wijkwijs.areas.models import Area
from wijkwijs.core.errors import NotFound
from wijkwijs.monitoring import charts, pdf, selectors
from wijkwijs.monitoring import selectors_wijkfoto as wf
from wijkwijs.monitoring.forms import THEMES


def _area(code: str) -> Area:
    try:
        return area_selectors.area_get(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _decimals(values: list[float | None]) -> int:
    return 0 if all(v is None or float(v).is_integer() for v in values) else 1


def _trend_chart(trend: wf.Trend, area: Area, municipality: Area | None, i: int) -> str:
    ind = trend.indicator
    series = [charts.Series(area.name, trend.area, dashed=trend.is_demo)]
    if trend.reference and municipality is not None:
        series.append(charts.Series(municipality.name, trend.reference, dashed=trend.is_demo))
    first, last = trend.periods[0], trend.periods[-1]
    desc = _("%(name)s in %(area)s from %(first)s to %(last)s.") % {
        "name": ind.name_nl, "area": area.name, "first": first, "last": last}
    if trend.is_demo:
        desc += " " + _("Demo figures: generated, not CBS.")
    return charts.line_chart(series, ident=f"trend-{i}", title=ind.name_nl, desc=desc, unit=ind.unit)


def _pyramid(photo: wf.Wijkfoto) -> str:
    if not photo.ages:
        return ""
    bands = [charts.Band(a["label"], a["share"], a["reference"]) for a in photo.ages]
    ref_name = photo.municipality.name if photo.municipality else ""
    desc = _("Share of the inhabitants per CBS age band, %(area)s against %(ref)s, %(period)s.") % {
        "area": photo.area.name, "ref": ref_name, "period": photo.period}
    return charts.pyramid(bands, ident="pyramid", title=_("Population by age"), desc=desc, label=photo.area.name,
                          reference_label=ref_name)


def _map(request: HttpRequest, area: Area) -> dict[str, Any]:
    indicators, indicator = wf.map_choice(request.GET.get("kaart"), level=wf.map_level(area))
    if indicator is None:
        return {}
    level, period, rows = wf.map_rows(area, indicator, user=request.user)
    areas = {a.code: a for a in area_selectors.areas_list(level=level)}
    decimals = _decimals([r["value"] for r in rows])
    svg = charts.choropleth(
        [charts.MapArea(r["area"].code, r["area"].name, areas[r["area"].code].geometry if r["area"].code in areas else None,
                        r["value"], highlight=r["area"].code == area.code) for r in rows],
        ident="map", title=_("Map: %(name)s, %(period)s") % {"name": indicator.name_nl, "period": period},
        desc=_("%(name)s per area across the municipality; %(area)s is outlined. The figures are in the table below the map.")
        % {"name": indicator.name_nl, "area": area.name},
    )
    values = [r["value"] for r in rows if r["value"] is not None]
    return {"indicators": indicators, "indicator": indicator, "level": level, "period": period, "rows": rows,
            "legend": charts.legend(values, decimals), "no_data": charts.NO_DATA, "highlight": charts.HIGHLIGHT,
            "svg": mark_safe(svg)}  # noqa: S308 - built by charts.py, which escapes all text


def _context(request: HttpRequest, area: Area) -> dict[str, Any]:
    photo = wf.wijkfoto_get(area, user=request.user)
    can_see_impressions = request.user.has_perm("monitoring.view_impressions")
    impressions: list[dict[str, Any]] = []
    if can_see_impressions:
        themes = dict(THEMES)
        grouped: dict[str, list[Any]] = {}
        for imp in selectors.impressions_for(area, limit=100):
            grouped.setdefault(imp.theme, []).append(imp)
        impressions = [{"theme": themes.get(t, t), "items": grouped[t]} for t, _label in THEMES if t in grouped]
        impressions += [{"theme": t, "items": items} for t, items in grouped.items() if t not in themes]
    headline = {f.indicator.key: f for f in photo.figures if f.indicator.key in wf.HEADLINE and f.value is not None}
    return {
        "area": area,
        "photo": photo,
        "breadcrumb": area_selectors.area_breadcrumb(area),
        "headline": [headline[k] for k in wf.HEADLINE if k in headline],
        "trends": [{"trend": t, "svg": mark_safe(_trend_chart(t, area, photo.municipality, i))}  # noqa: S308
                   for i, t in enumerate(photo.trends)],
        "pyramid_svg": mark_safe(_pyramid(photo)),  # noqa: S308 - escaped in charts.py
        "map": _map(request, area),
        "can_see_impressions": can_see_impressions,
        "can_add_impression": request.user.has_perm("monitoring.add_impression"),
        "impressions": impressions,
        "pdf_available": pdf.available(),
        "single_period": not any(f.previous_period for f in photo.figures),
        "demo_trends": any(t.is_demo for t in photo.trends),
    }


def wijkfoto(request: HttpRequest, code: str) -> HttpResponse:
    """The wijkfoto of an area: printable (print CSS), with PDF and CSV downloads."""
    area = _area(code)
    return render(request, "monitoring/wijkfoto/page.html", _context(request, area))


def wijkfoto_pdf(request: HttpRequest, code: str) -> HttpResponse:
    area = _area(code)
    context = _context(request, area)
    if not context["pdf_available"]:
        return render(request, "monitoring/wijkfoto/pdf_unavailable.html",
                      {**context, "reason": pdf.unavailable_reason()}, status=503)
    html = render_to_string("monitoring/wijkfoto/pdf.html", {**context, "stylesheet": pdf.stylesheet()}, request=request)
    response = HttpResponse(pdf.render(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="wijkfoto-{area.code}-{slugify(area.name)}.pdf"'
    return response


def wijkfoto_csv(request: HttpRequest, code: str) -> HttpResponse:
    """All figures of the wijkfoto as CSV (semicolons, decimal comma, UTF-8 with BOM for Excel)."""
    area = _area(code)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("area code"), _("area"), _("level"), _("indicator"), _("name"), _("unit"), _("period"),
                     _("value"), _("status"), _("source"), _("demo figures")])
    for r in wf.csv_rows(area, user=request.user):
        writer.writerow([r["area"], r["area_name"], r["level"], r["indicator"], r["name"], r["unit"], r["period"],
                         csv_number(r["value"]), _("suppressed") if r["status"] == "suppressed" else r["status"],
                         r["source"], _("yes") if r["demo"] else _("no")])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wijkfoto-{area.code}.csv"'
    return response


def csv_number(value: float | None) -> str:
    """Empty for missing; whole numbers without decimals; otherwise a decimal comma."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value)).replace(".", ",")

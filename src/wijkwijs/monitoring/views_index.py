"""Pages of the composite index (M5, public), the priority ranking (M6, internal) and the
change report (M7, public). Public pages suppress areas below the small-number threshold."""

from __future__ import annotations

import csv
import math
from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkwijs.areas import selectors as area_selectors
from wijkwijs.areas.models import Clustering
from wijkwijs.core.errors import NotFound
from wijkwijs.monitoring import index_selectors as isel
from wijkwijs.monitoring.forms_index import ChangesForm, IndexForm, RankingForm
from wijkwijs.monitoring.index import band_of
from wijkwijs.monitoring.ranking import RankingConfig
from wijkwijs.monitoring.selectors import is_suppressed

BAND_LABELS = {
    "strongly_unfavourable": gettext_lazy("strongly unfavourable (< 70)"),
    "unfavourable": gettext_lazy("unfavourable (70-90)"),
    "average": gettext_lazy("average (90-110)"),
    "favourable": gettext_lazy("favourable (> 110)"),
}


def _f(x: Any) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _run(request: HttpRequest, *, clustering: Clustering | None = None, level: str | None = None) -> tuple[isel.IndexRun, IndexForm]:
    defs = isel.definitions()
    try:
        definition = isel.definition_get(request.GET.get("index") or None)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    periods = isel.periods_with([i.key for i in definition.indicators.all()])
    form = IndexForm(request.GET or None, definitions=defs, periods=periods)
    level = level or (request.GET.get("level") if request.GET.get("level") in isel.LEVELS else "WK")
    period = request.GET.get("period") if request.GET.get("period") in periods else None
    try:
        run = isel.index_run(definition=definition, level=level, period=period, clustering=clustering)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return run, form


def _area_rows(run: isel.IndexRun, request: HttpRequest) -> list[dict[str, Any]]:
    res = run.result
    delta = {}
    if run.movement is not None:
        delta = dict(zip(run.movement.codes, run.movement.delta.tolist(), strict=True))
    rows = []
    for i, code in enumerate(res.codes):
        suppressed = is_suppressed(_f(res.population[i]), user=request.user)
        total = None if suppressed else _f(res.total[i])
        rows.append(
            {
                "code": code,
                "name": res.names[i],
                "population": _f(res.population[i]),
                "suppressed": suppressed,
                "total": total,
                "band": band_of(total),
                "themes": [None if suppressed else _f(t) for t in res.theme_scores[i]],
                "delta": None if suppressed or total is None else _f(delta.get(code)),
            }
        )
    return rows


def index_overview(request: HttpRequest) -> HttpResponse:
    """Every wijk (or buurt) with its index, theme scores and change since the previous period."""
    run, form = _run(request)
    ctx = {"run": run, "form": form, "rows": _area_rows(run, request), "bands": BAND_LABELS,
           "municipality": isel.municipality_scores(run)}
    return render(request, "monitoring/index_overview.html", ctx)


def index_area(request: HttpRequest, code: str) -> HttpResponse:
    """One area's index explained: every indicator's value, score, weight and points."""
    try:
        area = area_selectors.area_get(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if area.level not in isel.LEVELS:
        raise Http404(_("The index is computed for wijken and buurten."))
    run, form = _run(request, level=area.level)
    if area.code not in run.result.codes:
        raise Http404(str(area))
    i = run.result.row(area.code)
    pop = _f(run.result.population[i])
    suppressed = is_suppressed(pop, user=request.user)
    explanation = [] if suppressed else run.result.explain(area.code)
    moved = dict(run.movement.for_area(area.code)) if run.movement is not None and area.code in run.movement.codes else {}
    for item in explanation:
        item["label"] = run.labels.get(item["key"], {}).get("name", item["key"])
        item["unit"] = run.labels.get(item["key"], {}).get("unit", "")
        item["moved"] = moved.get(item["key"])
    explanation.sort(key=lambda e: (run.config.themes.index(e["theme"]), e["part"], -abs(e["points_vs_100"] or 0)))
    total = None if suppressed else _f(run.result.total[i])
    themes = [] if suppressed else [
        {
            "theme": t,
            "score": _f(run.result.theme_scores[i, n]),
            "objective": _f(run.result.part_scores[i, n, 0]),
            "subjective": _f(run.result.part_scores[i, n, 1]),
            "band": band_of(_f(run.result.theme_scores[i, n])),
        }
        for n, t in enumerate(run.config.themes)
    ]
    points_sum = sum(e["points_vs_100"] or 0 for e in explanation)
    delta = None
    if run.movement is not None and area.code in run.movement.codes and not suppressed:
        delta = _f(run.movement.delta[run.movement.codes.index(area.code)])
    ctx = {
        "run": run, "form": form, "area": area, "population": pop, "suppressed": suppressed, "total": total,
        "band": band_of(total), "themes": themes, "explanation": explanation, "points_sum": points_sum,
        "delta": delta, "bands": BAND_LABELS,
        "movers": sorted(moved.items(), key=lambda kv: -abs(kv[1]))[:5] if not suppressed else [],
    }
    return render(request, "monitoring/index_area.html", ctx)


# --------------------------------------------------------------------------- ranking


def _units() -> list[tuple[str, str]]:
    out = [("WK", _("Wijken")), ("BU", _("Buurten"))]
    out += [(f"c:{c.slug}", _("Clusters: %(name)s") % {"name": c.name}) for c in area_selectors.clusterings_list()]
    return out


def _ranking(request: HttpRequest) -> tuple[dict[str, Any], int]:
    units = _units()
    unit = request.GET.get("unit") or "WK"
    clustering = None
    level = unit if unit in isel.LEVELS else "WK"
    if unit.startswith("c:"):
        try:
            clustering = area_selectors.clustering_get(unit[2:])
        except NotFound:
            clustering = None
        else:
            level = clustering.unit_level
    run, index_form = _run(request, clustering=clustering, level=level)
    themes = [(t, t) for t in run.config.themes]
    indicators = [(k, run.labels.get(k, {}).get("name", k)) for k in run.config.keys]
    form = RankingForm(request.GET or None, themes=themes, indicators=indicators, units=units)
    ctx: dict[str, Any] = {"run": run, "index_form": index_form, "form": form, "unit": unit}
    if request.GET and not form.is_valid():
        return {**ctx, "rows": []}, 422
    data = form.cleaned_data if form.is_bound else {}
    config = RankingConfig(
        mode=data.get("mode") or "themes",
        theme_weights=form.weights("t_") if form.is_bound else {},
        indicator_weights=form.weights("i_") if form.is_bound else {},
        min_population=float(data["min_population"]) if data.get("min_population") is not None else float(run.config.min_population),
    )
    ranking = isel.ranking_for(run, config)
    rows = ranking.rows()
    for row in rows:
        row["driver_list"] = [
            (row[f"driver_{n + 1}"], run.labels.get(row[f"driver_{n + 1}"], {}).get("name", row[f"driver_{n + 1}"]), row[f"driver_{n + 1}_points"])
            for n in range(ranking.top)
            if row[f"driver_{n + 1}"]
        ]
    return {**ctx, "ranking": ranking, "rows": rows, "config": config}, 200


@permission_required("monitoring.view_ranking", raise_exception=True)
def ranking_page(request: HttpRequest) -> HttpResponse:
    ctx, status = _ranking(request)
    return render(request, "monitoring/ranking.html", ctx, status=status)


@permission_required("monitoring.view_ranking", raise_exception=True)
def ranking_csv(request: HttpRequest) -> HttpResponse:
    ctx, status = _ranking(request)
    if status != 200:
        return render(request, "monitoring/ranking.html", ctx, status=status)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    run = ctx["run"]
    response["Content-Disposition"] = f'attachment; filename="ranking-{run.definition.slug}-{run.period}.csv"'
    writer = csv.DictWriter(response, fieldnames=ctx["ranking"].fieldnames, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(ctx["rows"])
    return response


# --------------------------------------------------------------------------- change report


def _changes(request: HttpRequest) -> tuple[dict[str, Any], int]:
    periods = isel.change_periods()
    data = request.GET if "before" in request.GET else None
    initial = {"before": periods[-2] if len(periods) > 1 else "", "after": periods[-1] if periods else ""}
    form = ChangesForm(data, periods=periods, initial=initial)
    if data is not None and not form.is_valid():
        return {"form": form, "changes": [], "periods": periods}, 422
    before = form.cleaned_data["before"] if data is not None else initial["before"]
    after = form.cleaned_data["after"] if data is not None else initial["after"]
    level = (form.cleaned_data.get("level") if data is not None else "") or "WK"
    if not before or not after or before >= after:
        return {"form": form, "changes": [], "periods": periods}, 200
    report = isel.change_report_for(before=before, after=after, level=level)
    pops = isel.populations({c.code for c in report.changes})
    hidden = {c for c in pops if is_suppressed(pops.get(c), user=request.user)}
    hidden |= {c.code for c in report.changes if c.code not in pops and is_suppressed(None, user=request.user)}
    changes = [c for c in report.changes if c.code not in hidden]
    labels = isel.indicator_labels({c.key for c in changes})
    return {
        "form": form, "report": report, "periods": periods, "before": before, "after": after, "level": level,
        "changes": changes, "labels": labels, "hidden": len({c.code for c in report.changes} & hidden),
        "not_comparable": isel.area_names(report.not_comparable),
    }, 200


def changes_page(request: HttpRequest) -> HttpResponse:
    ctx, status = _changes(request)
    by_area: dict[str, list[Any]] = {}
    for c in ctx["changes"]:
        by_area.setdefault(c.code, []).append(c)
    labels = ctx.get("labels", {})
    rows = []
    for items in by_area.values():
        for n, c in enumerate(items):
            polarity = labels.get(c.key, {}).get("polarity", "context")
            better = {"higher_better": c.delta > 0, "higher_worse": c.delta < 0}.get(polarity)
            rows.append({"change": c, "first": n == 0, "span": len(items), "better": better})
    ctx["rows"] = rows
    return render(request, "monitoring/changes.html", ctx, status=status)


def changes_csv(request: HttpRequest) -> HttpResponse:
    ctx, status = _changes(request)
    if status != 200:
        return render(request, "monitoring/changes.html", {**ctx, "rows": []}, status=status)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="veranderingen-{ctx.get("before", "")}-{ctx.get("after", "")}.csv"'
    writer = csv.writer(response)
    writer.writerow(["code", "name", "indicator", "indicator_name", "unit", "before", "after", "delta", "relative", "magnitude"])
    for c in ctx["changes"]:
        label = ctx["labels"][c.key]
        writer.writerow([c.code, c.name, c.key, label["name"], label["unit"], c.before, c.after, round(c.delta, 4),
                         "" if c.relative is None else round(c.relative, 4), round(c.magnitude, 2)])
    return response

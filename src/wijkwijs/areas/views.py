"""HTML pages of the area register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwijs.areas import geometry, selectors, services
from wijkwijs.areas.forms import BoundariesImportForm, ClusteringImportForm, LookupForm
from wijkwijs.areas.models import Area, Cluster, Clustering
from wijkwijs.core import panels
from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError, NotFound

#: Colour-blind-safe categorical palette (Okabe-Ito plus extensions) for clusters on maps.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#F0E442", "#999999", "#7B3294", "#1B7837", "#B35806", "#2166AC",
]


def _get_area(code: str) -> Area:
    try:
        return selectors.area_get(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _columns(areas: list[Area]) -> list[dict[str, Any]]:
    codes = [a.code for a in areas]
    return [{"label": c.label, "values": c.values(codes)} for c in panels.columns()]


def home(request: HttpRequest) -> HttpResponse:
    groups = selectors.wijken_with_buurten()
    all_areas = [w for w, _ in groups] + [b for _, bs in groups for b in bs]
    return render(
        request,
        "areas/home.html",
        {
            "municipality": selectors.municipality(),
            "groups": groups,
            "columns": _columns(all_areas),
            "n_buurten": sum(len(bs) for _, bs in groups),
            "panels": panels.render_context("home", request, None),
        },
    )


def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = _get_area(code)
    children = list(selectors.area_children(area))
    can_see_clusters = request.user.has_perm("areas.view_clusterings")
    return render(
        request,
        "areas/area_detail.html",
        {
            "area": area,
            "breadcrumb": selectors.area_breadcrumb(area),
            "children": children,
            "child_columns": _columns(children),
            "assignments": selectors.area_assignments(
                area, public_only=not request.user.has_perm("areas.view_private_contacts")
            ),
            "clusters": selectors.area_clusters(area) if can_see_clusters else [],
            "can_see_clusters": can_see_clusters,
            "panels": panels.render_context("area", request, area),
        },
    )


def area_geojson(request: HttpRequest, code: str) -> JsonResponse:
    """The area's children for the area page map; an area without children (a buurt) is shown
    highlighted among its siblings."""
    area = _get_area(code)
    features = []
    children = [c for c in selectors.area_children(area) if c.geometry]
    context = children or [a for a in selectors.areas_list(level=area.level, parent=area.parent.code if area.parent else None) if a.geometry and a.pk != area.pk]
    for other in context:
        features.append(_feature(other, {"role": "context"}))
    if area.geometry and not children:
        features.append(_feature(area, {"role": "self"}))
    return JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")


def _feature(area: Area, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": area.code,
        "properties": {"code": area.code, "name": area.name, "url": f"/gebieden/{area.code}", **props},
        "geometry": area.geometry,
    }


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("lon") is not None and data.get("lat") is not None:
            lon, lat = data["lon"], data["lat"]
        else:
            lon, lat = geometry.rd_to_wgs84(data["x"], data["y"])
        result = {"lon": lon, "lat": lat, "areas": selectors.area_lookup(lon=lon, lat=lat)}
    return render(request, "areas/lookup.html", {"form": form, "result": result})


@permission_required("areas.import_boundaries", raise_exception=True)
def boundaries_import(request: HttpRequest) -> HttpResponse:
    form = BoundariesImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.boundaries_import(
                data=upload.read(), source=upload.name, create_missing=form.cleaned_data["create_missing"],
                actor=request.user, now=now(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            problems = exc.problems
        else:
            messages.success(
                request,
                _("Boundaries read: %(updated)s changed, %(unchanged)s unchanged.")
                % {"updated": report.updated, "unchanged": report.unchanged},
            )
            return redirect("areas:home")
    status = 422 if problems or form.errors else 200
    return render(request, "areas/boundaries_import.html", {"form": form, "problems": problems}, status=status)


# -- clusterings -------------------------------------------------------------------------------

def _clusterings_allowed(request: HttpRequest) -> None:
    if not request.user.has_perm("areas.view_clusterings"):
        if not request.user.is_authenticated:
            raise PermissionDenied(_("Log in to see the clusterings."))
        raise PermissionDenied


def _get_clustering(request: HttpRequest, slug: str) -> Clustering:
    _clusterings_allowed(request)
    try:
        return selectors.clustering_get(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def clustering_list(request: HttpRequest) -> HttpResponse:
    _clusterings_allowed(request)
    clusterings = list(selectors.clusterings_list())
    return render(request, "areas/clustering_list.html", {"clusterings": clusterings})


def clustering_detail(request: HttpRequest, slug: str) -> HttpResponse:
    clustering = _get_clustering(request, slug)
    assignment = selectors.clustering_assignment(clustering)
    units = {a.code: a for a in Area.objects.filter(code__in=assignment)}
    clusters = []
    for i, cluster in enumerate(clustering.clusters.all()):
        members = sorted((units[c] for c, name in assignment.items() if name == cluster.name), key=lambda a: a.code)
        clusters.append({"cluster": cluster, "members": members, "colour": PALETTE[i % len(PALETTE)]})
    gaps = selectors.clustering_gaps(clustering)
    return render(
        request,
        "areas/clustering_detail.html",
        {
            "clustering": clustering,
            "clusters": clusters,
            "gaps": gaps,
            "can_manage": request.user.has_perm("areas.manage_clusterings"),
            "all_units": sorted(units.values(), key=lambda a: a.code) + gaps,
            "assignment": assignment,
        },
    )


def clustering_geojson(request: HttpRequest, slug: str) -> JsonResponse:
    clustering = _get_clustering(request, slug)
    assignment = selectors.clustering_assignment(clustering)
    colour = {c.name: PALETTE[i % len(PALETTE)] for i, c in enumerate(clustering.clusters.all())}
    features = [
        _feature(a, {"cluster": assignment.get(a.code, _("(no cluster)")), "fill": colour.get(assignment.get(a.code, ""), "#ffffff")})
        for a in selectors.areas_list(level=clustering.unit_level)
        if a.geometry
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")


@permission_required("areas.manage_clusterings", raise_exception=True)
def clustering_import(request: HttpRequest) -> HttpResponse:
    form = ClusteringImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clustering = services.clustering_import(
                data=data["file"].read(),
                source=data["file"].name,
                name=data["name"],
                unit_level=data["unit_level"],
                owner=data["owner"],
                description=data["description"],
                is_example=data["is_example"],
                allow_gaps=data["allow_gaps"],
                replace=data["replace"],
                actor=request.user,
                now=now(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            problems = exc.problems
        else:
            messages.success(request, _("Clustering %(name)s imported.") % {"name": clustering.name})
            return redirect("areas:clustering-detail", slug=clustering.slug)
    return render(request, "areas/clustering_import.html", {"form": form, "problems": problems}, status=422 if problems or form.errors else 200)


@require_POST
@permission_required("areas.manage_clusterings", raise_exception=True)
def clustering_move_unit(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        clustering = selectors.clustering_get(slug)
        area = selectors.area_get(request.POST.get("area", ""))
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    cluster_id = request.POST.get("cluster") or ""
    cluster = None
    if cluster_id:
        cluster = Cluster.objects.filter(clustering=clustering, pk=cluster_id if cluster_id.isdigit() else 0).first()
        if cluster is None:
            messages.error(request, _("Unknown cluster."))
            return redirect("areas:clustering-detail", slug=slug)
    try:
        services.clustering_move_unit(clustering=clustering, area=area, cluster=cluster, actor=request.user, now=now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(area)s moved.") % {"area": area.name})
    return redirect("areas:clustering-detail", slug=slug)


def clustering_compare(request: HttpRequest) -> HttpResponse:
    _clusterings_allowed(request)
    clusterings = list(selectors.clusterings_list())
    a, b = request.GET.get("a"), request.GET.get("b")
    if not a and len(clusterings) >= 2:
        a, b = clusterings[0].slug, clusterings[1].slug
    result = None
    error = ""
    if a and b:
        try:
            result = selectors.clusterings_compare(selectors.clustering_get(a), selectors.clustering_get(b))
        except NotFound as exc:
            error = exc.message
    rows = []
    if result is not None:
        r = result.result
        rows = [
            {
                "name": name,
                "cells": [{"n": n, "paired": r.matching.get(name) == col} for n, col in zip(r.matrix[i], r.cols)],
                "total": sum(r.matrix[i]),
            }
            for i, name in enumerate(r.rows)
        ]
    return render(
        request,
        "areas/clustering_compare.html",
        {"clusterings": clusterings, "a": a, "b": b, "cmp": result, "rows": rows, "error": error},
        status=404 if error else 200,
    )


def clustering_compare_geojson(request: HttpRequest) -> JsonResponse:
    _clusterings_allowed(request)
    try:
        cmp = selectors.clusterings_compare(
            selectors.clustering_get(request.GET.get("a", "")), selectors.clustering_get(request.GET.get("b", ""))
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    disagree = {u: (ca, cb) for u, ca, cb in cmp.result.disagreements}
    a = selectors.clustering_assignment(cmp.first, unit_level=cmp.unit_level)
    b = selectors.clustering_assignment(cmp.second, unit_level=cmp.unit_level)
    features = [
        _feature(area, {
            "disagree": area.code in disagree,
            "clusterA": a.get(area.code, ""),
            "clusterB": b.get(area.code, ""),
            "fill": "#D55E00" if area.code in disagree else "#56B4E9",
        })
        for area in selectors.areas_list(level=cmp.unit_level)
        if area.geometry
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")

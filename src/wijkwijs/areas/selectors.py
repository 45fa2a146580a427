"""Reads on the area register."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from wijkwijs.areas import comparison, geometry
from wijkwijs.areas.models import Area, Assignment, Cluster, Clustering, ClusterMember
from wijkwijs.core.errors import NotFound


def area_get(code: str) -> Area:
    area = Area.objects.select_related("parent").filter(code=code.strip().upper()).first()
    if area is None:
        raise NotFound(f"gebied {code} bestaat niet")
    return area


def areas_list(*, level: str | None = None, parent: str | None = None, current: bool = True) -> QuerySet[Area]:
    qs = Area.objects.select_related("parent")
    if current:
        qs = qs.current()
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    return qs


def municipality() -> Area | None:
    return Area.objects.current().filter(level="GM").order_by("code").first()


def wijken_with_buurten() -> list[tuple[Area, list[Area]]]:
    wijken = list(areas_list(level="WK"))
    buurten: dict[int, list[Area]] = {}
    for b in areas_list(level="BU"):
        buurten.setdefault(b.parent_id or 0, []).append(b)
    return [(w, buurten.get(w.pk, [])) for w in wijken]


def area_children(area: Area) -> QuerySet[Area]:
    return area.children.current().order_by("code")


def area_breadcrumb(area: Area) -> list[Area]:
    chain = []
    node = area.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def area_clusters(area: Area) -> list[tuple[Clustering, Cluster]]:
    """The clusters an area belongs to, in every clustering. A buurt belongs to the cluster of
    its wijk in a wijk-level clustering; a wijk to the clusters holding its buurten."""
    if area.level == "BU":
        codes = [area.pk, area.parent_id]
    elif area.level == "WK":
        codes = [area.pk, *area.children.values_list("pk", flat=True)]
    else:
        return []
    members = (
        ClusterMember.objects.filter(area_id__in=[c for c in codes if c])
        .select_related("cluster", "clustering")
        .order_by("clustering__name", "cluster__position")
    )
    seen: set[int] = set()
    out = []
    for m in members:
        if m.cluster_id in seen:
            continue
        seen.add(m.cluster_id)
        out.append((m.clustering, m.cluster))
    return out


def area_assignments(area: Area, *, public_only: bool) -> list[Assignment]:
    """Who is responsible: assignments on the area itself, its parents and its clusters."""
    cluster_ids = [c.pk for _, c in area_clusters(area)]
    area_ids = [area.pk, *(a.pk for a in area_breadcrumb(area))]
    qs = Assignment.objects.filter(Q(area_id__in=area_ids) | Q(cluster_id__in=cluster_ids)).select_related(
        "person", "area", "cluster", "cluster__clustering"
    )
    if public_only:
        qs = qs.filter(public=True)
    return sorted(qs, key=lambda a: (a.role, 0 if a.area_id == area.pk else 1, a.display_name))


def clusterings_list() -> QuerySet[Clustering]:
    return Clustering.objects.annotate(n_clusters=Count("clusters", distinct=True), n_units=Count("members", distinct=True))


def clustering_get(slug: str) -> Clustering:
    clustering = Clustering.objects.filter(slug=slug).first()
    if clustering is None:
        raise NotFound(f"indeling {slug} bestaat niet")
    return clustering


def clustering_assignment(clustering: Clustering, *, unit_level: str | None = None) -> dict[str, str]:
    """``unit code -> cluster name``; a wijk-level clustering expands to buurten on request."""
    pairs = ClusterMember.objects.filter(clustering=clustering).values_list("area__code", "area_id", "cluster__name")
    if unit_level in (None, clustering.unit_level):
        return {code: cluster for code, _, cluster in pairs}
    if unit_level == "BU" and clustering.unit_level == "WK":
        by_wijk = {pk: cluster for _, pk, cluster in pairs}
        buurten = Area.objects.current().filter(level="BU", parent_id__in=list(by_wijk)).values_list("code", "parent_id")
        return {code: by_wijk[parent] for code, parent in buurten}
    raise ValueError("a buurt-level clustering cannot be compared at wijk level")


def clustering_gaps(clustering: Clustering) -> list[Area]:
    return list(
        Area.objects.current().filter(level=clustering.unit_level).exclude(cluster_memberships__clustering=clustering)
    )


@dataclass(frozen=True)
class ClusteringComparison:
    first: Clustering
    second: Clustering
    unit_level: str
    result: comparison.Comparison
    names: dict[str, str]


def clusterings_compare(first: Clustering, second: Clustering) -> ClusteringComparison:
    level = "BU" if "BU" in (first.unit_level, second.unit_level) else "WK"
    a = clustering_assignment(first, unit_level=level)
    b = clustering_assignment(second, unit_level=level)
    names = dict(Area.objects.filter(code__in=set(a) | set(b)).values_list("code", "name"))
    return ClusteringComparison(first=first, second=second, unit_level=level, result=comparison.compare(a, b), names=names)


# -- point look-up -----------------------------------------------------------------------------

_index_lock = threading.Lock()
_index_cache: dict[str, Any] = {"key": None, "index": None}


def _geometry_version() -> tuple[int, Any]:
    agg = Area.objects.current().filter(geometry__isnull=False).aggregate(
        n=Count("id"), last=Max("id"), version=Sum("geometry_version")
    )
    return agg["n"], (agg["last"], agg["version"])


def _point_index() -> geometry.PointIndex | None:
    key = _geometry_version()
    with _index_lock:
        if _index_cache["key"] != key:
            rows = Area.objects.current().filter(geometry__isnull=False).values_list("code", "level", "geometry")
            _index_cache["index"] = geometry.PointIndex(rows) if key[0] else None
            _index_cache["key"] = key
        return _index_cache["index"]


def area_lookup(*, lon: float, lat: float) -> dict[str, Area]:
    """The areas (per level GM/WK/BU) that contain the point. Empty when no boundary holds it."""
    index = _point_index()
    if index is None:
        return {}
    found = index.lookup(lon, lat)
    areas = {a.code: a for a in Area.objects.filter(code__in=found.values())}
    result = {level: areas[code] for level, code in found.items() if code in areas}
    # The buurt decides: its wijk and municipality follow from the register, also where a
    # generalised wijk outline differs slightly from the buurt outlines, or is not loaded.
    if "BU" in result:
        node = result["BU"].parent
        while node is not None:
            result[node.level] = node
            node = node.parent
    elif "WK" in result and result["WK"].parent is not None:
        result.setdefault("GM", result["WK"].parent)
    return result


def reset_lookup_cache() -> None:
    with _index_lock:
        _index_cache["key"] = None
        _index_cache["index"] = None

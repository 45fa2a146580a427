"""Reads on the budget register (B1): the overview per wijk against city-wide money, one
wijk's lines, and the export."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from wijkwijs.areas import selectors as area_selectors
from wijkwijs.areas.models import Area, Cluster
from wijkwijs.budgeting.register_models import BudgetLine, BudgetMutation, BudgetSource, MutationKind
from wijkwijs.budgeting.register_services import CSV_COLUMNS

ZERO = Decimal(0)


def _sum(kind: str) -> Coalesce:
    return Coalesce(
        Sum("mutations__amount", filter=Q(mutations__kind=kind)), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2)
    )


def lines_with_totals() -> QuerySet[BudgetLine]:
    """Budget lines annotated with ``committed`` and ``spent`` (sums over the mutation log)."""
    return BudgetLine.objects.select_related("area", "area__parent", "cluster", "cluster__clustering", "department").annotate(
        committed=_sum(MutationKind.COMMITTED), spent=_sum(MutationKind.SPENT)
    )


def register_years() -> list[int]:
    return sorted(set(BudgetLine.objects.values_list("year", flat=True)), reverse=True)


def default_year(today_year: int) -> int | None:
    years = register_years()
    if not years:
        return None
    return today_year if today_year in years else years[0]


@dataclass
class Bucket:
    """Money of one wijk (its own lines and those of its buurten), one cluster, or the city."""

    label: str
    area: Area | None = None
    cluster: Cluster | None = None
    amount: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    lines: int = 0
    by_source: dict[str, Decimal] = field(default_factory=dict)
    share: float = 0.0

    def add(self, line: Any) -> None:
        self.amount += line.amount
        self.committed += line.committed
        self.spent += line.spent
        self.lines += 1
        self.by_source[line.source] = self.by_source.get(line.source, ZERO) + line.amount

    @property
    def sources(self) -> list[tuple[str, str, Decimal]]:
        return [(v, str(label), self.by_source.get(v, ZERO)) for v, label in BudgetSource.choices]


@dataclass
class Overview:
    year: int
    wijken: list[Bucket]
    clusters: list[Bucket]
    citywide: Bucket
    total: Decimal
    area_total: Decimal
    is_demo: bool

    @property
    def area_share(self) -> float:
        return float(self.area_total / self.total) if self.total else 0.0

    @property
    def sources_used(self) -> list[tuple[str, str]]:
        used = {s for b in [*self.wijken, *self.clusters, self.citywide] for s, v in b.by_source.items() if v}
        return [(v, str(label)) for v, label in BudgetSource.choices if v in used]


def _wijk_of(area: Area) -> Area | None:
    if area.level == "WK":
        return area
    if area.level == "BU":
        return area.parent
    return None


def register_overview(*, year: int) -> Overview:
    """Every wijk (also those without budgets), every cluster with money, and city-wide money.
    A wijk's share is its part of all money in the register for the year."""
    wijken = {w.pk: Bucket(label=w.name, area=w) for w in area_selectors.areas_list(level="WK")}
    clusters: dict[int, Bucket] = {}
    citywide = Bucket(label="citywide")
    is_demo = False
    for line in lines_with_totals().filter(year=year):
        is_demo = is_demo or line.is_demo
        if line.cluster_id:
            bucket = clusters.setdefault(line.cluster_id, Bucket(label=f"{line.cluster.name} ({line.cluster.clustering.name})", cluster=line.cluster))
        elif line.area_id and (wijk := _wijk_of(line.area)) is not None:
            bucket = wijken.setdefault(wijk.pk, Bucket(label=wijk.name, area=wijk))
        else:
            bucket = citywide
        bucket.add(line)
    rows = sorted(wijken.values(), key=lambda b: b.area.code if b.area else "")
    cluster_rows = sorted(clusters.values(), key=lambda b: (b.cluster.clustering.name, b.cluster.position, b.cluster.name) if b.cluster else ("", 0, ""))
    area_total = sum((b.amount for b in [*rows, *cluster_rows]), ZERO)
    total = area_total + citywide.amount
    for b in [*rows, *cluster_rows, citywide]:
        b.share = float(b.amount / total) if total else 0.0
    return Overview(year=year, wijken=rows, clusters=cluster_rows, citywide=citywide, total=total, area_total=area_total, is_demo=is_demo)


def register_area_lines(*, area: Area, year: int) -> dict[str, list[Any]]:
    """The lines of a wijk: on the wijk itself, on its buurten, and on clusters that contain it
    (shared with other areas, so not counted in the wijk's total)."""
    buurt_ids = list(area.children.values_list("pk", flat=True)) if area.level == "WK" else []
    cluster_ids = [c.pk for _cg, c in area_selectors.area_clusters(area)]
    qs = lines_with_totals().filter(year=year)
    return {
        "own": list(qs.filter(area=area)),
        "buurten": list(qs.filter(area_id__in=buurt_ids).order_by("area__name", "reference")),
        "clusters": list(qs.filter(cluster_id__in=cluster_ids)),
    }


def budget_line_get(pk: int) -> Any:
    return lines_with_totals().filter(pk=pk).first()


def budget_line_mutations(line: BudgetLine) -> QuerySet[BudgetMutation]:
    return BudgetMutation.objects.filter(line=line).select_related("created_by").order_by("on", "id")


def register_export_rows(*, year: int | None = None) -> list[list[str]]:
    """Rows for the CSV export, in the import's format (the export can be imported again)."""
    qs = lines_with_totals().order_by("year", "reference")
    if year is not None:
        qs = qs.filter(year=year)
    out = [list(CSV_COLUMNS)]
    for line in qs:
        cluster = f"{line.cluster.clustering.slug}/{line.cluster.name}" if line.cluster_id else ""
        out.append([
            str(line.year), line.reference, line.title, line.area.code if line.area_id else "", cluster, line.source,
            line.department.slug, f"{line.amount:.2f}", f"{line.committed:.2f}", f"{line.spent:.2f}", line.description,
        ])
    return out

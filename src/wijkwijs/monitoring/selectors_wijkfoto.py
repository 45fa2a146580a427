"""Reads for the wijkfoto (M4): one area's figures against its municipality and earlier periods.

Small-number protection: for a user who may not see internal figures, an area with fewer
inhabitants than ``SMALL_NUMBER_THRESHOLD`` shows its number of inhabitants and nothing else
(as the map and the API do). Demo figures (source ``is_demo``) are kept in their own list and
never combined with CBS or own figures in one row or one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from wijkwijs.areas.models import Area
from wijkwijs.monitoring import catalogue_data, selectors
from wijkwijs.monitoring.demo_series import DEMO_PREFIX
from wijkwijs.monitoring.models import Indicator, Observation, Source

#: Curated key figures shown as cards at the top (when present).
HEADLINE = ("AantalInwoners", "Woningvoorraad", "Bevolkingsdichtheid", "OppervlakteTotaal")
#: Counts whose trend is drawn (CBS when there are two periods or more, else the demo series).
TREND_COUNTS = ("AantalInwoners", "Woningvoorraad", "k_65JaarOfOuder")


@dataclass
class Figure:
    indicator: Indicator
    period: str
    value: float | None
    reference: float | None = None  # the municipality, same period
    previous_period: str = ""
    previous: float | None = None
    status: str = ""
    source: Source | None = None  # of the latest value

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def is_demo(self) -> bool:
        return self.indicator.source.is_demo


@dataclass
class Trend:
    indicator: Indicator
    is_demo: bool
    area: list[tuple[str, float | None]]
    reference: list[tuple[str, float | None]] = field(default_factory=list)

    @property
    def periods(self) -> list[str]:
        return sorted({p for p, _ in self.area} | {p for p, _ in self.reference})

    def rows(self) -> list[tuple[str, float | None, float | None]]:
        a, r = dict(self.area), dict(self.reference)
        return [(p, a.get(p), r.get(p)) for p in self.periods]


@dataclass
class Wijkfoto:
    area: Area
    municipality: Area | None
    period: str | None
    population: float | None
    suppressed: bool
    figures: list[Figure]
    demo_figures: list[Figure]
    trends: list[Trend]
    ages: list[dict[str, Any]]
    men: float | None
    women: float | None
    credits: list[str]
    threshold: int


def municipality_of(area: Area) -> Area | None:
    node = area
    while node.parent is not None:
        node = node.parent
    return node if node.pk != area.pk else None


def _series(area_ids: list[int]) -> tuple[dict[tuple[int, int], dict[str, tuple[float | None, str]]], dict[tuple[int, int, str], int]]:
    """``{(area id, indicator id): {period: (value, status)}}`` for all stored observations, and
    the source id of each ``(area id, indicator id, period)``."""
    out: dict[tuple[int, int], dict[str, tuple[float | None, str]]] = {}
    sources: dict[tuple[int, int, str], int] = {}
    for area_id, ind_id, period, value, status, source_id in Observation.objects.filter(
        area_id__in=area_ids
    ).values_list("area_id", "indicator_id", "period", "value", "status", "source_id"):
        out.setdefault((area_id, ind_id), {})[period] = (value, status)
        sources[(area_id, ind_id, period)] = source_id
    return out, sources


def _figure(ind: Indicator, own: dict[str, tuple[float | None, str]], ref: dict[str, tuple[float | None, str]]) -> Figure:
    periods = sorted(own)
    latest = periods[-1]
    value, status = own[latest]
    fig = Figure(indicator=ind, period=latest, value=value, status=status, reference=ref.get(latest, (None, ""))[0])
    if len(periods) > 1:
        fig.previous_period = periods[-2]
        fig.previous = own[periods[-2]][0]
    return fig


@lru_cache(maxsize=1)
def _positions() -> dict[str, int]:
    """Catalogue keys in the order of the CBS table (Bevolking first, ...)."""
    return {key: i for i, key in enumerate(catalogue_data.load_dictionary().by_key)}


def _order(ind: Indicator) -> tuple[int, int, str]:
    """CBS figures in table order, then own indicators by theme and key, demo figures last."""
    key = ind.key.removeprefix(DEMO_PREFIX)
    return (int(ind.source.is_demo), _positions().get(key, 10**6), f"{ind.theme}|{ind.key}")


def wijkfoto_get(area: Area, *, user: Any) -> Wijkfoto:
    municipality = municipality_of(area)
    ids = [area.pk] + ([municipality.pk] if municipality else [])
    series, source_of = _series(ids)
    all_sources = {src.pk: src for src in Source.objects.filter(pk__in=set(source_of.values()))}
    indicators = {
        i.pk: i for i in Indicator.objects.filter(pk__in={ind for _, ind in series}).select_related("source")
    }
    period = selectors.latest_period()
    by_key = {i.key: i for i in indicators.values()}
    pop_ind = by_key.get(selectors.POPULATION)
    own_pop = series.get((area.pk, pop_ind.pk), {}) if pop_ind else {}
    population = own_pop.get(period, (None, ""))[0] if period else None
    suppressed = area.level != "GM" and selectors.is_suppressed(population, user=user)

    def own(ind: Indicator) -> dict[str, tuple[float | None, str]]:
        return series.get((area.pk, ind.pk), {})

    def ref(ind: Indicator) -> dict[str, tuple[float | None, str]]:
        return series.get((municipality.pk, ind.pk), {}) if municipality else {}

    figures, demo_figures = [], []
    for ind in sorted(indicators.values(), key=_order):
        if not own(ind):
            continue
        if suppressed and ind.key != selectors.POPULATION:
            continue
        fig = _figure(ind, own(ind), ref(ind))
        fig.source = all_sources.get(source_of.get((area.pk, ind.pk, fig.period), 0))
        (demo_figures if ind.source.is_demo else figures).append(fig)

    trends: list[Trend] = []
    if not suppressed:
        for key in TREND_COUNTS:
            trend = _trend(by_key.get(key), own, ref, with_reference=False) or _trend(
                by_key.get(DEMO_PREFIX + key), own, ref, with_reference=False
            )
            if trend:
                trends.append(trend)
        for ind in sorted(indicators.values(), key=_order):
            if ind.source.is_demo and not ind.is_count:
                trend = _trend(ind, own, ref, with_reference=True)
                if trend:
                    trends.append(trend)
    elif pop_ind is not None:
        trend = _trend(pop_ind, own, ref, with_reference=False) or _trend(
            by_key.get(DEMO_PREFIX + selectors.POPULATION), own, ref, with_reference=False
        )
        trends = [trend] if trend else []

    ages, men, women = [], None, None
    if period and not suppressed:
        vals = selectors.values([a.code for a in [area, municipality] if a], [k for k, _ in selectors.AGE_BANDS]
                                + [selectors.POPULATION, "Mannen", "Vrouwen"], period)
        mine, theirs = vals.get(area.code, {}), vals.get(municipality.code, {}) if municipality else {}
        for key, label in selectors.AGE_BANDS:
            ages.append({
                "label": label,
                "value": mine.get(key),
                "share": _share(mine.get(key), mine.get(selectors.POPULATION)),
                "reference": _share(theirs.get(key), theirs.get(selectors.POPULATION)),
            })
        if all(a["value"] is None for a in ages):
            ages = []
        men, women = mine.get("Mannen"), mine.get("Vrouwen")

    shown_ids = {f.indicator.pk for f in figures + demo_figures} | {t.indicator.pk for t in trends}
    shown = {src for (a, i, _p), src in source_of.items() if i in shown_ids and a in ids}
    credits = sorted({all_sources[pk].credit: all_sources[pk].is_demo for pk in shown}.items(), key=lambda c: (c[1], c[0]))
    credit_lines = [c for c, _demo in credits]
    return Wijkfoto(
        area=area, municipality=municipality, period=period, population=population, suppressed=suppressed,
        figures=figures, demo_figures=demo_figures, trends=trends, ages=ages, men=men, women=women,
        credits=credit_lines, threshold=_threshold(),
    )


def _threshold() -> int:
    from django.conf import settings  # noqa: PLC0415

    return int(settings.SMALL_NUMBER_THRESHOLD)


def _share(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def _trend(ind: Indicator | None, own: Any, ref: Any, *, with_reference: bool) -> Trend | None:
    if ind is None:
        return None
    points = sorted((p, v) for p, (v, _) in own(ind).items())
    if sum(1 for _, v in points if v is not None) < 2:
        return None
    reference = sorted((p, v) for p, (v, _) in ref(ind).items()) if with_reference else []
    return Trend(indicator=ind, is_demo=ind.source.is_demo, area=points, reference=reference)


def csv_rows(area: Area, *, user: Any) -> list[dict[str, Any]]:
    """Every stored observation of the area and (for comparison) of its municipality, one row
    each, with source and demo flag; suppressed values are empty with status ``suppressed``."""
    municipality = municipality_of(area)
    codes = [area.code] + ([municipality.code] if municipality else [])
    period = selectors.latest_period()
    population = selectors.values([area.code], [selectors.POPULATION], period).get(area.code, {}).get(
        selectors.POPULATION) if period else None
    suppressed = area.level != "GM" and selectors.is_suppressed(population, user=user)
    rows = []
    qs = (
        Observation.objects.filter(area__code__in=codes)
        .select_related("area", "indicator", "source")
        .order_by("area__level", "area__code", "indicator__key", "period")
    )
    for o in qs:
        hidden = suppressed and o.area_id == area.pk and o.indicator.key != selectors.POPULATION
        rows.append({
            "area": o.area.code, "area_name": o.area.name, "level": o.area.level, "indicator": o.indicator.key,
            "name": o.indicator.name_nl, "unit": o.indicator.unit, "period": o.period,
            "value": None if hidden else o.value, "status": "suppressed" if hidden else o.status,
            "source": o.source.credit, "demo": o.source.is_demo,
        })
    # The area's own rows first (the municipality follows as reference).
    rows.sort(key=lambda r: (r["area"] != area.code,))
    return rows


def map_level(area: Area) -> str:
    return "WK" if area.level == "GM" else area.level


def map_choice(key: str | None, *, level: str = "WK") -> tuple[list[Indicator], Indicator | None]:
    """The indicators that can be mapped and the chosen one; by default density, else the
    population, whichever has values at ``level`` (CBS gives density for wijken only)."""
    indicators = selectors.mapped_indicators()
    keys = {i.key: i for i in indicators}
    if key in keys:
        return indicators, keys[key]
    for default in ("Bevolkingsdichtheid", selectors.POPULATION):
        if default in keys and Observation.objects.filter(
            indicator=keys[default], area__level=level, value__isnull=False
        ).exists():
            return indicators, keys[default]
    return indicators, (indicators[0] if indicators else None)


def map_rows(area: Area, indicator: Indicator, *, user: Any) -> tuple[str, str, list[dict[str, Any]]]:
    """(level, period, rows) for the choropleth: the area among the areas of its level (a
    municipality shows its wijken); values suppressed for small areas as on the map page."""
    level = map_level(area)
    periods = selectors.periods_of(indicator.key)
    period = periods[-1] if periods else ""
    rows = selectors.indicator_values(key=indicator.key, level=level, period=period, user=user) if period else []
    return level, period, rows

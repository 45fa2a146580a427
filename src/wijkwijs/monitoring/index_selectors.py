"""Reads for the composite index (M5), the priority ranking (M6) and the change report (M7).

The formulas live in the pure modules ``index.py``, ``ranking.py`` and ``changes.py``; this
module fetches the figures (few queries, by id) and hands them over. See
docs/monitoring-index.md.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection

from wijkwijs.areas.models import Area, Clustering
from wijkwijs.areas.selectors import clustering_assignment
from wijkwijs.core.errors import NotFound
from wijkwijs.monitoring import catalogue_data
from wijkwijs.monitoring.cbs_formats import Row
from wijkwijs.monitoring.changes import COMPARABLE_ATTRIBUTE, ChangeConfig, ChangeReport, change_report
from wijkwijs.monitoring.index import (
    AreaMatrix,
    BaseParameters,
    IndexConfig,
    IndexResult,
    IndicatorSpec,
    Movement,
    compute_base,
    compute_index,
    explain_movement,
    group_of,
)
from wijkwijs.monitoring.models import AreaAttribute, IndexDefinition, Indicator, Observation
from wijkwijs.monitoring.ranking import Ranking, RankingConfig, rank_areas
from wijkwijs.monitoring.selectors import POPULATION

LEVELS = ("WK", "BU")


@functools.cache
def catalogue() -> dict[str, catalogue_data.Indicator]:
    return catalogue_data.default_catalogue(include_demo=True)


# --------------------------------------------------------------------------- definitions


def definitions() -> list[IndexDefinition]:
    return list(IndexDefinition.objects.prefetch_related("indicators"))


def definition_get(slug: str | None = None) -> IndexDefinition:
    """The definition ``slug``, or the default one (then the first)."""
    qs = IndexDefinition.objects.prefetch_related("indicators")
    found = qs.filter(slug=slug).first() if slug else (qs.filter(is_default=True).first() or qs.first())
    if found is None:
        raise NotFound(f"index {slug} bestaat niet" if slug else "er is nog geen index ingesteld")
    return found


def definition_config(definition: IndexDefinition) -> IndexConfig:
    """The pure configuration the index module computes with."""
    return IndexConfig(
        name=definition.name,
        indicators=tuple(
            IndicatorSpec(i.key, i.theme, 1 if i.polarity > 0 else -1, i.part, i.weight)  # type: ignore[arg-type]
            for i in definition.indicators.all()
        ),
        method=definition.method,  # type: ignore[arg-type]
        center=definition.center,  # type: ignore[arg-type]
        scale=definition.scale,
        theme_weights=dict(definition.theme_weights or {}),
        part_weights={"objective": definition.weight_objective, "subjective": definition.weight_subjective},
        min_coverage=definition.min_coverage,
        min_population=float(definition.min_population),
        population_key=POPULATION,
    )


def definition_snapshot(definition: IndexDefinition) -> dict[str, Any]:
    """The full configuration as plain data (stored in the audit event of every change)."""
    return {
        "slug": definition.slug,
        "name": definition.name,
        "version": definition.version,
        "municipality": definition.municipality.code if definition.municipality_id else None,
        "base_period": definition.base_period,
        "method": definition.method,
        "center": definition.center,
        "scale": definition.scale,
        "part_weights": {"objective": definition.weight_objective, "subjective": definition.weight_subjective},
        "theme_weights": dict(definition.theme_weights or {}),
        "min_coverage": definition.min_coverage,
        "min_population": definition.min_population,
        "indicators": [
            {"key": i.key, "theme": i.theme, "part": i.part, "polarity": i.polarity, "weight": i.weight}
            for i in definition.indicators.all()
        ],
    }


def area_names(codes: Iterable[str]) -> list[tuple[str, str]]:
    """(code, name) of these areas, by code."""
    return list(Area.objects.filter(code__in=set(codes)).order_by("code").values_list("code", "name"))


def indicator_labels(keys: Iterable[str]) -> dict[str, dict[str, str]]:
    """``key -> {"name", "unit", "polarity"}`` from the stored catalogue, else the built-in one."""
    keys = list(keys)
    out = {
        i.key: {"name": i.name_nl, "unit": i.unit, "polarity": i.polarity}
        for i in Indicator.objects.filter(key__in=keys)
    }
    cat = catalogue()
    for k in keys:
        if k not in out:
            spec = cat.get(k)
            out[k] = {"name": spec.name_nl if spec else k, "unit": spec.unit if spec else "",
                      "polarity": spec.polarity if spec else "context"}
    return out


# --------------------------------------------------------------------------- figures


def input_keys(keys: Iterable[str]) -> set[str]:
    """The stored keys needed for ``keys`` (derived indicators need their inputs)."""
    cat = catalogue()
    out = {POPULATION}
    for key in keys:
        spec = cat.get(key)
        out.update(spec.derived.inputs if spec is not None and spec.derived is not None else (key,))
    return out


def periods_with(keys: Iterable[str]) -> list[str]:
    """Periods with at least one value of ``keys`` (derived: of an input other than population)."""
    wanted = input_keys(keys) - {POPULATION} or {POPULATION}
    ids = list(Indicator.objects.filter(key__in=wanted).values_list("pk", flat=True))
    stored = Observation.objects.filter(indicator_id__in=ids)
    # the candidates from the (indicator, period, area) index alone, then one look-up each
    candidates = set(stored.values_list("period", flat=True).distinct())
    return sorted(p for p in candidates if stored.filter(period=p, value__isnull=False).exists())


@dataclass
class Figures:
    """Stored values of one period for the current areas of some levels, by area code."""

    values: dict[str, dict[str, float | None]]
    names: dict[str, str]
    levels: dict[str, str]


def figures(keys: Iterable[str], period: str, levels: Iterable[str]) -> Figures:
    keys = set(keys)
    levels = tuple(levels)
    areas = {
        pk: (code, name, level)
        for pk, code, name, level in Area.objects.current().filter(level__in=levels).values_list("pk", "code", "name", "level")
    }
    ind = dict(Indicator.objects.filter(key__in=keys).values_list("pk", "key"))
    values: dict[str, dict[str, float | None]] = {code: {} for code, _, _ in areas.values()}
    # by the (indicator, period, area) index, no join: areas of other levels are skipped here
    rows = Observation.objects.filter(indicator_id__in=list(ind), period=period).values_list("area_id", "indicator_id", "value")
    for area_id, ind_id, value in rows:
        area = areas.get(area_id)
        if area is not None:
            values[area[0]][ind[ind_id]] = value
    return Figures(values, {c: n for c, n, _ in areas.values()}, {c: lv for c, _, lv in areas.values()})


# --------------------------------------------------------------------------- the index


@dataclass
class IndexRun:
    definition: IndexDefinition
    config: IndexConfig
    level: str
    base_period: str
    period: str
    previous_period: str | None
    periods: list[str]
    base: BaseParameters
    result: IndexResult
    previous: IndexResult | None
    movement: Movement | None
    labels: dict[str, dict[str, str]]
    clustering: Clustering | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Table:
    """Stored values of some periods for the current areas of some levels, column-wise: one
    NumPy array per (period, key), NaN = missing, rows in area-code order."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    levels: np.ndarray  # (n,) the level of each row
    columns: dict[str, dict[str, np.ndarray]]  # period -> stored key -> (n,)

    def column(self, period: str, key: str) -> np.ndarray:
        col = self.columns.get(period, {}).get(key)
        return col if col is not None else np.full(len(self.codes), np.nan)

    def rows_of(self, level: str) -> np.ndarray:
        return np.flatnonzero(self.levels == level)


def _table(keys: Iterable[str], periods: Iterable[str], levels: tuple[str, ...]) -> _Table:
    """One query per period (the (indicator, period, area) index, joined to the current areas
    of ``levels``), read with ``fetchall`` straight into arrays: no per-area objects."""
    areas = sorted(Area.objects.current().filter(level__in=levels).values_list("code", "pk", "name", "level"))
    n = len(areas)
    ids = np.array([a[1] for a in areas], dtype=np.int64)
    row_of = np.full(int(ids.max()) + 1 if n else 1, -1, dtype=np.int64)
    row_of[ids] = np.arange(n)
    ind = dict(Indicator.objects.filter(key__in=set(keys)).values_list("pk", "key"))
    key_of = list(ind.values())
    col_of = np.full(max(ind, default=0) + 1, -1, dtype=np.int64)
    col_of[list(ind)] = np.arange(len(ind))
    columns: dict[str, dict[str, np.ndarray]] = {}
    for period in sorted(set(periods)):
        qs = Observation.objects.filter(
            indicator_id__in=list(ind), period=period, area__level__in=levels, area__valid_to__isnull=True
        ).values_list("indicator_id", "area_id", "value")
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = np.array(cursor.fetchall(), dtype=float).reshape(-1, 3)
        cube = np.full((len(ind), n), np.nan)
        cube[col_of[found[:, 0].astype(np.int64)], row_of[found[:, 1].astype(np.int64)]] = found[:, 2]
        columns[period] = {key: cube[j] for j, key in enumerate(key_of)}
    return _Table(
        tuple(a[0] for a in areas), tuple(a[2] for a in areas), np.array([a[3] for a in areas], dtype=object), columns
    )


def _with_population(table: _Table, latest_period: str) -> None:
    """Areas without a population figure in a period take the latest one (size rule only)."""
    latest = table.column(latest_period, POPULATION)
    for cols in table.columns.values():
        pop = cols.get(POPULATION)
        cols[POPULATION] = latest.copy() if pop is None else np.where(np.isnan(pop), latest, pop)


def _values(table: _Table, period: str, keys: Iterable[str], rows: np.ndarray) -> np.ndarray:
    """Rows x keys; derived indicators (shares, rates) computed column-wise with the
    catalogue's rule (``Derived.compute``: missing input or too small a denominator -> NaN)."""
    cat = catalogue()
    cols = []
    for key in keys:
        spec = cat.get(key)
        derived = spec.derived if spec is not None else None
        if derived is None:
            cols.append(table.column(period, key)[rows])
            continue
        num = sum((table.column(period, k)[rows] for k in derived.numerator), start=np.zeros(len(rows)))
        den = sum((table.column(period, k)[rows] for k in derived.denominator), start=np.zeros(len(rows)))
        with np.errstate(invalid="ignore", divide="ignore"):
            ok = (den > 0) & (den >= derived.min_denominator)
            cols.append(np.where(ok, derived.factor * num / np.where(ok, den, 1.0), np.nan))
    return np.column_stack(cols) if cols else np.zeros((len(rows), 0))


def _reference(table: _Table, period: str, keys: tuple[str, ...]) -> dict[str, dict[str, float | None]]:
    """The municipalities' own values (their GM rows), derived indicators included."""
    rows = table.rows_of("GM")
    values = _values(table, period, keys, rows)
    return {
        table.codes[r]: {k: (None if np.isnan(v) else float(v)) for k, v in zip(keys, values[i].tolist(), strict=True)}
        for i, r in enumerate(rows.tolist())
    }


def _matrix(table: _Table, period: str, config: IndexConfig, level: str, clustering: Clustering | None) -> AreaMatrix:
    """Areas x indicators of one level in one period, in code order."""
    rows = table.rows_of(level)
    codes = tuple(table.codes[r] for r in rows.tolist())
    matrix = AreaMatrix(
        codes, config.keys, _values(table, period, config.keys, rows), table.column(period, POPULATION)[rows],
        tuple(group_of(c) for c in codes), tuple(table.names[r] for r in rows.tolist()),
    )
    return matrix if clustering is None else cluster_matrix(matrix, clustering_assignment(clustering, unit_level=level))


def cluster_matrix(units: AreaMatrix, assignment: dict[str, str]) -> AreaMatrix:
    """Clusters as areas: each value is the population-weighted mean of its members' values
    (members with a value and a population), population is the sum, the municipality that of
    the members. Exact for rates per inhabitant; for other denominators an approximation."""
    clusters = sorted(set(assignment.values()))
    pos = {c: i for i, c in enumerate(clusters)}
    member = np.zeros((len(clusters), len(units.codes)))
    for j, code in enumerate(units.codes):
        if code in assignment:
            member[pos[assignment[code]], j] = 1.0
    pop = np.nan_to_num(units.population)
    has = ~np.isnan(units.values) & (pop[:, None] > 0)
    w = member * pop[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        num = w @ np.where(has, units.values, 0.0)
        den = w @ has.astype(float)
        values = np.where(den > 0, num / den, np.nan)
    population = member @ pop
    groups = []
    for i in range(len(clusters)):
        first = int(np.argmax(member[i])) if member[i].any() else -1
        groups.append(units.groups[first] if first >= 0 else "")
    return AreaMatrix(tuple(clusters), units.keys, values, population, tuple(groups), tuple(clusters))


def index_run(
    *, definition: IndexDefinition, level: str = "WK", period: str | None = None, clustering: Clustering | None = None
) -> IndexRun:
    """Score every current area of ``level`` (or every cluster) with ``definition``: the base
    year, the requested (default: latest) period and the one before it, for the movement."""
    if level not in LEVELS:
        raise NotFound(f"onbekend niveau {level}")
    config = definition_config(definition)
    if not config.indicators:
        raise NotFound(f"index {definition.slug} heeft geen indicatoren")
    periods = periods_with(config.keys)
    if not periods:
        raise NotFound(f"geen cijfers voor de indicatoren van index {definition.slug}")
    base_period = definition.base_period if definition.base_period in periods else periods[0]
    if period is not None and period not in periods:
        raise NotFound(f"geen cijfers voor {period}")
    period = period or periods[-1]
    before = [p for p in periods if p < period]
    previous_period = before[-1] if before else None
    # every figure the run needs in one pass: base year, scored period, the one before, latest
    needed = {base_period, period, periods[-1]} | ({previous_period} if previous_period else set())
    table = _table(input_keys(config.keys), needed, ("GM", level))
    _with_population(table, periods[-1])
    reference = _reference(table, base_period, config.keys)
    base = compute_base(_matrix(table, base_period, config, level, None), config, period=base_period, reference=reference)
    result = compute_index(_matrix(table, period, config, level, clustering), config, base)
    previous = movement = None
    if previous_period is not None:
        previous = compute_index(_matrix(table, previous_period, config, level, clustering), config, base)
        movement = explain_movement(previous, result)
    return IndexRun(
        definition, config, level, base_period, period, previous_period, periods, base, result, previous,
        movement, indicator_labels(config.keys), clustering, list(base.warnings),
    )


def municipality_scores(run: IndexRun) -> dict[str, float | None]:
    """The municipality's own total in the scored period (100 in the base year by construction,
    when the centre is the municipality's value)."""
    figs = figures(input_keys(run.config.keys), run.period, ("GM",))
    gms = [c for c in figs.values if c in set(run.base.groups)]
    if not gms:
        return {}
    data = {c: figs.values[c] for c in gms}
    matrix = AreaMatrix.from_values(data, run.config.keys, population_key=POPULATION, catalogue=catalogue(), names=figs.names)
    config = dataclasses.replace(run.config, min_population=0.0)
    res = compute_index(matrix, config, run.base)
    return {c: (None if np.isnan(t) else float(t)) for c, t in zip(res.codes, res.total, strict=True)}


def ranking_for(run: IndexRun, config: RankingConfig) -> Ranking:
    return rank_areas(run.result, config)


# --------------------------------------------------------------------------- change report


def change_periods() -> list[str]:
    return sorted(set(Observation.objects.filter(value__isnull=False).values_list("period", flat=True).distinct()))


def change_report_for(
    *, before: str, after: str, level: str, keys: Iterable[str] | None = None, config: ChangeConfig | None = None
) -> ChangeReport:
    """What moved notably between two periods for the current areas of ``level``."""
    if keys is None:
        ids = set(Observation.objects.filter(period=before).values_list("indicator_id", flat=True).distinct()) & set(
            Observation.objects.filter(period=after).values_list("indicator_id", flat=True).distinct()
        )
        keys = set(Indicator.objects.filter(pk__in=ids).values_list("key", flat=True))
    keys = set(keys)
    rows = []
    for period in (before, after):
        figs = figures(keys, period, (level,))
        rows.append(
            [
                Row(code, figs.names[code], level, group_of(code), period, dict(vals))  # type: ignore[arg-type]
                for code, vals in sorted(figs.values.items())
                if vals
            ]
        )
    # CBS's flag compares a year with the one before: over several years an area is comparable
    # only if no year after ``before`` up to ``after`` changed its boundaries or code
    flags: dict[str, str] = {}
    for code, value in (
        AreaAttribute.objects.filter(key=COMPARABLE_ATTRIBUTE, period__gt=before, period__lte=after)
        .exclude(value="1").order_by("period").values_list("area__code", "value")
    ):
        flags.setdefault(code, value)
    if flags:
        rows[1] = [dataclasses.replace(r, attributes={**r.attributes, COMPARABLE_ATTRIBUTE: flags[r.code]}) if r.code in flags else r
                   for r in rows[1]]
    if config is None:
        # percentages move by percentage points (2 by default), whatever their source
        units = indicator_labels(keys)
        pct = ChangeConfig().default_percentage
        config = ChangeConfig(
            keys=frozenset(keys), thresholds={k: pct for k, lab in units.items() if lab["unit"] == "%"}
        )
    return change_report(rows[0], rows[1], config)


def populations(codes: Iterable[str]) -> dict[str, float | None]:
    period = periods_with([POPULATION])
    if not period:
        return {}
    figs = figures({POPULATION}, period[-1], LEVELS + ("GM",))
    wanted = set(codes)
    return {c: v.get(POPULATION) for c, v in figs.values.items() if c in wanted}

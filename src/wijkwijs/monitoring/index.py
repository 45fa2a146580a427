"""Composite area index in the manner of Wijkprofiel Rotterdam (pure, NumPy, no Django).

indicator score -> (theme, part) score -> theme score -> total. Each indicator is scored against a
base year in which the municipality (the area's own GM) = 100, polarity applied:

    z method:     s = 100 + scale * p * (x - c) / sigma      (default scale 10)
    ratio method: s = 100 + 100 * p * (x / c - 1)

``c`` = the municipality value in the base year (or the unweighted mean of its areas), ``sigma`` =
the population standard deviation over the municipality's areas in the base year, ``p`` = +1 if
more is better, -1 if more is worse. Each level is a weighted mean over the *available* children;
a level gets no score when the available weight is below ``min_coverage`` of its configured
weight. The formula and a worked example: docs/monitoring-index.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from wijkwijs.monitoring.catalogue_data import Indicator, default_catalogue

PARTS: tuple[str, str] = ("objective", "subjective")
BANDS: tuple[str, ...] = ("strongly_unfavourable", "unfavourable", "average", "favourable")


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    theme: str
    polarity: Literal[1, -1]  # +1: more is better; -1: more is worse
    part: Literal["objective", "subjective"] = "objective"
    weight: float = 1.0


@dataclass(frozen=True)
class IndexConfig:
    name: str
    indicators: tuple[IndicatorSpec, ...]
    method: Literal["z", "ratio"] = "z"
    center: Literal["municipality", "area_mean"] = "municipality"
    scale: float = 10.0
    theme_weights: Mapping[str, float] = field(default_factory=dict)  # missing theme -> 1.0
    part_weights: Mapping[str, float] = field(default_factory=lambda: {"objective": 0.5, "subjective": 0.5})
    min_coverage: float = 0.5
    min_population: float = 0.0
    population_key: str = "AantalInwoners"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.indicators)

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.theme for s in self.indicators))


def band_of(score: float | None) -> str | None:
    """<70 strongly unfavourable, [70, 90) unfavourable, [90, 110] average, >110 favourable."""
    if score is None or math.isnan(score):
        return None
    if score < 70:
        return BANDS[0]
    if score < 90:
        return BANDS[1]
    return BANDS[2] if score <= 110 else BANDS[3]


def bands_of(scores: np.ndarray) -> np.ndarray:
    out = np.select([scores < 70, scores < 90, scores <= 110, scores > 110], list(BANDS), default="").astype(object)
    out[np.isnan(scores)] = None
    return out


def group_of(code: str) -> str:
    """The municipality an area belongs to (GM0828 for GM0828, WK082801 and BU08280101)."""
    return code if code.startswith(("GM", "NL")) else "GM" + code[2:6]


@dataclass(frozen=True)
class AreaMatrix:
    """Areas x indicators, NaN for missing; population for the size rule; group = municipality."""

    codes: tuple[str, ...]
    keys: tuple[str, ...]
    values: np.ndarray
    population: np.ndarray
    groups: tuple[str, ...]
    names: tuple[str, ...] = ()

    @classmethod
    def from_values(
        cls,
        data: Mapping[str, Mapping[str, float | int | None]],
        keys: Sequence[str],
        *,
        population_key: str = "AantalInwoners",
        catalogue: Mapping[str, Indicator] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> AreaMatrix:
        """From ``{code: {key: value}}``; derived indicators of the catalogue are computed."""
        cat = catalogue if catalogue is not None else default_catalogue(include_demo=True)
        codes = tuple(data)
        values = np.full((len(codes), len(keys)), np.nan)
        for j, key in enumerate(keys):
            ind = cat.get(key)
            derived = ind.derived if ind is not None else None
            col = values[:, j]
            for i, code in enumerate(codes):
                v = derived.compute(data[code]) if derived else data[code].get(key)
                if v is not None:
                    col[i] = v
        pop = np.array([np.nan if (p := data[c].get(population_key)) is None else p for c in codes], dtype=float)
        return cls(
            codes,
            tuple(keys),
            values,
            pop,
            tuple(group_of(c) for c in codes),
            tuple((names or {}).get(c, "") for c in codes),
        )


@dataclass(frozen=True)
class BaseParameters:
    """Per municipality and indicator: the centre (= 100) and the spread, from the base year."""

    period: str
    keys: tuple[str, ...]
    groups: tuple[str, ...]
    center: np.ndarray  # (groups, keys)
    spread: np.ndarray  # (groups, keys)
    warnings: tuple[str, ...] = ()


def _group_index(groups: Sequence[str], known: Sequence[str]) -> np.ndarray:
    pos = {g: i for i, g in enumerate(known)}
    return np.array([pos.get(g, -1) for g in groups], dtype=np.int64)


def compute_base(
    matrix: AreaMatrix,
    config: IndexConfig,
    *,
    period: str = "",
    reference: Mapping[str, Mapping[str, float | int | None]] | None = None,
) -> BaseParameters:
    """Base-year parameters. ``reference``: municipality code -> its own values (the GM row)."""
    _check_keys(matrix, config)
    groups = tuple(dict.fromkeys(matrix.groups))
    gi = _group_index(matrix.groups, groups)
    x = matrix.values
    use = ~np.isnan(x) & _big_enough(matrix, config)[:, None]
    n = np.zeros((len(groups), x.shape[1]))
    s1 = np.zeros_like(n)
    s2 = np.zeros_like(n)
    x0 = np.where(use, x, 0.0)
    for j in range(x.shape[1]):
        n[:, j] = np.bincount(gi, weights=use[:, j], minlength=len(groups))
        s1[:, j] = np.bincount(gi, weights=x0[:, j], minlength=len(groups))
        s2[:, j] = np.bincount(gi, weights=x0[:, j] ** 2, minlength=len(groups))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, s1 / n, np.nan)
        spread = np.sqrt(np.maximum(np.where(n > 0, s2 / n, np.nan) - mean**2, 0.0))
    warnings: list[str] = []
    if config.center == "area_mean":
        center = mean
    else:
        center = np.full_like(mean, np.nan)
        for g, code in enumerate(groups):
            ref = (reference or {}).get(code)
            if ref is None:
                warnings.append(f"{code}: no municipality values given; its areas get no score")
                continue
            for j, key in enumerate(config.keys):
                v = ref.get(key)
                center[g, j] = np.nan if v is None else v
    zero = (spread == 0) | (n < 2)
    if config.method == "z" and zero.any():
        spread = np.where(zero, np.nan, spread)
        warnings.append(f"{int(zero.sum())} municipality x indicator pairs without spread: not scored")
    return BaseParameters(period, config.keys, groups, center, spread, tuple(warnings))


def _check_keys(matrix: AreaMatrix, config: IndexConfig) -> None:
    if matrix.keys != config.keys:
        raise ValueError(f"matrix keys {matrix.keys} differ from the config keys {config.keys}")


def _big_enough(matrix: AreaMatrix, config: IndexConfig) -> np.ndarray:
    if config.min_population <= 0:
        return np.ones(len(matrix.codes), dtype=bool)
    return np.asarray(np.nan_to_num(matrix.population, nan=-1.0) >= config.min_population, dtype=bool)


@dataclass(frozen=True)
class IndexResult:
    config: IndexConfig
    base: BaseParameters
    codes: tuple[str, ...]
    names: tuple[str, ...]
    values: np.ndarray  # (n, k) raw values
    center: np.ndarray  # (n, k) base value of the area's municipality
    spread: np.ndarray  # (n, k)
    scores: np.ndarray  # (n, k) indicator scores
    w_part: np.ndarray  # (n, k) effective weight of the indicator in its (theme, part)
    w_theme: np.ndarray  # (n, k) ... in its theme
    w_total: np.ndarray  # (n, k) ... in the total
    part_scores: np.ndarray  # (n, themes, 2)
    theme_scores: np.ndarray  # (n, themes)
    total: np.ndarray  # (n,)
    scored: np.ndarray  # (n,) bool: large enough to be scored
    population: np.ndarray

    @property
    def themes(self) -> tuple[str, ...]:
        return self.config.themes

    @property
    def bands(self) -> np.ndarray:
        return bands_of(self.total)

    def row(self, code: str) -> int:
        return self.codes.index(code)

    def points(self) -> np.ndarray:
        """Contribution of each indicator to (total - 100); rows sum to total - 100."""
        return np.asarray(np.where(self.w_total > 0, self.w_total * (self.scores - 100.0), 0.0))

    def explain(self, code: str) -> list[dict[str, Any]]:
        """Per indicator: value, base value, score, weights and contributions at each level."""
        i = self.row(code)
        out = []
        for j, spec in enumerate(self.config.indicators):
            s = _f(self.scores[i, j])
            out.append(
                {
                    "key": spec.key,
                    "theme": spec.theme,
                    "part": spec.part,
                    "polarity": spec.polarity,
                    "weight": spec.weight,
                    "value": _f(self.values[i, j]),
                    "base_value": _f(self.center[i, j]),
                    "base_spread": _f(self.spread[i, j]),
                    "score": s,
                    "band": band_of(s) if s is not None else None,
                    "weight_in_part": _f(self.w_part[i, j]),
                    "weight_in_theme": _f(self.w_theme[i, j]),
                    "weight_in_total": _f(self.w_total[i, j]),
                    "contribution_to_part": _mul(self.w_part[i, j], s),
                    "contribution_to_theme": _mul(self.w_theme[i, j], s),
                    "contribution_to_total": _mul(self.w_total[i, j], s),
                    "points_vs_100": _mul(self.w_total[i, j], None if s is None else s - 100.0),
                }
            )
        return out


def _f(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def _mul(w: float, s: float | None) -> float | None:
    return None if s is None or np.isnan(w) or w == 0 else float(w * s)


def _weighted(
    scores: np.ndarray, weights: np.ndarray, member: np.ndarray, min_coverage: float
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean of children into parents (member: children x parents), coverage rule.

    Returns (parent scores, share of each child in its parent)."""
    avail = ~np.isnan(scores)
    wa = np.where(avail, weights[None, :], 0.0)
    got = wa @ member
    total = weights @ member
    with np.errstate(invalid="ignore", divide="ignore"):
        parent = (np.where(avail, scores, 0.0) * wa) @ member / got
        valid = (got > 0) & (got >= min_coverage * total - 1e-12)
        parent = np.where(valid, parent, np.nan)
        share = wa / (got @ member.T)
    share = np.where(avail & (valid @ member.T > 0), share, 0.0)
    return parent, np.nan_to_num(share)


def compute_index(matrix: AreaMatrix, config: IndexConfig, base: BaseParameters) -> IndexResult:
    """Score every area of ``matrix`` against the base year."""
    _check_keys(matrix, config)
    if base.keys != config.keys:
        raise ValueError("base parameters were computed for other indicators")
    gi = _group_index(matrix.groups, base.groups)
    known = gi >= 0
    c = np.where(known[:, None], base.center[np.maximum(gi, 0)], np.nan)
    sd = np.where(known[:, None], base.spread[np.maximum(gi, 0)], np.nan)
    p = np.array([s.polarity for s in config.indicators], dtype=float)
    x = matrix.values
    with np.errstate(invalid="ignore", divide="ignore"):
        if config.method == "z":
            s = 100.0 + config.scale * p * (x - c) / sd
        else:
            s = 100.0 + 100.0 * p * (x / np.where(c == 0, np.nan, c) - 1.0)
    scored = _big_enough(matrix, config)
    s = np.where(scored[:, None] & np.isfinite(s), s, np.nan)

    themes = config.themes
    cells = [(t, q) for t in themes for q in PARTS]
    k = len(config.indicators)
    m_cell = np.zeros((k, len(cells)))
    for j, spec in enumerate(config.indicators):
        m_cell[j, cells.index((spec.theme, spec.part))] = 1.0
    w = np.array([spec.weight for spec in config.indicators], dtype=float)
    cell_scores, w_part = _weighted(s, w, m_cell, config.min_coverage)
    configured = (w @ m_cell) > 0
    pw = np.array([config.part_weights.get(q, 0.0) if configured[ci] else 0.0 for ci, (_, q) in enumerate(cells)])
    m_theme = np.array([[1.0 if t == th else 0.0 for th in themes] for t, _ in cells])
    theme_scores, cell_share = _weighted(cell_scores, pw, m_theme, config.min_coverage)
    tw = np.array([config.theme_weights.get(t, 1.0) for t in themes], dtype=float)
    total, theme_share = _weighted(theme_scores, tw, np.ones((len(themes), 1)), config.min_coverage)
    w_theme = w_part * (cell_share @ m_cell.T)
    w_total = w_theme * ((theme_share @ m_theme.T) @ m_cell.T)
    return IndexResult(
        config,
        base,
        matrix.codes,
        matrix.names or ("",) * len(matrix.codes),
        x,
        c,
        sd,
        s,
        w_part,
        w_theme,
        w_total,
        cell_scores.reshape(len(x), len(themes), 2),
        theme_scores,
        total[:, 0],
        scored,
        matrix.population,
    )


@dataclass(frozen=True)
class Movement:
    """How much each indicator moved each area's total between two results (same config)."""

    codes: tuple[str, ...]
    keys: tuple[str, ...]
    total_before: np.ndarray
    total_after: np.ndarray
    points: np.ndarray  # (n, k): change in each indicator's contribution; rows sum to the delta

    @property
    def delta(self) -> np.ndarray:
        return np.asarray(self.total_after - self.total_before)

    def for_area(self, code: str) -> list[tuple[str, float]]:
        i = self.codes.index(code)
        pairs = [(k, float(v)) for k, v in zip(self.keys, self.points[i], strict=True) if v != 0]
        return sorted(pairs, key=lambda kv: (-abs(kv[1]), kv[0]))


def explain_movement(before: IndexResult, after: IndexResult) -> Movement:
    """Exact attribution: total - 100 = sum of points, so delta = sum of point changes."""
    if before.config.keys != after.config.keys:
        raise ValueError("both results must use the same indicators")
    pos = {c: i for i, c in enumerate(before.codes)}
    common = tuple(c for c in after.codes if c in pos)
    ia = np.array([i for i, c in enumerate(after.codes) if c in pos], dtype=np.int64)
    ib = np.array([pos[c] for c in common], dtype=np.int64)
    return Movement(
        common, after.config.keys, before.total[ib], after.total[ia], after.points()[ia] - before.points()[ib]
    )


def default_config(*, min_population: float = 250.0) -> IndexConfig:
    """An objective index on KWB variables (needs the full 85984NED import, not only population)."""
    spec = IndicatorSpec
    return IndexConfig(
        name="Wijkwijs basisindex (CBS)",
        indicators=(
            spec("HuishoudensTot110VanSociaalMinimum", "sociaal", -1),
            spec("bijstand_per_1000_15_64", "sociaal", -1),
            spec("share_low_education", "sociaal", -1),
            spec("Nettoarbeidsparticipatie", "sociaal", 1),
            spec("PercentageJongerenMetJeugdzorg", "zorg", -1),
            spec("WmoClientenRelatief", "zorg", -1),
            spec("GemiddeldeWOZWaardeVanWoningen", "fysiek", 1),
            spec("OnbewoondeWoningen", "fysiek", -1),
            spec("AfstandTotHuisartsenpraktijk", "voorzieningen", -1),
            spec("AfstandTotGroteSupermarkt", "voorzieningen", -1),
            spec("AfstandTotSchool", "voorzieningen", -1),
        ),
        min_population=min_population,
    )

"""Priority ranking of areas by need, each rank explained by its top drivers (pure, NumPy).

need = weighted mean of (100 - score): per theme (``mode="themes"``, need is the inverse of the
theme index) or per indicator (``mode="indicators"``, direct indicator weights). Both are linear
in the indicator scores, so need = sum over indicators of driver points, exactly; the drivers
with the most points explain the rank. Order: need (high first), then *stapeling* (number of
indicators in an unfavourable band, score < 90), then area code: ties are stable. Areas below
``min_population`` or without a score are listed unranked with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from wijkwijs.monitoring.index import IndexResult, band_of

UNFAVOURABLE_BELOW = 90.0


@dataclass(frozen=True)
class RankingConfig:
    mode: Literal["themes", "indicators"] = "themes"
    theme_weights: Mapping[str, float] = field(default_factory=dict)  # missing -> 1.0
    indicator_weights: Mapping[str, float] = field(default_factory=dict)  # missing -> 1.0
    min_population: float = 250.0
    top_drivers: int = 3
    group_by: Mapping[str, str] | None = None  # code -> peer group; ranks restart per group


@dataclass(frozen=True)
class Ranking:
    codes: tuple[str, ...]
    names: tuple[str, ...]
    groups: tuple[str, ...]
    need: np.ndarray  # (n,) NaN = not ranked
    points: np.ndarray  # (n, k) driver points; rows sum to need
    stapeling: np.ndarray  # (n,) int
    rank: np.ndarray  # (n,) int, 0 = not ranked
    order: np.ndarray  # row indices in output order
    status: tuple[str, ...]  # "ranked", "too_small", "no_score"
    keys: tuple[str, ...]
    total: np.ndarray
    population: np.ndarray
    top: int

    def drivers(self, i: int) -> list[tuple[str, float]]:
        """The indicators that add most need to area row ``i`` (positive points only)."""
        return self._top_drivers(self.points[i : i + 1])[0]

    def _top_drivers(self, points: np.ndarray) -> list[list[tuple[str, float]]]:
        idx = np.argsort(-points, axis=1, kind="stable")[:, : self.top]
        pts = np.take_along_axis(points, idx, axis=1)
        keys = self.keys
        return [
            [(keys[j], p) for j, p in zip(r_idx.tolist(), r_pts.tolist(), strict=True) if p > 0]
            for r_idx, r_pts in zip(idx, pts, strict=True)
        ]

    def rows(self) -> list[dict[str, Any]]:
        """Output rows in rank order, ready for ``csv.DictWriter(fieldnames=self.fieldnames)``."""
        out = []
        all_drivers = self._top_drivers(self.points)
        need, total = self.need.tolist(), self.total.tolist()
        pop, stapeling, rank = self.population.tolist(), self.stapeling.tolist(), self.rank.tolist()
        for i in self.order.tolist():
            drivers = all_drivers[i] if self.status[i] == "ranked" else []
            row: dict[str, Any] = {
                "rank": rank[i] or "",
                "group": self.groups[i],
                "code": self.codes[i],
                "name": self.names[i],
                "status": self.status[i],
                "need": _r(need[i]),
                "index_total": _r(total[i]),
                "band": "" if math.isnan(total[i]) else band_of(total[i]),
                "stapeling": stapeling[i],
                "population": "" if math.isnan(pop[i]) else int(pop[i]),
                "drivers": "; ".join(f"{k} (+{p:.1f})" for k, p in drivers),
            }
            for n in range(self.top):
                key, pts = drivers[n] if n < len(drivers) else ("", None)
                row[f"driver_{n + 1}"] = key
                row[f"driver_{n + 1}_points"] = "" if pts is None else round(pts, 2)
            out.append(row)
        return out

    @property
    def fieldnames(self) -> list[str]:
        base = [
            "rank",
            "group",
            "code",
            "name",
            "status",
            "need",
            "index_total",
            "band",
            "stapeling",
            "population",
            "drivers",
        ]
        return base + [f for n in range(self.top) for f in (f"driver_{n + 1}", f"driver_{n + 1}_points")]


def _r(x: float) -> float | str:
    return "" if math.isnan(x) else round(x, 2)


def rank_areas(result: IndexResult, config: RankingConfig | None = None) -> Ranking:
    cfg = config or RankingConfig()
    specs = result.config.indicators
    s = result.scores
    avail = ~np.isnan(s)
    gap = np.where(avail, 100.0 - s, 0.0)
    if cfg.mode == "themes":
        themes = result.themes
        tw = np.array([cfg.theme_weights.get(t, 1.0) for t in themes])
        t_ok = ~np.isnan(result.theme_scores)
        t_w = np.where(t_ok, tw[None, :], 0.0)
        t_sum = t_w.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            t_share = np.where(t_sum > 0, t_w / t_sum, 0.0)
        theme_of = np.array([themes.index(sp.theme) for sp in specs])
        weight = t_share[:, theme_of] * result.w_theme
        has_need = t_sum[:, 0] > 0
    else:
        iw = np.array([cfg.indicator_weights.get(sp.key, 1.0) for sp in specs])
        w = np.where(avail, iw[None, :], 0.0)
        w_sum = w.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            weight = np.where(w_sum > 0, w / w_sum, 0.0)
        has_need = w_sum[:, 0] > 0
    points = weight * gap
    need = np.where(has_need, points.sum(axis=1), np.nan)
    stapeling = (avail & (s < UNFAVOURABLE_BELOW)).sum(axis=1)
    pop = result.population
    big = (
        np.nan_to_num(pop, nan=-1.0) >= cfg.min_population if cfg.min_population > 0 else np.ones(len(need), dtype=bool)
    )
    status = np.where(~big, "too_small", np.where(np.isnan(need), "no_score", "ranked"))
    ranked = status == "ranked"
    groups = tuple((cfg.group_by or {}).get(c, "") for c in result.codes)

    n = len(result.codes)
    group_ids = np.unique(np.array(groups, dtype=object), return_inverse=True)[1] if n else np.zeros(0, dtype=np.int64)
    code_pos = np.empty(n, dtype=np.int64)
    code_pos[np.argsort(np.array(result.codes, dtype=object), kind="stable")] = np.arange(n)
    need_key = np.where(ranked, -np.round(np.nan_to_num(need), 9), np.inf)
    order = np.lexsort((code_pos, -stapeling, need_key, ~ranked, group_ids))
    rank = np.zeros(n, dtype=np.int64)
    last_group: int | None = None
    last_key: tuple[float, int] | None = None
    pos = last_rank = 0
    for i in order:
        if not ranked[i]:
            continue
        key = (float(need_key[i]), int(stapeling[i]))
        if group_ids[i] != last_group:
            pos, last_key = 0, None
        pos += 1
        if key != last_key:
            last_rank = pos  # competition ranking: equal need and stapeling share a rank
        rank[i] = last_rank
        last_group, last_key = int(group_ids[i]), key
    return Ranking(
        result.codes,
        result.names,
        groups,
        need,
        points,
        stapeling,
        rank,
        order,
        tuple(status.tolist()),
        result.config.keys,
        result.total,
        pop,
        cfg.top_drivers,
    )

"""Change report between two monitoring periods: what moved notably (pure, no Django).

A change of one indicator in one area is *notable* when

1. every threshold set for the indicator is met: ``|after - before| >= absolute`` and
   ``|after - before| / |before| >= relative`` (a threshold left None is not applied);
2. for counts below gemeente level, it exceeds CBS rounding: CBS rounds wijk and buurt counts
   to a multiple of 5, so each published count is at most 4 off and a difference at most 8;
   only ``|delta| > 2 * (rounding_base - 1)`` is beyond rounding;
3. the area is comparable: CBS flags boundary changes in ``IndelingswijzigingGemeenteWijkBuurt``
   (1 = unchanged); areas of the later period with another flag are listed as not comparable.

Notable changes are sorted by size: ``magnitude`` = the largest ratio of the change to its
threshold (2.0 = twice the threshold), then by area code and key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from wijkwijs.monitoring.catalogue_data import load_dictionary
from wijkwijs.monitoring.cbs_formats import Row

COMPARABLE_ATTRIBUTE = "IndelingswijzigingGemeenteWijkBuurt"


@dataclass(frozen=True)
class Threshold:
    absolute: float | None = None
    relative: float | None = None  # a fraction: 0.10 = 10 %


@dataclass(frozen=True)
class ChangeConfig:
    thresholds: Mapping[str, Threshold] = field(default_factory=dict)
    default: Threshold = Threshold(relative=0.10)
    default_percentage: Threshold = Threshold(absolute=2.0)  # units "%": percentage points
    count_keys: frozenset[str] | None = None  # None: CBS variables with unit "aantal"
    rounding_base: int = 5
    rounded_levels: tuple[str, ...] = ("WK", "BU")
    keys: frozenset[str] | None = None  # None: every key present in both periods


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    key: str
    before: float
    after: float
    delta: float
    relative: float | None
    magnitude: float

    @property
    def direction(self) -> str:
        return "up" if self.delta > 0 else "down"


@dataclass
class ChangeReport:
    period_before: str
    period_after: str
    changes: list[Change]
    not_comparable: list[str]
    within_rounding: int = 0

    def by_area(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = {}
        for c in self.changes:
            out.setdefault(c.code, []).append(c)
        return out


def _threshold(key: str, config: ChangeConfig) -> Threshold:
    if key in config.thresholds:
        return config.thresholds[key]
    prop = load_dictionary().by_key.get(key)
    return config.default_percentage if prop is not None and prop.unit == "%" else config.default


def _count_keys(config: ChangeConfig) -> frozenset[str]:
    if config.count_keys is not None:
        return config.count_keys
    return frozenset(p.key for p in load_dictionary().properties if p.unit == "aantal")


def change_report(before: Iterable[Row], after: Iterable[Row], config: ChangeConfig | None = None) -> ChangeReport:
    cfg = config or ChangeConfig()
    counts = _count_keys(cfg)
    old = {r.code: r for r in before}
    changes: list[Change] = []
    not_comparable: list[str] = []
    within_rounding = 0
    period_before = next(iter(old.values())).period if old else ""
    period_after = ""
    for row in after:
        period_after = row.period
        prev = old.get(row.code)
        if prev is None:
            continue
        if row.attributes.get(COMPARABLE_ATTRIBUTE, "1") != "1":
            not_comparable.append(row.code)
            continue
        for key, a in row.values.items():
            b = prev.values.get(key)
            if a is None or b is None or (cfg.keys is not None and key not in cfg.keys):
                continue
            delta = a - b
            if delta == 0:
                continue
            rel = None if b == 0 else delta / abs(b)
            th = _threshold(key, cfg)
            ratios: list[float] = []
            if th.absolute is not None:
                ratios.append(abs(delta) / th.absolute if th.absolute > 0 else float("inf"))
            if th.relative is not None:
                ratios.append(float("inf") if rel is None else abs(rel) / th.relative)
            if not ratios or min(ratios) < 1:
                continue
            if key in counts and row.level in cfg.rounded_levels and abs(delta) <= 2 * (cfg.rounding_base - 1):
                within_rounding += 1
                continue
            changes.append(Change(row.code, row.name, key, b, a, delta, rel, max(ratios)))
    changes.sort(key=lambda c: (-c.magnitude, c.code, c.key))
    return ChangeReport(period_before, period_after, changes, not_comparable, within_rounding)

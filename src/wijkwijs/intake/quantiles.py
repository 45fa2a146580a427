"""Exact, mergeable histograms of durations in whole seconds, and their quantiles (pure, no Django).

The throughput roll-up keeps, per day or month and per department, wijk or kind, the multiset of
durations (time to first response, time to resolution) as a histogram ``{seconds: count}``.
Histograms of disjoint sets of items add up, so any period is the sum of the days and months it
covers, and the quantile of the sum is *exactly* the quantile of the durations of those items
(counted in whole seconds, rounded down). Stored flat as ``[seconds, count, seconds, count, ...]``
in ascending order of seconds, which is compact in JSON.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence


def add(into: Counter[int], flat: Sequence[int], sign: int = 1) -> None:
    """Add a flat histogram to a counter (``sign=-1``: subtract one that was added before)."""
    for i in range(0, len(flat), 2):
        into[flat[i]] += sign * flat[i + 1]


def flatten(hist: Counter[int]) -> list[int]:
    """The counter as a flat list ``[seconds, count, ...]``, ascending, without zero counts."""
    out: list[int] = []
    for value in sorted(hist):
        if hist[value]:
            out.extend((value, hist[value]))
    return out


def quantiles(hist: Counter[int], fractions: Sequence[float]) -> list[float | None]:
    """Quantiles with linear interpolation between the closest ranks (as SQL ``percentile_cont``).

    ``None`` for an empty histogram.
    """
    if any(c < 0 for c in hist.values()):
        raise ValueError("a histogram cannot have negative counts")
    n = sum(hist.values())
    if n == 0:
        return [None for _ in fractions]
    values = sorted(v for v, c in hist.items() if c)
    # rank r (0-based) -> value: walk the cumulative counts once for all the ranks needed
    wanted: set[int] = set()
    positions = []
    for p in fractions:
        pos = (n - 1) * p
        lo, hi = math.floor(pos), math.ceil(pos)
        positions.append((pos, lo, hi))
        wanted.update((lo, hi))
    at: dict[int, int] = {}
    ranks = sorted(wanted)
    cumulative, i = 0, 0
    for value in values:
        cumulative += hist[value]
        while i < len(ranks) and ranks[i] < cumulative:
            at[ranks[i]] = value
            i += 1
        if i == len(ranks):
            break
    return [at[lo] + (at[hi] - at[lo]) * (pos - lo) for pos, lo, hi in positions]

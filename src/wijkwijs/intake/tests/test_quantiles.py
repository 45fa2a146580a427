"""The pure histogram quantiles: plain asserts against sorting the values."""

from __future__ import annotations

import math
import random
from collections import Counter

from wijkwijs.intake import quantiles


def _sorted_quantile(values: list[int], p: float) -> float:
    values = sorted(values)
    pos = (len(values) - 1) * p
    lo, hi = math.floor(pos), math.ceil(pos)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def _merge(flats: list[list[int]]) -> Counter[int]:
    """Sum flat histograms as the roll-up reader does (``quantiles.add`` per period)."""
    total: Counter[int] = Counter()
    for flat in flats:
        quantiles.add(total, flat)
    return total


def test_quantiles_of_merged_histograms_equal_those_of_all_values():
    rng = random.Random(1)
    for _ in range(200):
        parts = [[rng.randrange(0, 50) for _ in range(rng.randrange(0, 30))] for _ in range(rng.randrange(1, 5))]
        flats = [quantiles.flatten(Counter(part)) for part in parts]
        everything = [v for part in parts for v in part]
        got = quantiles.quantiles(_merge(flats), (0.0, 0.5, 0.9, 1.0))
        if not everything:
            assert got == [None, None, None, None]
        else:
            assert got == [_sorted_quantile(everything, p) for p in (0.0, 0.5, 0.9, 1.0)]


def test_flat_form_is_ascending_pairs_without_zeros():
    assert quantiles.flatten(Counter({5: 2, 1: 1, 3: 0})) == [1, 1, 5, 2]
    assert quantiles.quantiles(Counter({86400: 1, 3 * 86400: 1}), (0.5,)) == [2 * 86400]


def test_subtracting_a_part_gives_the_rest():
    total = _merge([[1, 2, 4, 1], [2, 1, 4, 3]])
    quantiles.add(total, [4, 1, 2, 1], -1)
    assert quantiles.quantiles(total, (0.5,)) == [_sorted_quantile([1, 1, 4, 4, 4], 0.5)]
    quantiles.add(total, [9, 1], -1)
    try:
        quantiles.quantiles(total, (0.5,))
    except ValueError:
        pass
    else:
        raise AssertionError("negative counts must be refused")

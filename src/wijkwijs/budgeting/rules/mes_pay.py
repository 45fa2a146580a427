"""Compiled (Numba) step of the float plain-MES engine's payment (:meth:`FloatMes.pay`).

The rich payers of the winner (those paying ``q w``, not all they have) each lose
``q w`` of their float budget and move to a new pattern per distinct (old pattern,
weight). As NumPy code that is about ten calls over the winner's supporters per round
(masks, fancy indexing, a bitmap or ``np.unique`` for the distinct keys); here it is one
loop with the same arithmetic (``fb -= q * w``, one product and one difference per type)
and the same new pattern ids (the distinct keys in ascending order, numbered from
``base``).
"""

from __future__ import annotations

import numpy as np

from wijkwijs.budgeting.rules.voter_types import _jit


@_jit
def pay_rich(sup: np.ndarray, poor: np.ndarray, w: np.ndarray, unit: bool, wmax: int,
             q: float, fb: np.ndarray, pat: np.ndarray, base: int) -> np.ndarray:
    """For every supporter type ``sup[i]`` not ``poor[i]``: ``fb -= q * w[i]`` and the new
    pattern ``base + rank`` of its key (old pattern, times ``wmax`` plus the weight unless
    ``unit``) among the distinct keys. Returns the distinct keys, ascending."""
    n = len(sup)
    keys = np.empty(n, dtype=np.int64)
    types = np.empty(n, dtype=np.int64)
    k = 0
    for i in range(n):
        if not poor[i]:
            t = sup[i]
            fb[t] -= q * w[i]
            keys[k] = pat[t] if unit else pat[t] * wmax + w[i]
            types[k] = t
            k += 1
    span = base if unit else base * wmax
    if span <= 8 * k + 4096:  # distinct keys by a bitmap of ranks
        rank = np.zeros(span, dtype=np.int64)
        for i in range(k):
            rank[keys[i]] = 1
        uniq = np.empty(k, dtype=np.int64)
        r = 0
        for x in range(span):
            if rank[x]:
                uniq[r] = x
                r += 1
                rank[x] = r
        for i in range(k):
            pat[types[i]] = base + rank[keys[i]] - 1
        return uniq[:r]
    uniq = np.unique(keys[:k])
    pos = np.searchsorted(uniq, keys[:k])
    for i in range(k):
        pat[types[i]] = base + pos[i]
    return uniq

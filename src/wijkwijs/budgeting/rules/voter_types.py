"""Voters with identical ballots collapsed into weighted *types* (exact, sparse, fast).

Voters with the same (project, weight) ballot start with the same budget under MES and
always pay the same, so they can be treated as one voter with a multiplicity. The collapse
works on the sparse ballot entries only: every voter's entries are sorted into one integer
code per (project, weight), each voter's codes become one ``bytes`` key, and a ``dict``
gives the type ids (exact: no hashing of our own, no dense voters x projects matrix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class VoterTypes:
    nt: int  # number of types
    mult: np.ndarray  # voters per type (int64)
    sup: list[np.ndarray]  # per project: supporter type ids, ascending
    w: list[np.ndarray]  # per project: weight of each supporter type (int64)
    cnt: list[np.ndarray]  # per project: voters per supporter type (int64)


def collapse(n: int, supporters: list[np.ndarray], weights: list[np.ndarray]) -> VoterTypes:
    """Collapse voters (``supporters[j]`` = voters of project ``j`` with weight > 0)."""
    m = len(supporters)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return VoterTypes(0, empty, [empty] * m, [empty] * m, [empty] * m)
    sizes = np.array([len(s) for s in supporters], dtype=np.int64)
    voter = np.concatenate([np.asarray(s, dtype=np.int64) for s in supporters] + [empty])
    wt = np.concatenate([np.asarray(w, dtype=np.int64) for w in weights] + [empty])
    proj = np.repeat(np.arange(m, dtype=np.int64), sizes)
    code = proj * (int(wt.max(initial=0)) + 1) + wt
    order = np.argsort(voter * (int(code.max(initial=0)) + 1) + code, kind="stable")
    voter, code = voter[order], code[order]
    lengths = np.bincount(voter, minlength=n)
    ends = np.cumsum(lengths).tolist()
    buf = code.astype(np.int64).tobytes()
    ids: dict[bytes, int] = {}
    type_of = np.empty(n, dtype=np.int64)
    start = 0
    setdefault = ids.setdefault
    for v, end in enumerate(ends):
        type_of[v] = setdefault(buf[8 * start:8 * end], len(ids))
        start = end
    nt = len(ids)
    mult = np.bincount(type_of, minlength=nt).astype(np.int64)
    # first voter of every type (types are numbered in order of first voter)
    first = np.full(nt, n, dtype=np.int64)
    np.minimum.at(first, type_of, np.arange(n, dtype=np.int64))
    is_first = np.zeros(n, dtype=bool)
    is_first[first] = True
    sup, wts, cnt = [], [], []
    for j in range(m):
        s = np.asarray(supporters[j], dtype=np.int64)
        keep = is_first[s]
        t = type_of[s[keep]]  # ascending: type ids grow with their first voter
        sup.append(t)
        wts.append(np.asarray(weights[j], dtype=np.int64)[keep])
        cnt.append(mult[t])
    return VoterTypes(nt, mult, sup, wts, cnt)

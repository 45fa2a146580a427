"""Voters with identical ballots collapsed into weighted *types* (exact, sparse, fast).

Voters with the same (project, weight) ballot start with the same budget under MES and
always pay the same, so they can be treated as one voter with a multiplicity. The collapse
works on the sparse ballot entries only: every voter's entries are sorted into one integer
code per (project, weight), each voter's codes become one ``bytes`` key, and a ``dict``
gives the type ids (exact: no hashing of our own, no dense voters x projects matrix).
Faster, and still exact: every voter's code sequence gets a 64-bit polynomial fingerprint
(vectorised, wrapping ``uint64`` arithmetic), voters are grouped by fingerprint with one
``np.unique``, and the grouping is then *verified*: every voter's codes must equal, entry
for entry, those of the first voter of her group (one vectorised comparison). Only if a
fingerprint collision shows up (never seen; about ``n**2 / 2**64``) does the ``dict`` path run.
Both give the same type ids (numbered in order of their first voter).
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
    # entries are in project order, so a stable sort by voter leaves each voter's codes
    # ascending (as a sort by (voter, code) would); 16-bit keys get NumPy's radix sort
    order = np.argsort(_small(voter, n), kind="stable")
    return _collapse_sorted(n, m, voter[order], proj[order], wt[order])


def collapse_ballots(n: int, m: int, ptr: np.ndarray, proj: np.ndarray,
                     weights: np.ndarray) -> VoterTypes:
    """The same types straight from CSR ballots (``ptr`` per voter, ``proj`` and integer
    ``weights`` per entry; entries with weight 0 are no support), without per-project
    voter lists first."""
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return VoterTypes(0, empty, [empty] * m, [empty] * m, [empty] * m)
    lengths = np.diff(ptr)
    voter = np.repeat(np.arange(n, dtype=np.int64), lengths)
    proj = np.asarray(proj, dtype=np.int64)
    wt = np.asarray(weights, dtype=np.int64)
    keep = wt > 0
    if not keep.all():
        voter, proj, wt = voter[keep], proj[keep], wt[keep]
    # entries are in voter order; sort each ballot by project (stable: as collapse sees a
    # project's entries in voter order)
    same = voter[1:] == voter[:-1]
    if same.any() and bool((proj[1:][same] <= proj[:-1][same]).any()):
        order = np.argsort(_small(proj, m), kind="stable")  # two stable (radix) passes
        order = order[np.argsort(_small(voter[order], n), kind="stable")]
        voter, proj, wt = voter[order], proj[order], wt[order]
    return _collapse_sorted(n, m, voter, proj, wt)


def _small(keys: np.ndarray, bound: int) -> np.ndarray:
    """``keys`` (all < ``bound``) as 16-bit integers when they fit (radix sort)."""
    return keys.astype(np.uint16) if bound <= 65536 else keys


def _collapse_sorted(n: int, m: int, voter: np.ndarray, proj: np.ndarray,
                     wt: np.ndarray) -> VoterTypes:
    """Types from support entries sorted by voter, then project."""
    code = proj * (int(wt.max(initial=0)) + 1) + wt
    lengths = np.bincount(voter, minlength=n)
    type_of, nt = _type_ids(n, voter, code, lengths)
    mult = np.bincount(type_of, minlength=nt).astype(np.int64)
    # first voter of every type (types are numbered in order of first voter)
    first = np.full(nt, n, dtype=np.int64)
    np.minimum.at(first, type_of, np.arange(n, dtype=np.int64))
    is_first = np.zeros(n, dtype=bool)
    is_first[first] = True
    # the first voters' entries, in voter (= type) order, then stably by project
    sel = is_first[voter]
    t_all = type_of[voter[sel]]
    p_all = proj[sel]
    w_all = wt[sel]
    order = np.argsort(_small(p_all, m), kind="stable")
    t_all, w_all = t_all[order], w_all[order]
    bounds = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(p_all, minlength=m), out=bounds[1:])
    c_all = mult[t_all]
    b = bounds.tolist()
    sup = [t_all[b[j]:b[j + 1]] for j in range(m)]
    wts = [w_all[b[j]:b[j + 1]] for j in range(m)]
    cnt = [c_all[b[j]:b[j + 1]] for j in range(m)]
    return VoterTypes(nt, mult, sup, wts, cnt)


_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the fingerprint


def _type_ids(n: int, voter: np.ndarray, code: np.ndarray, lengths: np.ndarray
              ) -> tuple[np.ndarray, int]:
    """Type id of every voter (types numbered in order of their first voter), from the
    voter-sorted entry codes: fingerprints, verified exactly (dict path on a collision)."""
    starts = np.cumsum(lengths) - lengths
    col = np.arange(len(voter), dtype=np.int64) - np.repeat(starts, lengths)
    longest = int(lengths.max(initial=0))
    powers = np.ones(longest + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(1, longest + 1):
            powers[i] = powers[i - 1] * _MULT
        term = (code.astype(np.uint64) + np.uint64(1)) * powers[col]
        fp = lengths.astype(np.uint64) * powers[longest]
        nz = lengths > 0
        if nz.any():
            fp[nz] += np.add.reduceat(term, starts[nz])
    _, first, inverse = np.unique(fp, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    rep = first[inverse]  # first voter with the same fingerprint
    same = bool((lengths[rep] == lengths).all()) and bool(
        (code[starts[rep[voter]] + col] == code).all())
    if not same:  # pragma: no cover - a 64-bit fingerprint collision
        return _type_ids_dict(n, code, lengths)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first), dtype=np.int64)
    return rank[inverse], len(first)


def _type_ids_dict(n: int, code: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, int]:
    """The same ids from one ``bytes`` key per voter and a ``dict`` (any ballot length)."""
    ends = np.cumsum(lengths).tolist()
    buf = code.astype(np.int64).tobytes()
    ids: dict[bytes, int] = {}
    type_of = np.empty(n, dtype=np.int64)
    start = 0
    setdefault = ids.setdefault
    for v, end in enumerate(ends):
        type_of[v] = setdefault(buf[8 * start:8 * end], len(ids))
        start = end
    return type_of, len(ids)

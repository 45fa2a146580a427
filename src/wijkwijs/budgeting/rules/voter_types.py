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
:func:`collapse_ballots` (what the MES rules call, straight from the CSR ballots) is
compiled (Numba) and needs no sorting: a voter's fingerprint is an order-free sum of her
entries' hashes, and an open-addressing table on it has every hit verified against the
type's first voter (same entries as a set, marked in a per-project scratch row), so a
collision only costs another probe. Ballots naming a project twice (where sets would not
do) take the sorted route above; same type ids again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

try:
    from numba import njit as _njit
except ImportError:  # pragma: no cover - numba is a dependency
    _njit = None


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
    voter lists first: one compiled pass (:func:`_ballot_types`)."""
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return VoterTypes(0, empty, [empty] * m, [empty] * m, [empty] * m)
    nt, mult, pptr, sup_all, w_all = _ballot_types(
        n, m, np.ascontiguousarray(ptr, dtype=np.int64), np.ascontiguousarray(proj, dtype=np.int64),
        np.ascontiguousarray(weights, dtype=np.int64))
    if nt < 0:  # a ballot names a project twice: entries sorted by (voter, project)
        voter = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr))
        keep = np.asarray(weights) > 0
        voter, p, w = voter[keep], np.asarray(proj, dtype=np.int64)[keep], np.asarray(weights, dtype=np.int64)[keep]
        order = np.lexsort((p, voter))
        return _collapse_sorted(n, m, voter[order], p[order], w[order])
    mult = mult[:nt]
    c_all = mult[sup_all]
    b = pptr.tolist()
    sup = [sup_all[b[j]:b[j + 1]] for j in range(m)]
    wts = [w_all[b[j]:b[j + 1]] for j in range(m)]
    cnt = [c_all[b[j]:b[j + 1]] for j in range(m)]
    return VoterTypes(nt, mult, sup, wts, cnt)


def _jit(func: Callable[..., Any]) -> Callable[..., Any]:
    if _njit is None:  # pragma: no cover - numba is a dependency
        return func
    return _njit(cache=True, nogil=True)(func)  # type: ignore[no-any-return]


@_jit
def _mix(p: int, w: int) -> np.uint64:
    """64-bit hash of one (project, weight) entry (splitmix64 finaliser)."""
    x = np.uint64(p) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(w)
    x ^= x >> np.uint64(31)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    return x


@_jit
def _ballot_types(n: int, m: int, ptr: np.ndarray, proj: np.ndarray, wt: np.ndarray
                  ) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Types from CSR ballots, no sorting: a voter's fingerprint is the wrapping sum of
    her entries' hashes (order-free), types are found with an open-addressing hash table
    whose every hit is *verified* against the type's first voter (same number of entries,
    and every entry found among the first voter's, marked in a per-project scratch row:
    exact, a collision only costs a further probe), numbered in order of first voter.
    Ballots naming a project twice (set comparison would not do) return ``nt = -1``:
    the caller then takes the sorted route. Returns ``nt``, voters per type (first ``nt``), and per project (CSR
    ``pptr``) the supporter types, ascending, with their weights."""
    seen = np.full(m, -1, dtype=np.int64)
    fp = np.empty(n, dtype=np.uint64)
    length = np.zeros(n, dtype=np.int64)
    for v in range(n):
        h = np.uint64(0)
        k = 0
        for e in range(ptr[v], ptr[v + 1]):
            if wt[e] > 0:
                p = proj[e]
                if seen[p] == v:  # a set comparison would not do: the caller sorts
                    none = np.zeros(0, dtype=np.int64)
                    return -1, none, np.zeros(1, dtype=np.int64), none, none
                seen[p] = v
                h += _mix(p, wt[e])
                k += 1
        h += np.uint64(k) * np.uint64(0xD6E8FEB86659FD93)
        h ^= h >> np.uint64(32)
        fp[v] = h
        length[v] = k
    size = 1
    while size < 2 * n:
        size *= 2
    mask = np.uint64(size - 1)
    slot_voter = np.full(size, -1, dtype=np.int64)
    type_of = np.empty(n, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    mult = np.zeros(n, dtype=np.int64)
    mark = np.zeros(m, dtype=np.int64)  # weight + 1 of the first voter's entries
    nt = 0
    for v in range(n):
        h = fp[v]
        idx = (h * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(11) & mask
        while True:
            u = slot_voter[idx]
            if u < 0:  # a new type
                slot_voter[idx] = v
                type_of[v] = nt
                first[nt] = v
                mult[nt] = 1
                nt += 1
                break
            if fp[u] == h and length[u] == length[v]:
                for e in range(ptr[u], ptr[u + 1]):
                    if wt[e] > 0:
                        mark[proj[e]] = wt[e] + 1
                same = True
                for e in range(ptr[v], ptr[v + 1]):
                    if wt[e] > 0 and mark[proj[e]] != wt[e] + 1:
                        same = False
                        break
                for e in range(ptr[u], ptr[u + 1]):
                    mark[proj[e]] = 0
                if same:
                    t = type_of[u]
                    type_of[v] = t
                    mult[t] += 1
                    break
            idx = (idx + np.uint64(1)) & mask
    # per project: the first voters' entries, in voter (= type) order
    pptr = np.zeros(m + 1, dtype=np.int64)
    for t in range(nt):
        u = first[t]
        for e in range(ptr[u], ptr[u + 1]):
            if wt[e] > 0:
                pptr[proj[e] + 1] += 1
    for j in range(m):
        pptr[j + 1] += pptr[j]
    fill = pptr[:m].copy()
    sup = np.empty(pptr[m], dtype=np.int64)
    wts = np.empty(pptr[m], dtype=np.int64)
    for t in range(nt):
        u = first[t]
        for e in range(ptr[u], ptr[u + 1]):
            if wt[e] > 0:
                j = proj[e]
                sup[fill[j]] = t
                wts[fill[j]] = wt[e]
                fill[j] += 1
    return nt, mult, pptr, sup, wts


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

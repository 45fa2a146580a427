"""Compiled (Numba) kernels of the parametric MES engine's per-round hot path.

:mod:`mes_param` spends most of its time in a few small operations per round: pricing a
project at ``k`` (water-filling over its supporter types) and paying for the winner. As
NumPy code each is ~15 calls of a few microseconds over arrays of tens to thousands of
elements; here each is one call of an ``@njit(cache=True)`` loop over plain float64/int64
arrays (supporter lists flattened CSR-style: project ``j`` owns ``ptr[j]:ptr[j+1]``).

The arithmetic is the same as the NumPy version's, elementwise formula for elementwise
formula; only the order of the sums differs (sequential loops here, BLAS dot / pairwise sums
in NumPy). Soundness does not rest on either order: every float decision of the engine is
accepted only with a relative margin ``TOL = 1e-9`` (a near tie, a supporter paying almost
exactly all she has, money almost exactly the cost raise :class:`NeedExact` and that ``k``
runs on the exact engine). A sequential sum of ``n`` nonnegative terms has a relative error
of at most ``(n - 1) * 2**-53`` plus one rounding per product, i.e. below ``2e-12`` for the
longest supporter list of the shared instances (12,000 types on Budapest) and below
``1.2e-11`` for ``n <= 10**5``: two to three orders of magnitude inside the margin (the
NumPy version did not rely on its order either; BLAS does not specify one). Lower bounds
``(c - sum_P budget) / (W - W_P)`` hold for any voter set ``P``, so a last-bit difference
in a cached row cannot make a bound wrong by more than the margin, and :func:`danger` has
no sums at all (the same floats as ``ParamMes._danger``). Payments use the same single
operations (``alpha -= q0 w``) as before.

Without Numba the same functions run as plain Python (``njit`` falls back to the identity),
which is correct but slow; Numba is a dependency, so this only matters for debugging
(``NUMBA_DISABLE_JIT=1``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

try:
    from numba import njit as _njit
except ImportError:  # pragma: no cover - numba is a dependency
    _njit = None


def _jit(func: Callable[..., Any]) -> Callable[..., Any]:
    if _njit is None:  # pragma: no cover
        return func
    return _njit(cache=True, nogil=True)(func)  # type: ignore[no-any-return]


INF = math.inf

# price status
OK, EXACT, SHORT = 0, 1, 2


@_jit
def _stable_argsort(vals: np.ndarray) -> np.ndarray:
    """``np.argsort(vals, kind="stable")``: the same permutation (ties in index order).

    A natural merge sort: the nondecreasing runs of the input are merged pairwise (the left
    run wins ties, which keeps equal values in index order). Budgets are often equal (a
    run's start) or already in long runs, where this is one or a few passes; with short
    runs Numba's (stable) mergesort is faster. Numba's quicksort is not stable (and
    degrades on many equal keys)."""
    n = len(vals)
    src = np.arange(n)
    if n < 2:
        return src
    bounds = np.empty(n + 1, dtype=np.int64)
    nb = 0
    bounds[0] = 0
    for i in range(1, n):
        if vals[i] < vals[i - 1]:
            nb += 1
            bounds[nb] = i
    nb += 1
    bounds[nb] = n
    if nb == 1:
        return src
    if 8 * nb > n:  # short runs (e.g. random order): Numba's mergesort is faster
        return np.argsort(vals, kind="mergesort")
    dst = np.empty(n, dtype=np.int64)
    while nb > 1:
        new_nb = 0
        r = 0
        while r < nb:
            lo = bounds[r]
            if r + 1 < nb:
                mid = bounds[r + 1]
                hi = bounds[r + 2]
                i, j, o = lo, mid, lo
                while i < mid and j < hi:
                    if vals[src[j]] < vals[src[i]]:
                        dst[o] = src[j]
                        j += 1
                    else:
                        dst[o] = src[i]
                        i += 1
                    o += 1
                while i < mid:
                    dst[o] = src[i]
                    i += 1
                    o += 1
                while j < hi:
                    dst[o] = src[j]
                    j += 1
                    o += 1
                r += 2
            else:
                hi = bounds[r + 1]
                for o in range(lo, hi):
                    dst[o] = src[o]
                r += 1
            bounds[new_nb] = lo
            new_nb += 1
        bounds[new_nb] = n
        nb = new_nb
        src, dst = dst, src
    return src


@_jit
def price(j: int, al: np.ndarray, be: np.ndarray, k: float, ptr: np.ndarray,
          sup: np.ndarray, wf: np.ndarray, cntf: np.ndarray, cwf: np.ndarray,
          cost: np.ndarray, wsum: np.ndarray, winv: np.ndarray, unit: np.ndarray,
          tol: float, ratio: np.ndarray, xs: np.ndarray
          ) -> tuple[int, float, float, float, float, float, float]:
    """(status, rho, A_P, B_P, W_P, A_all, B_all) of project ``j`` at ``k``.

    status ``EXACT``: the supporters' money is within the margin of the cost; ``SHORT``:
    unaffordable (rho inf). ``ratio``/``xs`` are scratch buffers at least as long as the
    longest supporter list. Same steps as the former NumPy ``ParamMes._price``: only
    supporters below an upper bound ``U`` of the water level are sorted (stable), then the
    first ``i`` with ``(c - px_i) / (W - pw_i) <= ratio_i`` gives the poor set."""
    lo = ptr[j]
    n = ptr[j + 1] - lo
    c = cost[j]
    sa = 0.0
    sb = 0.0
    rmin = INF
    u = unit[j]
    for i in range(n):  # one pass: money, budgets at k, ratios (gathered once)
        t = sup[lo + i]
        a = al[t]
        b = be[t]
        sa += a * cntf[lo + i]
        sb += b * cntf[lo + i]
        x = a + b * k
        xs[i] = x
        r = x if u else x / wf[lo + i]
        ratio[i] = r
        rmin = min(rmin, r)
    avail = sa + sb * k
    if abs(avail - c) <= tol * c:
        return EXACT, INF, 0.0, 0.0, 0.0, sa, sb
    if avail < c:
        return SHORT, INF, 0.0, 0.0, 0.0, sa, sb
    W = wsum[j]
    q = c / W
    if rmin >= q:
        return OK, winv[j], 0.0, 0.0, 0.0, sa, sb
    upper = 2.0 * q
    goal = c * (1 + 1e-9)
    while True:
        s = 0.0
        for i in range(n):
            r = ratio[i]
            s += (r if r < upper else upper) * cwf[lo + i]
        if s >= goal:
            break
        upper *= 2.0
    n_sub = 0
    for i in range(n):
        if ratio[i] < upper:
            n_sub += 1
    sub = np.empty(n_sub, dtype=np.int64)
    m = 0
    for i in range(n):
        if ratio[i] < upper:
            sub[m] = i
            m += 1
    order = sub[_stable_argsort(ratio[sub])]
    px = 0.0
    pw = 0.0
    found = -1
    for m in range(n_sub + 1):
        if m == n_sub:
            if n_sub < n:  # the first supporter beyond U is rich
                found = m
            break
        i = order[m]
        if (c - px) / (W - pw) <= ratio[i]:
            found = m
            break
        px += xs[i] * cntf[lo + i]
        pw += cwf[lo + i]
    if found <= 0:
        return OK, winv[j], 0.0, 0.0, 0.0, sa, sb
    qv = (c - px) / (W - pw)
    A = 0.0
    B = 0.0
    for m in range(found):
        i = order[m]
        t = sup[lo + i]
        A += al[t] * cntf[lo + i]
        B += be[t] * cntf[lo + i]
    return OK, qv / c, A, B, pw, sa, sb


@_jit
def pay(j: int, al: np.ndarray, be: np.ndarray, k: float, q0: float, q1: float, q: float,
        ptr: np.ndarray, sup: np.ndarray, wf: np.ndarray, unit: np.ndarray, tol: float,
        poor: np.ndarray) -> tuple[int, float]:
    """Winner ``j`` pays ``q(k) w`` per type (``q = q0 + q1 k``), poor types all they have.

    Returns (number of poor types, written to ``poor`` in supporter order; -1: a supporter's
    ratio is within the margin of ``q``, nothing changed) and the last real ``k`` for which
    the poor set stays poor (``alpha + beta k <= q(k) w``)."""
    lo = ptr[j]
    n = ptr[j + 1] - lo
    u = unit[j]
    for i in range(n):
        t = sup[lo + i]
        x = al[t] + be[t] * k
        r = x if u else x / wf[lo + i]
        if abs(r - q) <= tol * q:
            return -1, INF
    npoor = 0
    end = INF
    for i in range(n):
        t = sup[lo + i]
        w = wf[lo + i]
        x = al[t] + be[t] * k
        r = x if u else x / w
        if r < q:
            poor[npoor] = t
            npoor += 1
            den = be[t] - q1 * w
            if den > 0:
                lim = (q0 * w - al[t]) / den
                end = min(end, lim)
            al[t] = 0.0
            be[t] = 0.0
        else:
            al[t] -= q0 * w
            be[t] -= q1 * w
    return npoor, end


@_jit
def select(active: np.ndarray, lb: np.ndarray, fresh: np.ndarray, cache: np.ndarray,
           thr: float, al: np.ndarray, be: np.ndarray, k: float, ptr: np.ndarray,
           sup: np.ndarray, wf: np.ndarray, cntf: np.ndarray, cwf: np.ndarray,
           cost: np.ndarray, wsum: np.ndarray, winv: np.ndarray, unit: np.ndarray,
           tol: float, ratio: np.ndarray, xs: np.ndarray, near: np.ndarray
           ) -> tuple[int, float, int]:
    """One round's pricing: (status, best rho, number of near-best projects in ``near``).

    Walks the active projects by increasing lower bound ``lb`` (stable) and prices those
    not fresh until the bound exceeds ``max(best, thr)`` by the margin, updating ``cache``,
    ``lb`` and ``fresh`` in place (a bound of inf: unaffordable at this k, and it stays so
    within the run). ``near`` gets every active fresh project within the margin of the best
    (in project order). Status ``EXACT``: some price was too close to call."""
    m = len(lb)
    n_act = 0
    for j in range(m):
        if active[j]:
            n_act += 1
    cand = np.empty(n_act, dtype=np.int64)
    i = 0
    for j in range(m):
        if active[j]:
            cand[i] = j
            i += 1
    cand = cand[np.argsort(lb[cand], kind="mergesort")]
    best = INF
    for i in range(n_act):
        j = cand[i]
        lbj = lb[j]
        if lbj > max(best, thr) * (1 + tol) or lbj == INF:
            break
        if not fresh[j]:
            st, rho, A, B, WP, sa, sb = price(j, al, be, k, ptr, sup, wf, cntf, cwf, cost,
                                              wsum, winv, unit, tol, ratio, xs)
            if st == EXACT:
                return EXACT, INF, 0
            cache[j, 0] = A
            cache[j, 1] = B
            cache[j, 2] = WP
            cache[j, 3] = sa
            cache[j, 4] = sb
            lb[j] = rho
            fresh[j] = True
            lbj = rho
        if lbj == INF:
            continue
        best = min(best, lbj)
    n_near = 0
    if best < INF:
        lim = best * (1 + tol)
        for j in range(m):
            if active[j] and fresh[j] and lb[j] <= lim:
                near[n_near] = j
                n_near += 1
    return OK, best, n_near


@_jit
def _half_line(T: float, S: float, lo: float, hi: float, never: bool) -> tuple[float, float, bool]:
    """Intersect ``[lo, hi]`` with the ``k'`` where ``T <= S k'``: a lower bound when ``S > 0``,
    an upper bound when ``S < 0``, nowhere when ``S == 0 < T`` (``never``)."""
    if S > 0:
        lo = max(lo, T / S)
    elif S < 0:
        hi = min(hi, T / S)
    elif T > 0:
        never = True
    return lo, hi, never


@_jit
def danger(caches: np.ndarray, act: np.ndarray, r0: np.ndarray, r1: np.ndarray,
           wins: np.ndarray, weffs: np.ndarray, k: float, cost: np.ndarray,
           wsum: np.ndarray, winv: np.ndarray, rank: np.ndarray, wint: np.ndarray,
           tol: float) -> np.ndarray:
    """``ParamMes._danger`` for every round of a run (row ``r``: the cache after round
    ``r``'s pricing, its active projects, the winner's affine rho and weff).

    Per (round, rival) the same elementwise IEEE operations as ``_danger`` (no sums: only
    products, quotients, comparisons, max/min), so the floats are the same; a rival is
    dangerous on the intersection of the half-lines ``T <= S k'`` of (0) affordability,
    (1) its everyone-rich bound (not when the winner's rho is ``1/weff``), (2) its poor-set
    bound (not when that is integral and the winner's is too: then compared with integers)."""
    n_r, m = caches.shape[0], caches.shape[1]
    out = np.full(n_r, INF)
    for r in range(n_r):
        R0 = r0[r]
        R1 = r1[r]
        we_w = weffs[r]
        wrow = we_w > 0
        win = wins[r]
        best = INF
        for j in range(m):
            if not act[r, j] or j == win:
                continue
            A = caches[r, j, 0]
            B = caches[r, j, 1]
            WP = caches[r, j, 2]
            Aa = caches[r, j, 3]
            Ba = caches[r, j, 4]
            c = cost[j]
            has = WP > 0
            integral = has and A == 0.0 and B == 0.0
            if wrow:
                better = rank[j] < rank[win]
                wi = wint[j]
                if not (wi > we_w or (wi == we_w and better)):
                    continue
                if integral:
                    we = wi - np.int64(WP)
                    if not (we > we_w or (we == we_w and better)):
                        continue
            lo = -INF
            hi = INF
            never = False
            # (0) affordable: c - Aa <= Ba k'
            lo, hi, never = _half_line(c - Aa, Ba, lo, hi, never)
            if not wrow:  # (1) 1/W <= r0 + r1 k'
                lo, hi, never = _half_line(winv[j] - R0, R1, lo, hi, never)
            if has and not (integral and wrow):  # (2) poor-set bound
                D = (wsum[j] - WP) * c
                lo, hi, never = _half_line(c - A - D * R0, B + D * R1, lo, hi, never)
            if never:
                continue
            lo = max(lo, k)
            if lo <= hi + tol * max(1.0, abs(hi)):
                best = min(best, lo)
        out[r] = best
    return out


@_jit
def step(active: np.ndarray, lb: np.ndarray, fresh: np.ndarray, cache: np.ndarray,
         thr: float, al: np.ndarray, be: np.ndarray, k: float, ptr: np.ndarray,
         sup: np.ndarray, wf: np.ndarray, cntf: np.ndarray, cwf: np.ndarray,
         cost: np.ndarray, wsum: np.ndarray, winv: np.ndarray, unit: np.ndarray,
         tol: float, ratio: np.ndarray, xs: np.ndarray, near: np.ndarray, poor: np.ndarray,
         overlap: np.ndarray, fuse: bool) -> tuple[int, float, int, int, float, float, float]:
    """:func:`select`, and when exactly one project is near the best (no tie to break) also
    its payment (:func:`pay`) and the bookkeeping (bought; projects sharing voters with it
    are no longer fresh). Returns (status, best, n_near, npoor, end, q0, q1); ``npoor`` is
    -1 when nothing was paid (``n_near != 1``) and status ``EXACT`` when a price or the
    payment was too close to call (the run is then abandoned, its state is not reused)."""
    st, best, n_near = select(active, lb, fresh, cache, thr, al, be, k, ptr, sup, wf, cntf,
                              cwf, cost, wsum, winv, unit, tol, ratio, xs, near)
    if not fuse or st != OK or n_near != 1:
        return st, best, n_near, -1, INF, 0.0, 0.0
    win = near[0]
    c = cost[win]
    W = wsum[win]
    A = cache[win, 0]
    B = cache[win, 1]
    WP = cache[win, 2]
    q0 = (c - A) / (W - WP)
    q1 = -B / (W - WP)
    q = q0 + q1 * k
    npoor, end = pay(win, al, be, k, q0, q1, q, ptr, sup, wf, unit, tol, poor)
    if npoor < 0:
        return EXACT, best, n_near, -1, INF, q0, q1
    active[win] = False
    lb[win] = INF
    m = len(lb)
    for j in range(m):
        if overlap[win, j]:
            fresh[j] = False
    return OK, best, n_near, npoor, end, q0, q1

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
OK, EXACT, SHORT, FAIL = 0, 1, 2, 3
# why :func:`advance` handed a run back to Python
NONE, TIE, REUSE, FULL, PAST = 4, 5, 6, 7, 8
NO_FACT = 1e300  # ``short`` row 0 when nothing is known (see :func:`select`)


NB = 64  # buckets per level of the water-level search
SHIFT = 49  # top level: 2**3 buckets per factor 2 of ratio (float bits >> 49)


@_jit
def _rich_sorted(c: float, W: float, sr: np.ndarray, sx: np.ndarray, sw: np.ndarray,
                 n: int, acc_x: float, acc_w: float, vrich: float) -> float:
    """The sorted scan over ``sr[:n]`` (everyone below them is poor with money ``acc_x``
    and weight ``acc_w``, everyone from ``vrich`` on is rich): the ratio of the first rich
    supporter, ``vrich`` if all of them are poor. Equal ratios are tested once, at the
    first of them (the scan's test there decides the whole block)."""
    order = np.argsort(sr[:n], kind="mergesort")
    m = 0
    while m < n:
        v = sr[order[m]]
        if (c - acc_x) / (W - acc_w) <= v:
            return v
        while m < n and sr[order[m]] == v:
            acc_x += sx[order[m]]
            acc_w += sw[order[m]]
            m += 1
    return vrich


@_jit
def _water_rich(c: float, W: float, r0: np.ndarray, x0: np.ndarray, w0: np.ndarray,
                n: int, part: np.ndarray, small: int = 32) -> float:
    """The sorted scan's boundary without sorting: the smallest ratio ``v`` among
    ``r0[:n]`` whose supporter is rich, i.e. ``(c - X) / (W - Wt) <= v`` with ``X``/``Wt``
    the money/weight of everyone with a ratio below ``v`` (inf if there is none), so that
    the poor set is ``{ratio < v}``. The test is monotone in ``v`` and equal ratios are
    all poor or all rich.

    Radix selection on the float bits (for positive floats their int64 order is the
    value order): one pass puts every supporter into one of ``NB`` buckets by
    ``bits >> shift`` (top level: 8 buckets per factor 2 from ``c / W`` up, the last one
    open-ended; ratios below ``c / W`` are poor, since the water level is at least that)
    and sums money, weight, min and max per bucket. The scan over the buckets tests each
    bucket's minimum with the exact sums below it (the sorted scan's own test at that
    value); a bucket that is poor at its minimum but whose successor's minimum is rich
    holds the boundary and is searched the same way with 6 more bits (a bucket of equal
    ratios is decided by one test). Sets of at most ``small`` are sorted
    (:func:`_rich_sorted`). ``r0``/``x0``/``w0`` (ratio, money, weight per supporter)
    are read only; ``part`` (3 rows, at least ``n`` long) holds the deeper levels."""
    lower = c / W
    acc_x = 0.0
    acc_w = 0.0
    vrich = INF
    sr, sx, sw = r0, x0, w0
    sh = SHIFT
    m = n
    bk = np.empty((5, NB))
    lowv = np.empty(1)
    while True:
        if m <= small:
            return _rich_sorted(c, W, sr, sx, sw, m, acc_x, acc_w, vrich)
        rb = sr.view(np.int64)
        lowv[0] = lower
        base = lowv.view(np.int64)[0] >> sh
        cntb = bk[0]
        xb = bk[1]
        wb = bk[2]
        mn = bk[3]
        mx = bk[4]
        for b in range(NB):
            cntb[b] = 0.0
            xb[b] = 0.0
            wb[b] = 0.0
            mn[b] = INF
            mx[b] = -INF
        for i in range(m):
            key = (rb[i] >> sh) - base
            if key < 0:  # below the lower bound of the water level: poor
                acc_x += sx[i]
                acc_w += sw[i]
                continue
            if key >= NB:
                key = NB - 1
            r = sr[i]
            cntb[key] += 1.0
            xb[key] += sx[i]
            wb[key] += sw[i]
            mn[key] = min(mn[key], r)
            mx[key] = max(mx[key], r)
        found = -1
        for b in range(NB):
            if cntb[b] == 0.0:
                continue
            v = mn[b]
            if (c - acc_x) / (W - acc_w) <= v:
                return v
            if v == mx[b]:  # one value, and it is poor
                acc_x += xb[b]
                acc_w += wb[b]
                continue
            b2 = b + 1
            while b2 < NB and cntb[b2] == 0.0:
                b2 += 1
            if b2 < NB:
                v2 = mn[b2]
                if not (c - (acc_x + xb[b])) / (W - (acc_w + wb[b])) <= v2:
                    acc_x += xb[b]
                    acc_w += wb[b]
                    continue
                vrich = v2
            found = b
            break
        if found < 0:
            return vrich
        # keep bucket ``found`` (in place: the write index never passes the read index)
        dr = part[0]
        dx = part[1]
        dw = part[2]
        k2 = 0
        for i in range(m):
            key = (rb[i] >> sh) - base
            if key >= NB:
                key = NB - 1
            if key == found:
                dr[k2] = sr[i]
                dx[k2] = sx[i]
                dw[k2] = sw[i]
                k2 += 1
        m = k2
        sr, sx, sw = dr, dx, dw
        lower = mn[found]
        if found < NB - 1:  # a closed bucket: 6 more bits (the open last one: same bits)
            sh = max(sh - 6, 0)


@_jit
def price(j: int, al: np.ndarray, be: np.ndarray, k: float, ptr: np.ndarray,
          sup: np.ndarray, wf: np.ndarray, cntf: np.ndarray, cwf: np.ndarray,
          cost: np.ndarray, wsum: np.ndarray, winv: np.ndarray, unit: np.ndarray,
          tol: float, ratio: np.ndarray, xs: np.ndarray, part: np.ndarray
          ) -> tuple[int, float, float, float, float, float, float]:
    """(status, rho, A_P, B_P, W_P, A_all, B_all) of project ``j`` at ``k``.

    status ``EXACT``: the supporters' money is within the margin of the cost; ``SHORT``:
    unaffordable (rho inf). ``ratio``/``xs`` (length at least the longest supporter list)
    and ``part`` (3 rows of that length) are scratch buffers. The poor set is the one of
    the sorted scan (the first ``i`` in stable ratio order with
    ``(c - px_i) / (W - pw_i) <= ratio_i``; :meth:`ParamMes._price_ref`), found by selection
    among the supporters below the same doubling upper bound ``U`` (:func:`_water_rich`);
    its sums are then taken in supporter order."""
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
        xs[i] = x * cntf[lo + i]
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
    vrich = _water_rich(c, W, ratio, xs, cwf[lo:lo + n], n, part)
    if vrich == INF:  # everyone poor: money within rounding of c; rho = 1/W as the scan
        return OK, winv[j], 0.0, 0.0, 0.0, sa, sb
    px = 0.0
    pw = 0.0
    A = 0.0
    B = 0.0
    for i in range(n):
        if ratio[i] < vrich:
            t = sup[lo + i]
            px += xs[i]
            pw += cwf[lo + i]
            A += al[t] * cntf[lo + i]
            B += be[t] * cntf[lo + i]
    if pw == 0.0:
        return OK, winv[j], 0.0, 0.0, 0.0, sa, sb
    qv = (c - px) / (W - pw)
    return OK, qv / c, A, B, pw, sa, sb


@_jit
def pay(j: int, al: np.ndarray, be: np.ndarray, k: float, q0: float, q1: float, q: float,
        ptr: np.ndarray, sup: np.ndarray, wf: np.ndarray, unit: np.ndarray, tol: float,
        poor: np.ndarray) -> tuple[int, float]:
    """Winner ``j`` pays ``q(k) w`` per type (``q = q0 + q1 k``), poor types all they have.

    Returns (number of poor types, written to ``poor`` in supporter order) and the last real
    ``k`` for which the poor set stays poor (``alpha + beta k <= q(k) w``); or ``(-1, inf)``
    when a supporter's ratio is within the margin of ``q``: then the budgets are partly
    paid and must be dropped (the caller raises :class:`NeedExact` and abandons the run,
    whose budgets are its own copies). One pass."""
    lo = ptr[j]
    n = ptr[j + 1] - lo
    u = unit[j]
    npoor = 0
    end = INF
    for i in range(n):
        t = sup[lo + i]
        w = wf[lo + i]
        x = al[t] + be[t] * k
        r = x if u else x / w
        if abs(r - q) <= tol * q:
            return -1, INF
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
def replay(j: int, al: np.ndarray, be: np.ndarray, q0: float, q1: float, poor: np.ndarray,
           ptr: np.ndarray, sup: np.ndarray, wf: np.ndarray) -> None:
    """Redo :func:`pay`'s changes for winner ``j`` with its recorded poor types ``poor``
    (in supporter order, as :func:`pay` wrote them): the same operations, so the same
    floats."""
    lo = ptr[j]
    n = ptr[j + 1] - lo
    p = 0
    npoor = len(poor)
    for i in range(n):
        t = sup[lo + i]
        if p < npoor and poor[p] == t:
            al[t] = 0.0
            be[t] = 0.0
            p += 1
        else:
            w = wf[lo + i]
            al[t] -= q0 * w
            be[t] -= q1 * w


@_jit
def select(active: np.ndarray, lb: np.ndarray, fresh: np.ndarray, cache: np.ndarray,
           thr: float, al: np.ndarray, be: np.ndarray, k: float, ptr: np.ndarray,
           sup: np.ndarray, wf: np.ndarray, cntf: np.ndarray, cwf: np.ndarray,
           cost: np.ndarray, wsum: np.ndarray, winv: np.ndarray, unit: np.ndarray,
           tol: float, ratio: np.ndarray, xs: np.ndarray, part: np.ndarray,
           near: np.ndarray, short: np.ndarray, inherit: bool, r: int, nvot: float,
           horizon: float) -> tuple[int, float, int]:
    """One round's pricing: (status, best rho, number of near-best projects in ``near``).

    Walks the active projects by increasing lower bound ``lb`` (stable) and prices those
    not fresh until the bound exceeds ``max(best, thr)`` by the margin, updating ``cache``,
    ``lb`` and ``fresh`` in place (a bound of inf: unaffordable at this k, and it stays so
    within the run). ``near`` gets every active fresh project within the margin of the best
    (in project order). Status ``EXACT``: some price was too close to call.

    ``short`` (3 rows: round, k, money) holds, per project, that it was unaffordable in
    round ``short[0]`` of a run at ``k' = short[1] <= k`` with money at most ``short[2]``.
    Such a fact from an earlier run (``k' < k``) is used while this run has had the same
    winners (``inherit``, round ``r``): with the same winners every budget is
    nondecreasing in k and all of them together grow by exactly ``nvot`` (the number of
    voters) per unit of k, so the project's money now is at most ``short[2] + nvot (k - k')``;
    when that is short of the cost by the margin even ``horizon`` units of k further on, the
    project is not priced and its money row becomes that bound (a row that grows by
    ``nvot`` per unit of k; with a short horizon it would end validities sooner than the
    exact row of a price). Each project priced unaffordable here is recorded as a fact of
    this run (round ``r``, ``k``, its money)."""
    m = len(lb)
    n_act = 0  # active projects with a finite bound (the walk stops at the first inf)
    for j in range(m):
        if active[j] and lb[j] < INF:
            n_act += 1
    cand = np.empty(n_act, dtype=np.int64)
    i = 0
    for j in range(m):
        if active[j] and lb[j] < INF:
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
            if (inherit and short[0, j] <= r and short[1, j] < k
                    and short[2, j] + nvot * (k + horizon - short[1, j]) < cost[j] * (1 - 2 * tol)):
                lb[j] = INF  # still unaffordable (see above): not priced; its money row is
                cache[j, 3] = short[2, j] - nvot * short[1, j]  # that bound, for the
                cache[j, 4] = nvot  # validity ends (danger) and later resumes
                continue
            st, rho, A, B, WP, sa, sb = price(j, al, be, k, ptr, sup, wf, cntf, cwf, cost,
                                              wsum, winv, unit, tol, ratio, xs, part)
            if st == EXACT:
                return EXACT, INF, 0
            if st == SHORT:
                short[0, j] = r
                short[1, j] = k
                short[2, j] = sa + sb * k
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
         tol: float, ratio: np.ndarray, xs: np.ndarray, part: np.ndarray, near: np.ndarray,
         poor: np.ndarray, overlap: np.ndarray, cert_win: int, cert_weff: int,
         rank: np.ndarray, wint: np.ndarray, short: np.ndarray, inherit: bool, r: int,
         nvot: float, horizon: float) -> tuple[int, float, int, int, float, float, float]:
    """:func:`select`, and when exactly one project is near the best (no tie to break) also
    its payment (:func:`pay`) and the bookkeeping (bought; projects sharing voters with it
    are no longer fresh). Returns (status, best, n_near, npoor, end, q0, q1); ``npoor`` is
    -1 when nothing was paid (``n_near != 1``) and status ``EXACT`` when a price or the
    payment was too close to call (the run is then abandoned, its state is not reused).

    Certifying (``cert_win >= -1``: the old run's winner of this round and its weff, ``thr``
    its rho at the near end) the winner is first checked as ``ParamMes._certified`` does,
    before the payment changes ``fresh``; status ``FAIL`` when the certificate fails."""
    st, best, n_near = select(active, lb, fresh, cache, thr, al, be, k, ptr, sup, wf, cntf,
                              cwf, cost, wsum, winv, unit, tol, ratio, xs, part, near, short,
                              inherit, r, nvot, horizon)
    if st != OK or n_near != 1:
        return st, best, n_near, -1, INF, 0.0, 0.0
    win = near[0]
    m = len(lb)
    if cert_win >= -1:
        if win != cert_win or thr == INF:
            return FAIL, best, n_near, -1, INF, 0.0, 0.0
        lim = thr * (1 + tol)
        for j in range(m):
            if not active[j] or not lb[j] <= lim or j == win:
                continue
            # exact case: both rho = 1/weff; ties go to the better rank
            wj = weff_of(j, cache, wint)
            if not (cert_weff and fresh[j] and wj and lb[j] != INF):
                return FAIL, best, n_near, -1, INF, 0.0, 0.0
            if wj > cert_weff or (wj == cert_weff and rank[j] < rank[win]):
                return FAIL, best, n_near, -1, INF, 0.0, 0.0
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
    bought(win, active, lb, fresh, overlap)
    return OK, best, n_near, npoor, end, q0, q1


@_jit
def weff_of(j: int, cache: np.ndarray, wint: np.ndarray) -> int:
    """W minus the weight of project ``j``'s poor supporters when those all have exactly
    nothing left (then rho = 1/weff exactly, compared with integers); 0 otherwise."""
    if cache[j, 0] == 0.0 and cache[j, 1] == 0.0:
        return wint[j] - np.int64(cache[j, 2])
    return 0


@_jit
def bought(win: int, active: np.ndarray, lb: np.ndarray, fresh: np.ndarray,
           overlap: np.ndarray) -> None:
    """Bookkeeping after ``win`` is paid: no longer active, and the projects sharing voters
    with it are no longer fresh (their prices changed)."""
    active[win] = False
    lb[win] = INF
    for j in range(len(lb)):
        if overlap[win, j]:
            fresh[j] = False


@_jit
def lower(cache: np.ndarray, k: float, active: np.ndarray, cost: np.ndarray,
          wsum: np.ndarray, tol: float, lb: np.ndarray) -> None:
    """``ParamMes._lower`` for every active project, written into ``lb`` (inf elsewhere):
    the lower bound of rho at ``k`` from the cached functions, the same elementwise
    operations (so the same floats)."""
    for j in range(len(lb)):
        if not active[j]:
            lb[j] = INF
            continue
        c = cost[j]
        W = wsum[j]
        A = cache[j, 0]
        B = cache[j, 1]
        WP = cache[j, 2]
        v = 1.0 / W
        if WP > 0:
            v = max(v, (c - A - B * k) / (W - WP) / c)
        lb[j] = v if cache[j, 3] + cache[j, 4] * k >= c * (1 - tol) else INF


@_jit
def advance(active: np.ndarray, lb: np.ndarray, fresh: np.ndarray, cache: np.ndarray,
            al: np.ndarray, be: np.ndarray, k: float, ptr: np.ndarray, sup: np.ndarray,
            wf: np.ndarray, cntf: np.ndarray, cwf: np.ndarray, cost: np.ndarray,
            wsum: np.ndarray, winv: np.ndarray, unit: np.ndarray, tol: float,
            ratio: np.ndarray, xs: np.ndarray, part: np.ndarray, near: np.ndarray,
            poor: np.ndarray, overlap: np.ndarray, rank: np.ndarray, wint: np.ndarray,
            prev_win: np.ndarray, prev_weff: np.ndarray, prev_np: np.ndarray,
            prev_fp: np.ndarray, cert_thr: np.ndarray, n_cert: int, n_old: int, r_first: int,
            b_act: np.ndarray, b_cache: np.ndarray, b_win: np.ndarray, b_q0: np.ndarray,
            b_q1: np.ndarray, b_end: np.ndarray, b_weff: np.ndarray, b_fp: np.ndarray,
            b_pptr: np.ndarray, b_poor: np.ndarray, row0: int, short: np.ndarray,
            inherit: bool, nvot: float, horizon: float, tie_win: int
            ) -> tuple[int, int, int, bool]:
    """Rounds of one run in a row (``ParamMes.run``'s loop without the Python around it):
    :func:`step` per round, each round recorded in row ``row`` of a block of arrays (its
    active set before, cache after pricing, winner, ``q0``/``q1``, the poor set's validity
    end, weff, poor types in supporter order in ``b_poor[b_pptr[row]:b_pptr[row + 1]]``
    and their fingerprint), until something needs Python. Returns (why, next free row,
    ``n_old``, ``inherit``):

    * ``EXACT`` / ``FAIL``: a close call / a failed certificate (the row is not a round);
    * ``NONE``: nothing affordable (row ``row`` holds the active set and cache; not counted);
    * ``TIE``: several projects near the best, nothing paid (row as for ``NONE``); Python
      breaks the tie and calls again with the winner as ``tie_win``, which is paid and
      recorded in that row like any other winner;
    * ``REUSE``: the round just recorded has the winner and poor-set fingerprint of the
      old run's round (checked while ``n_old > 0``; 0 once one differs);
    * ``FULL``: the block has no room for another round; ``PAST``: certifying, the old
      run had no round ``r`` (``n_cert``: its number of rounds; -1 when not certifying).

    ``prev_*`` describe the rounds of the run this one resumed from (winner, weff, number of
    poor types and their fingerprint). Round ``r`` of the run (``r_first`` for ``row0``)
    certifies against ``prev_win[r]``, ``cert_thr[r]`` (the old winner's rho at the near end;
    inf: the old run stopped there) and ``prev_weff[r]`` when ``n_cert >= 0``.

    ``short`` are the unaffordability facts (:func:`select`), inherited from the run this
    one resumed from and usable while ``inherit``: when a round's winner differs from that
    run's, the inherited facts of later rounds are dropped (:func:`drop_facts`) and
    ``inherit`` ends."""
    row = row0
    nb = b_act.shape[0]
    room = len(b_poor)
    longest = len(poor)
    m = len(lb)
    while True:
        r = r_first + row - row0
        if tie_win >= 0:  # this row's round ended in a tie, broken in Python: pay it here
            win = tie_win
            tie_win = -1
            c = cost[win]
            W = wsum[win]
            q0 = (c - cache[win, 0]) / (W - cache[win, 2])
            q1 = -cache[win, 1] / (W - cache[win, 2])
            npoor, end = pay(win, al, be, k, q0, q1, q0 + q1 * k, ptr, sup, wf, unit, tol, poor)
            if npoor < 0:
                return EXACT, row, n_old, inherit
            bought(win, active, lb, fresh, overlap)
        else:
            if row >= nb or b_pptr[row] + longest > room:
                return FULL, row, n_old, inherit
            thr = -INF
            cw = -2
            ce = 0
            if n_cert >= 0:
                if r >= n_cert:
                    return PAST, row, n_old, inherit
                thr = cert_thr[r]
                cw = prev_win[r]
                ce = prev_weff[r]
            for j in range(m):
                b_act[row, j] = active[j]
            st, best, n_near, npoor, end, q0, q1 = step(
                active, lb, fresh, cache, thr, al, be, k, ptr, sup, wf, cntf, cwf, cost, wsum,
                winv, unit, tol, ratio, xs, part, near, poor, overlap, cw, ce, rank, wint,
                short, inherit, r, nvot, horizon)
            if st in (EXACT, FAIL):
                return st, row, n_old, inherit
            for j in range(m):
                for f in range(5):
                    b_cache[row, j, f] = cache[j, f]
            if best == INF:
                return NONE, row, n_old, inherit
            if npoor < 0:
                return TIE, row, n_old, inherit
            win = near[0]
        b_win[row] = win
        b_q0[row] = q0
        b_q1[row] = q1
        b_end[row] = end
        b_weff[row] = weff_of(win, cache, wint)
        s0 = b_pptr[row]
        fp = 0
        for i in range(npoor):
            b_poor[s0 + i] = poor[i]
            fp += poor[i]
        b_pptr[row + 1] = s0 + npoor
        b_fp[row] = fp
        row += 1
        if inherit and (r >= len(prev_win) or prev_win[r] != win):
            drop_facts(short, r, k)
            inherit = False
        if n_old > 0:
            if r < n_old and prev_win[r] == win and prev_np[r] == npoor and prev_fp[r] == fp:
                return REUSE, row, n_old, inherit
            n_old = 0


@_jit
def drop_facts(short: np.ndarray, r: int, k: float) -> None:
    """Forget the inherited unaffordability facts (``short[1] < k``) of rounds after ``r``:
    they were about states after a winner this run did not choose in round ``r``."""
    for j in range(short.shape[1]):
        if short[1, j] < k and short[0, j] > r:
            short[0, j] = NO_FACT
            short[1, j] = INF


def price_arrays(sup: list[np.ndarray], w: list[np.ndarray], cnt: list[np.ndarray],
                 cost: np.ndarray) -> Any:
    """The flat (CSR) arrays the kernels take, built once per engine: project ``j`` owns
    ``ptr[j]:ptr[j+1]`` of ``sup`` (voter types), ``w`` (weights) and ``cnt`` (voters per
    type), ``cw = w * cnt``; per project ``c`` (cost), ``W`` (total weight), ``Winv`` and
    ``unit`` (all weights 1); and the scratch buffers ``ratio``, ``xs`` and ``part``, as long
    as the longest supporter list. Plain NumPy (not compiled)."""
    from types import SimpleNamespace

    lens = [len(x) for x in sup]
    ptr = np.zeros(len(sup) + 1, dtype=np.int64)
    np.cumsum(lens, out=ptr[1:])

    def flat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
        if not parts:
            return np.zeros(0, dtype=dtype)
        return np.ascontiguousarray(np.concatenate(parts), dtype=dtype)

    wf = [x.astype(np.float64) for x in w]
    cntf = [x.astype(np.float64) for x in cnt]
    cw = [a * b for a, b in zip(wf, cntf, strict=True)]
    W = np.array([float(x.sum()) for x in cw])  # integer-valued: exact below 2**53
    with np.errstate(divide="ignore"):
        winv = 1.0 / W  # rho with everyone rich
    longest = max(lens, default=0) + 1
    return SimpleNamespace(
        ptr=ptr, sup=flat(sup, np.int64), w=flat(wf, np.float64), cnt=flat(cntf, np.float64),
        cw=flat(cw, np.float64), c=np.ascontiguousarray(cost, dtype=np.float64), W=W, Winv=winv,
        unit=np.array([bool(len(x) == 0 or (x.min() == 1 and x.max() == 1)) for x in w], dtype=np.bool_),
        ratio=np.empty(longest), xs=np.empty(longest), part=np.empty((3, longest)))

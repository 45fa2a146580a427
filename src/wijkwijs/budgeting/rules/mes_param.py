"""Iterated MES over a whole range of per-voter budgets ``b0 + k`` (k = 0, 1, 2, ...).

The run at ``b0 + k`` is kept *parametric*: every voter type (voters with identical ballots
and weights always hold identical budgets) has budget ``alpha + beta * k``. Within one round
the winner's poor set (voters who pay all they have) is fixed, so its price per weight unit
``q = q0 + q1 * k`` is affine, and paying keeps every budget affine (``beta >= 0``: budgets
never fall when k grows, so every affordability ``rho`` is nonincreasing in k).

Each round therefore knows up to which ``k`` its decision stays the same:

* the winner's poor voters stay poor (``alpha + beta k <= q(k) w``), rich ones stay rich;
* no rival can become cheaper: for any voter set ``P`` of a rival,
  ``(c - sum_P budget) / (W - W_P)`` is a lower bound of its price (``P = {}`` gives
  ``c / W``), and a rival is only affordable once its supporters' money reaches ``c``.
  The rival is safe while one of these bounds stays above the winner's ``rho(k)``.

When k moves past the validity of round ``r``, the run resumes from the saved state before
``r`` (idea: most of the run is shared between neighbouring budgets), and between two
breakpoints all integer k give the same outcome, so they are skipped entirely.

All of this is float arithmetic with a relative margin ``TOL``. Whenever a decision at an
evaluated ``k`` is within the margin (a near tie between rivals that are not both
"everyone rich", a supporter who pays almost exactly all she has, money almost exactly
equal to the cost) the run at that ``k`` is redone by the exact engine
(:class:`~wijkwijs.budgeting.rules.mes_engine.MesEngine`), and validity bounds are shrunk
by the same margin so that such points are always evaluated.

The rounds of a run are computed by one compiled call (:func:`mes_kernels.advance`) that
records them in a :class:`Block`; a run also carries what it learnt about projects that
could not pay their cost, for the runs that resume from it (:func:`mes_kernels.select`:
with the same winners every budget is nondecreasing in k and all of them together grow by
``n`` per unit of k, so such a project stays short of its cost for a while).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from wijkwijs.budgeting.rules import mes_kernels as kern
from wijkwijs.budgeting.rules.voter_types import VoterTypes, collapse

TOL = 1e-9
INF = math.inf
# engines with at least this many (project, voter type) entries order their supporter lists
# by a first run (:meth:`ParamMes._order_supporters`); below it that run costs more than it saves
ORDER_MIN_ENTRIES = 100_000
# unaffordability facts from earlier runs are used when they still hold this many units of
# k further on (:func:`mes_kernels.select`); math.inf: never
FACT_HORIZON = 256.0
# certificate schedule (:func:`iterate`): no cap yet; successes at the cap before trying 2x
UNCAPPED = 1 << 62
PROBE_AFTER = 4


class NeedExact(Exception):
    """A decision at this k is too close to call in float."""


@dataclass
class Segment:
    """The budgets at the start of a stretch of rounds computed in one go, and the payments
    made since (winner, q0, q1, poor types): a round's budgets are replayed from these on
    demand (:meth:`ParamMes.budgets`) instead of being copied at every round."""

    alpha: np.ndarray
    beta: np.ndarray
    pays: list[tuple[int, float, float, np.ndarray]] = field(default_factory=list)


@dataclass(slots=True)
class Snapshot:
    # budgets before this round, or None: the first ``pos`` payments of ``seg`` replayed
    alpha: np.ndarray | None
    beta: np.ndarray | None
    # per project: A_P, B_P, W_P, A_all, B_all (lower-bound functions); in a recorded round
    # the cache *after* its pricing: the rows priced there are exact affine functions of this
    # round's state, so a run resuming here starts from tight lower bounds
    cache: np.ndarray | None
    active: np.ndarray  # bool per project: not yet bought
    winner: int = -1  # -1: the run stops here (nothing affordable)
    end: float = INF  # last k (real) for which this round's decision holds
    r0: float = 0.0  # winner's rho(k) = r0 + r1 k within the validity
    r1: float = 0.0
    weff: int = 0  # > 0: the winner's poor voters all had nothing left, rho = 1/weff exactly
    poor: np.ndarray | None = None  # the winner's poor supporter types
    seg: Segment | None = None
    pos: int = 0
    fp: int = 0  # sum of the poor types (a quick filter before comparing poor sets)

    def resume_cache(self) -> np.ndarray:
        assert self.cache is not None
        return self.cache.copy()


@dataclass
class ParamRun:
    k: int
    order: list[int]
    end: int  # every integer k' in [k, end] gives the same run
    rounds: list[Snapshot] = field(default_factory=list)
    reused: int = 0
    # unaffordability facts (3 rows per project: round, k, money; mes_kernels.select)
    short: np.ndarray | None = None
    _arrays: tuple[np.ndarray, ...] | None = None

    def arrays(self) -> tuple[np.ndarray, ...]:
        """Per round (for :func:`mes_kernels.advance`): winner (-1: stopped there), r0, r1,
        weff, number of poor types and their fingerprint."""
        if self._arrays is None:
            rs = self.rounds
            self._arrays = (
                np.array([s.winner for s in rs], dtype=np.int64),
                np.array([s.r0 for s in rs]), np.array([s.r1 for s in rs]),
                np.array([s.weff for s in rs], dtype=np.int64),
                np.array([-1 if s.poor is None else len(s.poor) for s in rs], dtype=np.int64),
                np.array([s.fp for s in rs], dtype=np.int64))
        return self._arrays


class Block:
    """Rows for the rounds :func:`mes_kernels.advance` records (a run's snapshots are views
    of them): active set before the round, cache after its pricing, winner, q0, q1, the
    poor set's validity end, weff, fingerprint and poor types (CSR)."""

    def __init__(self, rows: int, m: int, room: int) -> None:
        self.act = np.empty((rows, m), dtype=np.bool_)
        self.cache = np.empty((rows, m, 5))
        self.win = np.empty(rows, dtype=np.int64)
        self.q0 = np.empty(rows)
        self.q1 = np.empty(rows)
        self.end = np.empty(rows)
        self.weff = np.empty(rows, dtype=np.int64)
        self.fp = np.empty(rows, dtype=np.int64)
        self.pptr = np.zeros(rows + 1, dtype=np.int64)
        self.poor = np.empty(room, dtype=np.int64)


class ParamMes:
    """Parametric MES for per-voter budgets ``b0 + k``; float with margins (see module doc)."""

    def __init__(self, n: int, costs: list[Fraction], supporters: list[np.ndarray],
                 weights: list[np.ndarray], candidates: list[int], tie_rank: list[int],
                 b0: Fraction, types: VoterTypes | None = None) -> None:
        vt = types if types is not None else collapse(n, supporters, weights)
        self.sup, w, cnt, self.nt = vt.sup, vt.w, vt.cnt, vt.nt
        self.m = len(costs)
        self.c = np.array([float(x) for x in costs])
        self.w = [x.astype(np.float64) for x in w]
        self.cnt = [x.astype(np.float64) for x in cnt]
        self.cw = [a * b for a, b in zip(self.w, self.cnt, strict=True)]
        self.unit = [bool(len(x) == 0 or (x.min() == 1 and x.max() == 1)) for x in w]
        self.W = np.array([float(x.sum()) for x in self.cw])
        self.Wint = [int((a * b).sum()) for a, b in zip(w, cnt, strict=True)]
        self.Wint_arr = np.array(self.Wint, dtype=np.int64)
        with np.errstate(divide="ignore"):
            self.Winv = 1.0 / np.array(self.Wint, dtype=np.float64)  # rho with everyone rich
        self.cand = np.zeros(self.m, dtype=bool)
        self.cand[candidates] = True
        self.rank = np.array(tie_rank, dtype=np.int64)
        self.b0 = float(b0)
        touch = np.zeros((self.nt, self.m), dtype=bool)
        for j in range(self.m):
            if self.cand[j]:
                touch[self.sup[j], j] = True
        # overlap_m[j, i]: candidate j shares a voter type with candidate i
        self.overlap_m = np.zeros((self.m, self.m), dtype=np.bool_)
        for j in np.flatnonzero(self.cand).tolist():
            self.overlap_m[j] = touch[self.sup[j]].any(axis=0)
        # flat (CSR) copies for the compiled kernels: project j owns ptr[j]:ptr[j+1]
        arr = kern.price_arrays(self.sup, w, cnt, self.c)
        self.ptr, self.sup_f, self.w_f, self.cnt_f, self.cw_f = arr.ptr, arr.sup, arr.w, arr.cnt, arr.cw
        self.unit_a = arr.unit
        self._ratio_buf, self._x_buf, self._part_buf = arr.ratio, arr.xs, arr.part
        longest = len(arr.ratio)
        self._poor_buf = np.empty(longest, dtype=np.int64)
        # a block of rounds (:class:`Block`): rows and room for the poor sets of a stretch
        # of rounds (one more block when a run needs more)
        self._rows = 48
        self._room = max(4 * longest, 4096)
        self.nvot = float(n)
        self.horizon = FACT_HORIZON
        self._no_facts = np.empty((3, self.m))
        self._no_facts[0], self._no_facts[1:] = kern.NO_FACT, INF
        self._none_i = np.zeros(0, dtype=np.int64)
        self._none_f = np.zeros(0)
        self._near_buf = np.empty(self.m + 1, dtype=np.int64)
        if int(self.ptr[-1]) >= ORDER_MIN_ENTRIES:
            self._order_supporters()

    def _order_supporters(self) -> None:
        """Reorder every project's supporter types (the flat CSR arrays) by the round in
        which they first paid all they had in the run at ``k = 0``, then by what they had
        left after it (never-poor types last).

        Types with nothing left are poor at any price, and late in a run most supporters are
        such types (60-70% of the entries priced on Budapest 2024); in the original order
        (type ids) they alternate with the others at random, so the kernels' per-entry
        branches (poor or not, below the water level's first bucket or not) are mispredicted
        about half the time. In this order they mostly come in long stretches (the k = 0 run
        is a good guide for the other k: the same projects win, mostly in the same order).
        Only the order in which the sums add up changes (covered by the margin, see
        :mod:`mes_kernels`), not what is computed; outcomes are those of any order."""
        try:
            ref = self.run(0, None)
        except NeedExact:
            return
        first = np.full(self.nt, len(ref.rounds), dtype=np.int64)
        for r, snap in enumerate(ref.rounds):
            if snap.poor is not None and len(snap.poor):
                first[snap.poor] = np.minimum(first[snap.poor], r)
        left, _ = self.budgets(ref.rounds[-1])  # after the run, at k = 0
        rank = np.empty(self.nt, dtype=np.int64)
        rank[np.lexsort((left, first))] = np.arange(self.nt)
        owner = np.repeat(np.arange(self.m), np.diff(self.ptr))
        order = np.lexsort((rank[self.sup_f], owner))
        self.sup_f = np.ascontiguousarray(self.sup_f[order])
        self.w_f = np.ascontiguousarray(self.w_f[order])
        self.cnt_f = np.ascontiguousarray(self.cnt_f[order])
        self.cw_f = np.ascontiguousarray(self.cw_f[order])

    # -- one project ------------------------------------------------------------------
    def _price(self, j: int, al: np.ndarray, be: np.ndarray, k: float
               ) -> tuple[float, tuple[float, float, float, float, float]]:
        """(rho, cache row) of project j at k; rho inf when unaffordable (compiled kernel,
        :func:`mes_kernels.price`; :meth:`_price_ref` is the NumPy reference)."""
        st, rho, A, B, WP, sa, sb = kern.price(
            j, al, be, k, self.ptr, self.sup_f, self.w_f, self.cnt_f, self.cw_f, self.c,
            self.W, self.Winv, self.unit_a, TOL, self._ratio_buf, self._x_buf, self._part_buf)
        if st == kern.EXACT:
            raise NeedExact
        return rho, (A, B, WP, sa, sb)

    def _price_ref(self, j: int, al: np.ndarray, be: np.ndarray, k: float
                   ) -> tuple[float, list[float], np.ndarray]:
        """(rho, cache row, ratios) of project j at k; rho inf when unaffordable.

        The NumPy version of the kernel (reference for ``tests/test_rules_engine.py``); the
        arithmetic is the plain one: sort the supporters by budget per weight, water-fill."""
        s = self.sup[j]
        a, b = al[s], be[s]
        cnt, c = self.cnt[j], self.c[j]
        sa, sb = float(a @ cnt), float(b @ cnt)
        avail = sa + sb * k
        row = [0.0, 0.0, 0.0, sa, sb]
        if abs(avail - c) <= TOL * c:
            raise NeedExact
        if avail < c:
            return INF, row, a  # (no ratios needed: never a winner)
        x = a + b * k
        ratio = x if self.unit[j] else x / self.w[j]
        W = self.W[j]
        q = c / W
        if ratio.min() >= q:
            return self.Winv[j], row, ratio
        cw = self.cw[j]
        # only supporters below an upper bound U of the water level can be poor: sort those
        # (a prefix of the full sorted order; U from sum min(x, U w) >= c, doubling)
        upper = 2.0 * q
        goal = c * (1 + 1e-9)
        while float(np.minimum(ratio, upper) @ cw) < goal:
            upper *= 2.0
        sub = (ratio < upper).nonzero()[0]
        n_sub = len(sub)
        order = sub[ratio[sub].argsort(kind="stable")]
        px = np.zeros(n_sub + 1)
        pw = np.zeros(n_sub + 1)
        np.cumsum(x[order] * cnt[order], out=px[1:])
        np.cumsum(cw[order], out=pw[1:])
        if n_sub < len(ratio):  # the first supporter beyond U is rich
            rs = np.empty(n_sub + 1)
            rs[:n_sub] = ratio[order]
            rs[n_sub] = INF
            qs = (c - px) / (W - pw)
        else:
            rs = ratio[order]
            qs = (c - px[:n_sub]) / (W - pw[:n_sub])
        i = int((qs <= rs).argmax())
        if i == 0:
            return self.Winv[j], row, ratio
        poor = order[:i]
        row[0] = float(a[poor] @ cnt[poor])
        row[1] = float(b[poor] @ cnt[poor])
        row[2] = float(pw[i])
        return float(qs[i]) / c, row, ratio

    def _weff(self, j: int, cache: np.ndarray) -> int:
        """W minus the weight of project ``j``'s poor supporters when those all have exactly
        nothing left (then rho = 1/weff exactly); 0 otherwise (:func:`mes_kernels.weff_of`)."""
        return int(kern.weff_of(j, cache, self.Wint_arr))

    # -- bounds -------------------------------------------------------------------------
    def _lower(self, cache: np.ndarray, k: float, idx: np.ndarray) -> np.ndarray:
        """Lower bounds of rho at k for projects ``idx`` from their cached functions (the NumPy
        reference of the compiled :func:`mes_kernels.lower` that runs use; tested equal)."""
        c, W = self.c[idx], self.W[idx]
        A, B, WP, Aa, Ba = cache[idx].T
        lb = 1.0 / W
        has = WP > 0
        qp = np.where(has, (c - A - B * k) / np.where(has, W - WP, 1.0) / c, 0.0)
        lb = np.maximum(lb, qp)
        afford = Aa + Ba * k >= c * (1 - TOL)
        return np.where(afford, lb, INF)

    def _danger(self, cache: np.ndarray, idx: np.ndarray, r0: float, r1: float, win: int,
                k: float, weff: int) -> float:
        """First real k' > k at which some rival in ``idx`` might beat the winner.

        A rival is dangerous on the intersection of half-lines ``t <= s k'`` (affordable:
        ``Aa + Ba k' >= c``; its everyone-rich bound ``1/W <= r0 + r1 k'``; its poor-set
        bound ``(c - A - B k') / ((W - W_P) c) <= r0 + r1 k'``), all evaluated as one
        stacked array. Runs use :meth:`_danger_batch`; this one-round form is its reference
        (``tests/test_rules_engine.py`` checks that both give the same floats)."""
        n = len(idx)
        if n == 0:
            return INF
        c, W = self.c[idx], self.W[idx]
        A, B, WP, Aa, Ba = cache[idx].T
        has = WP > 0
        D = np.where(has, (W - WP) * c, 1.0)
        dead = None
        if weff:  # winner's rho = 1/weff exactly: compare integral rivals with integers
            better = self.rank[idx] < self.rank[win]
            wi = self.Wint_arr[idx]
            dead = ~((wi > weff) | ((wi == weff) & better))
            integral = has & (A == 0.0) & (B == 0.0)
            we = wi - WP.astype(np.int64)
            dead |= integral & ~((we > weff) | ((we == weff) & better))
            has = has & ~integral
            T = np.empty((2, n))
            S = np.empty((2, n))
            M = np.ones((2, n), dtype=bool)
            T[0], S[0] = c - Aa, Ba
            T[1], S[1], M[1] = c - A - D * r0, B + D * r1, has
        else:
            T = np.empty((3, n))
            S = np.empty((3, n))
            M = np.ones((3, n), dtype=bool)
            T[0], S[0] = c - Aa, Ba
            T[1], S[1] = self.Winv[idx] - r0, r1
            T[2], S[2], M[2] = c - A - D * r0, B + D * r1, has
        with np.errstate(divide="ignore", invalid="ignore"):
            V = T / S
            lo = np.where(M & (S > 0), V, -INF).max(axis=0)
            hi = np.where(M & (S < 0), V, INF).min(axis=0)
            never = (M & (S == 0) & (T > 0)).any(axis=0)
            if dead is not None:
                never |= dead
            hi[never] = -INF
            np.maximum(lo, k, out=lo)
            ok = lo <= hi + TOL * np.maximum(1.0, np.abs(hi))
        if not ok.any():
            return INF
        return float(lo[ok].min())

    def _danger_batch(self, caches: np.ndarray, act: np.ndarray, r0: np.ndarray,
                      r1: np.ndarray, wins: np.ndarray, weffs: np.ndarray, k: float
                      ) -> np.ndarray:
        """:meth:`_danger` for many rounds at once (one row per round: the cache after that
        round's pricing, the projects active in it, the winner's affine rho and weff).

        The same elementwise formulas as :meth:`_danger`, in a compiled loop over rounds x
        projects (:func:`mes_kernels.danger`), so the results are the same floats; a run
        computes all its rounds' validities with this at its end (nothing during the run
        depends on them)."""
        return kern.danger(caches, act, r0, r1, wins, weffs, k, self.c, self.W, self.Winv,
                           self.rank, self.Wint_arr, TOL)  # type: ignore[no-any-return]

    def _certified(self, win: int, thr: float, rs: Snapshot, lb: np.ndarray,
                   cache: np.ndarray, active: np.ndarray, fresh: np.ndarray) -> bool:
        if win != rs.winner or thr == INF:
            return False
        for j in np.flatnonzero(active & (lb <= thr * (1 + TOL))).tolist():
            if j == win:
                continue
            # exact case: both rho = 1/weff; ties go to the better rank
            wj, ww = self._weff(j, cache), rs.weff
            if not (ww and fresh[j] and wj and lb[j] != INF):
                return False
            if wj > ww or (wj == ww and self.rank[j] < self.rank[win]):
                return False
        return True

    # -- the run ------------------------------------------------------------------------
    def start(self) -> Snapshot:
        al = np.full(self.nt, self.b0)
        be = np.ones(self.nt)
        cache = np.zeros((self.m, 5))
        for j in range(self.m):
            cache[j, 3] = self.b0 * self.cnt[j].sum()
            cache[j, 4] = self.cnt[j].sum()
        return Snapshot(al, be, cache, self.cand.copy())

    def budgets(self, snap: Snapshot) -> tuple[np.ndarray, np.ndarray]:
        """Fresh copies of the budgets (alpha, beta) before round ``snap``: stored, or its
        segment's start with the segment's payments replayed (:func:`mes_kernels.replay`:
        the same float operations as the payments, so the same floats)."""
        if snap.alpha is not None:
            assert snap.beta is not None
            return snap.alpha.copy(), snap.beta.copy()
        seg = snap.seg
        assert seg is not None
        al, be = seg.alpha.copy(), seg.beta.copy()
        for win, q0, q1, poor in seg.pays[:snap.pos]:
            kern.replay(win, al, be, q0, q1, poor, self.ptr, self.sup_f, self.w_f)
        return al, be

    def run(self, k: int, prev: ParamRun | None, certify: bool = False) -> ParamRun | None:
        """MES at ``b0 + k``; reuses the rounds of ``prev`` that are still valid at k.

        With ``certify`` (``k`` beyond ``prev.end``), returns None unless every k' in
        ``[prev.end, k]`` provably gives the same run as ``prev``: the same winners, and in
        every round each rival's rho at k exceeds the winner's rho at ``prev.end``
        (rho is nonincreasing in k for a fixed winner sequence, see module doc).

        The rounds themselves run in the compiled :func:`mes_kernels.advance`, which records
        each in a :class:`Block`; this loop turns the records into snapshots and does what
        is rare: ties between near-best projects, the end of the run, reuse of the old run's
        later rounds, and the validity ends of the new rounds (batched, at the end).
        """
        kf = float(k)
        rounds: list[Snapshot] = []
        order: list[int] = []
        state = None
        if prev is not None:
            for snap in prev.rounds:
                if snap.end < kf or snap.winner < 0:
                    state = snap
                    break
                rounds.append(snap)
                order.append(snap.winner)
        if state is None:
            state = self.start()
        # the old run's rounds: to certify against, to reuse, and whose facts hold while
        # this run has its winners
        pw, pwe, pnp, pfp, ct = self._none_i, self._none_i, self._none_i, self._none_i, self._none_f
        short, inherit = self._no_facts.copy(), False
        n_cert, n_old = -1, 0
        old: list[Snapshot] = []
        if prev is not None:
            pw, p0, p1, pwe, pnp, pfp = prev.arrays()
            if prev.short is not None:
                short, inherit = prev.short.copy(), True
            if certify:
                n_cert = len(pw)
                ct = np.where(pw < 0, INF, p0 + p1 * float(prev.end))
            else:
                old, n_old = prev.rounds, len(pw)
        reused = len(order)
        seg, al, be, cache, active, lb, fresh = self._resume(state, kf)
        block = self._block(active)
        row = 0
        pend_from = 0  # rows [pend_from, row) of ``block`` are new rounds of this run
        pending: list[tuple[Block, int, int, list[Snapshot]]] = []
        news: list[Snapshot] = []
        c_all = self.c
        tie = -1
        while True:
            why, nrow, n_old, inherit = kern.advance(
                active, lb, fresh, cache, al, be, kf, self.ptr, self.sup_f, self.w_f,
                self.cnt_f, self.cw_f, self.c, self.W, self.Winv, self.unit_a, TOL,
                self._ratio_buf, self._x_buf, self._part_buf, self._near_buf, self._poor_buf,
                self.overlap_m, self.rank, self.Wint_arr, pw, pwe, pnp, pfp, ct, n_cert,
                n_old, len(rounds), block.act, block.cache, block.win, block.q0, block.q1,
                block.end, block.weff, block.fp, block.pptr, block.poor, row, short, inherit,
                self.nvot, self.horizon, tie)
            tie = -1
            # the rounds recorded in rows [row, nrow)
            pays = seg.pays
            for i in range(row, nrow):
                win = int(block.win[i])
                q0, q1 = float(block.q0[i]), float(block.q1[i])
                sp = block.poor[block.pptr[i]:block.pptr[i + 1]]
                c = c_all[win]
                snap = Snapshot(None, None, block.cache[i], block.act[i], win, INF, q0 / c,
                                q1 / c, int(block.weff[i]), sp, seg, len(pays),
                                int(block.fp[i]))
                pays.append((win, q0, q1, sp))
                rounds.append(snap)
                news.append(snap)
                order.append(win)
            row = nrow
            if why == kern.EXACT:
                raise NeedExact
            if why in (kern.FAIL, kern.PAST):
                return None
            if why == kern.FULL:
                pending.append((block, pend_from, row, news))
                news = []
                block = self._block(active)
                row = pend_from = 0
                continue
            if why == kern.NONE:  # nothing affordable: valid until some rival becomes affordable
                if certify and ct[len(rounds)] != INF:
                    return None
                idx = np.flatnonzero(active)
                c, Aa, Ba = self.c[idx], cache[idx, 3], cache[idx, 4]
                with np.errstate(divide="ignore"):
                    reach = np.where(Ba > 0, (c - Aa) / Ba, INF)
                rounds.append(Snapshot(None, None, block.cache[row], block.act[row], seg=seg,
                                       pos=len(seg.pays), end=_below(float(reach.min(initial=INF)))))
                break
            if why == kern.TIE:  # several projects near the best: broken here, paid by advance
                near = self._near_buf[:self._n_near(lb, fresh, active)].tolist()
                weffs = {j: self._weff(j, cache) for j in near}
                if min(weffs.values()) == 0:
                    raise NeedExact
                tie = min(near, key=lambda j: (-weffs[j], self.rank[j]))
                if certify:
                    r = len(rounds)
                    rs = prev.rounds[r]  # type: ignore[union-attr]
                    if not self._certified(tie, float(ct[r]), rs, lb, cache, active, fresh):
                        return None
                continue
            if why == kern.REUSE:
                r = len(rounds) - 1
                if not np.array_equal(old[r].poor, rounds[r].poor):
                    n_old = 0  # a fingerprint collision: this run's state differs
                    continue
                # same rounds so far, same winner and poor set: the state after this round is
                # the old one, so the old later rounds hold wherever their validity covers k
                i = r + 1
                while old[i].winner >= 0 and old[i].end >= kf:
                    rounds.append(old[i])
                    order.append(old[i].winner)
                    i += 1
                reused += i - r - 1
                if old[i].winner < 0 and old[i].end >= kf:
                    rounds.append(old[i])
                    reused += 1
                    break
                pending.append((block, pend_from, row, news))
                news = []
                pend_from = row
                seg, al, be, cache, active, lb, fresh = self._resume(old[i], kf)
        pending.append((block, pend_from, row, news))
        for blk, a, b, snaps in pending:
            if a == b:
                continue
            wins = blk.win[a:b]
            cs = self.c[wins]
            ends = self._danger_batch(blk.cache[a:b], blk.act[a:b], blk.q0[a:b] / cs,
                                      blk.q1[a:b] / cs, wins, blk.weff[a:b], kf)
            for snap, e_poor, e in zip(snaps, blk.end[a:b].tolist(), ends.tolist(), strict=True):
                snap.end = _below(min(e_poor, e))
        end = min(r.end for r in rounds)
        return ParamRun(k, order, max(k, math.floor(min(end, 1e15))), rounds, reused, short)

    def _resume(self, state: Snapshot, kf: float) -> tuple[
            Segment, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """A run's state from snapshot ``state`` at ``kf``: a new segment starting at its
        budgets, working copies of the budgets, cache and active set, the lower bounds from
        the cache (:func:`mes_kernels.lower`) and nothing fresh."""
        if state.alpha is not None and state.beta is not None:
            seg = Segment(state.alpha, state.beta)  # stored budgets: never written to
        else:
            seg = Segment(*self.budgets(state))  # fresh arrays, this segment's own
        al, be = seg.alpha.copy(), seg.beta.copy()
        cache, active = state.resume_cache(), state.active.copy()
        lb = np.empty(self.m)
        kern.lower(cache, kf, active, self.c, self.W, TOL, lb)
        return seg, al, be, cache, active, lb, np.zeros(self.m, dtype=bool)

    def _block(self, active: np.ndarray) -> Block:
        """A block for the rounds still to come (at most one per active project, and one
        for the round that finds nothing affordable)."""
        return Block(min(int(active.sum()) + 1, self._rows), self.m, self._room)

    def _n_near(self, lb: np.ndarray, fresh: np.ndarray, active: np.ndarray) -> int:
        """Number of near-best projects :func:`mes_kernels.select` left in ``_near_buf``
        (its list ends where a project is no longer active, fresh and near)."""
        best = float(np.where(active & fresh, lb, INF).min())
        lim = best * (1 + TOL)
        return int((active & fresh & (lb <= lim)).sum())


def _below(x: float) -> float:
    """Shrink a validity end by the margin (so near-boundary k are evaluated)."""
    if x == INF:
        return INF
    return x - TOL * max(1.0, abs(x)) - 1e-9


def iterate(param: ParamMes, exact: Callable[[int], list[int]], k0: int,
            decide: Callable[[list[int]], str], max_k: int = 10**9
            ) -> tuple[list[int] | None, int, dict[str, int]]:
    """Walk k = k0, k0+1, ... and return (outcome, k, stats) at the first k where
    ``decide(order)`` says ``"stop"`` (this outcome) or ``"back"`` (the previous one; None if
    there is none). Equal outcomes on [k, end] are decided once."""
    stats = {"param_runs": 0, "exact_runs": 0, "rounds": 0, "certified": 0}
    k, prev_order, prev_run = k0, None, None
    jump = 1
    # certificates that fail cost a partial run each: after a failure wait ``cool`` stable
    # steps before trying again (doubling while they keep failing, reset on a success)
    cool, wait = 1, 0
    # how far a certificate reaches is limited by how close the runner-up is (the test
    # compares rho at the two ends): where one of ``2 J`` failed, keep to ``J`` (the cap)
    # and try twice as far again after ``PROBE_AFTER`` successes; a changed outcome lifts it
    cap, at_cap = UNCAPPED, 0
    while k <= max_k:
        try:
            run = None
            while prev_run is not None and jump > 1:  # try to certify [prev.end, prev.end+jump]
                run = param.run(prev_run.end + jump, prev_run, certify=True)
                stats["param_runs"] += 1
                if run is not None:
                    stats["certified"] += 1
                    stats["rounds"] += len(run.rounds) - run.reused
                    if jump * 2 <= cap:
                        jump *= 2
                    else:
                        at_cap += 1
                        if at_cap >= PROBE_AFTER:
                            cap, at_cap = 2 * cap, 0
                            jump = min(2 * jump, cap)
                    cool = 1
                    break
                # the outcome changes somewhere close, or the runner-up is close: halve
                cap, at_cap = max(jump // 2, 2), 0
                jump = jump // 2 if jump > 2 else 1
                if jump <= 1:
                    wait, cool = cool, min(2 * cool, 64)
            if run is None:
                run = param.run(k, prev_run)
                stats["param_runs"] += 1
                stats["rounds"] += len(run.rounds) - run.reused
                # gallop only over a stretch where the outcome did not change at the last step
                # (where it changes at nearly every k, certificates fail and only cost runs)
                stable = prev_run is not None and run.order == prev_run.order
                if not stable:
                    cap = UNCAPPED
                if stable and wait > 0:
                    wait -= 1
                    stable = False
                jump = 2 if stable else 1
            k = run.k
            order, end, prev_run = run.order, run.end, run
        except NeedExact:
            order, end, prev_run, jump = exact(k), k, None, 1
            stats["exact_runs"] += 1
        verdict = decide(order)
        if verdict == "stop":
            return order, k, stats
        if verdict == "back":
            return prev_order, k - 1, stats
        prev_order = order
        k = end + 1
    raise RuntimeError("iterated MES did not stop")

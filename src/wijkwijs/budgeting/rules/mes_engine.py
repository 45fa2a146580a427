"""A fast, exact Method of Equal Shares (MES) engine.

Semantics are those of pabutools 1.2.3 ``method_of_equal_shares`` with an additive
satisfaction ``u_ij = w_ij * c_j`` (``w`` = 1 for approval, points, or positional points):
every round the project with the smallest affordability ``rho`` is bought, where ``rho`` is
the least factor with ``sum_i min(b_i, rho * u_ij) >= c_j``; supporters pay
``min(b_i, rho * u_ij)``; ties go to ``tie_rank`` (pabutools: the project name).

How it stays exact while being fast:

* Voter budgets are kept as floats, but each voter also carries a *pattern* id, a node in a
  trie of payment histories. Voters with the same pattern have exactly the same budget, and
  the exact budget of a pattern (a ``Fraction``) is known. A voter who paid all that was left
  gets the ZERO pattern. The float budget of a voter is always the rounded exact value.
* Affordabilities are computed in float (vectorised) and lazily: budgets only decrease, so an
  old value is a lower bound, and a project is only recomputed when it shares voters with the
  last bought one and its bound could still win (as pabutools does).
* Every decision that could be close is redone exactly on the patterns: the winner's price,
  near ties (relative gap below ``TOL``), the affordability test near equality, and who
  becomes ZERO when paying.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from wijkwijs.budgeting.rules.voter_types import VoterTypes, _jit, collapse

try:  # gmpy2 (as pabutools uses) is ~10x faster than fractions; results are identical
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover
    Q = Fraction  # type: ignore[assignment,misc]

TOL = 1e-9
ZERO = 1  # pattern id of voters with no money left; 0 is the root (paid nothing yet)


@dataclass
class MesRound:
    project: int
    rho: Fraction  # affordability: price per unit of satisfaction
    q: Fraction  # payment per unit of (integer) weight for voters who could pay in full
    payments: list[tuple[Any, int]]  # (amount paid * scale, number of voters), largest first
    scale: int = 1  # amounts are exact rationals (scale 1) or integer numerators over scale

    def amounts(self) -> list[tuple[Fraction, int]]:
        """The payments as exact fractions."""
        return [(Fraction(int(a.numerator), int(a.denominator)) if self.scale == 1
                 else Fraction(a, self.scale), n) for a, n in self.payments]


@dataclass
class MesRun:
    budget_per_voter: Fraction
    rounds: list[MesRound] = field(default_factory=list)
    unaffordable: dict[int, int] = field(default_factory=dict)  # project -> round it dropped

    @property
    def order(self) -> list[int]:
        return [r.project for r in self.rounds]


class MesEngine:
    """Runs MES on fixed costs and supporters for any per-voter budget."""

    def __init__(
        self,
        n_voters: int,
        costs: list[Fraction],
        supporters: list[np.ndarray],
        weights: list[np.ndarray],
        candidates: list[int],
        tie_rank: list[int],
        types: VoterTypes | None = None,
    ) -> None:
        self.n = n_voters
        # voter types: voters with identical ballots (same budgets always)
        self.types = types if types is not None else collapse(n_voters, supporters, weights)
        supporters, weights = self.types.sup, self.types.w
        self.nt = self.types.nt
        self.mult = self.types.cnt
        self.costs = [Q(c.numerator, c.denominator) for c in costs]
        self.fcost = [float(c) for c in costs]
        self.sup = supporters
        self.w = weights
        # per-project sums and extremes in one pass over the concatenated lists
        m = len(supporters)
        bounds = np.zeros(m + 1, dtype=np.int64)
        np.cumsum([len(x) for x in supporters], out=bounds[1:])
        empty = np.zeros(0, dtype=np.int64)
        w_all = np.concatenate([*weights, empty]).astype(np.int64, copy=False)
        m_all = np.concatenate([*self.mult, empty]).astype(np.int64, copy=False)
        wf_all, mf_all = w_all.astype(np.float64), m_all.astype(np.float64)
        b = bounds.tolist()
        self.multf = [mf_all[b[j]:b[j + 1]] for j in range(m)]
        self.wf = [wf_all[b[j]:b[j + 1]] for j in range(m)]
        full = np.diff(bounds) > 0
        starts = bounds[:-1][full]
        wmin, wmax, wtot, ncount = (np.zeros(m, dtype=np.int64) for _ in range(4))
        if len(starts):
            wmin[full] = np.minimum.reduceat(w_all, starts)
            wmax[full] = np.maximum.reduceat(w_all, starts)
            wtot[full] = np.add.reduceat(w_all * m_all, starts)
            ncount[full] = np.add.reduceat(m_all, starts)
        self.unit = [not f or (lo == 1 and hi == 1)
                     for f, lo, hi in zip(full.tolist(), wmin.tolist(), wmax.tolist(), strict=True)]
        self.wtot = wtot.tolist()
        self.ncount = ncount.tolist()  # voters (not types) per project
        self.wmax = max([int(x) for x in wmax[full]] + [1]) + 1
        self.wmax_j = wmax.tolist()
        self.candidates = [j for j in candidates if self.costs[j] > 0 and self.wtot[j] > 0]
        self.tie_rank = tie_rank
        self._member: np.ndarray | None = None
        self._flat: Any = None
        self._overlap: dict[int, np.ndarray] = {}

    # -- helpers -----------------------------------------------------------------------
    def flat(self) -> Any:
        """Flat (CSR) float arrays for the compiled price kernel (built once)."""
        if self._flat is None:
            from wijkwijs.budgeting.rules import mes_kernels

            arr = mes_kernels.price_arrays(self.sup, self.w, self.mult, np.array(self.fcost, dtype=np.float64))
            arr.price, arr.zeros = mes_kernels.price, np.zeros(self.nt)
            self._flat = arr
        return self._flat

    def overlap(self, j: int) -> np.ndarray:
        """Boolean mask of projects sharing at least one supporter with ``j``: the OR of
        its supporter types' project bitsets (one row of 64-bit words per type)."""
        row = self._overlap.get(j)
        if row is None:
            if self._member is None:
                f = self.flat()
                cand = np.zeros(len(self.costs), dtype=np.bool_)
                cand[self.candidates] = True
                self._member = _type_bits(self.nt, f.ptr, f.sup, cand)
            row = _bits_or(self._member, self.sup[j], len(self.costs))
            self._overlap[j] = row
        return row

    def _float_rho(self, j: int, fb: np.ndarray) -> tuple[float, float]:
        """(available money, float affordability) of project ``j``; rho is inf if unaffordable."""
        b = fb[self.sup[j]]
        m = self.multf[j]
        avail = float(b @ m)
        c = self.fcost[j]
        if avail < c * (1 - TOL):
            return avail, np.inf
        if self.unit[j]:
            q0 = c / self.wtot[j]
            if b.min() >= q0:
                return avail, q0 / c
            order = np.argsort(b, kind="stable")
            bs, ms = b[order], m[order]
            prefix = np.concatenate(([0.0], np.cumsum(bs * ms)[:-1]))
            prefm = np.concatenate(([0.0], np.cumsum(ms)[:-1]))
            q = (c - prefix) / (self.wtot[j] - prefm)
            ok = q <= bs * (1 + 1e-12)
        else:
            w = self.wf[j]
            q0 = c / self.wtot[j]
            if np.all(b >= q0 * w):
                return avail, q0 / c
            order = np.argsort(b / w, kind="stable")
            bs, ws, ms = b[order], w[order], m[order]
            prefix = np.concatenate(([0.0], np.cumsum(bs * ms)[:-1]))
            prefw = np.concatenate(([0.0], np.cumsum(ws * ms)[:-1]))
            q = (c - prefix) / (self.wtot[j] - prefw)
            ok = q * ws <= bs * (1 + 1e-12)
        k = int(np.argmax(ok)) if ok.any() else len(ok) - 1
        return avail, float(q[k]) / c

    def _groups(
        self, j: int, pat: np.ndarray, node_budget: list[Fraction]
    ) -> tuple[np.ndarray, list[tuple[Fraction, int, int, int, int]]]:
        """Supporters of ``j`` grouped by (pattern, weight): inverse map and groups."""
        p = pat[self.sup[j]]
        key = p * self.wmax + self.w[j] if not self.unit[j] else p
        uniq, inverse = np.unique(key, return_inverse=True)
        counts = np.bincount(inverse.ravel(), weights=self.multf[j]).astype(np.int64)
        groups = []
        for g, k in enumerate(uniq.tolist()):
            node, w = (k // self.wmax, k % self.wmax) if not self.unit[j] else (k, 1)
            groups.append((node_budget[node], w, int(counts[g]), g, node))
        return inverse, groups

    def _exact_available(self, j: int, pat: np.ndarray, node_budget: list[Fraction]) -> Fraction:
        p = pat[self.sup[j]]
        uniq, inverse = np.unique(p, return_inverse=True)
        counts = np.bincount(inverse.ravel(), weights=self.multf[j]).astype(np.int64)
        return sum(
            (node_budget[k] * int(c) for k, c in zip(uniq.tolist(), counts, strict=True)),
            Q(0),
        )

    def _exact_q(
        self, j: int, groups: list[tuple[Fraction, int, int, int, int]]
    ) -> Fraction | None:
        """pabutools' affordability loop on groups; returns q (payment per weight unit)."""
        if len(groups) > 16:
            q = self._fast_q(j, groups)
            if q is not None:
                return q
        c = self.costs[j]
        contrib = Q(0)
        denom = self.wtot[j]
        def ratio(g: tuple[Fraction, int, int, int, int]) -> Fraction:
            return g[0] if g[1] == 1 else g[0] / g[1]

        for budget, w, count, _, _ in sorted(groups, key=ratio):
            q = (c - contrib) / denom
            if q * w <= budget:
                return q
            contrib += budget * count
            denom -= w * count
        return None

    def _fast_q(
        self, j: int, groups: list[tuple[Fraction, int, int, int, int]]
    ) -> Fraction | None:
        """The same loop with the groups sorted by float ratio (no exact sort), accepted only
        when it provably gives the water level: the poor groups it found lie clearly below the
        resulting q and all others clearly above (then ``q`` is the unique solution of
        ``sum min(b, q w) = c``, which is what the exact loop returns). None: undecided."""
        fr = np.fromiter((float(g[0]) for g in groups), dtype=np.float64, count=len(groups))
        if not self.unit[j]:
            fr /= np.fromiter((g[1] for g in groups), dtype=np.float64, count=len(groups))
        order = np.argsort(fr, kind="stable")
        c = self.costs[j]
        contrib = Q(0)
        denom = self.wtot[j]
        for pos, i in enumerate(order.tolist()):
            budget, w, count = groups[i][0], groups[i][1], groups[i][2]
            q = (c - contrib) / denom
            if q * w <= budget:
                qf = float(q)
                below = pos == 0 or fr[order[pos - 1]] < qf * (1 - 1e-9)
                return q if below and fr[i] > qf * (1 + 1e-9) else None
            contrib += budget * count
            denom -= w * count
        return None

    # -- the rule ----------------------------------------------------------------------
    def run(self, budget_per_voter: Fraction) -> MesRun:
        """One MES run: the float engine with exact certificates (:mod:`mes_float`)."""
        from wijkwijs.budgeting.rules.mes_float import FloatMes

        b0 = Q(budget_per_voter.numerator, budget_per_voter.denominator)
        return FloatMes(self, b0).run()

    def run_exact(self, budget_per_voter: Fraction) -> MesRun:
        """One MES run on exact pattern budgets: the reference the float engine is tested
        against (``tests/test_rules_float.py``)."""
        b0 = Q(budget_per_voter.numerator, budget_per_voter.denominator)
        result = MesRun(b0)
        fb = np.full(self.nt, float(b0))
        pat = np.zeros(self.nt, dtype=np.int64)
        node_budget: list[Fraction] = [b0, Q(0)]
        active = set(self.candidates)
        lb = {j: 1.0 / self.wtot[j] for j in active}  # rho with everybody rich: a lower bound
        dirty = dict.fromkeys(active, True)
        for j in active:  # equal budgets: rho = 1/W exactly when everyone can pay q*w
            if b0 * self.wtot[j] >= self.costs[j] * self.wmax_j[j]:
                dirty[j] = False
        rnd = 0
        while active:
            best = np.inf
            computed: list[int] = []
            for j in sorted(active, key=lambda k: lb[k]):
                if lb[j] > best * (1 + TOL):
                    break
                if dirty[j]:
                    avail, rho = self._float_rho(j, fb)
                    c = self.fcost[j]
                    if abs(avail - c) <= c * TOL:  # too close to call in float
                        if self._exact_available(j, pat, node_budget) < self.costs[j]:
                            rho = np.inf
                        else:
                            _, groups = self._groups(j, pat, node_budget)
                            q = self._exact_q(j, groups)
                            assert q is not None
                            rho = float(q / self.costs[j])
                    if rho == np.inf:
                        active.discard(j)
                        result.unaffordable[j] = rnd
                        continue
                    lb[j] = rho
                    dirty[j] = False
                computed.append(j)
                best = min(best, lb[j])
            if not computed:
                break
            near = [j for j in computed if lb[j] <= best * (1 + TOL)]
            exact: dict[int, tuple[Fraction, Fraction, np.ndarray, list]] = {}
            for j in near:
                inverse, groups = self._groups(j, pat, node_budget)
                q = self._exact_q(j, groups)
                if q is None:  # cannot happen for an affordable project
                    raise AssertionError("affordable project without a price")
                exact[j] = (q / self.costs[j], q, inverse, groups)
            win = min(exact, key=lambda j: (exact[j][0], self.tie_rank[j]))
            rho, q, inverse, groups = exact[win]
            # pay: min(budget, q * w) per voter, exactly per group
            n_groups = len(groups)
            new_node = [ZERO] * n_groups
            new_float = [0.0] * n_groups
            prices: dict[int, Fraction] = {}
            rich_paid: dict[int, int] = {}  # weight -> voters paying q * weight
            poor_paid: dict[int, int] = {}  # pattern -> voters paying all they have
            for budget, w, count, g, node in groups:
                price = prices.get(w)
                if price is None:
                    price = prices[w] = q * w
                poor = budget <= price
                if poor:
                    poor_paid[node] = poor_paid.get(node, 0) + count
                else:
                    rest = budget - price
                    new_node[g] = len(node_budget)
                    node_budget.append(rest)
                    new_float[g] = float(rest)
                    rich_paid[w] = rich_paid.get(w, 0) + count
            payments: dict[Fraction, int] = {}
            for w, count in rich_paid.items():
                if prices[w] > 0:
                    payments[prices[w]] = payments.get(prices[w], 0) + count
            for node, count in poor_paid.items():
                if node_budget[node] > 0:
                    payments[node_budget[node]] = payments.get(node_budget[node], 0) + count
            voters = self.sup[win]
            pat[voters] = np.array(new_node, dtype=np.int64)[inverse]
            fb[voters] = np.array(new_float, dtype=np.float64)[inverse]
            result.rounds.append(
                MesRound(win, rho, q, sorted(payments.items(), key=lambda x: -x[0]))
            )
            active.discard(win)
            for j in np.flatnonzero(self.overlap(win)).tolist():
                if j in active:
                    dirty[j] = True
            rnd += 1
        return result



@_jit
def _type_bits(nt: int, ptr: np.ndarray, sup: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Per voter type the bitset (``ceil(m / 64)`` words) of the candidate projects it
    supports (projects in CSR ``ptr`` / ``sup``)."""
    m = len(ptr) - 1
    bits = np.zeros((nt, (m + 63) // 64), dtype=np.uint64)
    for k in range(m):
        if cand[k]:
            word = k >> 6
            bit = np.uint64(1) << np.uint64(k & 63)
            for i in range(ptr[k], ptr[k + 1]):
                bits[sup[i], word] |= bit
    return bits


@_jit
def _bits_or(bits: np.ndarray, types: np.ndarray, m: int) -> np.ndarray:
    """The projects (boolean mask) in the union of ``types``' bitsets."""
    nw = bits.shape[1]
    acc = np.zeros(nw, dtype=np.uint64)
    for t in types:
        for x in range(nw):
            acc[x] |= bits[t, x]
    out = np.zeros(m, dtype=np.bool_)
    for k in range(m):
        out[k] = (acc[k >> 6] >> np.uint64(k & 63)) & np.uint64(1) != 0
    return out

"""Plain MES in floats, every decision certified exact (the fast path of ``MesEngine.run``).

The exact engine (:mod:`mes_engine`) keeps an exact budget per (pattern, weight) group and
pays every group exactly each round; on ballots where almost every voter ends with her own
payment history (Amsterdam 252: 26,000 groups in 32 rounds) that per-group rational
arithmetic is the whole cost. This engine keeps float budgets only and derives exact values
where a decision or an explanation needs them:

* **Exact budgets on demand.** A type's exact budget is ``b0 - sum q_r w`` over the rounds
  ``r`` in which it paid ``q_r w`` (``q_r`` is known exactly every round, see below), or 0 once
  it paid all it had. Types with the same history share a *pattern* (a trie node: parent,
  round, weight), created vectorised for the winner's rich payers; the exact budget of a
  pattern is computed lazily and memoised (one rational product and difference per node).
  Only poor payers (whose payment is their whole budget: needed for the explanation and for
  the price), close calls and near-equal money need them; each type becomes poor once.
* **Exact price from a float poor set.** The water level is found in floats (the pabutools
  loop over supporters sorted by ``b / w``); its poor set ``P`` gives the exact
  ``q = (c - sum_P b) / (W - W_P)`` with exact budgets. ``q`` is accepted only after checking
  ``b_i <= q w_i`` for every ``i`` in ``P`` and ``b_i >= q w_i`` for every other supporter
  (then ``sum min(b_i, q w_i) = c``: ``q`` is the unique water level, i.e. what pabutools'
  exact loop returns). The check is done in floats against the exact ``q`` with an absolute
  margin covering the float budget error; the few supporters within the margin are checked
  exactly; if any check fails the price is computed by the exact loop over pattern groups.
* **Float decisions with margins absolute in ``B/n``.** Float budgets are ``b0`` minus
  accumulated payments ``fl(q_r) w``, so their error does not shrink with the budget: after
  ``R`` rounds ``|fb - b| <= (1 + 3.01 R) u b0`` (``u = 2**-53``: the rounding of ``b0``, and
  per round the rounding of ``fl(q_r)``, of the product and of the difference, each at most
  ``u`` times a value ``<= b0``; poor types are set to exactly 0). A *relative* margin on a
  small remaining budget would not cover that. The margin used is ``K b0`` with
  ``K = 1e-9`` (valid for ``R <= 3 * 10**5`` rounds with a factor 10 to spare). Money:
  ``|sum cnt fb - sum cnt b| <= N (K/10 + n u) b0`` for ``N`` voters in ``n`` types, so
  ``|money - c| <= K (N b0 + c)`` is a close call (decided exactly). Affordability: when the
  money clearly exceeds ``c``, the float water level ``q_f`` is within ``N delta`` plus
  rounding of the exact one (the water-level function is concave with integer slope >= 1
  around both, and moves by at most ``N delta`` when budgets move by ``delta``), so
  ``rho_f - K (N b0 + c) / c`` is a lower bound of the exact ``rho`` and ``rho_f + ...`` an
  upper bound. Every project whose bounds overlap the best one's is priced exactly, and the
  winner (exact ``rho``, ties by ``tie_rank``) is chosen on exact values.

Outcomes, ``q``, ``rho`` and payments are those of the exact engine (tested on every shared
instance and against pabutools). Projects are checked lazily in the same order (stale values
are lower bounds); the round at which a project is reported unaffordable is the round in
which its check ran, as in the exact engine.
"""

from __future__ import annotations

import math
import operator
from typing import TYPE_CHECKING, Any

import numpy as np

from wijkwijs.budgeting.rules.mes_engine import TOL, MesRound, MesRun, Q
from wijkwijs.budgeting.rules.mes_pay import pay_rich

if TYPE_CHECKING:
    from wijkwijs.budgeting.rules.mes_engine import MesEngine

K = 1e-9  # margin factor, absolute in b0 (see the module docstring)
U4 = 4 * 2.0**-53
MAX_ROUNDS = 300_000
MAX_TYPES = 5_000_000
ZERO = 1  # pattern of types with no money left; 0 = root (paid nothing yet)

STATS = {"exact_full": 0, "close_types": 0, "close_money": 0}  # counters for the tests


class FloatMes:
    """One plain-MES run at per-voter budget ``b0`` on ``engine``'s projects and types."""

    def __init__(self, engine: MesEngine, b0: Any) -> None:
        self.e = engine
        self.b0 = b0
        self.b0f = float(b0)
        nt = engine.nt
        self.fb = np.full(nt, self.b0f)
        self.pat = np.zeros(nt, dtype=np.int64)
        # pattern trie: parent, weight, round of the payment that created it
        self.par: list[int] = [0, 0]
        self.pw: list[int] = [0, 0]
        self.pr: list[int] = [0, 0]
        # exact budgets as integer numerators over the common denominator ``L`` of b0 and
        # every q so far (epoch ``E`` = how often L grew); a memo entry is rescaled on read
        self.L = int(b0.denominator)
        self.Ls = [self.L]
        self.E = 0
        # pattern budgets are computed when the pattern is created, vectorised over NumPy
        # object arrays of Python integers: numerator over Ls[pep[p]]; read as
        # pnum * fac[pep] (fac[e] = L // Ls[e] for the current L)
        self.pnum = np.empty(1024, dtype=object)
        self.pep = np.zeros(1024, dtype=np.int64)
        self.pnum[0], self.pnum[1] = int(b0.numerator), 0
        self.fac = np.array([1], dtype=object)
        self.qn: list[int] = []  # numerator of q_r over Ls[qep[r]]
        self.qep: list[int] = []
        self.qs: list[Any] = []  # exact q per round
        self.flat = engine.flat()

    # -- exact budgets (integer numerators over L) ---------------------------------------
    def num(self, p: int) -> int:
        """Exact budget of pattern ``p`` times ``L`` (an integer)."""
        return int(self.pnum[p] * self.fac[self.pep[p]])

    def nums(self, nodes: np.ndarray) -> np.ndarray:
        """The same for an array of patterns (object array of Python integers)."""
        return self.pnum[nodes] * self.fac[self.pep[nodes]]

    def _add_q(self, q: Any) -> int:
        """Record the exact ``q`` of a new round; returns the factor by which L grew."""
        d = int(q.denominator)
        new = self.L * d // math.gcd(self.L, d)
        f = new // self.L
        if f != 1:
            self.L = new
            self.Ls.append(new)
            self.E += 1
            self.fac = np.array([new // x for x in self.Ls], dtype=object)
        self.qs.append(q)
        self.qn.append(int(q.numerator) * (new // d))
        self.qep.append(self.E)
        return f

    def _pattern_sum(self, types: np.ndarray, cnt: np.ndarray) -> tuple[int, list[tuple[int, int]]]:
        """Exact sum of ``cnt * budget * L`` over ``types``, and the (budget * L, voters) of
        their patterns with money left."""
        if len(types) == 0:
            return 0, []
        p = self.pat[types]
        if len(p) > 64:  # voters per pattern by one bincount over all patterns
            per = np.bincount(p, weights=cnt, minlength=ZERO + 1)
            per[ZERO] = 0
            nodes = np.flatnonzero(per)
            counts = per[nodes].astype(np.int64).tolist()
        else:
            uq, inv = np.unique(p, return_inverse=True)
            keep = uq != ZERO
            nodes = uq[keep]
            counts = np.bincount(inv.ravel(), weights=cnt).astype(np.int64)[keep].tolist()
        vals = self.nums(nodes).tolist()
        return sum(map(operator.mul, vals, counts)), list(zip(vals, counts, strict=True))

    # -- prices --------------------------------------------------------------------------
    def money_margin(self, j: int) -> float:
        return K * (self.e.ncount[j] * self.b0f + self.e.fcost[j])

    def float_price(self, j: int) -> tuple[float, float, int]:
        """(money, rho, status) in floats: status 0 ok, 1 unaffordable, 2 close call.

        The water level is :func:`mes_kernels.price` at ``k = 0`` (float budgets as
        ``alpha``, ``beta = 0``) with the kernel's own relative margin switched off: the
        margins here are absolute in ``b0`` (module docstring)."""
        e = self.e
        f = self.flat
        _, rho, _, _, _, avail, _ = f.price(
            j, self.fb, f.zeros, 0.0, f.ptr, f.sup, f.w, f.cnt, f.cw, f.c, f.W, f.Winv,
            f.unit, 0.0, f.ratio, f.xs, f.part)
        c = e.fcost[j]
        mm = self.money_margin(j)
        if avail < c - mm:
            return avail, np.inf, 1
        if avail <= c + mm:
            return avail, np.inf, 2
        return avail, rho, 0

    def exact_price(self, j: int, rho_f: float | None = None) -> tuple[Any, np.ndarray, Any]:
        """Exact ``q`` of project ``j``, the mask (over its supporters) of those paying all
        they have (``b <= q w``) and their pattern groups (None: not known). The project
        must be affordable; ``rho_f`` is its current float ``rho`` when known."""
        e = self.e
        if rho_f is None:
            _, rho_f, status = self.float_price(j)
            if status != 0:
                STATS["exact_full"] += 1
                return self._exact_loop(j)
        b = self.fb[e.sup[j]]
        ratio = b if e.unit[j] else b / e.wf[j]
        res = self._certify(j, ratio < rho_f * e.fcost[j])
        if res is None:
            STATS["exact_full"] += 1
            return self._exact_loop(j)
        return res

    def _certify(self, j: int, poor_f: np.ndarray) -> tuple[Any, np.ndarray, Any] | None:
        e = self.e
        sup = e.sup[j]
        wi = e.w[j]
        cnt = e.mult[j]
        denom = e.wtot[j] - int((wi[poor_f] * cnt[poor_f]).sum())
        if denom <= 0:
            return None
        spent, found = self._pattern_sum(sup[poor_f], e.multf[j][poor_f])
        groups: list[list[int]] | None = found
        c = e.costs[j]
        cn, cd = int(c.numerator), int(c.denominator)
        q = Q(cn * self.L - spent * cd, cd * self.L * denom)
        if q <= 0:
            return None
        qx = float(q)
        pay = qx * e.wf[j]
        b = self.fb[sup]
        margin = K * self.b0f + U4 * pay
        close = np.abs(b - pay) <= margin
        # float-certain: poor well below, rich well above
        bad = (poor_f & (b > pay) & ~close) | (~poor_f & (b < pay) & ~close)
        if bad.any():
            return None
        poor = poor_f
        if close.any():
            poor = poor_f.copy()
            idx = np.flatnonzero(close)
            STATS["close_types"] += len(idx)
            pats = self.pat[sup[idx]].tolist()
            qn, qd, L = int(q.numerator), int(q.denominator), self.L
            for i, p, w in zip(idx.tolist(), pats, wi[idx].tolist(), strict=True):
                exact_b = 0 if p == ZERO else self.num(p) * qd  # budget * L * qd
                price = qn * w * L
                if poor_f[i] and exact_b > price:
                    return None
                if not poor_f[i]:
                    if exact_b < price:
                        return None
                    if exact_b == price:
                        poor[i] = True  # pays exactly all she has: no money left
                        groups = None
        return q, poor, groups

    def _exact_loop(self, j: int) -> tuple[Any, np.ndarray, Any]:
        """pabutools' exact affordability loop over (pattern, weight) groups."""
        e = self.e
        sup = e.sup[j]
        p = self.pat[sup]
        key = p * e.wmax + e.w[j]
        uniq, inv = np.unique(key, return_inverse=True)
        inv = inv.ravel()
        counts = np.bincount(inv, weights=e.multf[j]).astype(np.int64).tolist()
        groups = []
        for g, k in enumerate(uniq.tolist()):
            node, w = divmod(k, e.wmax)
            bud = Q(0) if node == ZERO else Q(self.num(node), self.L)
            groups.append((bud / w, bud, w, counts[g], g))
        groups.sort(key=lambda x: x[0])
        contrib = Q(0)
        denom = e.wtot[j]
        q = None
        for _, bud, w, count, _ in groups:
            q = (e.costs[j] - contrib) / denom
            if q * w <= bud:
                break
            contrib += bud * count
            denom -= w * count
        else:  # pragma: no cover - affordable projects always have a price
            raise AssertionError("affordable project without a price")
        assert q is not None
        poor_g = np.array([g[1] <= q * g[2] for g in sorted(groups, key=lambda x: x[4])])
        return q, poor_g[inv], None

    def exact_money(self, j: int) -> Any:
        return Q(self._pattern_sum(self.e.sup[j], self.e.multf[j])[0], self.L)

    # -- paying --------------------------------------------------------------------------
    def pay(self, j: int, q: Any, poor: np.ndarray, groups: Any
            ) -> tuple[list[tuple[int, int]], int]:
        """Winner ``j`` pays ``q w`` per type, poor types all they have. Returns the
        payments (amount * L, voters), largest first, and that ``L``."""
        e = self.e
        sup = e.sup[j]
        rnd = len(self.qs)
        pt = sup[poor]
        if len(pt) and groups is None:
            groups = self._pattern_sum(pt, e.multf[j][poor])[1]
        f = self._add_q(q)
        payments: dict[int, int] = {}
        if len(pt):
            for amount, k in groups:
                if amount > 0:
                    amount *= f
                    payments[amount] = payments.get(amount, 0) + k
            self.fb[pt] = 0.0
            self.pat[pt] = ZERO
        rich = ~poor
        if len(pt) < len(sup):
            wr = e.w[j][rich]
            base = len(self.par)
            # fb -= q w and new patterns (distinct keys, ascending, from base): compiled
            uniq = pay_rich(sup, poor, e.w[j], e.unit[j], e.wmax, float(q), self.fb, self.pat, base)
            if e.unit[j]:
                parents = uniq.tolist()
                weights = [1] * len(parents)
            else:
                parents = (uniq // e.wmax).tolist()
                weights = (uniq % e.wmax).tolist()
            n_new = len(parents)
            self.par.extend(parents)
            self.pw.extend(weights)
            self.pr.extend([rnd] * n_new)
            end = base + n_new
            if end > len(self.pnum):
                size = max(2 * len(self.pnum), end)
                self.pnum = np.concatenate([self.pnum, np.empty(size - len(self.pnum), object)])
                self.pep = np.concatenate([self.pep, np.zeros(size - len(self.pep), np.int64)])
            par_a = np.asarray(parents, dtype=np.int64)
            paid = self.qn[rnd] if e.unit[j] else np.asarray(weights, dtype=object) * self.qn[rnd]
            self.pnum[base:end] = self.nums(par_a) - paid
            self.pep[base:end] = self.E
            byw = np.bincount(wr, weights=e.multf[j][rich])
            qn = self.qn[rnd]
            for w in np.flatnonzero(byw).tolist():
                amount = qn * w
                if amount > 0:
                    payments[amount] = payments.get(amount, 0) + int(byw[w])
        # amounts are distinct (dict keys): sorting the pairs, descending, orders by amount
        return sorted(payments.items(), reverse=True), self.L

    # -- the rule ------------------------------------------------------------------------
    def _ensure(self, j: int) -> bool:
        """Price ``j`` at the current budgets unless already done (``fresh``); False when
        it is unaffordable (then for good: budgets only fall)."""
        if self.fresh[j]:
            return self.lo[j] < np.inf
        e = self.e
        self.fresh[j] = True
        self.exact.pop(j, None)
        _, rho, status = self.float_price(j)
        if status == 2:
            STATS["close_money"] += 1
            if self.exact_money(j) < e.costs[j]:
                status = 1
            else:
                q, _, _ = self.exact_price(j)
                self._set_exact(j, q / e.costs[j])
                return True
        if status == 1:
            self.lo[j] = self.hi[j] = np.inf
            return False
        mr = self.money_margin(j) / e.fcost[j] + U4 * rho
        self.lo[j], self.hi[j], self.fl[j] = rho - mr, rho + mr, rho
        return True

    def _set_exact(self, j: int, rho: Any) -> None:
        self.exact[j] = rho
        rf = float(rho)
        self.lo[j], self.hi[j], self.fl[j] = rf * (1 - U4), rf * (1 + U4), rf

    def run(self) -> MesRun:
        """The rounds. Pass A is the exact engine's lazy loop on float values (the same
        projects are checked, and dropped when unaffordable, in the same rounds); pass B
        adds every project whose certified bounds could still beat the best (priced, never
        dropped there); the winner is chosen on exact prices."""
        e = self.e
        b0 = self.b0
        result = MesRun(b0)
        active = set(e.candidates)
        self.fl: dict[int, float] = {}  # float rho (valid while fresh)
        self.lo: dict[int, float] = {}  # certified lower bound of the exact rho (for good)
        self.hi: dict[int, float] = {}  # certified upper bound (while fresh)
        self.exact: dict[int, Any] = {}  # exact rho (while fresh)
        self.fresh: dict[int, bool] = {}
        lbf: dict[int, float] = {}  # the exact engine's float lower bounds
        dirty: dict[int, bool] = {}  # the exact engine's "recompute" flags
        for j in active:
            lbf[j] = 1.0 / e.wtot[j]
            self.lo[j] = lbf[j] * (1 - U4)
            self.fresh[j] = False
            dirty[j] = True
            if b0 * e.wtot[j] >= e.costs[j] * e.wmax_j[j]:  # everyone pays q w: rho = 1/W
                self._set_exact(j, Q(1, e.wtot[j]))
                self.fresh[j] = True
                dirty[j] = False
        lo, hi = self.lo, self.hi
        rnd = 0
        while active:
            if rnd >= MAX_ROUNDS:  # pragma: no cover - far beyond any real instance
                raise OverflowError("too many rounds for the float margins")
            bestf = np.inf
            computed: list[int] = []
            for j in sorted(active, key=lambda k: lbf[k]):  # pass A
                if lbf[j] > bestf * (1 + TOL):
                    break
                if dirty[j]:
                    if not self._ensure(j):
                        active.discard(j)
                        result.unaffordable[j] = rnd
                        continue
                    lbf[j] = self.fl[j]
                    dirty[j] = False
                computed.append(j)
                bestf = min(bestf, lbf[j])
            if not computed:
                break
            best = min(hi[j] for j in computed)
            cands = set(computed)
            grown = True
            while grown:  # pass B
                grown = False
                for j in sorted(active - cands, key=lambda k: lo[k]):
                    if lo[j] > best:
                        break
                    if self._ensure(j):
                        cands.add(j)
                        best = min(best, hi[j])
                        grown = True
            near = [j for j in cands if lo[j] <= best]
            prices: dict[int, tuple[Any, Any]] = {}
            for j in near:
                if len(near) > 1 and j in self.exact:
                    prices[j] = (self.exact[j], None)
                else:
                    res = self.exact_price(j, self.fl.get(j))
                    prices[j] = (res[0] / e.costs[j], res)
                    self._set_exact(j, prices[j][0])
            win = min(prices, key=lambda k: (prices[k][0], e.tie_rank[k]))
            rho, res = prices[win]
            if res is None:
                res = self.exact_price(win, self.fl.get(win))
            q, poor, groups = res
            payments, scale = self.pay(win, q, poor, groups)
            result.rounds.append(MesRound(win, rho, q, payments, scale=scale))
            active.discard(win)
            for k in np.flatnonzero(e.overlap(win)).tolist():
                if k in active:
                    dirty[k] = True
                    if lo[k] < np.inf:
                        self.fresh[k] = False
            rnd += 1
        return result

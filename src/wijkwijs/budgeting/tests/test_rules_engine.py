"""Internals of the fast engine: voter-type collapse and the float-ordered price loop."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wijkwijs.budgeting.rules import voter_types
from wijkwijs.budgeting.rules.mes_engine import MesEngine
from wijkwijs.budgeting.rules.voter_types import collapse

ballots = st.lists(
    st.dictionaries(st.integers(0, 4), st.integers(1, 3), max_size=5), min_size=1, max_size=30
)


def _split(votes: list[dict[int, int]], m: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    sup = [np.array([v for v, b in enumerate(votes) if j in b], dtype=np.int64) for j in range(m)]
    wts = [np.array([b[j] for b in votes if j in b], dtype=np.int64) for j in range(m)]
    return sup, wts


@settings(max_examples=80, deadline=None)
@given(ballots)
def test_collapse_is_exact(votes: list[dict[int, int]]) -> None:
    m = 5
    sup, wts = _split(votes, m)
    vt = collapse(len(votes), sup, wts)
    distinct = {tuple(sorted(b.items())) for b in votes}
    assert vt.nt == len(distinct)
    assert int(vt.mult.sum()) == len(votes)
    # rebuild every type's ballot and multiplicity from the per-project lists
    rebuilt: dict[int, dict[int, int]] = {t: {} for t in range(vt.nt)}
    for j in range(m):
        assert list(vt.sup[j]) == sorted(vt.sup[j])
        for t, w, c in zip(vt.sup[j], vt.w[j], vt.cnt[j], strict=True):
            rebuilt[int(t)][j] = int(w)
            assert c == vt.mult[t]
    want = {tuple(sorted(b.items())): sum(1 for x in votes if x == b) for b in votes}
    got = {tuple(sorted(b.items())): int(vt.mult[t]) for t, b in rebuilt.items()}
    assert got == want


@settings(max_examples=60, deadline=None)
@given(ballots)
def test_collapse_fingerprint_collisions_fall_back(votes: list[dict[int, int]]) -> None:
    """With a degenerate multiplier (many fingerprint collisions) the verified grouping
    falls back to the dict path and gives the same types."""
    m = 5
    sup = [np.array([v for v, b in enumerate(votes) if j in b], dtype=np.int64) for j in range(m)]
    wts = [np.array([b[j] for b in votes if j in b], dtype=np.int64) for j in range(m)]
    good = collapse(len(votes), sup, wts)
    old = voter_types._MULT
    voter_types._MULT = np.uint64(1)
    try:
        bad = collapse(len(votes), sup, wts)
    finally:
        voter_types._MULT = old
    assert good.nt == bad.nt and list(good.mult) == list(bad.mult)
    assert all(list(a) == list(b) for a, b in zip(good.sup, bad.sup, strict=True))


groups_st = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 3), st.integers(1, 4)), min_size=17, max_size=40
)


@settings(max_examples=150, deadline=None)
@given(groups_st, st.integers(1, 400))
def test_fast_price_equals_exact_loop(raw: list[tuple[int, int, int]], cost: int) -> None:
    """The float-ordered loop either declines (None) or returns pabutools' exact q."""
    weights = np.array([w for _, w, n in raw for _ in range(n)], dtype=np.int64)
    engine = MesEngine(len(weights), [Fraction(cost)], [np.arange(len(weights))], [weights],
                       [0], [0])
    groups = [(Fraction(b, 4), w, n, g, g) for g, (b, w, n) in enumerate(raw)]
    fast = engine._fast_q(0, groups)
    exact = None
    contrib, denom = Fraction(0), engine.wtot[0]
    for budget, w, n, _, _ in sorted(groups, key=lambda g: g[0] / g[1]):
        q = (cost - contrib) / denom
        if q * w <= budget:
            exact = q
            break
        contrib += budget * n
        denom -= w * n
    if fast is not None:
        assert fast == exact
    assert engine._exact_q(0, groups) == exact


@settings(max_examples=40, deadline=None)
@given(ballots, st.lists(st.integers(1, 9), min_size=5, max_size=5), st.integers(1, 30))
def test_batched_validity_equals_per_round(votes: list[dict[int, int]], costs: list[int],
                                           budget: int) -> None:
    """``_danger_batch`` (all rounds of a run at once) gives exactly the floats of the
    one-round reference ``_danger``, round by round."""
    from wijkwijs.budgeting.rules.mes_param import NeedExact, ParamMes

    m = 5
    sup, wts = _split(votes, m)
    n = len(votes)
    cands = [j for j in range(m) if len(sup[j])]  # as MesEngine.candidates
    param = ParamMes(n, [Fraction(c) for c in costs], sup, wts, cands, list(range(m)),
                     Fraction(budget, n))
    seen: list[int] = []
    batch = param._danger_batch

    def checked(caches: np.ndarray, act: np.ndarray, r0: np.ndarray, r1: np.ndarray,
                wins: np.ndarray, weffs: np.ndarray, k: float) -> np.ndarray:
        ends = batch(caches, act, r0, r1, wins, weffs, k)
        for r in range(len(wins)):
            rivals = np.flatnonzero(act[r])
            rivals = rivals[rivals != wins[r]]
            one = param._danger(caches[r], rivals, float(r0[r]), float(r1[r]), int(wins[r]), k,
                                int(weffs[r]))
            assert one == ends[r] or (np.isinf(one) and np.isinf(ends[r]))
        seen.append(len(wins))
        return ends

    param._danger_batch = checked  # type: ignore[method-assign]
    prev = None
    for k in range(4):
        try:
            prev = param.run(k, prev)
        except NeedExact:
            prev = None
    # at least the first run bought something whenever anything is affordable
    assert seen or prev is None or not prev.order


def _scan_rich(c: float, W: float, r: np.ndarray, x: np.ndarray, w: np.ndarray) -> float:
    """The sorted scan (stable order): the ratio of the first rich supporter, inf if none."""
    px = pw = 0.0
    for i in np.argsort(r, kind="stable").tolist():
        if (c - px) / (W - pw) <= r[i]:
            return float(r[i])
        px += x[i]
        pw += w[i]
    return float("inf")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(1, 3)), min_size=1, max_size=80),
       st.integers(1, 400), st.sampled_from([0, 1, 4, 32, 100]))
def test_kernel_water_level_equals_sorted_scan(raw: list[tuple[int, int]], cost: int,
                                               small: int) -> None:
    """The radix selection (:func:`mes_kernels._water_rich`) finds the sorted scan's
    boundary on inputs full of ties, with and without its small-set sort (``small``)."""
    from wijkwijs.budgeting.rules.mes_kernels import _water_rich

    x = np.array([b / 4 for b, _ in raw])
    w = np.array([float(v) for _, v in raw])
    c, W = float(cost), float(w.sum())
    if x.sum() <= c * (1 + 1e-9):  # the kernel only looks for water levels when affordable
        return
    r = x / w
    want = _scan_rich(c, W, r, x, w)
    got = _water_rich(c, W, r, x, w, len(r), np.zeros((3, len(r))), small)
    if want != got:  # only a supporter at the water level itself may go either way
        q = (c - x[r < min(want, got)].sum()) / (W - w[r < min(want, got)].sum())
        assert abs(min(want, got) - q) <= 1e-9 * q


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e6), st.integers(1, 3), st.integers(0, 2)),
                min_size=1, max_size=120),
       st.floats(1.0, 1e6), st.sampled_from([0, 4, 32]))
def test_kernel_water_level_wide_ratios(raw: list[tuple[float, int, int]], cost: float,
                                        small: int) -> None:
    """The same over ratios spread across many factors of 2 (the open last bucket, deeper
    levels) and near-equal ratios (``x``, ``x + 1 ulp``-like neighbours, copies)."""
    from wijkwijs.budgeting.rules.mes_kernels import _water_rich

    xs = []
    for b, _, near in raw:
        xs.append(b if near == 0 else (b * (1 + 1e-15) if near == 1 else b * 1.01))
    x = np.array(xs)
    w = np.array([float(v) for _, v, _ in raw])
    c, W = cost, float(w.sum())
    if x.sum() <= c * (1 + 1e-9):
        return
    r = x / w
    want = _scan_rich(c, W, r, x, w)
    got = _water_rich(c, W, r, x, w, len(r), np.zeros((3, len(r))), small)
    if want != got:
        q = (c - x[r < min(want, got)].sum()) / (W - w[r < min(want, got)].sum())
        assert abs(min(want, got) - q) <= 1e-9 * q


@settings(max_examples=60, deadline=None)
@given(ballots, st.lists(st.integers(1, 9), min_size=5, max_size=5), st.integers(1, 30),
       st.lists(st.tuples(st.integers(0, 29), st.integers(0, 8), st.integers(0, 3)),
                max_size=30), st.integers(0, 5))
def test_kernel_price_equals_numpy(votes: list[dict[int, int]], costs: list[int],
                                   budget: int, cuts: list[tuple[int, int, int]],
                                   k: int) -> None:
    """The compiled price (:func:`mes_kernels.price` via ``ParamMes._price``) agrees with the
    NumPy reference ``_price_ref`` up to float rounding of the sums (well inside the 1e-9
    margin), with the same poor set, and declines (NeedExact) exactly when it does."""
    from wijkwijs.budgeting.rules.mes_param import NeedExact, ParamMes

    m = 5
    sup, wts = _split(votes, m)
    n = len(votes)
    cands = [j for j in range(m) if len(sup[j])]
    param = ParamMes(n, [Fraction(c) for c in costs], sup, wts, cands, list(range(m)),
                     Fraction(budget, n))
    st0 = param.start()
    al, be = st0.alpha.copy(), st0.beta.copy()
    for t, a, b in cuts:  # uneven budgets alpha + beta k, as after payments
        if t < param.nt:
            al[t] = min(al[t], a / 4)
            be[t] = b / 3
    for j in cands:
        try:
            ref = param._price_ref(j, al, be, float(k))
        except NeedExact:
            ref = None
        try:
            got = param._price(j, al, be, float(k))
        except NeedExact:
            got = None
        assert (ref is None) == (got is None)
        if ref is None or got is None:
            continue
        assert got[0] == ref[0] or abs(got[0] - ref[0]) <= 1e-12 * abs(ref[0])
        assert got[1][2] == ref[1][2]  # W_P: the same poor set
        for x, y in zip(got[1], ref[1], strict=True):
            assert abs(x - y) <= 1e-12 * max(1.0, abs(y))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 2)), min_size=2, max_size=400),
       st.integers(1, 3), st.integers(1, 2000), st.integers(0, 7))
def test_kernel_price_equals_numpy_large(budgets: list[tuple[int, int]], wmax: int, cost: int,
                                         k: int) -> None:
    """One project with up to 400 supporter types, few distinct budgets (ties), weights up
    to ``wmax``: the compiled price has the reference's poor set and values within 1e-12."""
    from wijkwijs.budgeting.rules.mes_param import NeedExact, ParamMes

    n = len(budgets)
    votes = [{0: 1 + (i % wmax), 1 + i: 1} for i in range(n)]  # every voter her own type
    sup, wts = _split(votes, n + 1)
    param = ParamMes(n, [Fraction(cost)] * (n + 1), sup, wts, [0], list(range(n + 1)),
                     Fraction(1))
    assert param.nt == n
    al = np.zeros(n)
    be = np.zeros(n)
    for t in range(n):  # few distinct budgets alpha + beta k: many ties
        a, b = budgets[t]
        al[t], be[t] = a * 3.0, b / 2
    try:
        ref = param._price_ref(0, al, be, float(k))
    except NeedExact:
        ref = None
    try:
        got = param._price(0, al, be, float(k))
    except NeedExact:
        got = None
    assert (ref is None) == (got is None)
    if ref is None or got is None:
        return
    assert got[1][2] == ref[1][2]
    assert got[0] == ref[0] or abs(got[0] - ref[0]) <= 1e-12 * abs(ref[0])
    for x, y in zip(got[1], ref[1], strict=True):
        assert abs(x - y) <= 1e-12 * max(1.0, abs(y))


@settings(max_examples=60, deadline=None)
@given(ballots)
def test_collapse_from_ballots_equals_collapse(votes: list[dict[int, int]]) -> None:
    """Types straight from CSR ballots (entries in any project order, zero weights
    skipped) are those of the per-project collapse."""
    m = 5
    sup = [np.array([v for v, b in enumerate(votes) if j in b], dtype=np.int64) for j in range(m)]
    wts = [np.array([b[j] for b in votes if j in b], dtype=np.int64) for j in range(m)]
    want = collapse(len(votes), sup, wts)
    ptr = np.cumsum([0] + [len(b) + 1 for b in votes])
    proj = [j for b in votes for j in [*sorted(b, reverse=True), 0]]
    weight = [w for b in votes for w in [*(b[j] for j in sorted(b, reverse=True)), 0]]
    got = voter_types.collapse_ballots(len(votes), m, np.array(ptr), np.array(proj),
                                       np.array(weight))
    assert got.nt == want.nt and list(got.mult) == list(want.mult)
    for j in range(m):
        assert list(got.sup[j]) == list(want.sup[j])
        assert list(got.w[j]) == list(want.w[j])
        assert list(got.cnt[j]) == list(want.cnt[j])


def _assert_same_types(got: voter_types.VoterTypes, want: voter_types.VoterTypes) -> None:
    assert got.nt == want.nt and list(got.mult) == list(want.mult)
    for x, y in ((got.sup, want.sup), (got.w, want.w), (got.cnt, want.cnt)):
        assert len(x) == len(y)
        for a, b in zip(x, y, strict=True):
            assert a.dtype == b.dtype and list(a) == list(b)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 3000), st.integers(1, 60), st.integers(0, 2**32 - 1))
def test_compiled_collapse_on_large_profiles(n: int, m: int, seed: int) -> None:
    """The compiled one-pass collapse (counting sorts, verified hash table) gives the types
    of the NumPy per-project collapse on large random profiles with many repeated ballots
    (hash hits), long ballots in any order and zero weights."""
    rng = np.random.default_rng(seed)
    pool = [rng.choice(m, size=rng.integers(0, m + 1), replace=False) for _ in range(max(1, n // 4))]
    ptr, proj, weight = [0], [], []
    for _ in range(n):
        b = pool[rng.integers(len(pool))] if rng.random() < 0.7 else rng.choice(
            m, size=rng.integers(0, m + 1), replace=False)
        b = rng.permutation(b)
        w = rng.integers(0, 3, size=len(b)) if rng.random() < 0.5 else np.ones(len(b), dtype=np.int64)
        proj.extend(b.tolist())
        weight.extend(w.tolist())
        ptr.append(len(proj))
    proj_a, weight_a = np.array(proj, dtype=np.int64), np.array(weight, dtype=np.int64)
    voter = np.repeat(np.arange(n), np.diff(ptr))
    keep = weight_a > 0
    sup = [voter[keep & (proj_a == j)] for j in range(m)]
    wts = [weight_a[keep & (proj_a == j)] for j in range(m)]
    want = collapse(n, sup, wts)
    got = voter_types.collapse_ballots(n, m, np.array(ptr), proj_a.astype(np.int32), weight_a)
    _assert_same_types(got, want)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 400), st.integers(1, 140), st.integers(0, 2**32 - 1))
def test_overlap_bitsets_equal_the_membership_matrix(n: int, m: int, seed: int) -> None:
    """``MesEngine.overlap`` (OR of per-type project bitsets, several words when m > 64) is
    the set of candidate projects sharing a supporter with ``j``."""
    rng = np.random.default_rng(seed)
    votes = [dict.fromkeys(rng.choice(m, size=rng.integers(0, min(m, 8) + 1), replace=False).tolist(), 1)
             for _ in range(n)]
    sup, wts = _split(votes, m)
    costs = [Fraction(int(rng.integers(0, 3))) for _ in range(m)]  # some cost 0: no candidates
    engine = MesEngine(n, costs, sup, wts, list(range(m)), list(range(m)))
    member = np.zeros((engine.nt, m), dtype=bool)
    for k in engine.candidates:
        member[engine.sup[k], k] = True
    for j in range(m):
        got = engine.overlap(j)
        assert got.dtype == np.bool_ and list(got) == list(member[engine.sup[j]].any(axis=0))


@settings(max_examples=40, deadline=None)
@given(ballots)
def test_engine_per_project_sums_and_extremes(votes: list[dict[int, int]]) -> None:
    """The engine's per-project figures (computed in one pass over the concatenated lists)
    are those of each project's own arrays; projects without supporters included."""
    m = 7  # projects 5 and 6 never have supporters
    sup, wts = _split(votes, m)
    engine = MesEngine(len(votes), [Fraction(1)] * m, sup, wts, list(range(m)), list(range(m)))
    for j in range(m):
        w, c = engine.w[j], engine.mult[j]
        assert engine.unit[j] is bool(len(w) == 0 or (w.min() == 1 and w.max() == 1))
        assert engine.wtot[j] == int((w * c).sum()) and type(engine.wtot[j]) is int
        assert engine.ncount[j] == int(c.sum())
        assert engine.wmax_j[j] == (int(w.max()) if len(w) else 0)
        assert list(engine.multf[j]) == list(c.astype(np.float64)) and engine.multf[j].dtype == np.float64
        assert list(engine.wf[j]) == list(w.astype(np.float64)) and engine.wf[j].dtype == np.float64
    assert engine.wmax == max([int(w.max()) for w in engine.w if len(w)] + [1]) + 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), max_size=5), min_size=1, max_size=30))
def test_collapse_ballots_naming_a_project_twice(votes: list[list[tuple[int, int]]]) -> None:
    """Ballots that name a project twice (the sorted path: entries compared in order, not
    as sets) give the types of the per-project collapse of the same entries."""
    m = 4
    ptr = np.cumsum([0] + [len(b) for b in votes])
    entries = [(v, j, w) for v, b in enumerate(votes) for j, w in b]
    sup = [np.array([v for v, j, w in entries if j == p and w > 0], dtype=np.int64) for p in range(m)]
    wts = [np.array([w for v, j, w in entries if j == p and w > 0], dtype=np.int64) for p in range(m)]
    want = collapse(len(votes), sup, wts)
    got = voter_types.collapse_ballots(len(votes), m, ptr, np.array([j for _, j, _ in entries], dtype=np.int64),
                                       np.array([w for _, _, w in entries], dtype=np.int64))
    _assert_same_types(got, want)


@settings(max_examples=60, deadline=None)
@given(ballots, st.lists(st.integers(1, 9), min_size=5, max_size=5), st.integers(1, 30),
       st.integers(0, 6), st.integers(1, 6))
def test_budgets_nondecreasing_in_k(votes: list[dict[int, int]], costs: list[int],
                                    budget: int, k1: int, dk: int) -> None:
    """What certificates and unaffordability facts rest on: for the same winners, every
    voter's budget before each round is nondecreasing in k, so the money of any voter set
    grows by at most what all voters together get: ``n`` per unit of k."""
    from wijkwijs.budgeting.rules.mes_param import NeedExact, ParamMes

    m = 5
    sup, wts = _split(votes, m)
    n = len(votes)
    vt = collapse(n, sup, wts)
    cands = [j for j in range(m) if len(sup[j])]
    param = ParamMes(n, [Fraction(c) for c in costs], sup, wts, cands, list(range(m)),
                     Fraction(budget, n), types=vt)
    k2 = k1 + dk
    try:
        one, two = param.run(k1, None), param.run(k2, None)
    except NeedExact:
        one = two = None
    assume(one is not None and two is not None and one.order == two.order)
    assert one is not None and two is not None
    for a, b in zip(one.rounds, two.rounds, strict=True):
        al, be = param.budgets(a)
        x1 = al + be * k1
        al, be = param.budgets(b)
        x2 = al + be * k2
        assert (x2 >= x1 - 1e-9 * (1 + np.abs(x1))).all()
        assert float((x2 - x1) @ vt.mult) <= n * dk * (1 + 1e-9) + 1e-9


def _fact_runs(name: str, ks: range) -> tuple[int, int]:
    """Runs of a real instance at ``ks`` (each resuming from the one before) with the
    unaffordability facts used as eagerly as is sound (horizon 0), each compared with the
    same run without facts: (money rows that came from a fact, runs compared)."""
    import math

    from wijkwijs.budgeting.rules import read_pb
    from wijkwijs.budgeting.rules.mes_iterated import _param
    from wijkwijs.budgeting.rules.mes_param import NeedExact
    from wijkwijs.budgeting.rules.mes_rules import pabutools_engine
    from wijkwijs.budgeting.tests import SHARED

    inst = read_pb(SHARED / name)
    engine = pabutools_engine(inst)
    param = _param(inst, engine, list(inst.costs), inst.budget / engine.n)
    facts = compared = 0
    prev = None
    for k in ks:
        param.horizon = 0.0
        try:
            run = param.run(k, prev)
        except NeedExact:
            prev = None
            continue
        if prev is not None:
            param.horizon = math.inf
            ref = param.run(k, prev)
            compared += 1
            assert ref.order == run.order
            assert k <= run.end <= ref.end  # a fact's money row is weaker than a price's
            for got, want in zip(run.rounds, ref.rounds, strict=False):
                if got.cache is None or want.cache is None or got is want:
                    continue
                al, be = param.budgets(want)
                for j in np.flatnonzero(got.cache[:, 4] != want.cache[:, 4]).tolist():
                    facts += 1
                    money = float((al[param.sup[j]] + be[param.sup[j]] * k) @ param.cnt[j])
                    bound = got.cache[j, 3] + got.cache[j, 4] * k
                    assert money <= bound * (1 + 1e-12) + 1e-9
                    assert bound < param.c[j]  # and it said: unaffordable
        prev = run
    return facts, compared


def test_unaffordability_facts_are_sound_on_real_instances() -> None:
    """Facts carried over from earlier runs (``mes_kernels.select``) change no decision, and
    every money row they leave is an upper bound of the project's true money (computed
    from the budgets of the run without facts), on real instances where they are used."""
    used = 0
    for name in ("Netherlands_Assen_2024.pb", "Switzerland_Zurich_D10.pb",
                 "Netherlands_Amsterdam_179.pb"):
        facts, compared = _fact_runs(name, range(0, 400, 7))
        assert compared > 20
        used += facts
    assert used > 100


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6), st.integers(0, 12),
                          st.integers(0, 40), st.integers(0, 8), st.booleans()),
                min_size=5, max_size=5),
       st.lists(st.integers(1, 30), min_size=5, max_size=5), st.integers(0, 9))
def test_compiled_lower_bounds_equal_the_reference(rows: list[tuple[int, int, int, int, int, bool]],
                                                   costs: list[int], k: int) -> None:
    """The compiled resume bounds (:func:`mes_kernels.lower`) are the floats of the NumPy
    reference ``ParamMes._lower`` (inf for inactive and unaffordable projects)."""
    from wijkwijs.budgeting.rules import mes_kernels
    from wijkwijs.budgeting.rules.mes_param import TOL, ParamMes

    votes = [dict.fromkeys(range(5), 1)] * 12 + [{0: 1}, {1: 1, 2: 1}]
    sup, wts = _split(votes, 5)
    param = ParamMes(len(votes), [Fraction(c) for c in costs], sup, wts, list(range(5)),
                     list(range(5)), Fraction(1))
    cache = np.array([[a / 4, b / 3, min(wp, int(param.W[j]) - 1), aa, ba / 2]
                      for j, (a, b, wp, aa, ba, _) in enumerate(rows)], dtype=np.float64)
    active = np.array([act for *_, act in rows], dtype=bool)
    got = np.empty(5)
    mes_kernels.lower(cache, float(k), active, param.c, param.W, TOL, got)
    want = np.full(5, np.inf)
    idx = np.flatnonzero(active)
    want[idx] = param._lower(cache, float(k), idx)
    assert got.tolist() == want.tolist()

"""The float plain-MES engine (``mes_float``) against the exact pattern engine, including
forced close calls that must take the exact paths."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkwijs.budgeting.rules import mes_float
from wijkwijs.budgeting.rules.base import fmt_money, fmt_scaled, fmt_scaled_many
from wijkwijs.budgeting.rules.mes_engine import MesEngine, MesRun

ballots = st.lists(
    st.dictionaries(st.integers(0, 6), st.integers(1, 3), min_size=1, max_size=5),
    min_size=1, max_size=40,
)
costs_st = st.lists(st.integers(1, 40), min_size=7, max_size=7)


def _engine(votes: list[dict[int, int]], costs: list[int], unit: bool) -> MesEngine:
    m = len(costs)
    sup = [np.array([v for v, b in enumerate(votes) if j in b], dtype=np.int64) for j in range(m)]
    wts = [np.array([1 if unit else b[j] for b in votes if j in b], dtype=np.int64)
           for j in range(m)]
    # costs as pabutools' PLAIN satisfaction uses them; ties by index
    return MesEngine(len(votes), [Fraction(c) for c in costs], sup, wts, list(range(m)),
                     list(range(m)))


def _key(run: MesRun | None) -> object:
    assert run is not None
    return [(r.project, r.rho, r.q, r.amounts()) for r in run.rounds], run.unaffordable


@settings(max_examples=120, deadline=None)
@given(ballots, costs_st, st.integers(1, 30), st.booleans())
def test_float_engine_equals_exact(votes: list[dict[int, int]], costs: list[int],
                                   budget: int, unit: bool) -> None:
    """Same rounds, q, rho, payments and unaffordable projects as the exact engine (small
    integer budgets and costs make many exact ties and supporters paying exactly all)."""
    engine = _engine(votes, costs, unit)
    b = Fraction(budget, 3)
    assert _key(engine.run(b)) == _key(engine.run_exact(b))


@settings(max_examples=60, deadline=None)
@given(ballots, costs_st, st.integers(1, 30), st.booleans(), st.sampled_from([1e-2, 10.0]))
def test_forced_close_calls_take_the_exact_paths(votes: list[dict[int, int]],
                                                 costs: list[int], budget: int,
                                                 unit: bool, margin: float) -> None:
    """With a huge margin float decisions become close calls: supporters near the water
    level are checked exactly (1e-2), or money is compared exactly and prices come from the
    exact loop (10); project bounds overlap, so rivals are priced exactly. The outcome must
    not change."""
    engine = _engine(votes, costs, unit)
    b = Fraction(budget, 3)
    want = _key(engine.run_exact(b))
    old = mes_float.K
    mes_float.K = margin
    try:
        assert _key(engine.run(b)) == want
    finally:
        mes_float.K = old


def test_close_calls_are_counted_and_decided_exactly() -> None:
    # b = 1 each. Round 1: projects 0 and 1 tie at rho 1/2 (exact: index 0 wins), voters
    # 0 and 2 pay 1/2. Round 2: project 1 at q = 1/2, where voter 0 pays exactly all she
    # has left (a close type, decided exactly: she ends with nothing)
    votes = [{0: 1, 1: 1}, {1: 1}, {0: 1}]
    engine = _engine(votes, [1, 1, 5, 5, 5, 5, 5], True)
    before = dict(mes_float.STATS)
    run = engine.run(Fraction(1))
    assert _key(run) == _key(engine.run_exact(Fraction(1)))
    assert run.order == [0, 1]
    assert run.rounds[1].amounts() == [(Fraction(1, 2), 2)]
    assert mes_float.STATS["close_types"] > before["close_types"]
    # a project costing all its supporters' money is a money close call
    # (weights 1 and 3: not everyone can pay q w, so it is priced in floats first)
    engine = _engine([{0: 1}, {0: 3}], [2, 5, 5, 5, 5, 5, 5], False)
    run = engine.run(Fraction(1))
    assert run.order == [0] and run.rounds[0].amounts() == [(Fraction(1), 2)]
    assert mes_float.STATS["close_money"] > before["close_money"]


def test_wrong_float_poor_set_falls_back_to_the_exact_loop(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """A certificate that fails (here: forced by a wrong float water level) must not be
    used: the exact loop over pattern groups gives the price."""
    votes = [{0: 1}, {0: 2}, {0: 1, 1: 1}, {0: 3}, {1: 1}]
    engine = _engine(votes, [5, 2, 1, 1, 1, 1, 1], False)
    want = _key(engine.run_exact(Fraction(3, 2)))
    real = mes_float.FloatMes.exact_price

    def skewed(self: mes_float.FloatMes, j: int, rho_f: float | None = None) -> object:
        return real(self, j, None if rho_f is None else rho_f * 0.5)

    monkeypatch.setattr(mes_float.FloatMes, "exact_price", skewed)
    before = mes_float.STATS["exact_full"]
    assert _key(engine.run(Fraction(3, 2))) == want
    assert mes_float.STATS["exact_full"] > before


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**40), st.integers(1, 10**30))
def test_scaled_amounts_format_like_fmt_money(num: int, scale: int) -> None:
    assert fmt_scaled(num, scale) == fmt_money(Fraction(num, scale))


def _edge_amounts(scale: int, rng: np.random.Generator) -> list[int]:
    """Amounts on and next to whole numbers and half cents over ``scale``, and random ones."""
    out = [0, 1, scale, 2 * scale, scale - 1, scale + 1]
    for _ in range(20):
        cents = int(rng.integers(0, 10**6))
        on = (2 * cents + 1) * scale // 200  # just below or on a half cent
        whole = int(rng.integers(0, 10**4)) * scale
        out += [on - 1, on, on + 1, whole - 1, whole, whole + 1, int(rng.integers(0, 2**62)) % (10**4 * scale)]
    return [a for a in out if a >= 0]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10**30), st.integers(0, 2**32 - 1), st.lists(st.integers(0, 10**40), max_size=30))
def test_fmt_scaled_many_is_fmt_scaled(scale: int, seed: int, extra: list[int]) -> None:
    """The vectorised formatting gives fmt_scaled's text for every amount, including whole
    numbers, exact half cents and their neighbours (scales divisible by 200 make them exact)."""
    rng = np.random.default_rng(seed)
    for s in (scale, 200 * scale, 2**60 * scale):
        nums = _edge_amounts(s, rng) + extra
        assert fmt_scaled_many(nums, s) == [fmt_scaled(a, s) for a in nums]


def test_fmt_scaled_many_falls_back_where_floats_do_not_reach() -> None:
    big = 2**1001
    for nums, scale in (([3 * big // 7] * 10, big), ([2**1005, 1] * 5, 3), ([-5, 7] * 5, 3),
                        ([10**20] * 9, 1), ([], 5), ([1, 2], 3)):
        assert fmt_scaled_many(nums, scale) == [fmt_scaled(a, scale) for a in nums]


@pytest.mark.parametrize("name", ["Netherlands_Amsterdam_309.pb", "Poland_Warszawa_2023_Bialoleka.pb"])
def test_mes_explanations_keep_their_text(name: str) -> None:
    """Every bought project's explanation (reason and payments) is the text the one-by-one
    formatting gives."""
    from wijkwijs.budgeting.rules import read_pb
    from wijkwijs.budgeting.rules.mes_rules import explain_mes, pabutools_engine
    from wijkwijs.budgeting.tests import SHARED

    path = SHARED / name
    if not path.exists():
        pytest.skip("shared pabulib data not available")
    inst = read_pb(path)
    engine = pabutools_engine(inst)
    run = engine.run(inst.budget / inst.num_voters)
    expl = explain_mes(inst, engine, run)
    for r, rnd in enumerate(run.rounds):
        pays = [(fmt_scaled(a, rnd.scale), n) for a, n in rnd.payments]
        payers = sum(n for _, n in pays)
        text = ", ".join(f"{n} x {a}" for a, n in pays)
        e = expl[inst.project_ids[rnd.project]]
        assert e.payments == pays and e.payers == payers
        assert e.reason == (f"bought in round {r + 1} (per-voter budget "
                            f"{fmt_money(run.budget_per_voter)}): {payers} supporters paid {text}")


def _pay_rich_numpy(sup, poor, w, unit, wmax, q, fb, pat, base):  # type: ignore[no-untyped-def]
    """The NumPy steps the compiled ``pay_rich`` replaces (reference)."""
    rich = ~poor
    rt, wr = sup[rich], w[rich]
    fb[rt] -= q * wr
    key = pat[rt] if unit else pat[rt] * wmax + wr
    uniq, inv = np.unique(key, return_inverse=True)
    pat[rt] = base + inv.ravel()
    return uniq


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 300), st.integers(1, 5000), st.booleans(), st.integers(0, 2**32 - 1))
def test_pay_rich_is_the_numpy_payment(n: int, base: int, unit: bool, seed: int) -> None:
    """Float budgets, new pattern ids and distinct keys as the NumPy steps give them, on
    both the bitmap (small pattern range) and the sorting route (large range)."""
    from wijkwijs.budgeting.rules.mes_pay import pay_rich

    rng = np.random.default_rng(seed)
    nt = n + int(rng.integers(0, 50))
    sup = np.sort(rng.choice(nt, size=n, replace=False)).astype(np.int64)
    poor = rng.random(n) < 0.3
    wmax = 4
    w = np.ones(n, dtype=np.int64) if unit else rng.integers(1, wmax, size=n).astype(np.int64)
    pat0 = rng.integers(0, base, size=nt).astype(np.int64)
    fb0 = rng.random(nt) * 10
    q = float(rng.random())
    fb1, pat1 = fb0.copy(), pat0.copy()
    fb2, pat2 = fb0.copy(), pat0.copy()
    got = pay_rich(sup, poor, w, unit, wmax, q, fb1, pat1, base)
    want = _pay_rich_numpy(sup, poor, w, unit, wmax, q, fb2, pat2, base)
    assert list(got) == list(want)
    assert list(pat1) == list(pat2)
    assert fb1.tobytes() == fb2.tobytes()  # the same float operations, bit for bit

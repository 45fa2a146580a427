"""Iterated MES drivers on top of :mod:`mes_param` (fast) with the exact engine as referee.

* :func:`pabutools_add1`: pabutools ``voter_budget_increment=1``: per-voter budget
  ``B/n + k``, k = 0, 1, ..., stop at the first exhaustive outcome, or return the previous
  one when an outcome exceeds B.
* :func:`official_add1`: pabulib-checker ``equalshares/add1``: a run at ``B/n``, then whole
  per-voter budgets ``floor(B/n) + 1, + 2, ...`` while the outcome fits B (stop early when
  every candidate is bought).

The parametric engine decides which k stops; the exact engine then recomputes that single
run (for the explanation, and as a check: a difference falls back to stepping k one by one
with the exact engine).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from wijkwijs.budgeting.rules.mes_engine import MesEngine, MesRun
from wijkwijs.budgeting.rules.pabulib_io import PBInstance

if TYPE_CHECKING:
    from wijkwijs.budgeting.rules.mes_param import ParamMes

# The parametric engine (and with it Numba and its compiled kernels, ~0.3-0.7 s to load) is
# imported on first use, so a web process or a greedy rule does not pay for it.


def _param(instance: PBInstance, engine: MesEngine, costs: list[Fraction],
           b0: Fraction) -> ParamMes:
    from wijkwijs.budgeting.rules.mes_param import ParamMes

    return ParamMes(engine.n, costs, engine.types.sup, engine.types.w,
                    engine.candidates, engine.tie_rank, b0, types=engine.types)


def _cost(chosen: list[int], costs: list[Fraction]) -> Fraction:
    return sum((costs[j] for j in chosen), Fraction(0))


def _scaled(costs: list[Fraction], budget: Fraction) -> tuple[list[int], int]:
    """Costs and budget as integers over a common denominator (exact, cheap sums)."""
    den = math.lcm(budget.denominator, *(c.denominator for c in costs))
    return [int(c * den) for c in costs], int(budget * den)


def pabutools_add1(instance: PBInstance, engine: MesEngine) -> tuple[MesRun, dict[str, Any]]:
    costs, budget = list(instance.costs), instance.budget
    b0 = budget / engine.n
    cands = engine.candidates
    icosts, ibudget = _scaled(costs, budget)

    def decide(order: list[int]) -> str:
        spent = sum(icosts[j] for j in order)
        if spent > ibudget:
            return "back"
        taken = set(order)
        if all(j in taken or spent + icosts[j] > ibudget for j in cands):
            return "stop"
        return "go"

    from wijkwijs.budgeting.rules.mes_param import iterate

    param = _param(instance, engine, costs, b0)
    order, k, stats = iterate(param, lambda kk: engine.run(b0 + kk).order, 0, decide)
    if order is None:
        return MesRun(b0), stats
    run = engine.run(b0 + k)
    if run.order != order:  # cannot happen unless the float margins failed: be exact
        return _slow_pabutools(engine, costs, budget, b0), {**stats, "fallback": True}
    return run, stats


def _slow_pabutools(engine: MesEngine, costs: list[Fraction], budget: Fraction,
                    b: Fraction) -> MesRun:
    prev = MesRun(b)
    while True:
        run = engine.run(b)
        spent = _cost(run.order, costs)
        if spent > budget:
            return prev
        taken = set(run.order)
        if all(j in taken or spent + costs[j] > budget for j in engine.candidates):
            return run
        prev, b = run, b + 1


def official_add1(engine: MesEngine, costs: list[Fraction], budget: Fraction,
                  instance: PBInstance) -> tuple[MesRun, dict[str, Any]]:
    n = engine.n
    first = engine.run(budget / n)
    everything = set(engine.candidates)
    if set(first.order) == everything:
        return first, {"mes_runs": 1}
    base = Fraction(math.floor(budget / n))
    icosts, ibudget = _scaled(costs, budget)

    def decide(order: list[int]) -> str:
        if sum(icosts[j] for j in order) > ibudget:
            return "back"
        return "stop" if set(order) == everything else "go"

    from wijkwijs.budgeting.rules.mes_param import iterate

    param = _param(instance, engine, costs, base)
    order, k, stats = iterate(param, lambda kk: engine.run(base + kk).order, 1, decide)
    if order is None:  # base + 1 already exceeds B
        return first, stats
    run = engine.run(base + k)
    if run.order != order:
        return _slow_official(engine, costs, budget, first), {**stats, "fallback": True}
    return run, stats


def _slow_official(engine: MesEngine, costs: list[Fraction], budget: Fraction,
                   run: MesRun) -> MesRun:
    per_voter = budget // engine.n
    everything = set(engine.candidates)
    while set(run.order) != everything:
        per_voter += 1
        nxt = engine.run(Fraction(per_voter))
        if _cost(nxt.order, costs) > budget:
            break
        run = nxt
    return run

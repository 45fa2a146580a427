"""Method of Equal Shares rules: pabutools semantics and the official pabulib variants."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from wijkwijs.budgeting.rules.base import (
    ProjectExplanation,
    RuleResult,
    build_profile,
    entry_weights,
    fmt_money,
    fmt_scaled_many,
    make_result,
    project_totals,
    register,
)
from wijkwijs.budgeting.rules.greedy import greedy_fill, greedy_order
from wijkwijs.budgeting.rules.mes_engine import MesEngine, MesRun
from wijkwijs.budgeting.rules.mes_iterated import official_add1 as _official_iterated
from wijkwijs.budgeting.rules.mes_iterated import pabutools_add1
from wijkwijs.budgeting.rules.pabulib_io import PBInstance
from wijkwijs.budgeting.rules.voter_types import VoterTypes, collapse_ballots


def _types(instance: PBInstance, support: bool = True) -> tuple[VoterTypes, np.ndarray | None]:
    """Voter types straight from the ballots (no per-voter profile), and per project the
    number of voters supporting it (None when not asked for)."""
    weights, _ = entry_weights(instance)
    types = collapse_ballots(instance.num_voters, instance.num_projects, instance.ballot_ptr,
                             instance.ballot_proj, weights)
    if not support:
        return types, None
    return types, np.bincount(instance.ballot_proj[weights > 0], minlength=instance.num_projects)


def pabutools_engine(instance: PBInstance) -> MesEngine:
    types, _ = _types(instance, support=False)
    names = sorted(range(instance.num_projects), key=lambda j: instance.project_ids[j])
    rank = [0] * instance.num_projects
    for i, j in enumerate(names):
        rank[j] = i
    return MesEngine(instance.num_voters, list(instance.costs), types.sup, types.w,
                     list(range(instance.num_projects)), rank, types=types)


def _cost(instance: PBInstance, chosen: list[int], costs: list[Fraction] | None = None) -> Fraction:
    costs = costs if costs is not None else instance.costs
    return sum((costs[j] for j in chosen), Fraction(0))


def _exhaustive(chosen: list[int], available: list[int], costs: list[Fraction], budget: Fraction) -> bool:
    spent = sum((costs[j] for j in chosen), Fraction(0))
    taken = set(chosen)
    return all(j in taken or spent + costs[j] > budget for j in available)


def explain_mes(instance: PBInstance, engine: MesEngine, run: MesRun) -> dict[str, ProjectExplanation]:
    expl: dict[str, ProjectExplanation] = {}
    for r, rnd in enumerate(run.rounds):
        pid = instance.project_ids[rnd.project]
        scale = rnd.scale  # 1: exact rationals; else integer numerators over ``scale``
        amounts = [a for a, _ in rnd.payments]
        counts = [n for _, n in rnd.payments]
        payers = sum(counts)
        texts = [fmt_money(a) for a in amounts] if scale == 1 else fmt_scaled_many(amounts, scale)
        pays = list(zip(texts, counts, strict=True))
        flat: list[Any] = [None] * (2 * len(pays))
        flat[0::2] = counts
        flat[1::2] = texts
        text = ", ".join(["%d x %s"] * len(pays)) % tuple(flat)
        expl[pid] = ProjectExplanation(
            pid,
            True,
            f"bought in round {r + 1} (per-voter budget {fmt_money(run.budget_per_voter)}): "
            f"{payers} supporters paid {text}",
            round=r + 1,
            payers=payers,
            payments=pays,
        )
    candidates = set(engine.candidates)
    for j, pid in enumerate(instance.project_ids):
        if pid in expl:
            continue
        if j not in candidates:
            reason = "no supporters" if engine.wtot[j] == 0 else "cost is 0 (no satisfaction)"
        elif j in run.unaffordable:
            reason = (
                "not enough budget left: its supporters could no longer pay for it "
                f"(from round {run.unaffordable[j] + 1})"
            )
        else:
            reason = "not bought"
        expl[pid] = ProjectExplanation(pid, False, reason)
    return expl


def _mes_result(name: str, instance: PBInstance, engine: MesEngine, run: MesRun,
                greedy_after: bool, details: dict[str, Any]) -> RuleResult:
    expl = explain_mes(instance, engine, run)
    chosen = run.order
    if greedy_after:
        totals, scale = project_totals(instance)
        order = greedy_order(instance, totals, cost_aware=False)
        scores = [fmt_money(Fraction(t, scale)) for t in totals]
        fill: dict[str, ProjectExplanation] = {}
        chosen = greedy_fill(instance, order, chosen, fill, scores)
        for pid, e in fill.items():
            if e.selected:
                e.reason = "greedy completion: " + e.reason
                expl[pid] = e
            else:
                expl[pid].reason += "; greedy completion: " + e.reason
    return make_result(name, instance, chosen, expl, details)


def _empty(name: str, instance: PBInstance) -> RuleResult:
    return make_result(name, instance, [], {})


@register("mes")
def mes(instance: PBInstance, **params: Any) -> RuleResult:
    """pabutools MES with cost satisfaction, per-voter budget B/n, no completion."""
    if instance.num_voters == 0:
        return _empty("mes", instance)
    engine = pabutools_engine(instance)
    run = engine.run(instance.budget / instance.num_voters)
    return _mes_result("mes", instance, engine, run, False, {})


@register("mes-greedy")
def mes_greedy(instance: PBInstance, **params: Any) -> RuleResult:
    """MES, then fill greedily (pabutools completion_by_rule_combination)."""
    if instance.num_voters == 0:
        return greedy_empty("mes-greedy", instance)
    engine = pabutools_engine(instance)
    run = engine.run(instance.budget / instance.num_voters)
    return _mes_result("mes-greedy", instance, engine, run, True, {})


def greedy_empty(name: str, instance: PBInstance) -> RuleResult:
    from wijkwijs.budgeting.rules.greedy import greedy

    res = greedy(instance)
    res.rule = name
    return res


@register("mes-add1")
def mes_add1(instance: PBInstance, **params: Any) -> RuleResult:
    """pabutools iterated MES, voter_budget_increment=1."""
    if instance.num_voters == 0:
        return _empty("mes-add1", instance)
    engine = pabutools_engine(instance)
    run, stats = pabutools_add1(instance, engine)
    return _mes_result("mes-add1", instance, engine, run, False, stats)


@register("mes-add1-greedy")
def mes_add1_greedy(instance: PBInstance, **params: Any) -> RuleResult:
    """pabutools iterated MES (increment 1), then greedy completion."""
    if instance.num_voters == 0:
        return greedy_empty("mes-add1-greedy", instance)
    engine = pabutools_engine(instance)
    run, stats = pabutools_add1(instance, engine)
    return _mes_result("mes-add1-greedy", instance, engine, run, True, stats)


# -- official pabulib rules (pabulib-checker 1.0.8 definitions) ---------------------------


def official_engine(instance: PBInstance) -> tuple[MesEngine, list[Fraction], Fraction]:
    """Checker semantics: integer (floored) costs and budget; ties to lower cost, then more
    supporters, then file order."""
    types, support = _types(instance)
    assert support is not None
    counts = support.tolist()
    costs = [Fraction(math.floor(c)) for c in instance.costs]
    order = sorted(range(instance.num_projects), key=lambda j: (costs[j], -counts[j], j))
    rank = [0] * instance.num_projects
    for i, j in enumerate(order):
        rank[j] = i
    engine = MesEngine(instance.num_voters, costs, types.sup, types.w,
                       list(range(instance.num_projects)), rank, types=types)
    return engine, costs, Fraction(math.floor(instance.budget))


def official_add1(instance: PBInstance) -> tuple[MesEngine, MesRun, list[Fraction], Fraction, int]:
    engine, costs, budget = official_engine(instance)
    run, stats = _official_iterated(engine, costs, budget, instance)
    steps = int(stats.get("mes_runs", stats.get("param_runs", 0) + stats.get("exact_runs", 0)))
    return engine, run, costs, budget, steps


@register("equalshares")
def equalshares(instance: PBInstance, **params: Any) -> RuleResult:
    """Official ``equalshares``: MES with cost utilities, checker tie-breaking."""
    if instance.num_voters == 0:
        return _empty("equalshares", instance)
    engine, _, budget = official_engine(instance)
    run = engine.run(budget / engine.n)
    return _mes_result("equalshares", instance, engine, run, False, {})


@register("equalshares/add1")
def equalshares_add1(instance: PBInstance, **params: Any) -> RuleResult:
    """Official ``equalshares/add1``: whole per-voter budgets floor(B/n)+1, +2, ... while the
    outcome fits B; no greedy completion."""
    if instance.num_voters == 0:
        return _empty("equalshares/add1", instance)
    engine, run, _, _, steps = official_add1(instance)
    return _mes_result("equalshares/add1", instance, engine, run, False, {"mes_runs": steps})


def _comparison(instance: PBInstance, mes_chosen: list[int], costs: list[Fraction],
                budget: Fraction) -> tuple[list[int], int, int]:
    """Checker comparison: greedy by number of supporters (file order on ties) against MES;
    count voters with more approved winners in each."""
    prof = build_profile(instance)
    counts = [len(s) for s in prof.supporters]
    order = sorted(range(instance.num_projects), key=lambda j: -counts[j])
    greedy: list[int] = []
    spent = Fraction(0)
    for j in order:
        if spent + costs[j] <= budget:
            greedy.append(j)
            spent += costs[j]
    sat_mes = np.zeros(prof.n_voters, dtype=np.int64)
    sat_greedy = np.zeros(prof.n_voters, dtype=np.int64)
    for j in mes_chosen:
        sat_mes[prof.supporters[j]] += 1
    for j in greedy:
        sat_greedy[prof.supporters[j]] += 1
    prefer_mes = int((sat_mes > sat_greedy).sum())
    prefer_greedy = int((sat_greedy > sat_mes).sum())
    return greedy, prefer_mes, prefer_greedy


def _compared(name: str, instance: PBInstance, engine: MesEngine, run: MesRun,
              costs: list[Fraction], budget: Fraction, steps: int) -> RuleResult:
    greedy, pm, pg = _comparison(instance, run.order, costs, budget)
    details = {"mes_runs": steps, "prefer_mes": pm, "prefer_greedy": pg}
    if pg > pm:
        expl = {
            pid: ProjectExplanation(
                pid, j in greedy,
                f"comparison: {pg} voters prefer greedy over {pm} for equal shares; "
                + ("in the greedy outcome" if j in greedy else "not in the greedy outcome"),
            )
            for j, pid in enumerate(instance.project_ids)
        }
        details["winner"] = "greedy"
        return make_result(name, instance, greedy, expl, details)
    res = _mes_result(name, instance, engine, run, False, details)
    res.details["winner"] = "equalshares"
    return res


@register("equalshares/add1-comparison")
def equalshares_add1_comparison(instance: PBInstance, **params: Any) -> RuleResult:
    """``equalshares/add1`` then the Wieliczka comparison with greedy."""
    if instance.num_voters == 0:
        return _empty("equalshares/add1-comparison", instance)
    engine, run, costs, budget, steps = official_add1(instance)
    return _compared("equalshares/add1-comparison", instance, engine, run, costs, budget, steps)


@register("equalshares-comparison")
def equalshares_comparison(instance: PBInstance, **params: Any) -> RuleResult:
    """``equalshares`` then the comparison with greedy."""
    if instance.num_voters == 0:
        return _empty("equalshares-comparison", instance)
    engine, costs, budget = official_engine(instance)
    run = engine.run(budget / engine.n)
    return _compared("equalshares-comparison", instance, engine, run, costs, budget, 1)

"""Greedy rules: pabutools' utilitarian greedy (plain and cost-aware) and the official variants."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from wijkwijs.budgeting.rules.base import (
    ProjectExplanation,
    RuleResult,
    fmt_money,
    make_result,
    project_totals,
    register,
)
from wijkwijs.budgeting.rules.pabulib_io import PBInstance

SENTINEL_COST = Fraction(999999999)  # pabulib marks withdrawn projects with this cost


def _name_order(instance: PBInstance) -> list[int]:
    """pabutools' lexico tie-breaking: by project name as a string."""
    return sorted(range(instance.num_projects), key=lambda j: instance.project_ids[j])


def greedy_order(instance: PBInstance, totals: list[int], cost_aware: bool) -> list[int]:
    """Order of pabutools ``greedy_utilitarian_scheme_additive``: density desc, then name."""
    costs = instance.costs

    def density(j: int) -> tuple[int, Fraction]:
        total = totals[j]
        if cost_aware:
            if total > 0:
                return (0, Fraction(0)) if costs[j] == 0 else (1, -Fraction(total) / costs[j])
            return (1, Fraction(0))
        # PLAIN: total satisfaction = total * cost, density = total (0 when cost is 0)
        if total > 0 and costs[j] > 0:
            return (1, -Fraction(total))
        return (1, Fraction(0))

    names = _name_order(instance)
    rank = {j: i for i, j in enumerate(names)}
    return sorted(names, key=lambda j: (density(j), rank[j]))


def greedy_fill(
    instance: PBInstance,
    order: list[int],
    initial: list[int],
    explanations: dict[str, ProjectExplanation],
    scores: list[str],
) -> list[int]:
    """Take projects in ``order`` that still fit, after ``initial`` (pabutools completion)."""
    chosen = list(initial)
    taken = set(initial)
    remaining = instance.budget - sum((instance.costs[j] for j in initial), Fraction(0))
    for pos, j in enumerate(order):
        if j in taken:
            continue
        pid, cost = instance.project_ids[j], instance.costs[j]
        if cost <= remaining:
            chosen.append(j)
            remaining -= cost
            explanations[pid] = ProjectExplanation(
                pid, True, f"greedy position {pos + 1}: fits, {fmt_money(remaining)} left", scores[j]
            )
        else:
            explanations[pid] = ProjectExplanation(
                pid,
                False,
                f"not enough budget left ({fmt_money(remaining)} < cost {fmt_money(cost)})",
                scores[j],
            )
    return chosen


def _scores(instance: PBInstance, totals: list[int], scale: int) -> list[str]:
    return [fmt_money(Fraction(t, scale)) for t in totals]


@register("greedy")
def greedy(instance: PBInstance, **params: Any) -> RuleResult:
    """Most votes (points) first; skip what no longer fits. pabutools PLAIN greedy."""
    totals, scale = project_totals(instance)
    expl: dict[str, ProjectExplanation] = {}
    order = greedy_order(instance, totals, cost_aware=False)
    chosen = greedy_fill(instance, order, [], expl, _scores(instance, totals, scale))
    return make_result("greedy", instance, chosen, expl)


@register("greedy-cost")
def greedy_cost(instance: PBInstance, **params: Any) -> RuleResult:
    """Votes (points) per unit of cost first. pabutools cost-aware greedy."""
    totals, scale = project_totals(instance)
    expl: dict[str, ProjectExplanation] = {}
    order = greedy_order(instance, totals, cost_aware=True)
    chosen = greedy_fill(instance, order, [], expl, _scores(instance, totals, scale))
    return make_result("greedy-cost", instance, chosen, expl)


@register("greedy-no-skip")
def greedy_no_skip(instance: PBInstance, **params: Any) -> RuleResult:
    """Official ``greedy-no-skip``: stop at the first project that does not fit.

    Withdrawn projects (cost 999999999) are passed over without stopping, as the checker does.
    """
    totals, scale = project_totals(instance)
    scores = _scores(instance, totals, scale)
    order = greedy_order(instance, totals, cost_aware=False)
    remaining = instance.budget
    chosen: list[int] = []
    expl: dict[str, ProjectExplanation] = {}
    stopped_at = ""
    for j in order:
        pid, cost = instance.project_ids[j], instance.costs[j]
        if stopped_at:
            expl[pid] = ProjectExplanation(
                pid, False, f"not considered: greedy stopped at {stopped_at}", scores[j]
            )
        elif cost == SENTINEL_COST:
            expl[pid] = ProjectExplanation(pid, False, "withdrawn (sentinel cost)", scores[j])
        elif cost <= remaining:
            chosen.append(j)
            remaining -= cost
            expl[pid] = ProjectExplanation(pid, True, f"fits, {fmt_money(remaining)} left", scores[j])
        else:
            stopped_at = pid
            expl[pid] = ProjectExplanation(
                pid,
                False,
                f"not enough budget left ({fmt_money(remaining)} < cost {fmt_money(cost)}); stop",
                scores[j],
            )
    return make_result("greedy-no-skip", instance, chosen, expl)


@register("greedy-threshold")
def greedy_threshold(
    instance: PBInstance, threshold: str | Fraction | None = None, **params: Any
) -> RuleResult:
    """Official ``greedy-threshold``: greedy over projects with score >= the threshold.

    The threshold is META ``min_project_score_threshold`` unless given (0 when absent).
    """
    if threshold is None:
        threshold = instance.meta.get("min_project_score_threshold", "0") or "0"
    limit = Fraction(str(threshold))
    totals, scale = project_totals(instance)
    scores = _scores(instance, totals, scale)
    order = greedy_order(instance, totals, cost_aware=False)
    expl: dict[str, ProjectExplanation] = {}
    eligible = []
    for j in order:
        if Fraction(totals[j], scale) >= limit:
            eligible.append(j)
        else:
            pid = instance.project_ids[j]
            expl[pid] = ProjectExplanation(
                pid, False, f"below threshold ({scores[j]} < {fmt_money(limit)})", scores[j]
            )
    chosen = greedy_fill(instance, eligible, [], expl, scores)
    return make_result("greedy-threshold", instance, chosen, expl, {"threshold": str(limit)})

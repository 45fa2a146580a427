"""Venray: a ranking weighted by the proposers' own contribution.

score_j = votes_j * (1 + weight * share_j), share_j = own_contribution_j / cost_j clipped to
[0, 1] (PROJECTS column ``own_contribution``, default 0). Projects are funded in descending
score order (ties: more votes, then lower cost, then file order) while the budget lasts;
a project that no longer fits is skipped. The municipal budget is charged
``cost - own_contribution`` (the proposers pay their own part) unless ``charge_net=False``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from wijkwijs.budgeting.rules.base import (
    ProjectExplanation,
    RuleResult,
    build_profile,
    fmt_money,
    make_result,
    register,
)
from wijkwijs.budgeting.rules.pabulib_io import PBInstance, parse_number

DEFAULT_WEIGHT = Fraction(1)
COLUMN = "own_contribution"


def own_contribution(instance: PBInstance, j: int, column: str = COLUMN) -> Fraction:
    raw = instance.project_rows[j].get(column, "").strip()
    if not raw or raw.lower() == "none":
        return Fraction(0)
    return max(Fraction(0), min(parse_number(raw), instance.costs[j]))


@register("venray")
def venray(
    instance: PBInstance,
    weight: str | Fraction = DEFAULT_WEIGHT,
    charge_net: bool = True,
    column: str = COLUMN,
    **params: Any,
) -> RuleResult:
    factor = Fraction(str(weight)) if not isinstance(weight, Fraction) else weight
    prof = build_profile(instance)
    votes = [Fraction(t, prof.scale) for t in prof.totals]
    own = [own_contribution(instance, j, column) for j in range(instance.num_projects)]
    share = [own[j] / c if (c := instance.costs[j]) > 0 else Fraction(0) for j in range(len(own))]
    score = [votes[j] * (1 + factor * share[j]) for j in range(len(own))]
    order = sorted(
        range(instance.num_projects), key=lambda j: (-score[j], -votes[j], instance.costs[j], j)
    )
    remaining = instance.budget
    chosen: list[int] = []
    expl: dict[str, ProjectExplanation] = {}
    for pos, j in enumerate(order):
        pid = instance.project_ids[j]
        charge = instance.costs[j] - own[j] if charge_net else instance.costs[j]
        label = (
            f"score {fmt_money(score[j])} = {fmt_money(votes[j])} x (1 + {factor} x "
            f"{float(share[j]):.0%} own contribution)"
        )
        if charge <= remaining:
            remaining -= charge
            chosen.append(j)
            expl[pid] = ProjectExplanation(
                pid, True, f"rank {pos + 1}, {label}; charged {fmt_money(charge)}",
                fmt_money(score[j]),
            )
        else:
            expl[pid] = ProjectExplanation(
                pid, False,
                f"rank {pos + 1}, {label}; not enough budget left "
                f"({fmt_money(remaining)} < {fmt_money(charge)})",
                fmt_money(score[j]),
            )
    spent = instance.budget - remaining
    return make_result("venray", instance, chosen, expl, {"charged": str(spent), "weight": str(factor)})

"""Random small instances against pabutools 1.2.3 itself (dev dependency, test oracle)."""

from __future__ import annotations

import pytest

pabutools = pytest.importorskip("pabutools")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from pabutools.election import Cardinality_Sat, Cost_Sat  # noqa: E402
from pabutools.election.pabulib import parse_pabulib_from_string  # noqa: E402
from pabutools.election.satisfaction import AdditiveSatisfaction  # noqa: E402
from pabutools.rules import (  # noqa: E402
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

from wijkwijs.budgeting.rules import RULES, parse_pb  # noqa: E402
from wijkwijs.budgeting.rules.base import natural_sorted  # noqa: E402


def _weight(ballot, project, length):  # type: ignore[no-untyped-def]
    if "Ordinal" in type(ballot).__name__:  # ordinal: positional points L - rank
        ranked = list(ballot)
        return length - ranked.index(project) if project in ranked else 0
    return ballot.get(project, 0)


def sat_classes(length: int):  # type: ignore[no-untyped-def]
    class PointsCost(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):  # type: ignore[no-untyped-def]
            super().__init__(
                instance, profile, ballot,
                lambda i, p, b, proj, pre: _weight(b, proj, length) * proj.cost,
            )

    class Points(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):  # type: ignore[no-untyped-def]
            super().__init__(
                instance, profile, ballot, lambda i, p, b, proj, pre: _weight(b, proj, length)
            )

    return PointsCost, Points


@st.composite
def instances(draw: st.DrawFn) -> str:
    vote_type = draw(st.sampled_from(["approval", "cumulative", "ordinal"]))
    m = draw(st.integers(2, 6))
    costs = [draw(st.sampled_from([10, 20, 25, 30, 40, 50, 60])) for _ in range(m)]
    budget = draw(st.integers(20, sum(costs)))
    n = draw(st.integers(1, 9))
    lines = ["META", "key;value", f"budget;{budget}", f"vote_type;{vote_type}"]
    if vote_type == "ordinal":
        lines.append(f"max_length;{m}")
    lines += ["PROJECTS", "project_id;cost"] + [f"p{j};{c}" for j, c in enumerate(costs)]
    lines += ["VOTES", "voter_id;vote" + (";points" if vote_type == "cumulative" else "")]
    for v in range(n):
        chosen = draw(st.lists(st.integers(0, m - 1), min_size=1, max_size=m, unique=True))
        row = f"{v};" + ",".join(f"p{j}" for j in chosen)
        if vote_type == "cumulative":
            row += ";" + ",".join(str(draw(st.integers(1, 4))) for _ in chosen)
        lines.append(row)
    return "\n".join(lines) + "\n"


def _names(alloc) -> list[str]:  # type: ignore[no-untyped-def]
    return natural_sorted([p.name for p in alloc])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_against_pabutools(text: str) -> None:
    ours = parse_pb(text)
    instance, profile = parse_pabulib_from_string(text)
    if ours.vote_type == "approval":
        plain, aware = Cost_Sat, Cardinality_Sat
    else:
        plain, aware = sat_classes(ours.num_projects)
    expected = {
        "greedy": greedy_utilitarian_welfare(instance, profile, sat_class=plain),
        "greedy-cost": greedy_utilitarian_welfare(instance, profile, sat_class=aware),
        "mes": method_of_equal_shares(instance, profile, sat_class=plain),
        "mes-add1": method_of_equal_shares(
            instance, profile, sat_class=plain, voter_budget_increment=1
        ),
        "mes-greedy": completion_by_rule_combination(
            instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": plain}, {"sat_class": plain}],
        ),
        "mes-add1-greedy": completion_by_rule_combination(
            instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": plain, "voter_budget_increment": 1}, {"sat_class": plain}],
        ),
    }
    for rule, alloc in expected.items():
        assert RULES[rule](ours).selected == _names(alloc), rule

"""Official rules reproduce the published outcome (PROJECTS ``selected`` == 1)."""

from __future__ import annotations

import pytest

from wijkwijs.budgeting.rules import RULES, read_pb
from wijkwijs.budgeting.rules.base import natural_sorted
from wijkwijs.budgeting.tests import SHARED

CASES = [
    ("Netherlands_Assen_2024.pb", "equalshares/add1", []),
    ("Poland_Swiecie_2023.pb", "equalshares/add1", [pytest.mark.slow]),
    ("Poland_Wieliczka_2023_Green_Budget.pb", "equalshares/add1-comparison", [pytest.mark.slow]),
    ("Poland_Warszawa_2023_Bialoleka.pb", "greedy", []),
    ("Poland_Krakow_2022.pb", "greedy", [pytest.mark.slow]),
    ("Poland_Lodz_2022.pb", "greedy-threshold", [pytest.mark.slow]),
    ("Poland_Katowice_2023.pb", "greedy-threshold", [pytest.mark.slow]),
    ("Poland_Wroclaw_2023.pb", "greedy-no-skip", [pytest.mark.slow]),
]


@pytest.mark.parametrize(
    ("name", "rule"), [pytest.param(n, r, marks=m, id=f"{n}-{r}") for n, r, m in CASES]
)
def test_official_outcome(name: str, rule: str) -> None:
    if not (SHARED / name).exists():
        pytest.skip("shared data not available")
    inst = read_pb(SHARED / name)
    assert inst.meta["rule"] == rule
    official = natural_sorted(
        [pid for pid, row in zip(inst.project_ids, inst.project_rows, strict=True)
         if row.get("selected") == "1"]
    )
    assert RULES[rule](inst).selected == official


def test_threshold_excludes_low_scores() -> None:
    inst = read_pb(SHARED / "Netherlands_Assen_2024.pb")
    res = RULES["greedy-threshold"](inst, threshold="1000")
    assert res.selected == []
    assert all("below threshold" in e.reason for e in res.explanations.values())


def test_mes_explains_payments() -> None:
    inst = read_pb(SHARED / "Netherlands_Assen_2024.pb")
    res = RULES["mes"](inst)
    first = min((e for e in res.explanations.values() if e.selected), key=lambda e: e.round or 0)
    assert first.round == 1 and first.payers and first.payments
    assert any("not enough budget" in e.reason for e in res.explanations.values() if not e.selected)

from __future__ import annotations

from fractions import Fraction

from wijkwijs.budgeting.rules import RULES, parse_pb

TEXT = """META
key;value
budget;100
vote_type;approval
PROJECTS
project_id;cost;own_contribution
a;60;30
b;50;0
c;40;0
VOTES
voter_id;vote
1;a,b
2;b,c
3;a,b,c
4;b
5;a
"""


def test_venray_hand_example() -> None:
    # votes: a 3, b 4, c 2. Shares: a 30/60 = 1/2. Scores (weight 1): a 3*1.5 = 4.5, b 4, c 2.
    # a is charged 60 - 30 = 30 (70 left), b 50 (20 left), c 40 no longer fits.
    inst = parse_pb(TEXT)
    res = RULES["venray"](inst)
    assert res.selected == ["a", "b"]
    assert res.explanations["a"].score == "9/2" or res.explanations["a"].score == "4.50"
    assert "not enough budget left" in res.explanations["c"].reason
    assert res.details["charged"] == "80"
    # with weight 0 it is a plain vote ranking: b (4) then a (3, charged 30); c (40) fits in 20? no
    plain = RULES["venray"](inst, weight=Fraction(0))
    assert plain.selected == ["a", "b"]
    # charging the full cost: b (50), then a (60) no longer fits, c (40) does
    full = RULES["venray"](inst, weight="0", charge_net=False)
    assert full.selected == ["b", "c"]
    # a large weight does not change a: it is already first
    assert RULES["venray"](inst, weight="3").selected == ["a", "b"]

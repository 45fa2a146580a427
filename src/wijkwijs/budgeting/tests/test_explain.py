"""Every reason part that every registered rule writes is translated (none shown as the engine wrote it)."""

import pytest
from django.utils import translation

from wijkwijs.budgeting import explain
from wijkwijs.budgeting.ballot import pb_text
from wijkwijs.budgeting.rules import RULES, parse_pb

BALLOTS = [[("1", 1), ("2", 1)], [("1", 1)], [("2", 1), ("3", 1)], [("1", 1), ("4", 1)], [("5", 1)], [("3", 1), ("4", 1)],
           [("1", 1), ("3", 1)]]


def _instance(costs, budget="10000", extra=None):
    projects = [{"project_id": str(i + 1), "cost": str(c), "own_contribution": str((extra or {}).get(i + 1, 0))}
                for i, c in enumerate(costs)]
    return parse_pb(pb_text(meta={"budget": budget, "vote_type": "approval", "min_project_score_threshold": "2"},
                            projects=projects, ballot_type="approval", ballots=BALLOTS))


INSTANCES = [_instance([3000, 4000, 2500, 6000, 1500]), _instance([6000, 5000, 4000, 3000, 999999999], extra={2: 1000}),
             _instance([9000, 9500, 500, 500, 0], budget="9999")]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_reason_part_is_known(rule):
    for instance in INSTANCES:
        result = RULES[rule](instance)
        for expl in result.explanations.values():
            for part in explain.split(expl.reason):
                assert explain.match_part(part) is not None, (rule, part)


def test_dutch_rendering_with_euros():
    with translation.override("nl"):
        text = explain.translate("greedy position 2: fits, 1500 left; stop")
        assert text == "plaats 2 op stemmen: het paste in het budget, daarna € 1.500 over; de regel stopt bij het eerste project dat niet past"
        assert explain.translate("unknown engine text") == "unknown engine text"
    with translation.override("en"):
        assert explain.translate("not enough budget left (250.50 < cost 1000)") == \
            "not enough budget left: € 250,50 left, it costs € 1.000"

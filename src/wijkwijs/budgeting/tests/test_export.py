"""The .pb export reads back through the pabulib reader and the same rule gives the same outcome."""

import pytest

from wijkwijs.budgeting import selectors
from wijkwijs.budgeting.rules import RULES, parse_pb
from wijkwijs.budgeting.tests.rounds_factories import APPROVALS, make_round

pytestmark = pytest.mark.django_db

POINTS = [[("1", 6), ("2", 4)], [("2", 10)], [("3", 5), ("4", 5)], [("1", 2), ("5", 8)], [("3", 7), ("1", 3)],
          [("4", 10)], [("5", 5), ("2", 5)]]
RANKS = [[("1", 1), ("2", 2), ("3", 3)], [("2", 1), ("1", 2)], [("3", 1), ("4", 2), ("5", 3)], [("5", 1)],
         [("4", 1), ("3", 2)], [("1", 1), ("5", 2)]]


@pytest.mark.parametrize(("ballot_type", "rule", "ballots", "extra"), [
    ("approval", "greedy", APPROVALS, {}),
    ("approval", "mes-add1-greedy", APPROVALS, {}),
    ("approval", "equalshares/add1", APPROVALS, {}),
    ("cumulative", "mes-add1-greedy", POINTS, {"total_points": 10, "max_choices": None}),
    ("cumulative", "venray", POINTS, {"total_points": 10, "max_choices": None}),
    ("ordinal", "greedy", RANKS, {}),
])
def test_export_round_trip_reproduces_the_outcome(ballot_type, rule, ballots, extra):
    made = make_round(phase="results", ballot_type=ballot_type, rule=rule, ballots=ballots,
                      slug=f"rt-{ballot_type}-{rule.replace('/', '-')}", **extra)
    result = selectors.result_latest(made.round)
    stored = sorted(result.outcomes.filter(selected=True).values_list("proposal__number", flat=True))
    text = selectors.round_pb_text(made.round)
    instance = parse_pb(text)
    assert instance.num_voters == len(ballots) and instance.vote_type == ballot_type
    assert instance.meta["rule"] == rule and instance.meta["budget"] == str(made.round.budget)
    assert [row["selected"] for row in instance.project_rows].count("1") == len(stored)
    again = RULES[instance.meta["rule"]](instance)
    assert sorted(int(p) for p in again.selected) == stored
    assert sorted(int(r["project_id"]) for r in instance.project_rows if r["selected"] == "1") == stored
    # ballots survive the round trip (order of voters aside)
    exported = sorted(tuple(instance.ballot(v)) for v in range(instance.num_voters))
    assert exported == sorted(tuple(p for p, _ in (sorted(b, key=lambda c: c[1]) if ballot_type == "ordinal" else
                                                   sorted(b, key=lambda c: int(c[0])))) for b in ballots)


def test_export_has_no_personal_data_and_anonymous_voter_ids():
    made = make_round(phase="results", ballots=APPROVALS, slug="anon")
    instance = parse_pb(selectors.round_pb_text(made.round))
    assert instance.voter_ids == [str(i) for i in range(1, len(APPROVALS) + 1)]
    assert instance.vote_header == ["voter_id", "vote"]
    text = selectors.round_pb_text(made.round)
    assert "demo-inwoner" not in text and "@" not in text


def test_export_page_only_after_results(client):
    made = make_round(phase="voting", slug="nog-niet")
    assert client.get(f"/buurtbudget/{made.round.slug}/uitslag.pb").status_code == 404
    done = make_round(phase="results", ballots=APPROVALS, slug="wel")
    response = client.get(f"/buurtbudget/{done.round.slug}/uitslag.pb")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('wel.pb"')
    assert parse_pb(response.content.decode()).num_voters == len(APPROVALS)

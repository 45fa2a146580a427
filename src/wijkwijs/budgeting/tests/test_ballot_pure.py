"""The pure ballot module: validation per ballot type and the pabulib text."""

from wijkwijs.budgeting.ballot import BallotSpec, normalise, pb_text, validate
from wijkwijs.budgeting.rules import parse_pb

PROJECTS = frozenset({"1", "2", "3", "4"})


def codes(problems):
    return [p.code for p in problems]


def test_approval_within_limits_is_valid():
    spec = BallotSpec("approval", PROJECTS, min_choices=1, max_choices=2)
    assert validate(spec, [("1", 1), ("3", 1)]) == []


def test_approval_too_many_too_few_unknown_and_double():
    spec = BallotSpec("approval", PROJECTS, min_choices=1, max_choices=2)
    assert codes(validate(spec, [("1", 1), ("2", 1), ("3", 1)])) == ["too_many"]
    assert codes(validate(spec, [])) == ["too_few"]
    assert "unknown_project" in codes(validate(spec, [("9", 1)]))
    assert "duplicate_project" in codes(validate(spec, [("1", 1), ("1", 1)]))
    assert "bad_value" in codes(validate(spec, [("1", 2)]))


def test_cumulative_points_total():
    spec = BallotSpec("cumulative", PROJECTS, total_points=10)
    assert validate(spec, [("1", 6), ("2", 4)]) == []
    assert validate(spec, [("1", 3)]) == []  # fewer points is allowed
    assert codes(validate(spec, [("1", 6), ("2", 5)])) == ["points_total"]


def test_ordinal_ranks_must_be_1_to_n():
    spec = BallotSpec("ordinal", PROJECTS, max_choices=3)
    assert validate(spec, [("2", 1), ("1", 2)]) == []
    assert codes(validate(spec, [("2", 1), ("1", 3)])) == ["rank_order"]
    assert codes(validate(spec, [("2", 1), ("1", 1)])) == ["rank_order"]
    assert normalise(spec, [("1", 2), ("4", 0), ("2", 1)]) == [("2", 1), ("1", 2)]


def test_pb_text_reads_back_with_points():
    text = pb_text(meta={"budget": "100", "vote_type": "cumulative"},
                   projects=[{"project_id": "1", "cost": "60"}, {"project_id": "2", "cost": "50"}],
                   ballot_type="cumulative", ballots=[[("1", 3), ("2", 2)], [("2", 5)]])
    instance = parse_pb(text)
    assert instance.voter_ids == ["1", "2"]
    assert instance.ballot(0) == ["1", "2"] and instance.ballot(1) == ["2"]
    assert [int(x) for x in instance.ballot_points] == [3, 2, 5]

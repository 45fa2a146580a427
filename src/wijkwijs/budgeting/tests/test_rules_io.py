from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from wijkwijs.budgeting.rules import PabulibFormatError, parse_pb, read_pb, write_pb
from wijkwijs.budgeting.tests import SHARED

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "small_cumulative.pb").read_text(encoding="utf-8")


def test_parse_small_file() -> None:
    inst = parse_pb(GOOD)
    assert inst.project_ids == ["p1", "p2", "p3"]
    assert inst.costs == [Fraction(50), Fraction(81, 2), Fraction(30)]
    assert inst.budget == Fraction(201, 2)
    assert inst.ballot(0) == ["p1", "p2"] and inst.ballot(2) == []
    assert inst.project_rows[1]["name"] == "Bankjes; met ;puntkomma"
    assert list(inst.ballot_points) == [3, 2, 5]


def test_round_trip_small(tmp_path: Path) -> None:
    inst = parse_pb(GOOD)
    path = tmp_path / "x.pb"
    write_pb(inst, path)
    again = read_pb(path)
    assert again == inst
    assert write_pb(again) == write_pb(inst)


def test_round_trip_fractional_points() -> None:
    text = GOOD.replace("v1;p1,p2;3,2;34", "v1;p1,p2;1.5,1/3;34")
    inst = parse_pb(text)
    assert parse_pb(write_pb(inst)) == inst
    assert parse_pb(write_pb(inst)) != parse_pb(GOOD)


@pytest.mark.parametrize(
    "name",
    [
        "Netherlands_Assen_2024.pb",
        "Switzerland_Zurich_D10.pb",
        "Switzerland_Zurich_S5R.pb",
        "Netherlands_Amsterdam_643.pb",
        pytest.param("Poland_Katowice_2023.pb", marks=pytest.mark.slow),
    ],
)
def test_round_trip_shared(name: str) -> None:
    if not (SHARED / name).exists():
        pytest.skip("shared data not available")
    inst = read_pb(SHARED / name)
    assert parse_pb(write_pb(inst)) == inst


BAD = [
    ("budget;100.5\n", "budget;lots\n", "budget"),
    ("vote_type;cumulative\n", "vote_type;magic\n", "vote_type"),
    ("p3;30;Bomen;0\n", "p3;-30;Bomen;0\n", "negative cost"),
    ("p3;30;Bomen;0\n", "p2;30;Bomen;0\n", "duplicate project_id"),
    ("p3;30;Bomen;0\n", "p3;dertig;Bomen;0\n", "not a number"),
    ("v2;p3;5;None\n", "v2;p9;5;None\n", "unknown project 'p9'"),
    ("v2;p3;5;None\n", "v2;p3;5,1;None\n", "points"),
    ("v2;p3;5;None\n", "v2;p3;-5;None\n", "negative points"),
    ("v2;p3;5;None\n", "v2;p3;5\n", "fields"),
    ("v2;p3;5;None\n", "v2;p3,p3;5,1;None\n", "twice"),
]


@pytest.mark.parametrize(("old", "new", "needle"), BAD)
def test_bad_files_name_the_line(old: str, new: str, needle: str) -> None:
    text = GOOD.replace(old, new)
    assert text != GOOD
    expected_line = GOOD.splitlines().index(old.rstrip("\n")) + 1
    with pytest.raises(PabulibFormatError) as info:
        parse_pb(text)
    err = info.value
    assert needle in err.message
    assert err.line == expected_line
    assert str(err).startswith(f"line {err.line}:")


def test_bad_structure() -> None:
    with pytest.raises(PabulibFormatError) as info:
        parse_pb(GOOD.split("VOTES")[0])
    assert "missing section VOTES" in str(info.value)
    with pytest.raises(PabulibFormatError) as info:
        parse_pb(GOOD.replace("META\n", "", 1))
    assert info.value.line == 1
    with pytest.raises(PabulibFormatError) as info:
        parse_pb(GOOD.replace("voter_id;vote;points;age", "voter_id;vote;age"))
    assert info.value.line == GOOD.splitlines().index("voter_id;vote;points;age") + 1

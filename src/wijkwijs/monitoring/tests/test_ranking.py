import csv
import io

import numpy as np
import pytest

from wijkwijs.monitoring.index import AreaMatrix, IndexConfig, IndicatorSpec, compute_base, compute_index
from wijkwijs.monitoring.ranking import RankingConfig, rank_areas

CONFIG = IndexConfig(
    name="rank",
    indicators=(
        IndicatorSpec("laag_inkomen", "sociaal", -1),
        IndicatorSpec("tevredenheid", "sociaal", 1, "subjective"),
        IndicatorSpec("woz", "fysiek", 1),
    ),
)
DATA = {
    "WK999901": {"laag_inkomen": 12, "tevredenheid": 6.0, "woz": 200, "AantalInwoners": 1000},
    "WK999902": {"laag_inkomen": 8, "tevredenheid": 8.0, "woz": 200, "AantalInwoners": 1000},
    "WK999903": {"laag_inkomen": 12, "woz": 300, "AantalInwoners": 100},
    "WK999904": {"laag_inkomen": 8, "woz": 300, "AantalInwoners": 1000},
    "WK999905": {"laag_inkomen": 12, "tevredenheid": 6.0, "woz": 200, "AantalInwoners": 900},
    "WK999906": {"AantalInwoners": 800},
}
REF = {"GM9999": {"laag_inkomen": 10.5, "tevredenheid": 7.2, "woz": 260}}


def _result():
    # base year: the four wijken of the worked example (sigma 2, 1 and 50)
    base_year = AreaMatrix.from_values({c: DATA[c] for c in list(DATA)[:4]}, CONFIG.keys, catalogue={})
    m = AreaMatrix.from_values(DATA, CONFIG.keys, catalogue={})
    return compute_index(m, CONFIG, compute_base(base_year, CONFIG, reference=REF))


def test_ranking_by_theme_need_with_ties_and_exclusions() -> None:
    ranking = rank_areas(_result())
    rows = ranking.rows()
    assert [(r["code"], r["rank"], r["status"]) for r in rows] == [
        ("WK999901", 1, "ranked"),  # tie with 05: same need and stapeling -> same rank, by code
        ("WK999905", 1, "ranked"),
        ("WK999902", 3, "ranked"),
        ("WK999904", 4, "ranked"),
        ("WK999903", "", "too_small"),  # 100 inhabitants < 250
        ("WK999906", "", "no_score"),
    ]
    top = rows[0]
    # need = 100 - index total = 10.875 (theme weights equal to the index's)
    assert top["need"] == 10.88 and top["index_total"] == 89.12 and top["stapeling"] == 2
    assert top["drivers"] == "woz (+6.0); tevredenheid (+3.0); laag_inkomen (+1.9)"
    assert np.allclose(ranking.points.sum(axis=1)[:5], ranking.need[:5], equal_nan=True)


def test_direct_indicator_weights_and_csv_export() -> None:
    cfg = RankingConfig(
        mode="indicators", indicator_weights={"woz": 0.0, "laag_inkomen": 2.0}, min_population=0, top_drivers=2
    )
    ranking = rank_areas(_result(), cfg)
    rows = ranking.rows()
    first = rows[0]
    # WK999901: (2 * 7.5 + 1 * 12 + 0 * 12) / 3 = 9.0
    assert first["code"] == "WK999901" and first["need"] == pytest.approx(9.0)
    # points: laag_inkomen 2/3 * 7.5 = 5.0, tevredenheid 1/3 * 12 = 4.0, woz 0
    assert (first["driver_1"], first["driver_1_points"]) == ("laag_inkomen", 5.0)
    assert (first["driver_2"], first["driver_2_points"]) == ("tevredenheid", 4.0)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ranking.fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(parsed) == 6 and parsed[0]["driver_1_points"] == "5.0"


def test_rank_restarts_per_peer_group() -> None:
    groups = {"WK999901": "stad", "WK999902": "stad", "WK999904": "kern", "WK999905": "kern"}
    rows = rank_areas(_result(), RankingConfig(group_by=groups)).rows()
    ranked = [(r["group"], r["code"], r["rank"]) for r in rows if r["status"] == "ranked"]
    assert ranked == [
        ("kern", "WK999905", 1),
        ("kern", "WK999904", 2),
        ("stad", "WK999901", 1),
        ("stad", "WK999902", 2),
    ]

"""The worked example of docs/monitoring-index.md, recomputed by hand."""

import math
from pathlib import Path

import numpy as np
import pytest

from wijkwijs.monitoring.catalogue_data import default_catalogue, with_derived
from wijkwijs.monitoring.cbs_formats import read_cbs
from wijkwijs.monitoring.index import (
    AreaMatrix,
    IndexConfig,
    IndicatorSpec,
    band_of,
    compute_base,
    compute_index,
    explain_movement,
)
from wijkwijs.monitoring.ranking import rank_areas

CONFIG = IndexConfig(
    name="voorbeeld",
    indicators=(
        IndicatorSpec("laag_inkomen", "sociaal", -1, "objective"),
        IndicatorSpec("tevredenheid", "sociaal", 1, "subjective"),
        IndicatorSpec("woz", "fysiek", 1, "objective"),
    ),
)
BASE_YEAR = {
    "WK999901": {"laag_inkomen": 12, "tevredenheid": 6.0, "woz": 200},
    "WK999902": {"laag_inkomen": 8, "tevredenheid": 8.0, "woz": 200},
    "WK999903": {"laag_inkomen": 12, "tevredenheid": None, "woz": 300},
    "WK999904": {"laag_inkomen": 8, "woz": 300},
}
MUNICIPALITY = {"GM9999": {"laag_inkomen": 10.5, "tevredenheid": 7.2, "woz": 260}}


def _example():
    matrix = AreaMatrix.from_values(BASE_YEAR, CONFIG.keys, catalogue={})
    base = compute_base(matrix, CONFIG, reference=MUNICIPALITY, period="2024")
    return base, compute_index(matrix, CONFIG, base)


def test_worked_example_by_hand() -> None:
    base, result = _example()
    # base year: sigma over the wijken (population sd): laag_inkomen {12,8,12,8} -> 2,
    # tevredenheid {6,8} (two missing) -> 1, woz {200,200,300,300} -> 50
    assert base.spread.tolist() == [[2.0, 1.0, 50.0]]
    assert base.center.tolist() == [[10.5, 7.2, 260.0]]
    # indicator scores: 100 + 10 * p * (x - c) / sigma
    a = [100 - 10 * (12 - 10.5) / 2, 100 + 10 * (6 - 7.2) / 1, 100 + 10 * (200 - 260) / 50]
    assert a == pytest.approx([92.5, 88.0, 88.0])
    assert result.scores[0].tolist() == pytest.approx(a)
    # wijk 1: sociaal = (92.5 + 88) / 2 = 90.25; fysiek = 88; total = 89.125
    # wijk 3: subjective part missing, objective covers 0.5 >= min_coverage -> sociaal = 92.5
    assert np.allclose(result.theme_scores, [[90.25, 88.0], [110.25, 88.0], [92.5, 108.0], [112.5, 108.0]])
    assert result.total.tolist() == pytest.approx([89.125, 99.125, 100.25, 110.25])
    assert list(result.bands) == ["unfavourable", "average", "average", "favourable"]


def test_every_score_is_explained_down_to_its_indicators() -> None:
    _, result = _example()
    explained = {e["key"]: e for e in result.explain("WK999901")}
    assert explained["laag_inkomen"]["value"] == 12 and explained["laag_inkomen"]["base_value"] == 10.5
    assert explained["laag_inkomen"]["weight_in_total"] == 0.25
    assert explained["woz"]["weight_in_total"] == 0.5
    assert explained["laag_inkomen"]["points_vs_100"] == pytest.approx(-1.875)
    assert explained["tevredenheid"]["points_vs_100"] == pytest.approx(-3.0)
    assert explained["woz"]["points_vs_100"] == pytest.approx(-6.0)
    assert sum(e["contribution_to_total"] for e in explained.values()) == pytest.approx(89.125)
    assert explained["laag_inkomen"]["contribution_to_theme"] == pytest.approx(46.25)
    assert np.allclose(result.points().sum(axis=1), result.total - 100)
    w3 = {e["key"]: e for e in result.explain("WK999903")}
    assert w3["tevredenheid"]["score"] is None and w3["laag_inkomen"]["weight_in_total"] == 0.5


def test_movement_between_periods_is_attributed_to_indicators() -> None:
    base, before = _example()
    later = {**BASE_YEAR, "WK999901": {**BASE_YEAR["WK999901"], "laag_inkomen": 11}}
    after = compute_index(AreaMatrix.from_values(later, CONFIG.keys, catalogue={}), CONFIG, base)
    move = explain_movement(before, after)
    # laag_inkomen 12 -> 11: score 92.5 -> 97.5, weight 0.25 -> +1.25 points
    assert move.delta.tolist() == pytest.approx([1.25, 0, 0, 0])
    assert move.for_area("WK999901") == [("laag_inkomen", pytest.approx(1.25))]
    assert np.allclose(move.points.sum(axis=1), move.delta)


def test_too_few_indicators_gives_no_score() -> None:
    cfg = IndexConfig(name="x", indicators=CONFIG.indicators, min_coverage=0.75)
    matrix = AreaMatrix.from_values(BASE_YEAR, cfg.keys, catalogue={})
    result = compute_index(matrix, cfg, compute_base(matrix, cfg, reference=MUNICIPALITY))
    # wijk 3 lacks the subjective half of sociaal: 0.5 < 0.75 -> no sociaal, total only fysiek
    # covers 1 of 2 themes: 0.5 < 0.75 -> no total
    assert math.isnan(result.theme_scores[2, 0]) and math.isnan(result.total[2])
    assert result.total[0] == pytest.approx(89.125)


def test_ratio_method_and_area_mean_centre() -> None:
    cfg = IndexConfig(name="r", indicators=CONFIG.indicators, method="ratio", center="area_mean")
    matrix = AreaMatrix.from_values(BASE_YEAR, cfg.keys, catalogue={})
    result = compute_index(matrix, cfg, compute_base(matrix, cfg))
    # laag_inkomen mean 10: 100 - 100 * (12 / 10 - 1) = 80; woz mean 250: 100 * 200 / 250 = 80
    assert result.scores[0, 0] == pytest.approx(80.0) and result.scores[0, 2] == pytest.approx(80.0)
    assert result.scores[0, 1] == pytest.approx(100 + 100 * (6 / 7 - 1))


def test_band_boundaries() -> None:
    assert [band_of(x) for x in (69.9, 70, 89.99, 90, 110, 110.01)] == [
        "strongly_unfavourable",
        "unfavourable",
        "unfavourable",
        "average",
        "average",
        "favourable",
    ]
    assert band_of(float("nan")) is None


def test_small_areas_are_not_scored_nor_used_for_the_spread() -> None:
    data = {c: {**v, "AantalInwoners": 1000} for c, v in BASE_YEAR.items()}
    data["WK999905"] = {"laag_inkomen": 40, "tevredenheid": 1, "woz": 900, "AantalInwoners": 20}
    cfg = IndexConfig(name="x", indicators=CONFIG.indicators, min_population=250)
    matrix = AreaMatrix.from_values(data, cfg.keys, catalogue={})
    base = compute_base(matrix, cfg, reference=MUNICIPALITY)
    assert base.spread.tolist() == [[2.0, 1.0, 50.0]]
    result = compute_index(matrix, cfg, base)
    assert math.isnan(result.total[4]) and not result.scored[4]


def test_derived_indicators_from_counts() -> None:
    rows = {r.code: r for r in read_cbs(Path(__file__).parent / "data" / "kwb_2024_oss.csv").rows}
    v = with_derived(rows["GM0828"].values)
    assert v["share_age_65_plus"] == pytest.approx(100 * 19769 / 94634)
    assert v["share_origin_outside_europe"] == pytest.approx(100 * 12671 / 94634)
    assert v["dwellings_per_1000_inhabitants"] == pytest.approx(1000 * 42122 / 94634)
    assert v["share_low_education"] is None  # inputs not in this file
    tiny = with_derived(rows["BU08280200"].values)  # Moleneind, 25 inhabitants
    assert tiny["share_age_0_14"] is None
    cat = default_catalogue()
    assert cat["AantalInwoners"].credit.startswith("Bron: CBS") and cat["AantalInwoners"].is_count
    assert cat["HuishoudensTot110VanSociaalMinimum"].polarity == "higher_worse"
    assert cat["share_age_65_plus"].polarity == "context"
    assert cat["Nederland"].name_en.startswith("Country of origin")


@pytest.mark.slow
def test_index_and_ranking_for_a_national_sized_set() -> None:
    rng = np.random.default_rng(1)
    k, n_gm, per_gm = 12, 345, 53  # 18,285 areas
    cfg = IndexConfig(
        name="speed",
        min_population=250,
        indicators=tuple(
            IndicatorSpec(f"i{j}", f"t{j % 4}", 1 if j % 2 else -1, "objective" if j % 3 else "subjective")
            for j in range(k)
        ),
    )
    values = rng.normal(50, 10, size=(n_gm * per_gm, k))
    values[rng.random(values.shape) < 0.05] = np.nan
    codes = tuple(f"BU{g:04d}{a:04d}" for g in range(n_gm) for a in range(per_gm))
    reference = {f"GM{g:04d}": {f"i{j}": 50.0 for j in range(k)} for g in range(n_gm)}
    data = {
        c: {f"i{j}": None if np.isnan(v) else float(v) for j, v in enumerate(row)} | {"AantalInwoners": float(p)}
        for c, row, p in zip(codes, values, rng.integers(0, 5000, len(codes)), strict=True)
    }
    # Speed: benchmarks/bench_monitor_import.py (no timed assertions in tests).
    matrix = AreaMatrix.from_values(data, cfg.keys, catalogue={})
    result = compute_index(matrix, cfg, compute_base(matrix, cfg, reference=reference))
    rows = rank_areas(result).rows()
    assert len(rows) == len(data) and rows[0]["rank"] == 1

from pathlib import Path

import numpy as np

from wijkwijs.monitoring.catalogue_data import load_dictionary
from wijkwijs.monitoring.cbs_formats import read_cbs
from wijkwijs.monitoring.demo_series import (
    DEMO_CREDIT,
    DEMO_SOURCE,
    demo_index_config,
    generate_demo_series,
    round_to_5,
    suppress,
)
from wijkwijs.monitoring.index import AreaMatrix, compute_base, compute_index

ROWS = read_cbs(Path(__file__).parent / "data" / "kwb_2024_oss.csv").rows


def test_demo_series_is_deterministic_and_independent_of_row_order() -> None:
    a = generate_demo_series(ROWS)
    b = generate_demo_series(list(reversed(ROWS)))
    key = lambda r: (r.code, r.period)  # noqa: E731
    assert sorted(a, key=key) == sorted(b, key=key)
    c = generate_demo_series(ROWS, seed=1)
    assert sorted(c, key=key) != sorted(a, key=key)


def test_demo_rows_are_labelled_and_never_use_cbs_keys() -> None:
    rows = generate_demo_series(ROWS, years=range(2019, 2025))
    cbs_keys = set(load_dictionary().by_key)
    assert {r.period for r in rows} == {str(y) for y in range(2019, 2025)}
    for r in rows:
        assert r.source == DEMO_SOURCE and r.attributes["bron"] == DEMO_CREDIT
        assert all(k.startswith("demo_") and k not in cbs_keys for k in r.values)
    base_year = [r for r in rows if r.period == "2024"]
    assert all("demo_AantalInwoners" not in r.values for r in base_year)  # 2024 is CBS's


def test_counts_are_rounded_to_5_below_gemeente_and_small_areas_suppressed() -> None:
    rows = generate_demo_series(ROWS, years=[2020])
    for r in rows:
        if r.level in ("WK", "BU"):
            assert all(
                v is None or v % 5 == 0
                for k, v in r.values.items()
                if k in ("demo_AantalInwoners", "demo_k_65JaarOfOuder")
            )
    by_code = {r.code: r for r in generate_demo_series(ROWS, years=[2020], min_population=250)}
    assert by_code["WK082805"].values["demo_eenzaamheid"] is None  # 140 inhabitants
    assert by_code["WK082802"].values["demo_eenzaamheid"] is not None  # 330 inhabitants
    assert "demo_eenzaamheid" not in by_code["BU08280000"].values  # survey: GM and WK only
    assert suppress(12.0, 99, 100) is None and suppress(12.0, 100, 100) == 12.0
    assert suppress(12.0, None, 100) is None and round_to_5(12.4) == 10 and round_to_5(12.5) == 15


def test_demo_index_runs_on_the_generated_wijk_figures() -> None:
    rows = generate_demo_series(ROWS, years=[2024])
    cfg = demo_index_config()
    pops = {r.code: r.values["AantalInwoners"] for r in ROWS}
    data = {r.code: {**r.values, "AantalInwoners": pops[r.code]} for r in rows if r.level == "WK"}
    ref = {r.code: r.values for r in rows if r.level == "GM"}
    matrix = AreaMatrix.from_values(data, cfg.keys)
    result = compute_index(matrix, cfg, compute_base(matrix, cfg, reference=ref))
    scored = ~np.isnan(result.total)
    assert scored.sum() == 22  # 23 wijken minus Industrieterreinen-Noord (140 inhabitants)
    assert np.isnan(result.total[matrix.codes.index("WK082805")])
    assert np.all((result.total[scored] > 60) & (result.total[scored] < 140))

import pytest

from wijkwijs.monitoring.cbs_formats import Row
from wijkwijs.monitoring.changes import ChangeConfig, Threshold, change_report


def _row(code: str, period: str, comparable: str = "1", **values: float | None) -> Row:
    level = code[:2]
    return Row(
        code,
        code,
        level,
        None,
        period,
        dict(values),  # type: ignore[arg-type]
        {"IndelingswijzigingGemeenteWijkBuurt": comparable},
    )


def test_notable_changes_with_thresholds_rounding_and_order() -> None:
    before = [
        _row("WK082801", "2023", AantalInwoners=1000, k_65JaarOfOuder=100, OnbewoondeWoningen=4),
        _row("BU08280101", "2023", AantalInwoners=60, k_65JaarOfOuder=10),
        _row("GM0828", "2023", AantalInwoners=94000, k_0Tot15Jaar=50),
        _row("WK082802", "2023", AantalInwoners=500),
    ]
    after = [
        _row("WK082801", "2024", AantalInwoners=1050, k_65JaarOfOuder=130, OnbewoondeWoningen=7),
        _row("BU08280101", "2024", AantalInwoners=65, k_65JaarOfOuder=15),
        _row("GM0828", "2024", AantalInwoners=94634, k_0Tot15Jaar=58),
        _row("WK082802", "2024", "2", AantalInwoners=900),
    ]
    report = change_report(before, after)
    got = [(c.code, c.key, c.delta) for c in report.changes]
    # k_65 +30 (30 %, 3x the 10 % threshold); GM k_0Tot15 +8 (16 %, exact at gemeente level);
    # vacancy +3 %-points (1.5x the 2-point threshold); inhabitants +5 % is below 10 %;
    # the buurt's +5 and +5 are within CBS rounding (|delta| <= 8) although +50 % / +8 %
    assert got == [
        ("WK082801", "k_65JaarOfOuder", 30),
        ("GM0828", "k_0Tot15Jaar", 8),
        ("WK082801", "OnbewoondeWoningen", 3),
    ]
    assert report.changes[0].magnitude == pytest.approx(3.0) and report.changes[0].direction == "up"
    assert report.not_comparable == ["WK082802"]
    assert report.within_rounding == 1
    assert report.period_before == "2023" and report.period_after == "2024"
    assert set(report.by_area()) == {"WK082801", "GM0828"}


def test_configurable_thresholds_and_missing_values() -> None:
    before = [_row("WK082801", "2023", AantalInwoners=1000, Mannen=None)]
    after = [_row("WK082801", "2024", AantalInwoners=1030, Mannen=500)]
    loose = ChangeConfig(thresholds={"AantalInwoners": Threshold(absolute=20, relative=0.02)})
    report = change_report(before, after, loose)
    assert [(c.key, c.relative) for c in report.changes] == [("AantalInwoners", 0.03)]
    strict = ChangeConfig(thresholds={"AantalInwoners": Threshold(absolute=50, relative=0.02)})
    assert change_report(before, after, strict).changes == []

"""The index, ranking and change report on stored figures: the hand-computed example of
docs/monitoring-index.md through the database, explanation sums, weights and definitions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wijkwijs.areas import services as area_services
from wijkwijs.audit.models import AuditEvent
from wijkwijs.core.errors import DomainError
from wijkwijs.monitoring import index_selectors as isel
from wijkwijs.monitoring.index import IndexConfig, IndicatorSpec
from wijkwijs.monitoring.index_services import index_definition_ensure
from wijkwijs.monitoring.models import IndexDefinition, Indicator, Observation, Source
from wijkwijs.monitoring.ranking import RankingConfig

pytestmark = pytest.mark.django_db

HAND = {  # docs/monitoring-index.md section 3
    "GM9999": {"laag_inkomen": 10.5, "tevredenheid": 7.2, "woz": 260},
    "WK999901": {"laag_inkomen": 12, "tevredenheid": 6, "woz": 200},
    "WK999902": {"laag_inkomen": 8, "tevredenheid": 8, "woz": 200},
    "WK999903": {"laag_inkomen": 12, "tevredenheid": None, "woz": 300},
    "WK999904": {"laag_inkomen": 8, "tevredenheid": None, "woz": 300},
}
HAND_CONFIG = IndexConfig(
    name="Handvoorbeeld",
    indicators=(
        IndicatorSpec("laag_inkomen", "sociaal", -1, "objective"),
        IndicatorSpec("tevredenheid", "sociaal", 1, "subjective"),
        IndicatorSpec("woz", "fysiek", 1, "objective"),
    ),
)


def _store(period: str, data: dict[str, dict[str, float | None]]) -> None:
    source, _ = Source.objects.get_or_create(slug="hand", defaults={"name": "hand", "credit": "hand"})
    from wijkwijs.areas.models import Area

    for key in ("laag_inkomen", "tevredenheid", "woz", "AantalInwoners"):
        Indicator.objects.get_or_create(key=key, defaults={"name_nl": key, "source": source})
    for code, values in data.items():
        area = Area.objects.get(code=code)
        for key, value in {**values, "AantalInwoners": 1000}.items():
            Observation.objects.update_or_create(
                area=area, indicator=Indicator.objects.get(key=key), period=period,
                defaults={"value": value, "source": source},
            )


@pytest.fixture
def hand(now):
    area_services.areas_ensure(
        rows=[{"code": c, "name": f"Wijk {c[-2:]}" if c.startswith("WK") else "Voorbeeldgemeente"} for c in HAND],
        source="test", actor=None, now=now,
    )
    _store("2030", HAND)
    return index_definition_ensure(slug="hand", config=HAND_CONFIG, base_period="2030", actor=None, now=now)


def test_hand_computed_example_through_the_database(hand):
    run = isel.index_run(definition=hand, level="WK")
    totals = {c: run.result.total[run.result.row(c)] for c in HAND if c.startswith("WK")}
    assert totals == pytest.approx({"WK999901": 89.125, "WK999902": 99.125, "WK999903": 100.25, "WK999904": 110.25})
    points = {e["key"]: e["points_vs_100"] for e in run.result.explain("WK999901")}
    assert points == pytest.approx({"laag_inkomen": -1.875, "tevredenheid": -3.0, "woz": -6.0})
    # Oss wijken have none of these indicators: they get no score, they do not break the run
    assert math.isnan(run.result.total[run.result.row("WK082801")])
    assert isel.municipality_scores(run)["GM9999"] == pytest.approx(100.0)


def test_movement_between_two_periods_is_attributed_exactly(hand, now):
    _store("2031", {**HAND, "WK999901": {**HAND["WK999901"], "laag_inkomen": 11}})
    run = isel.index_run(definition=hand, level="WK")
    assert (run.period, run.previous_period, run.base_period) == ("2031", "2030", "2030")
    i = run.movement.codes.index("WK999901")
    assert run.movement.delta[i] == pytest.approx(1.25)
    assert run.movement.for_area("WK999901") == [("laag_inkomen", pytest.approx(1.25))]


def test_explanations_sum_to_the_score_for_every_demo_area():
    definition = isel.definition_get("demo")
    for level in ("WK", "BU"):
        run = isel.index_run(definition=definition, level=level)
        scored = 0
        for i, code in enumerate(run.result.codes):
            if math.isnan(run.result.total[i]):
                continue
            scored += 1
            pts = sum(e["points_vs_100"] or 0 for e in run.result.explain(code))
            assert pts == pytest.approx(run.result.total[i] - 100)
        if level == "WK":
            assert scored >= 20
            moved = np.nansum(run.movement.points, axis=1)
            ok = ~np.isnan(run.movement.delta)
            assert np.allclose(moved[ok], run.movement.delta[ok])


def test_ranking_weights_change_the_order_and_need_follows_the_weighted_themes():
    run = isel.index_run(definition=isel.definition_get("demo"), level="WK")
    social_only = isel.ranking_for(run, RankingConfig(theme_weights={"sociaal": 1, "fysiek": 0, "veiligheid": 0}))
    themes = run.config.themes
    for i in np.flatnonzero(np.array(social_only.status) == "ranked"):
        assert social_only.need[i] == pytest.approx(100 - run.result.theme_scores[i, themes.index("sociaal")])
        assert social_only.points[i].sum() == pytest.approx(social_only.need[i])
    even = isel.ranking_for(run, RankingConfig())
    first = [social_only.codes[i] for i in social_only.order[:5]]
    assert first != [even.codes[i] for i in even.order[:5]]


def test_clusters_are_ranked_with_population_weighted_values():
    from wijkwijs.areas.models import Clustering

    clustering = Clustering.objects.get(slug="wijkzaken")
    run = isel.index_run(definition=isel.definition_get("demo"), level=clustering.unit_level, clustering=clustering)
    assert len(run.result.codes) == 11
    ranking = isel.ranking_for(run, RankingConfig(min_population=0))
    assert sum(s == "ranked" for s in ranking.status) >= 10


def test_unknown_indicator_key_is_refused(now):
    bad = IndexConfig(name="Fout", indicators=(IndicatorSpec("GeenBestaandeSleutel", "sociaal", -1),))
    with pytest.raises(DomainError, match="GeenBestaandeSleutel"):
        index_definition_ensure(slug="fout", config=bad, actor=None, now=now)
    assert not IndexDefinition.objects.filter(slug="fout").exists()


def test_definitions_are_versioned_and_every_change_audited(now):
    config = IndexConfig(name="Proef", indicators=(IndicatorSpec("demo_jeugdzorg", "sociaal", -1),))
    first = index_definition_ensure(slug="proef", config=config, actor=None, now=now)
    assert first.version == 1
    again = index_definition_ensure(slug="proef", config=config, actor=None, now=now)
    assert again.version == 1  # same configuration: no new version, no event
    heavier = IndexConfig(name="Proef", indicators=(IndicatorSpec("demo_jeugdzorg", "sociaal", -1, weight=2),))
    changed = index_definition_ensure(slug="proef", config=heavier, actor=None, now=now)
    assert changed.version == 2
    events = AuditEvent.objects.filter(object_type="monitoring.indexdefinition", object_id=str(first.pk)).order_by("id")
    assert [e.action for e in events] == ["monitoring.index_definition_created", "monitoring.index_definition_changed"]
    assert events.last().data["indicators"][0]["weight"] == 2 and events.last().data["version"] == 2


def test_the_shipped_default_index_exists_and_names_catalogue_keys():
    basis = IndexDefinition.objects.get(slug="basis")
    keys = [i.key for i in basis.indicators.all()]
    assert "HuishoudensTot110VanSociaalMinimum" in keys and len(keys) == 11
    catalogue = isel.catalogue()
    assert all(k in catalogue for k in keys)


def test_change_report_finds_the_notable_demo_changes():
    report = isel.change_report_for(before="2023", after="2024", level="WK")
    assert report.changes
    for change in report.changes:
        assert change.magnitude >= 1
        assert change.key.startswith("demo_")  # CBS keys exist for 2024 only
    pct = [c for c in report.changes if c.key == "demo_eenzaamheid"]
    assert all(abs(c.delta) >= 2 for c in pct)  # percentages: 2 percentage points


def test_areas_whose_boundaries_changed_are_left_out_of_the_change_report(client, user_with_role):
    from wijkwijs.monitoring.models import AreaAttribute

    report = isel.change_report_for(before="2023", after="2024", level="WK")
    moved = report.changes[0].code
    assert report.not_comparable == []  # every Oss area carries CBS flag 1 in 2024
    flag = AreaAttribute.objects.get(area__code=moved, key="IndelingswijzigingGemeenteWijkBuurt", period="2024")
    assert flag.value == "1"
    flag.value = "3"  # CBS: the boundaries changed since the year before
    flag.save()
    report = isel.change_report_for(before="2023", after="2024", level="WK")
    assert report.not_comparable == [moved]
    assert moved not in {c.code for c in report.changes}
    # a flag of a year before the earlier period does not matter
    flag.period = "2023"
    flag.save()
    assert isel.change_report_for(before="2023", after="2024", level="WK").not_comparable == []
    flag.period = "2024"
    flag.save()
    client.force_login(user_with_role("coordinator"))
    page = client.get("/monitor/veranderingen?before=2023&after=2024&level=WK").content.decode()
    assert 'id="not-comparable"' in page and f"({moved})" in page


def test_derived_indicators_from_the_database_equal_the_catalogue_rule():
    keys = ("share_age_0_14", "share_age_65_plus", "share_origin_outside_europe", "AantalInwoners")
    config = IndexConfig(name="x", indicators=tuple(IndicatorSpec(k, "t", 1) for k in keys))
    figs = isel.figures(isel.input_keys(keys), "2024", ("GM", "BU"))
    table = isel._table(isel.input_keys(keys), ["2024"], ("GM", "BU"))
    matrix = isel._matrix(table, "2024", config, "BU", None)
    from wijkwijs.monitoring.index import AreaMatrix

    data = {c: figs.values[c] for c in matrix.codes}
    reference = AreaMatrix.from_values(data, keys, catalogue=isel.catalogue())
    assert matrix.codes == reference.codes and len(matrix.codes) == 106
    assert np.array_equal(matrix.values, reference.values, equal_nan=True)
    assert np.array_equal(matrix.population, reference.population, equal_nan=True)
    assert np.isnan(matrix.values).any()  # buurten with too few inhabitants have no share
    gm = isel._reference(table, "2024", config.keys)
    cat = isel.catalogue()
    by_rule = {
        c: {k: cat[k].derived.compute(v) if cat[k].derived else v.get(k) for k in keys}  # type: ignore[union-attr]
        for c, v in figs.values.items()
        if figs.levels[c] == "GM"
    }
    assert gm == by_rule


def test_population_missing_in_a_period_is_taken_from_the_latest(hand):
    # the size rule uses the latest population when a period has none (here: 2029 has none)
    _store("2029", HAND)
    Observation.objects.filter(period="2029", indicator__key="AantalInwoners").delete()
    table = isel._table({"laag_inkomen", "AantalInwoners"}, ["2029", "2030"], ("GM", "WK"))
    assert np.isnan(table.column("2029", "AantalInwoners")).all()
    isel._with_population(table, "2030")
    rows = [table.codes.index(c) for c in HAND if c.startswith("WK")]
    assert table.column("2029", "AantalInwoners")[rows].tolist() == [1000.0] * 4
    run = isel.index_run(definition=hand, level="WK", period="2029")
    assert run.result.total[run.result.row("WK999901")] == pytest.approx(89.125)


def test_index_reads_the_figures_in_a_few_queries():
    # a constant number of queries, whatever the number of areas: one look-up per stored period
    # (which periods have figures), then the areas, the indicators and one query per period used
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    definition = isel.definition_get()
    counts = []
    for level in ("WK", "BU"):
        with CaptureQueriesContext(connection) as queries:
            run = isel.index_run(definition=definition, level=level)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3 + len(run.periods) + 2 + 3 + 1

import pytest

from wijkwijs.areas import selectors, services
from wijkwijs.areas.models import Area, Clustering
from wijkwijs.audit.models import AuditEvent
from wijkwijs.core.errors import DomainError, ImportRejected

pytestmark = pytest.mark.django_db

WIJKEN = [f"WK0828{n:02d}" for n in range(23)]


def csv_of(rows, header="wijk,cluster"):
    return ("\n".join([header, *(f"{c},{k}" for c, k in rows)]) + "\n").encode()


def test_the_oss_register_is_complete():
    assert Area.objects.filter(level="GM").count() == 1
    assert Area.objects.filter(level="WK").count() == 23
    assert Area.objects.filter(level="BU").count() == 106
    assert Area.objects.filter(level="BU", geometry__isnull=True).count() == 0
    assert Area.objects.get(code="BU08280402").parent.code == "WK082804"
    assert Area.objects.get(code="WK082810").kind == "kern"


def test_import_a_clustering_with_every_wijk(now):
    rows = [(c, "Noord" if i < 12 else "Zuid") for i, c in enumerate(WIJKEN)]
    c = services.clustering_import(data=csv_of(rows), source="t.csv", name="Test", unit_level="WK", actor=None, now=now)
    assert c.clusters.count() == 2 and c.members.count() == 23
    assert selectors.clustering_gaps(c) == []
    assert AuditEvent.objects.filter(action="clustering.imported", object_id=str(c.pk)).exists()


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ([(c, "A") for c in WIJKEN[:-1]], "WK082822 ontbreekt"),
        ([(c, "A") for c in WIJKEN] + [("WK082801", "B")], "WK082801 staat er al in (rij 3)"),
        ([(c, "A") for c in WIJKEN] + [("WK082899", "B")], "WK082899 staat niet in het gebiedsregister"),
        ([(c, "A") for c in WIJKEN] + [("BU08280101", "B")], "BU08280101 is geen wijk"),
        ([(c, "A") for c in WIJKEN] + [("Oss", "B")], "'Oss' is geen gebiedscode"),
        ([(c, "A") for c in WIJKEN] + [("WK082801", "")], "verwacht twee kolommen"),
    ],
)
def test_a_bad_clustering_is_rejected_whole_naming_file_row_and_reason(rows, reason, now):
    before = Clustering.objects.count()
    with pytest.raises(ImportRejected) as exc:
        services.clustering_import(data=csv_of(rows), source="indeling.csv", name="Kapot", unit_level="WK", actor=None, now=now)
    messages = [str(p) for p in exc.value.problems]
    assert any(reason in m for m in messages), messages
    assert all(m.startswith("indeling.csv") for m in messages)
    assert Clustering.objects.count() == before
    assert not Clustering.objects.filter(slug="kapot").exists()


def test_gaps_can_be_accepted_and_are_then_reported(now):
    c = services.clustering_import(
        data=csv_of([(c, "A") for c in WIJKEN[:20]]), source="t.csv", name="Deels", unit_level="WK",
        allow_gaps=True, actor=None, now=now,
    )
    assert [a.code for a in selectors.clustering_gaps(c)] == WIJKEN[20:]


def test_empty_and_binary_files_are_rejected(now):
    with pytest.raises(ImportRejected, match="leeg"):
        services.clustering_import(data=b"", source="leeg.csv", name="Leeg", unit_level="WK", actor=None, now=now)
    with pytest.raises(ImportRejected):
        services.clustering_import(data=b"\xff\xfe\x00\x00garbage\x81", source="x.csv", name="X", unit_level="WK", actor=None, now=now)


def test_existing_clustering_is_not_overwritten_without_replace(now):
    rows = [(c, "A") for c in WIJKEN]
    with pytest.raises(DomainError, match="bestaat al"):
        services.clustering_import(data=csv_of(rows), source="t.csv", name="x", slug="ibor", unit_level="WK", actor=None, now=now)
    c = services.clustering_import(data=csv_of(rows), source="t.csv", name="IBOR nieuw", slug="ibor", unit_level="WK", replace=True, actor=None, now=now)
    assert c.clusters.count() == 1


def test_compare_wijk_and_buurt_clusterings_on_buurten():
    cmp = selectors.clusterings_compare(selectors.clustering_get("wijkzaken"), selectors.clustering_get("vth"))
    assert cmp.unit_level == "BU"
    assert cmp.result.common_units == 106
    disagreeing = {u for u, _, _ in cmp.result.disagreements}
    assert "BU08280402" in disagreeing  # Mettegeupel: Centrum-gebied vs Toezicht Noordwest
    assert 0 < cmp.result.adjusted_rand_index < 1


def test_move_a_unit_between_clusters(now):
    c = selectors.clustering_get("ibor")
    target = c.clusters.get(name="Maasdorpen")
    area = Area.objects.get(code="WK082810")
    services.clustering_move_unit(clustering=c, area=area, cluster=target, actor=None, now=now)
    assert selectors.clustering_assignment(c)["WK082810"] == "Maasdorpen"
    services.clustering_move_unit(clustering=c, area=area, cluster=None, actor=None, now=now)
    assert [a.code for a in selectors.clustering_gaps(c)] == ["WK082810"]
    with pytest.raises(DomainError):
        services.clustering_move_unit(clustering=c, area=Area.objects.get(code="BU08280101"), cluster=target, actor=None, now=now)


def test_boundaries_for_unknown_areas_are_rejected_and_change_nothing(now):
    geo = b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"statcode":"WK082801"},"geometry":{"type":"Polygon","coordinates":[[[5.5,51.7],[5.6,51.7],[5.6,51.8],[5.5,51.7]]]}},{"type":"Feature","properties":{"statcode":"WK082899"},"geometry":{"type":"Polygon","coordinates":[[[5.5,51.7],[5.6,51.7],[5.6,51.8],[5.5,51.7]]]}}]}'
    before = Area.objects.get(code="WK082801").geometry
    with pytest.raises(ImportRejected) as exc:
        services.boundaries_import(data=geo, source="grenzen.geojson", actor=None, now=now)
    assert "WK082899: onbekend gebied" in str(exc.value)
    assert Area.objects.get(code="WK082801").geometry == before


def test_boundaries_can_create_missing_areas_and_reimport_is_a_no_op(now):
    geo = b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"buurtcode":"BU08289901","buurtnaam":"Nieuwbouw"},"geometry":{"type":"Polygon","coordinates":[[[5.5,51.7],[5.6,51.7],[5.6,51.8],[5.5,51.7]]]}}]}'
    with pytest.raises(ImportRejected, match="bovenliggende gebied WK082899"):
        services.boundaries_import(data=geo, source="g.geojson", create_missing=True, actor=None, now=now)
    geo = geo.replace(b"BU08289901", b"BU08281099")
    report = services.boundaries_import(data=geo, source="g.geojson", create_missing=True, actor=None, now=now)
    assert report.updated == 1
    assert Area.objects.get(code="BU08281099").parent.code == "WK082810"
    again = services.boundaries_import(data=geo, source="g.geojson", create_missing=True, actor=None, now=now)
    assert (again.updated, again.unchanged) == (0, 1)


def test_areas_are_closed_not_deleted(now):
    area = Area.objects.get(code="BU08280501")
    services.area_close(area=area, valid_to=now.date(), actor=None, now=now)
    assert not selectors.areas_list(level="BU").filter(code="BU08280501").exists()
    assert Area.objects.filter(code="BU08280501").exists()
    with pytest.raises(DomainError):
        services.area_close(area=area, valid_to=now.date(), actor=None, now=now)


def test_point_lookup_uses_the_buurt_and_follows_the_register():
    found = selectors.area_lookup(lon=5.53, lat=51.765)
    assert found["BU"].code.startswith("BU0828")
    assert found["WK"].code == found["BU"].parent.code
    assert found["GM"].code == "GM0828"
    assert selectors.area_lookup(lon=4.9, lat=52.37) == {}  # Amsterdam


def test_assignments_come_from_area_parents_and_clusters():
    area = Area.objects.get(code="BU08280101")
    roles = {a.role for a in selectors.area_assignments(area, public_only=True)}
    assert {"coordinator", "alderman", "area_manager", "council"} <= roles
    assert "beheer" not in roles
    assert "beheer" in {a.role for a in selectors.area_assignments(area, public_only=False)}


def test_areas_ensure_returns_the_id_of_every_area_of_its_rows(now):
    rows = [{"code": "BU08289901", "name": "Nieuwe buurt"}, {"code": "WK082899", "name": "Nieuwe wijk"},
            {"code": "wk082800 ", "name": "Centrum"}]
    result = services.areas_ensure(rows=rows, source="test", actor=None, now=now)
    assert result.ids == dict(Area.objects.filter(code__in=["BU08289901", "WK082899", "WK082800"]).values_list("code", "pk"))
    assert result.created_codes == {"BU08289901", "WK082899"} and result.created == 2
    assert Area.objects.get(code="BU08289901").parent.code == "WK082899"
    events = AuditEvent.objects.filter(action="area.created", object_id__in=[str(result.ids[c]) for c in result.created_codes])
    assert sorted(e.object_repr for e in events) == ["Nieuwe buurt (BU08289901)", "Nieuwe wijk (WK082899)"]
    assert all(e.data == {"source": "test"} and e.actor_label == "systeem" for e in events)

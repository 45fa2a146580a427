import json

import pytest

from wijkwijs.areas.geometry import PointIndex, rd_to_wgs84, read_features

SQUARE_WGS = [[[5.50, 51.75], [5.52, 51.75], [5.52, 51.77], [5.50, 51.77], [5.50, 51.75]]]


def collection(*features, crs=None):
    doc = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc)


def feature(code, coords, name="X", key="statcode"):
    return {"type": "Feature", "properties": {key: code, "statnaam": name}, "geometry": {"type": "Polygon", "coordinates": coords}}


def test_reads_wgs84_features_with_cbs_properties():
    feats, problems = read_features(collection(feature("WK082801", SQUARE_WGS, "Schadewijk")), "w.geojson")
    assert problems == []
    assert feats[0].code == "WK082801" and feats[0].name == "Schadewijk"
    assert feats[0].geometry["type"] == "Polygon"


def test_rd_new_is_transformed_to_wgs84_declared_or_recognised():
    # Amersfoort (the RD origin, x=155000 y=463000) lies at about 5.3872 E, 52.1552 N.
    lon, lat = rd_to_wgs84(155000, 463000)
    assert lon == pytest.approx(5.3872, abs=1e-3) and lat == pytest.approx(52.1552, abs=1e-3)
    square = [[[160000, 418000], [161000, 418000], [161000, 419000], [160000, 419000], [160000, 418000]]]
    for crs in ("urn:ogc:def:crs:EPSG::28992", None):
        feats, problems = read_features(collection(feature("BU08280101", square, key="buurtcode"), crs=crs), "rd.geojson")
        assert problems == []
        x0, y0 = feats[0].geometry["coordinates"][0][0]
        assert 5.4 < x0 < 5.7 and 51.6 < y0 < 51.9


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("not json", "geen geldige JSON"),
        (json.dumps({"type": "Feature"}), "FeatureCollection"),
        (collection(), "geen features"),
        (collection(feature("", SQUARE_WGS)), "geen gebiedscode"),
        (collection({"type": "Feature", "properties": {"statcode": "WK082801"}, "geometry": {"type": "Point", "coordinates": [5.5, 51.7]}}), "(Multi)Polygon"),
        (collection(feature("WK082801", [[[5.5, 51.7], [5.6, 51.8], [5.6, 51.7], [5.5, 51.8], [5.5, 51.7]]])), "ongeldige vorm"),
        (collection(feature("WK082801", SQUARE_WGS), feature("WK082801", SQUARE_WGS)), "komt al voor"),
        (collection(feature("WK082801", SQUARE_WGS), crs="EPSG:3857"), "niet ondersteund"),
    ],
)
def test_bad_geojson_names_the_problem(raw, fragment):
    feats, problems = read_features(raw, "bad.geojson")
    assert problems, "expected a problem"
    assert any(fragment in str(p) for p in problems), [str(p) for p in problems]
    assert all("bad.geojson" in str(p) for p in problems)


def test_point_index_finds_containing_areas_per_level():
    index = PointIndex([
        ("WK000001", "WK", {"type": "Polygon", "coordinates": SQUARE_WGS}),
        ("BU00000101", "BU", {"type": "Polygon", "coordinates": [[[5.50, 51.75], [5.51, 51.75], [5.51, 51.76], [5.50, 51.76], [5.50, 51.75]]]}),
    ])
    assert index.lookup(5.505, 51.755) == {"WK": "WK000001", "BU": "BU00000101"}
    assert index.lookup(5.515, 51.765) == {"WK": "WK000001"}
    assert index.lookup(4.0, 52.0) == {}

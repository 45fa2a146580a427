import io

import pytest

from wijkwijs.areas.models import Clustering

pytestmark = pytest.mark.django_db


def test_list_areas_filters_on_level_and_parent(client):
    r = client.get("/api/v1/areas?level=WK")
    assert r.status_code == 200
    assert r["API-Version"] == "1.0.0"
    body = r.json()
    assert len(body) == 23 and body[0]["code"] == "WK082800"
    assert {"code", "name", "level", "kind", "parent", "validFrom", "validTo", "hasGeometry", "url"} <= set(body[0])
    r = client.get("/api/v1/areas?parent=WK082801")
    assert [a["code"] for a in r.json()] == [f"BU0828010{i}" for i in range(7)]


def test_bad_level_is_a_problem_json_400(client):
    r = client.get("/api/v1/areas?level=XX")
    assert r.status_code == 400
    assert r["Content-Type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == 400 and body["invalidParams"][0]["name"] == "level"


def test_area_detail_and_unknown_area(client):
    r = client.get("/api/v1/areas/wk082801")
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "Schadewijk" and len(body["children"]) == 7
    assert body["clusters"] == []  # clusterings are internal
    assert "beheer" not in {a["role"] for a in body["assignments"]}
    r = client.get("/api/v1/areas/WK082899")
    assert r.status_code == 404 and r["Content-Type"] == "application/problem+json"


def test_staff_see_clusters_and_private_contacts(client_as):
    body = client_as("coordinator").get("/api/v1/areas/WK082801").json()
    assert {c["clustering"] for c in body["clusters"]} >= {"wijkzaken", "ibor"}
    assert "beheer" in {a["role"] for a in body["assignments"]}


def test_boundaries_as_geojson(client):
    r = client.get("/api/v1/area-boundaries?level=BU&parent=WK082804")
    assert r.status_code == 200 and r["Content-Type"] == "application/geo+json"
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 5


@pytest.mark.parametrize(
    ("query", "status"),
    [("lon=5.53&lat=51.765", 200), ("x=161000&y=419000", 200), ("lon=abc&lat=1", 400), ("lon=500&lat=1", 400), ("", 400)],
)
def test_lookup(client, query, status):
    r = client.get(f"/api/v1/lookup?{query}")
    assert r.status_code == status
    if status == 200:
        assert r.json()["wijk"]["code"].startswith("WK0828")
    else:
        assert r["Content-Type"] == "application/problem+json"


def test_lookup_outside_the_municipality_is_empty_not_an_error(client):
    body = client.get("/api/v1/lookup?lon=4.9&lat=52.37").json()
    assert body["wijk"] is None and body["buurt"] is None


def test_clusterings_need_a_staff_role(client, client_as):
    assert client.get("/api/v1/clusterings").status_code == 403
    assert client_as("resident").get("/api/v1/clusterings").status_code == 403
    r = client_as("council").get("/api/v1/clusterings")
    assert r.status_code == 200 and {c["slug"] for c in r.json()} >= {"wijkzaken", "ibor", "welzijn", "vth"}


def test_compare_via_api(client_as):
    c = client_as("coordinator")
    body = c.get("/api/v1/clusterings/compare?a=wijkzaken&b=welzijn").json()
    assert body["unitLevel"] == "WK" and 0 < body["adjustedRandIndex"] < 1
    assert sum(map(sum, body["matrix"])) == 23
    assert c.get("/api/v1/clusterings/compare?a=wijkzaken").status_code == 400
    assert c.get("/api/v1/clusterings/compare?a=wijkzaken&b=nope").status_code == 404


def upload(content: bytes, name="indeling.csv"):
    f = io.BytesIO(content)
    f.name = name
    return f


def test_import_clustering_via_api_needs_manager_and_reports_rows(client_as):
    data = {"name": "API-indeling", "unitLevel": "WK", "file": upload(b"wijk,cluster\nWK082801,A\nWK082899,B\n")}
    assert client_as("coordinator").post("/api/v1/clusterings", data).status_code == 403
    r = client_as("area_manager").post("/api/v1/clusterings", {**data, "file": upload(b"wijk,cluster\nWK082801,A\nWK082899,B\n")})
    assert r.status_code == 422
    assert r["Content-Type"] == "application/problem+json"
    reasons = [p["reason"] for p in r.json()["invalidParams"]]
    assert any("rij 3" in x and "WK082899" in x for x in reasons)
    assert not Clustering.objects.filter(name="API-indeling").exists()
    rows = "\n".join(f"WK0828{n:02d},{'Stad' if n < 10 else 'Kernen'}" for n in range(23)).encode()
    r = client_as("area_manager").post("/api/v1/clusterings", {**data, "file": upload(rows)})
    assert r.status_code == 201 and r.json()["slug"] == "api-indeling"


def test_unknown_api_paths_and_trailing_slashes_are_problem_json(client):
    for path in ("/api/v1/nothing", "/api/v1/areas/"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r["Content-Type"] == "application/problem+json"

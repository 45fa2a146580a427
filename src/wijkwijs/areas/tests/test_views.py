import pytest

from wijkwijs.areas.models import Clustering

pytestmark = pytest.mark.django_db


def test_home_lists_all_wijken_and_buurten(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('href="/gebieden/WK0828') == 23
    assert html.count('href="/gebieden/BU0828') == 106
    assert 'data-geojson-url="/api/v1/area-boundaries?level=WK"' in html


def test_area_page_shows_figures_parent_children_and_responsible(client):
    html = client.get("/gebieden/WK082801").content.decode()
    assert "Schadewijk" in html and "10.575" in html  # CBS 2024 inhabitants
    assert 'href="/gebieden/GM0828"' in html
    assert 'href="/gebieden/BU08280106"' in html
    assert "Carla Coördinator" in html and "Wilma Wethouder" in html and "Wijkraad Schadewijk" in html
    assert "Bron: CBS" in html


def test_small_areas_have_their_detail_figures_suppressed_for_the_public(client, client_as):
    html = client.get("/gebieden/BU08280200").content.decode()  # Moleneind: 25 inhabitants
    assert "kleine aantallen" in html.lower() or "small-number" in html.lower()
    staff = client_as("coordinator").get("/gebieden/BU08280200").content.decode()
    assert "0-14" in staff


def test_unknown_area_is_a_404_page(client):
    r = client.get("/gebieden/WK082899")
    assert r.status_code == 404
    assert b"<html" in r.content


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 403), ("resident", 403), ("council_member", 403), ("council", 200), ("coordinator", 200),
     ("department_staff", 200), ("alderman", 200), ("administrator", 200)],
)
def test_clusterings_are_for_staff_and_council(client, client_as, role, status):
    c = client_as(role) if role else client
    for path in ("/indelingen", "/indelingen/wijkzaken", "/indelingen/vergelijken?a=wijkzaken&b=ibor"):
        assert c.get(path).status_code == status, path


def test_compare_page_shows_matrix_disagreements_and_ari(client_as):
    html = client_as("coordinator").get("/indelingen/vergelijken?a=wijkzaken&b=vth").content.decode()
    assert "ww-matrix" in html
    assert "Mettegeupel" in html
    assert "0,62" in html or "0.62" in html
    geo = client_as("coordinator").get("/indelingen/vergelijken/kaart.geojson?a=wijkzaken&b=vth").json()
    assert sum(f["properties"]["disagree"] for f in geo["features"]) == 25


def test_import_form_redisplays_every_problem_and_keeps_input(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_as("area_manager")
    r = c.post("/indelingen/importeren", {
        "name": "Mijn indeling", "unit_level": "WK", "owner": "Team X",
        "file": SimpleUploadedFile("fout.csv", b"WK082801,A\nWK082899,B\nWK082801,C\n"),
    })
    assert r.status_code == 422
    html = r.content.decode()
    assert "fout.csv, rij 2: WK082899 staat niet in het gebiedsregister" in html
    assert "fout.csv, rij 3: WK082801 staat er al in (rij 1)" in html
    assert 'value="Mijn indeling"' in html and 'value="Team X"' in html
    assert not Clustering.objects.filter(name="Mijn indeling").exists()


def test_import_form_is_for_managers_only(client_as):
    assert client_as("coordinator").get("/indelingen/importeren").status_code == 403
    assert client_as("administrator").get("/indelingen/importeren").status_code == 200


def test_lookup_page(client):
    html = client.get("/opzoeken?lon=5.53&lat=51.765").content.decode()
    assert "/gebieden/WK0828" in html
    r = client.get("/opzoeken?lon=abc")
    assert r.status_code == 200 and "utrecht-form-field-error-message" in r.content.decode()


def test_boundaries_upload_for_administrators_rejects_bad_files_whole(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert client_as("coordinator").get("/gebieden/grenzen-inlezen").status_code == 403
    c = client_as("administrator")
    bad = b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"statcode":"WK082899"},"geometry":{"type":"Polygon","coordinates":[[[5.5,51.7],[5.6,51.7],[5.6,51.8],[5.5,51.7]]]}}]}'
    r = c.post("/gebieden/grenzen-inlezen", {"file": SimpleUploadedFile("grenzen.geojson", bad)})
    assert r.status_code == 422
    assert "WK082899: onbekend gebied" in r.content.decode()
    good = bad.replace(b"WK082899", b"WK082801")
    r = c.post("/gebieden/grenzen-inlezen", {"file": SimpleUploadedFile("grenzen.geojson", good)})
    assert r.status_code == 302
    from wijkwijs.areas.models import Area

    assert Area.objects.get(code="WK082801").geometry["coordinates"][0][0] == [5.5, 51.7]

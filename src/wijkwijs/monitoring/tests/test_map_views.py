import pytest

pytestmark = pytest.mark.django_db


def feature_values(client, query):
    fc = client.get(f"/monitor/kaart.geojson?{query}").json()
    return {f["properties"]["code"]: f["properties"]["value"] for f in fc["features"]}


def test_choropleth_of_any_indicator_with_the_figures_as_a_table(client):
    r = client.get("/monitor/kaart?indicator=k_65JaarOfOuder&level=WK&period=2024")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-choropleth-property="value"' in html and "Bron: CBS" in html
    assert html.count('href="/gebieden/WK0828') == 23
    values = feature_values(client, "indicator=AantalInwoners&level=WK&period=2024")
    assert len(values) == 23 and values["WK082801"] == 10575


def test_small_areas_are_suppressed_for_the_public_but_not_for_staff(client, client_as):
    query = "indicator=k_65JaarOfOuder&level=BU&period=2024"
    public = feature_values(client, query)
    assert public["BU08280200"] is None  # Moleneind, 25 inhabitants
    assert public["BU08280100"] is not None
    html = client.get(f"/monitor/kaart?{query}").content.decode()
    assert "afgeschermd" in html
    staff = feature_values(client_as("coordinator"), query)
    assert staff["BU08280200"] is not None


def test_bad_parameters_fall_back_to_sensible_defaults(client):
    r = client.get("/monitor/kaart?indicator=nope&level=XX&period=1900")
    assert r.status_code == 200
    assert "Aantal inwoners" in r.content.decode()

import pytest

pytestmark = pytest.mark.django_db


def test_indicator_catalogue(client):
    body = client.get("/api/v1/indicators").json()
    keys = {i["key"] for i in body}
    assert {"AantalInwoners", "k_65JaarOfOuder", "Woningvoorraad"} <= keys
    pop = next(i for i in body if i["key"] == "AantalInwoners")
    assert pop["credit"].startswith("Bron: CBS") and pop["isDemo"] is False


def test_observations_of_an_area(client):
    r = client.get("/api/v1/observations?area=GM0828&indicator=AantalInwoners")
    assert r.status_code == 200
    assert r.json() == [{"area": "GM0828", "indicator": "AantalInwoners", "period": "2024", "value": 94634.0}]


def test_small_areas_are_suppressed_in_the_api_for_the_public(client, client_as):
    public = {r["indicator"]: r["value"] for r in client.get("/api/v1/observations?area=BU08280200").json()}
    assert public["AantalInwoners"] == 25 and public["k_65JaarOfOuder"] is None
    staff = {r["indicator"]: r["value"] for r in client_as("coordinator").get("/api/v1/observations?area=BU08280200").json()}
    assert staff["k_65JaarOfOuder"] is not None


@pytest.mark.parametrize(("query", "status"), [("", 400), ("area=WK082899", 404), ("area=GM0828&indicator=nope", 404)])
def test_bad_requests_are_problem_json(client, query, status):
    r = client.get(f"/api/v1/observations?{query}")
    assert r.status_code == status and r["Content-Type"] == "application/problem+json"

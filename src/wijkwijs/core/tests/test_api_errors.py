import pytest

pytestmark = pytest.mark.django_db


def test_openapi_json_is_served_with_version_header(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert r["API-Version"] == "1.0.0"
    assert r.json()["openapi"].startswith("3.")


def test_405_and_404_are_problem_json(client):
    r = client.delete("/api/v1/areas")
    assert r.status_code == 405
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["status"] == 405


def test_html_404_page_is_in_dutch_layout(client):
    r = client.get("/bestaat-niet")
    assert r.status_code == 404
    assert "<html" in r.content.decode()

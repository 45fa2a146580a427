"""Platform API and Open311: problem+json, permissions, the api key, and a fuzz test."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkwijs.conftest import NOW
from wijkwijs.intake.apikeys import api_key_create
from wijkwijs.intake.models import ApiKey, Item
from wijkwijs.intake.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_submit_through_the_api_and_read_the_status(client):
    r = client.post("/api/v1/intake/items", {"kind": "signal", "description": "Kapotte lantaarnpaal bij het park",
                                             "lon": 5.5334, "lat": 51.7775}, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["trackingCode"].startswith("M-") and body["expectedAt"]
    status = client.get(f"/api/v1/intake/status/{body['trackingCode']}").json()
    assert status["status"] and status["history"]
    assert "description" not in status


def test_bad_input_is_problem_json(client):
    r = client.post("/api/v1/intake/items", {"kind": "nonsense", "description": ""}, content_type="application/json")
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in r.json()["invalidParams"]}
    assert {"kind", "description"} <= names
    r = client.post("/api/v1/intake/items", {"kind": "signal", "description": "geen plek"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "location"
    assert client.get("/api/v1/intake/status/M-XXXX-XXXX").status_code == 404


def test_staff_api_queue_detail_and_actions(client_as, client):
    item = ItemFactory(with_contact=True)
    assert client.get("/api/v1/intake/items").status_code == 403
    c = client_as("department_staff")
    listing = c.get("/api/v1/intake/items?scope=department").json()
    assert any(r["trackingCode"] == item.tracking_code for r in listing["results"])
    detail = c.get(f"/api/v1/intake/items/{item.pk}").json()
    assert "email" not in detail and "name" not in detail
    r = c.post(f"/api/v1/intake/items/{item.pk}/reject", {"text": ""}, content_type="application/json")
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    r = c.post(f"/api/v1/intake/items/{item.pk}/answer", {"text": "Gemaakt"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "answered"
    assert client_as("council_member").get(f"/api/v1/intake/items/{item.pk}").status_code == 403


def test_rate_limit_on_the_api(client, settings):
    settings.INTAKE_RATE_LIMIT = "2/h"
    from django.core.cache import cache

    cache.clear()
    body = {"kind": "question", "description": "Wanneer wordt er geveegd?"}
    codes = [client.post("/api/v1/intake/items", body, content_type="application/json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_open311_services_and_requests(client):
    services = client.get("/open311/v2/services.json").json()
    assert any(s["service_code"] == "lantaarnpaal-defect" for s in services)
    item = ItemFactory()
    one = client.get(f"/open311/v2/requests/{item.tracking_code}.json").json()[0]
    assert one["status"] == "open" and one["expected_datetime"] and one["description"] == ""
    assert client.get("/open311/v2/requests/NOPE.json").status_code == 404
    listing = client.get("/open311/v2/requests.json?status=open").json()
    assert item.tracking_code in {r["service_request_id"] for r in listing}
    assert client.get("/open311/v2/requests.json?start_date=gisteren").status_code == 400


def test_open311_post_needs_a_valid_api_key(client):
    api_key_create(name="test", actor=None, now=NOW, raw="sleutel-123")
    assert ApiKey.objects.get(name="test").key_hash != "sleutel-123"
    data = {"service_code": "wegdek", "lat": "51.7775", "long": "5.5334", "description": "Gat in de weg", "email": "a@b.nl"}
    assert client.post("/open311/v2/requests.json", data).status_code == 403
    assert client.post("/open311/v2/requests.json", {**data, "api_key": "fout"}).status_code == 403
    r = client.post("/open311/v2/requests.json", {**data, "api_key": "sleutel-123"})
    assert r.status_code == 201
    code = r.json()[0]["service_request_id"]
    item = Item.objects.get(tracking_code=code)
    assert item.channel == "open311" and item.contact.email == "a@b.nl" and item.owner_department.slug == "openbare-ruimte"
    bad = client.post("/open311/v2/requests.json", {"api_key": "sleutel-123", "service_code": "wegdek", "lat": "x", "long": "5"})
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
fields = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["signal", "advice", "question", "initiative", "x", ""]) | json_values,
        "description": st.text(max_size=60) | json_values,
        "category": st.sampled_from(["wegdek", "overig", "buurtactiviteit", "??"]) | json_values,
        "lon": st.floats(allow_nan=True, allow_infinity=True) | json_values,
        "lat": st.floats(allow_nan=True, allow_infinity=True) | json_values,
        "locationText": st.text(max_size=40) | json_values,
        "email": st.text(max_size=30) | json_values,
        "adviceType": st.sampled_from(["asked", "unasked", "", "x"]) | json_values,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=fields | json_values)
def test_fuzz_platform_api_post_never_500(client, body):
    r = client.post("/api/v1/intake/items", body, content_type="application/json")
    assert r.status_code in (201, 400, 403), (body, r.status_code, r.content[:300])
    if r.status_code != 201:
        assert r["Content-Type"] == "application/problem+json"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=st.dictionaries(st.sampled_from(["api_key", "service_code", "lat", "long", "address_string", "description",
                                             "email", "first_name"]), st.text(max_size=20), max_size=8))
def test_fuzz_open311_post_never_500(client, body):
    if "api_key" in body:
        body["api_key"] = "demo"
    ApiKey.objects.get_or_create(name="demo", defaults={"key_hash": __import__("hashlib").sha256(b"demo").hexdigest(), "prefix": "demo"})
    r = client.post("/open311/v2/requests.json", body)
    assert r.status_code in (201, 400, 403), (body, r.status_code, r.content[:300])


def test_api_submissions_are_processed_after_commit_in_a_task(client, settings, django_capture_on_commit_callbacks):
    settings.INTAKE_DEFER_API_PROCESSING = True
    body = {"kind": "signal", "description": "Kapotte lantaarnpaal bij het park", "lon": 5.5334, "lat": 51.7775}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post("/api/v1/intake/items", body, content_type="application/json")
    item = Item.objects.get(tracking_code=r.json()["trackingCode"])
    assert item.processed_at is None and item.owner_department is None  # answered before the work
    for callback in callbacks:
        callback()  # the task (immediate backend in tests)
    item.refresh_from_db()
    assert item.processed_at is not None and item.owner_department.slug == "openbare-ruimte" and item.buurt is not None
    from wijkwijs.intake.tasks import process_item

    assert process_item.call(item.pk) == "processed"  # a second run changes nothing
    assert item.routings.count() == 1

"""API of budgeting rounds: public reads, proposals with login, ballots with a code, problem+json on bad input."""

import pytest

from wijkwijs.budgeting.tests.rounds_factories import APPROVALS, IN_SCHADEWIJK, make_round

pytestmark = pytest.mark.django_db


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_rounds_and_round(client):
    data = client.get("/api/v1/budgeting/rounds").json()
    slugs = {r["slug"] for r in data}
    assert {"schadewijk-2027", "ruwaard-2026"} <= slugs
    one = client.get("/api/v1/budgeting/rounds/ruwaard-2026").json()
    assert one["ballotType"] == "cumulative" and one["isDemo"] is True and "votingOpens" in one
    _problem(client.get("/api/v1/budgeting/rounds/nope"), 404)
    assert client.get("/api/v1/budgeting/rules").status_code == 200


def test_proposals_public_and_submit(client, client_as):
    made = make_round(phase="ideas", slug="api-ideeen")
    url = f"/api/v1/budgeting/rounds/{made.round.slug}/proposals"
    assert client.get(url).json() == []  # not reviewed yet
    _problem(client.post(url, {"title": "x"}, content_type="application/json"), 403)
    c = client_as("resident")
    body = _problem(c.post(url, {"title": "", "cost": 0}, content_type="application/json"), 400)
    assert {p["name"] for p in body["invalidParams"]} >= {"title", "description", "cost"}
    body = _problem(c.post(url, {"title": "Te duur", "description": "Een voorstel dat veel te veel geld kost.",
                                 "cost": 10**7, "locationText": "Plein"}, content_type="application/json"), 400)
    assert body["invalidParams"][0]["name"] == "cost"
    ok = c.post(url, {"title": "Bankje", "description": "Een bankje bij de speeltuin voor de ouders.", "cost": 900,
                      "lon": IN_SCHADEWIJK[0], "lat": IN_SCHADEWIJK[1]}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["status"] == "submitted" and ok.json()["area"].startswith("BU")


def test_ballot_and_receipt_by_api(client):
    made = make_round(phase="voting", slug="api-stem", max_choices=2)
    url = f"/api/v1/budgeting/rounds/{made.round.slug}/ballots"
    _problem(client.post(url, {"code": made.codes[0], "choices": "x"}, content_type="application/json"), 400)
    _problem(client.post(url, [1, 2], content_type="application/json"), 400)
    body = _problem(client.post(url, {"code": made.codes[0], "choices": [{"project": 1}, {"project": 2}, {"project": 3}]},
                                content_type="application/json"), 400)
    assert body["invalidParams"][0]["name"] == "ballot"
    body = _problem(client.post(url, {"code": "AAAA-BBBB-CCCC", "choices": [{"project": 1}]},
                                content_type="application/json"), 400)
    assert body["invalidParams"][0]["name"] == "code"
    ok = client.post(url, {"code": made.codes[0], "choices": [{"project": 1}, {"project": 4}]}, content_type="application/json")
    assert ok.status_code == 201
    receipt = ok.json()["receipt"]
    _problem(client.post(url, {"code": made.codes[0], "choices": [{"project": 2}]}, content_type="application/json"), 400)
    check = client.post(f"/api/v1/budgeting/rounds/{made.round.slug}/receipts", {"receipt": receipt}, content_type="application/json")
    assert check.json() == {"counted": True, "ballotsInResult": None}
    _problem(client.post(f"/api/v1/budgeting/rounds/{made.round.slug}/receipts", {}, content_type="application/json"), 400)


def test_results_by_api(client):
    made = make_round(phase="results", ballots=APPROVALS, slug="api-uitslag")
    data = client.get(f"/api/v1/budgeting/rounds/{made.round.slug}/results").json()
    assert data["ballots"] == len(APPROVALS) and data["rule"] == "greedy"
    assert {p["number"] for p in data["projects"] if p["selected"]} == {1, 2}
    assert all(p["reason"] for p in data["projects"])
    _problem(client.get("/api/v1/budgeting/rounds/schadewijk-2027/results"), 404)

"""Pages of budgeting rounds per role: public reading, resident proposals, voting without an
account, staff review and management, administrator codes; bad input re-displays with messages."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from wijkwijs.budgeting import selectors
from wijkwijs.budgeting.models import Ballot, CodeBatch, Proposal, VotingCode
from wijkwijs.budgeting.tests.rounds_factories import APPROVALS, IN_SCHADEWIJK, make_round

pytestmark = pytest.mark.django_db


def test_public_pages_of_the_demo_rounds(client):
    for path in ("/buurtbudget", "/buurtbudget/schadewijk-2027", "/buurtbudget/ruwaard-2026",
                 "/buurtbudget/ruwaard-2026/uitslag", "/buurtbudget/schadewijk-2027/stemmen",
                 "/buurtbudget/schadewijk-2027/ontvangstbewijs", "/buurtbudget/ruwaard-2026/voorstellen/1"):
        assert client.get(path).status_code == 200, path
    assert client.get("/buurtbudget/schadewijk-2027/uitslag").status_code == 200  # "no results yet"
    assert client.get("/buurtbudget/bestaat-niet").status_code == 404


def test_draft_rounds_are_hidden_from_the_public(client, client_as):
    make_round(phase="draft", slug="concept")
    assert client.get("/buurtbudget/concept").status_code == 404
    assert client_as("coordinator").get("/buurtbudget/concept").status_code == 200


def test_submitting_a_proposal_needs_login_and_shows_errors(client, client_as):
    made = make_round(phase="ideas", slug="ideeen")
    url = f"/buurtbudget/{made.round.slug}/voorstel-indienen"
    assert client.get(url).status_code == 302
    c = client_as("resident")
    response = c.post(url, {"title": "", "description": "kort", "cost": "0"})
    assert response.status_code == 422 and b"error-summary" in response.content
    assert made.round.proposals.count() == len(made.proposals)
    response = c.post(url, {"title": "Bloembakken", "description": "Bloembakken langs de hele straat voor meer groen.",
                            "cost": "800", "lon": IN_SCHADEWIJK[0], "lat": IN_SCHADEWIJK[1]})
    assert response.status_code == 302
    proposal = made.round.proposals.get(title="Bloembakken")
    assert c.get(response["Location"]).status_code == 200  # the proposer sees the pending proposal
    client.logout()
    assert client.get(f"/buurtbudget/{made.round.slug}/voorstellen/{proposal.number}").status_code == 404


@pytest.mark.parametrize(("role", "allowed"), [("resident", False), ("council", False), ("department_staff", False),
                                               ("coordinator", True), ("area_manager", True), ("administrator", True)])
def test_review_and_manage_per_role(client_as, role, allowed):
    made = make_round(phase="review", slug=f"review-{role}", n_codes=0)
    c = client_as(role)
    response = c.post(f"/buurtbudget/{made.round.slug}/voorstellen/1/beoordelen",
                      {"decision": "ineligible", "motivation": "Niet in de openbare ruimte, dus buiten de kaders."})
    assert (response.status_code == 302) is allowed
    assert (Proposal.objects.get(pk=made.proposals[0].pk).status == "ineligible") is allowed
    assert (c.get(f"/buurtbudget/{made.round.slug}/beheer").status_code == 200) is allowed


def test_review_without_motivation_redisplays(client_as):
    made = make_round(phase="review", slug="rev", n_codes=0)
    response = client_as("coordinator").post(f"/buurtbudget/{made.round.slug}/voorstellen/1/beoordelen",
                                             {"decision": "eligible", "motivation": "kort"})
    assert response.status_code == 422 and b"error-summary" in response.content


@pytest.mark.parametrize(("role", "allowed"), [("coordinator", False), ("area_manager", False), ("administrator", True)])
def test_only_the_administrator_generates_codes(client_as, role, allowed):
    made = make_round(phase="review", slug=f"codes-{role}", n_codes=0)
    response = client_as(role).post(f"/buurtbudget/{made.round.slug}/stemcodes", {"count": "4", "label": "Test"})
    assert (response.status_code == 200) is allowed
    if allowed:
        printed = re.findall(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", response.content.decode())
        assert len(set(printed)) == 4 and response["Cache-Control"] == "no-store"
        assert CodeBatch.objects.get(round=made.round).size == 4
    else:
        assert response.status_code == 403


def test_codes_form_rejects_bad_count(client_as):
    made = make_round(phase="review", slug="badcount", n_codes=0)
    response = client_as("administrator").post(f"/buurtbudget/{made.round.slug}/stemcodes", {"count": "0"})
    assert response.status_code == 422 and not CodeBatch.objects.filter(round=made.round).exists()


def test_voting_flow_without_account(client):
    made = make_round(phase="voting", slug="stem", max_choices=2)
    url = f"/buurtbudget/{made.round.slug}/stemmen"
    assert client.post(url, {"code": "AAAA-BBBB-CCCC"}).status_code == 422
    response = client.post(url, {"code": made.codes[0]})
    assert response.status_code == 200 and b"ballot-form" in response.content
    response = client.post(url, {"code": made.codes[0], "ballot": "1", "p1": "on", "p2": "on", "p3": "on"})
    assert response.status_code == 422 and b"error-summary" in response.content
    assert not Ballot.objects.filter(round=made.round).exists()
    response = client.post(url, {"code": made.codes[0], "ballot": "1", "p1": "on", "p3": "on"})
    assert response.status_code == 200
    receipt = re.search(r"R-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", response.content.decode()).group(0)
    again = client.post(url, {"code": made.codes[0], "ballot": "1", "p2": "on"})
    assert again.status_code == 422 and Ballot.objects.filter(round=made.round).count() == 1
    check = client.post(f"/buurtbudget/{made.round.slug}/ontvangstbewijs", {"receipt": receipt})
    assert b'id="receipt-result"' in check.content and b"ww-message--success" in check.content
    wrong = client.post(f"/buurtbudget/{made.round.slug}/ontvangstbewijs", {"receipt": "R-AAAA-BBBB-CCCC"})
    assert b"ww-message--error" in wrong.content


def test_voting_page_when_closed(client):
    made = make_round(phase="review", slug="dicht")
    assert client.post(f"/buurtbudget/{made.round.slug}/stemmen", {"code": made.codes[0]}).status_code == 409


def test_results_page_explains_every_project(client):
    made = make_round(phase="results", ballots=APPROVALS, rule="mes-add1-greedy", slug="uitleg")
    response = client.get(f"/buurtbudget/{made.round.slug}/uitslag")
    html = response.content.decode()
    result = selectors.result_latest(made.round)
    assert html.count("pb-results__row--in") == result.outcomes.filter(selected=True).count()
    assert "pb-payments" in html


def test_advance_and_implementation_by_staff(client_as):
    made = make_round(phase="voting", ballots=APPROVALS, slug="vooruit")
    c = client_as("area_manager")
    assert c.post(f"/buurtbudget/{made.round.slug}/beheer/volgende-fase").status_code == 302
    assert selectors.result_latest(made.round) is not None
    funded = selectors.funded(made.round)[0]
    url = f"/buurtbudget/{made.round.slug}/voorstellen/{funded.number}/uitvoering"
    assert client_as("resident").post(url, {"on": "2026-11-01", "status": "planned", "text": "x", "spent": "0"}).status_code == 403
    bad = client_as("department_staff").post(url, {"on": "2026-11-01", "status": "planned", "text": "", "spent": "-1"})
    assert bad.status_code == 422
    ok = client_as("department_staff").post(url, {"on": "2026-11-01", "status": "planned", "text": "Opdracht gegeven.",
                                                  "spent": "0"})
    assert ok.status_code == 302 and selectors.progress(funded).status == "planned"


def test_round_form_per_role_and_errors(client_as):
    assert client_as("resident").get("/buurtbudget/nieuw").status_code == 403
    c = client_as("coordinator")
    assert c.get("/buurtbudget/nieuw").status_code == 200
    response = c.post("/buurtbudget/nieuw", {"slug": "nieuwe-ronde", "title": "Nieuw", "budget": "1000", "frameworks": "Kaders",
                                             "ideas_opens": "2027-01-10", "ideas_close": "2027-01-01",
                                             "voting_opens": "2027-02-01", "voting_closes": "2027-02-10",
                                             "results_on": "2027-02-15", "ballot_type": "approval", "min_choices": "1",
                                             "rule": "greedy"})
    assert response.status_code == 422 and b"error-summary" in response.content


def test_the_manage_page_says_when_the_calendar_closes_the_phase(client_as):
    calendar = {"ideas_opens": date(2026, 9, 1), "ideas_close": date(2026, 9, 30), "voting_opens": date(2026, 10, 20),
                "voting_closes": date(2026, 11, 20), "results_on": date(2026, 11, 27)}
    made = make_round(phase="voting", slug="sluit-vanzelf", calendar=calendar)
    page = client_as("coordinator").get(f"/buurtbudget/{made.round.slug}/beheer").content.decode()
    assert 'id="closes-on"' in page and "sluit vanzelf na 20 november 2026" in page


def test_past_its_closing_day_a_round_takes_no_votes_even_before_the_job_moves_it(client):
    yesterday = timezone.localdate() - timedelta(days=1)
    calendar = {"ideas_opens": date(2026, 9, 1), "ideas_close": date(2026, 9, 30), "voting_opens": date(2026, 10, 20),
                "voting_closes": yesterday, "results_on": yesterday + timedelta(days=7)}
    made = make_round(phase="voting", slug="net-dicht", calendar=calendar)
    assert made.round.phase == "voting"  # the hourly job has not run
    page = client.get(f"/buurtbudget/{made.round.slug}").content.decode()
    assert f"/buurtbudget/{made.round.slug}/stemmen" not in page  # no vote button
    assert f"/buurtbudget/{made.round.slug}/ontvangstbewijs" in page  # checking a receipt still works
    assert 'id="voting-closed"' in page
    response = client.post(f"/buurtbudget/{made.round.slug}/stemmen", {"code": made.codes[0]})
    assert response.status_code == 409 and "Het stemmen is gesloten na" in response.content.decode()
    assert not VotingCode.objects.filter(round=made.round, used_at__isnull=False).exists()

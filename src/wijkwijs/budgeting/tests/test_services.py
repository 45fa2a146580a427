"""Services of budgeting rounds: every state change validated, audited, and nothing stored on error."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from wijkwijs.areas.models import Area
from wijkwijs.audit.models import AuditEvent
from wijkwijs.budgeting import codes as codes_mod
from wijkwijs.budgeting import selectors, services
from wijkwijs.budgeting.models import Ballot, BallotEntry, ImplementationUpdate, Proposal, Round, VotingCode
from wijkwijs.budgeting.tests.rounds_factories import APPROVALS, IN_SCHADEWIJK, OUTSIDE, make_round, user
from wijkwijs.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """The assertions below read the English message ids; the Dutch catalogue is tested elsewhere."""
    with translation.override("en"):
        yield


def _fields(exc):
    return {p.field for p in exc.value.problems}


def test_round_create_rejects_bad_input_and_stores_nothing(now):
    before = Round.objects.count()
    spec = services.RoundSpec(slug="x", title="", budget=0, frameworks="", ideas_opens=date(2026, 5, 1),
                              ideas_close=date(2026, 4, 1), voting_opens=date(2026, 6, 1), voting_closes=date(2026, 6, 2),
                              results_on=date(2026, 6, 3), rule="no-such-rule", ballot_type="cumulative")
    with pytest.raises(DomainError) as exc:
        services.round_create(spec=spec, actor=user("coordinator"), now=now)
    assert {"area", "title", "budget", "frameworks", "ideas_opens", "rule", "total_points"} <= _fields(exc)
    assert Round.objects.count() == before


def test_round_create_records_audit_and_starts_in_draft(now):
    made = make_round(phase="draft")
    assert made.round.phase == "draft"
    assert AuditEvent.objects.filter(action="budgeting.round_created", object_id=str(made.round.pk)).count() == 1


def test_phases_advance_one_step_with_history_and_audit():
    made = make_round(phase="voting")
    phases = list(made.round.phase_changes.values_list("to_phase", flat=True))
    assert phases == ["draft", "ideas", "review", "voting"]
    assert AuditEvent.objects.filter(action="budgeting.round_phase_changed", object_id=str(made.round.pk)).count() == 3


def test_voting_needs_every_proposal_reviewed(now):
    made = make_round(phase="review", n_codes=0)
    Proposal.objects.filter(pk=made.proposals[0].pk).update(status="submitted")
    with pytest.raises(DomainError, match="Review every proposal"):
        services.round_advance(round=made.round, actor=user("coordinator"), now=now)
    assert Round.objects.get(pk=made.round.pk).phase == "review"


def test_proposal_outside_the_area_or_too_expensive_is_refused(now):
    made = make_round(phase="ideas")
    with pytest.raises(DomainError) as exc:
        services.proposal_submit(round=made.round, title="Te duur", description="Een voorstel dat te veel kost en ver weg ligt.",
                                 cost=999999, lon=OUTSIDE[0], lat=OUTSIDE[1], actor=user("resident"), now=now)
    assert _fields(exc) == {"cost", "location"}
    assert made.round.proposals.count() == len(made.proposals)


def test_proposal_gets_its_buurt_and_a_number(now):
    made = make_round(phase="ideas")
    p = services.proposal_submit(round=made.round, title="Nieuw", description="Een mooi voorstel voor de hele wijk.",
                                 cost=1000, lon=IN_SCHADEWIJK[0], lat=IN_SCHADEWIJK[1], actor=user("resident"), now=now)
    assert p.number == len(made.proposals) + 1 and p.area.code.startswith("BU082801")


def test_proposals_only_in_the_ideas_phase(now):
    made = make_round(phase="voting")
    with pytest.raises(DomainError, match="does not take proposals"):
        services.proposal_submit(round=made.round, title="Laat", description="Te laat ingediend voorstel voor de wijk.",
                                 cost=100, location_text="Plein", actor=user("resident"), now=now)


def test_review_needs_a_motivation_and_keeps_history(now):
    made = make_round(phase="review", n_codes=0)
    p = made.proposals[0]
    with pytest.raises(DomainError) as exc:
        services.proposal_review(proposal=p, decision="ineligible", motivation="nee", actor=user("coordinator"), now=now)
    assert _fields(exc) == {"motivation"}
    services.proposal_review(proposal=p, decision="ineligible", motivation="Valt buiten de kaders: geen openbare ruimte.",
                             actor=user("coordinator"), now=now)
    p.refresh_from_db()
    assert p.status == "ineligible" and "buiten de kaders" in p.review_motivation
    assert list(p.reviews.values_list("decision", flat=True)) == ["eligible", "ineligible"]


def test_codes_are_stored_only_as_hashes(now):
    made = make_round(phase="review", n_codes=0)
    batch, plain = services.codes_generate(round=made.round, count=25, actor=user("administrator"), now=now)
    assert len(set(plain)) == 25 and all(codes_mod.is_well_formed(c) for c in plain)
    stored = set(VotingCode.objects.filter(batch=batch).values_list("code_hash", flat=True))
    assert stored == {codes_mod.voting_hash(c) for c in plain}
    assert not any(c.replace("-", "") in h.upper() for c in plain for h in stored)
    with pytest.raises(DomainError):
        services.codes_generate(round=made.round, count=0, actor=user("administrator"), now=now)


def test_ballot_cast_spends_the_code_once_and_stores_no_link(now):
    made = make_round(phase="voting")
    receipt = services.ballot_cast(round=made.round, code=made.codes[0], choices=[("1", 1), ("3", 1)], now=now)
    assert receipt.startswith("R-") and selectors.receipt_counted(made.round, receipt)
    ballot = Ballot.objects.get(round=made.round)
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "round", "receipt_hash", "is_demo", "entries"}
    assert sorted(BallotEntry.objects.filter(ballot=ballot).values_list("proposal__number", flat=True)) == [1, 3]
    with pytest.raises(DomainError) as exc:
        services.ballot_cast(round=made.round, code=made.codes[0].lower().replace("-", " "), choices=[("2", 1)], now=now)
    assert "used already" in exc.value.problems[0].reason
    assert Ballot.objects.filter(round=made.round).count() == 1


def test_invalid_ballot_does_not_spend_the_code(now):
    made = make_round(phase="voting", max_choices=2)
    with pytest.raises(DomainError) as exc:
        services.ballot_cast(round=made.round, code=made.codes[1], choices=[("1", 1), ("2", 1), ("3", 1)], now=now)
    assert _fields(exc) == {"ballot"}
    assert VotingCode.objects.filter(round=made.round, used_at__isnull=False).count() == 0
    services.ballot_cast(round=made.round, code=made.codes[1], choices=[("1", 1)], now=now)


def test_unknown_and_malformed_codes_and_closed_voting(now):
    made = make_round(phase="voting")
    with pytest.raises(DomainError) as exc:
        services.ballot_cast(round=made.round, code="AAAA-BBBB-CCCC", choices=[("1", 1)], now=now)
    assert "not known" in exc.value.problems[0].reason
    with pytest.raises(DomainError):
        services.ballot_cast(round=made.round, code="12", choices=[("1", 1)], now=now)
    other = make_round(phase="review", slug="andere")
    with pytest.raises(DomainError, match="not open"):
        services.ballot_cast(round=other.round, code=other.codes[0], choices=[("1", 1)], now=now)
    with pytest.raises(DomainError):  # a code of another round
        services.ballot_cast(round=made.round, code=other.codes[0], choices=[("1", 1)], now=now)


def test_results_follow_the_rule_and_are_explained():
    made = make_round(phase="results", ballots=APPROVALS, budget=20000)
    result = selectors.result_latest(made.round)
    assert result.ballots == len(APPROVALS) and result.rule == "greedy"
    selected = set(result.outcomes.filter(selected=True).values_list("proposal__number", flat=True))
    # votes: 1:4, 2:3, 3:3, 4:2, 5:2; greedy by votes within 20000: 1 (6000), 2 (14000) -> full
    assert selected == {1, 2}
    assert all(o.reason for o in result.outcomes.all())
    assert AuditEvent.objects.filter(action="budgeting.results_computed", object_id=str(made.round.pk)).exists()


def test_mes_results_store_aggregated_payments():
    made = make_round(phase="results", ballots=APPROVALS, rule="mes-add1-greedy", slug="mes")
    result = selectors.result_latest(made.round)
    bought = [o for o in result.outcomes.all() if o.mes_round]
    assert bought and all(o.payments and o.payers for o in bought)
    assert all(sum(int(n) for _a, n in o.payments) == o.payers for o in bought)


def test_implementation_only_for_funded_projects(now):
    made = make_round(phase="implementation", ballots=APPROVALS)
    funded = selectors.funded(made.round)
    other = next(p for p in made.proposals if p not in funded)
    with pytest.raises(DomainError, match="funded"):
        services.implementation_update_add(proposal=other, on=now.date(), status="planned", text="Gestart.", spent=0,
                                           actor=user("coordinator"), now=now)
    with pytest.raises(DomainError) as exc:
        services.implementation_update_add(proposal=funded[0], on=now.date() + timedelta(days=3), status="x", text="",
                                           spent=0, actor=user("coordinator"), now=now)
    assert _fields(exc) == {"status", "text", "on"}
    services.implementation_update_add(proposal=funded[0], on=now.date(), status="in_progress", text="Aannemer begonnen.",
                                       spent=1200, actor=user("department_staff"), now=now)
    assert selectors.progress(funded[0]).spent == 1200
    assert ImplementationUpdate.objects.count() >= 1
    assert AuditEvent.objects.filter(action="budgeting.implementation_updated").exists()


def test_round_for_a_cluster_takes_proposals_in_its_member_areas(now):
    from wijkwijs.areas.models import Cluster

    cluster = Cluster.objects.get(clustering__slug="wijkzaken", name="2 Schadewijk")
    rnd = services.round_create(spec=services.RoundSpec(
        slug="cluster-ronde", title="Clusterronde", cluster=cluster, budget=5000, frameworks="Kaders.",
        ideas_opens=date(2026, 9, 1), ideas_close=date(2026, 11, 30), voting_opens=date(2026, 12, 1),
        voting_closes=date(2026, 12, 2), results_on=date(2026, 12, 3)), actor=user("coordinator"), now=now)
    rnd = services.round_advance(round=rnd, actor=user("coordinator"), now=now)
    p = services.proposal_submit(round=rnd, title="In het cluster", description="Een voorstel binnen dit cluster.",
                                 cost=100, lon=IN_SCHADEWIJK[0], lat=IN_SCHADEWIJK[1], actor=user("resident"), now=now)
    assert p.area is not None and rnd.place_name == "2 Schadewijk"
    assert Area.objects.filter(code="WK082801", cluster_memberships__cluster=cluster).exists()


def test_the_calendar_closes_ideas_and_voting_once():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from wijkwijs.budgeting.models import PhaseChange, Result
    from wijkwijs.budgeting.tests.rounds_factories import APPROVALS, make_round

    calendar = {"ideas_opens": date(2026, 9, 1), "ideas_close": date(2026, 9, 30), "voting_opens": date(2026, 10, 20),
                "voting_closes": date(2026, 11, 20), "results_on": date(2026, 11, 27)}
    voting = make_round(phase="voting", slug="kalender-stem", ballots=APPROVALS, calendar=calendar).round
    ideas = make_round(phase="ideas", slug="kalender-idee", calendar=calendar).round
    ams = ZoneInfo("Europe/Amsterdam")
    # on the closing day itself nothing closes: the whole day counts
    summary = services.rounds_close_due(now=datetime(2026, 9, 30, 23, 30, tzinfo=ams))
    assert summary["closed"] == 0
    summary = services.rounds_close_due(now=datetime(2026, 10, 1, 0, 5, tzinfo=ams))
    assert summary["rounds"] == [{"round": "kalender-idee", "from": "ideas", "to": "review"}]
    summary = services.rounds_close_due(now=datetime(2026, 11, 21, 0, 5, tzinfo=ams))
    assert summary["rounds"] == [{"round": "kalender-stem", "from": "voting", "to": "results"}]
    assert Result.objects.filter(round=voting).count() == 1  # entering results computes the outcome
    again = services.rounds_close_due(now=datetime(2026, 11, 22, 9, 0, tzinfo=ams))
    assert again["closed"] == 0 and Result.objects.filter(round=voting).count() == 1
    assert PhaseChange.objects.filter(round=voting, to_phase="results").get().actor_label == "systeem"
    ideas.refresh_from_db()
    assert ideas.phase == "review"  # opening voting stays a person's decision


def test_after_the_closing_day_nothing_is_taken_before_the_job_moves_the_phase():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    ams = ZoneInfo("Europe/Amsterdam")
    calendar = {"ideas_opens": date(2026, 9, 1), "ideas_close": date(2026, 9, 30), "voting_opens": date(2026, 10, 20),
                "voting_closes": date(2026, 11, 20), "results_on": date(2026, 11, 27)}
    ideas = make_round(phase="ideas", slug="laat-idee", calendar=calendar).round
    late = {"title": "Te laat", "description": "Een voorstel dat na de sluitingsdag binnenkomt.", "cost": 100,
            "lon": IN_SCHADEWIJK[0], "lat": IN_SCHADEWIJK[1], "actor": user("resident")}
    services.proposal_submit(round=ideas, now=datetime(2026, 9, 30, 23, 59, tzinfo=ams), **late)  # the whole day counts
    with pytest.raises(DomainError):
        services.proposal_submit(round=ideas, now=datetime(2026, 10, 1, 0, 1, tzinfo=ams), **late)
    voting = make_round(phase="voting", slug="laat-stem", calendar=calendar)
    services.ballot_cast(round=voting.round, code=voting.codes[0], choices=[("1", 1)],
                         now=datetime(2026, 11, 20, 23, 59, tzinfo=ams))
    with pytest.raises(DomainError):
        services.ballot_cast(round=voting.round, code=voting.codes[1], choices=[("1", 1)],
                             now=datetime(2026, 11, 21, 0, 1, tzinfo=ams))
    assert Ballot.objects.filter(round=voting.round).count() == 1
    assert VotingCode.objects.filter(round=voting.round, used_at__isnull=False).count() == 1

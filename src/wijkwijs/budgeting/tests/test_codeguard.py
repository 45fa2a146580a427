"""The guessing guard on voting and cheque codes: wrong codes count per client address, valid
ones never do; once the window is used up, code entry pauses with a clear message (429) and
nothing is spent or stored."""

from __future__ import annotations

import pytest

from wijkwijs.budgeting.models import Ballot
from wijkwijs.budgeting.register_models import VoucherLedgerEntry
from wijkwijs.budgeting.tests.rounds_factories import make_round
from wijkwijs.budgeting.tests.test_voucher_views import fresh_codes, open_initiative
from wijkwijs.core import ratelimit

pytestmark = pytest.mark.django_db

WRONG = "AAAA-BBBB-CCCC"


def test_rate_parsing_names_what_is_wrong():
    assert ratelimit.parse("20/h") == (20, 3600)
    assert ratelimit.parse("5/m") == (5, 60)
    assert ratelimit.parse("") is None
    with pytest.raises(ValueError, match="30/h"):
        ratelimit.parse("20/fortnight")
    with pytest.raises(ValueError, match="count/period"):
        ratelimit.parse("many/h")


def test_wrong_voting_codes_pause_code_entry(client, settings):
    settings.CODE_ATTEMPT_LIMIT = "2/h"
    made = make_round(phase="voting", slug="raad", max_choices=2)
    url = f"/buurtbudget/{made.round.slug}/stemmen"
    assert client.post(url, {"code": WRONG}).status_code == 422
    assert client.post(url, {"code": WRONG}).status_code == 422
    paused = client.post(url, {"code": made.codes[0]})
    assert paused.status_code == 429
    assert "Te veel onjuiste codes" in paused.content.decode()
    # the ballot step is guarded too (it takes the code again) and keeps the choices on the page
    ballot = client.post(url, {"code": made.codes[0], "ballot": "1", "p1": "on"})
    assert ballot.status_code == 429 and "Te veel onjuiste codes" in ballot.content.decode()
    assert not Ballot.objects.filter(round=made.round).exists()
    # another address is not affected
    other = client.post(url, {"code": made.codes[0]}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200 and b"ballot-form" in other.content


def test_valid_voting_codes_never_count(client, settings):
    settings.CODE_ATTEMPT_LIMIT = "1/h"
    made = make_round(phase="voting", slug="bieb", max_choices=2)
    url = f"/buurtbudget/{made.round.slug}/stemmen"
    for code in made.codes[:3]:  # three residents vote in turn on one library computer
        assert client.post(url, {"code": code}).status_code == 200
        assert client.post(url, {"code": code, "ballot": "1", "p1": "on"}).status_code == 200
    assert Ballot.objects.filter(round=made.round).count() == 3


def test_the_voting_api_answers_429_problem_json(client, settings):
    settings.CODE_ATTEMPT_LIMIT = "1/h"
    made = make_round(phase="voting", slug="api-raad", max_choices=2)
    url = f"/api/v1/budgeting/rounds/{made.round.slug}/ballots"
    body = {"code": WRONG, "choices": [{"project": 1}]}
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 400 and first["Content-Type"].startswith("application/problem+json")
    second = client.post(url, {**body, "code": made.codes[0]}, content_type="application/json")
    assert second.status_code == 429 and second["Content-Type"].startswith("application/problem+json")
    assert not Ballot.objects.filter(round=made.round).exists()


def test_wrong_cheque_codes_pause_the_pledge_page(client, settings):
    settings.CODE_ATTEMPT_LIMIT = "2/h"
    initiative = open_initiative()
    code = fresh_codes()[0]
    before = VoucherLedgerEntry.objects.count()
    for _ in range(2):
        assert client.post("/buurtcheques", {"code": "ZZZZ-ZZZZ-ZZZZ", "initiative": initiative.pk}).status_code == 422
    paused = client.post("/buurtcheques", {"code": code, "initiative": initiative.pk})
    assert paused.status_code == 429 and "Te veel onjuiste codes" in paused.content.decode()
    assert VoucherLedgerEntry.objects.count() == before
    assert client.post("/buurtcheques", {"code": code, "initiative": initiative.pk},
                       REMOTE_ADDR="192.0.2.8").status_code == 302

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal

import pytest

from wijkwijs.areas.models import Area
from wijkwijs.budgeting import voucher_services
from wijkwijs.budgeting.register_models import Initiative, Voucher, VoucherLedgerEntry, VoucherPeriod
from wijkwijs.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):  # type: ignore[no-untyped-def]
    for module in ("wijkwijs.budgeting.views_vouchers", "wijkwijs.budgeting.views_register"):
        monkeypatch.setattr(f"{module}.now", lambda: NOW)


def demo_period() -> VoucherPeriod:
    return VoucherPeriod.objects.get(is_demo=True)


def open_initiative() -> Initiative:
    return Initiative.objects.filter(period=demo_period(), status="open").order_by("pk").first()


def fresh_codes(n: int = 1) -> list[str]:
    letters = voucher_services.vouchers_issue(period=demo_period(), households=n, actor=None, now=NOW, rng=random.Random(4242))
    return [c for letter in letters for c in letter]


def test_public_page_lists_open_initiatives_and_takes_a_code(client):
    initiative = open_initiative()
    html = client.get("/buurtcheques").content.decode()
    assert initiative.title in html and 'name="code"' in html
    code = fresh_codes()[0]
    response = client.post("/buurtcheques", {"code": code, "initiative": initiative.pk})
    assert response.status_code == 302
    assert VoucherLedgerEntry.objects.filter(initiative=initiative, kind="pledge").count() >= 1
    again = client.post("/buurtcheques", {"code": code, "initiative": initiative.pk})
    assert again.status_code == 422 and "al gebruikt" in again.content.decode()


def test_a_wrong_code_gets_a_clear_message_and_changes_nothing(client):
    initiative = open_initiative()
    before = VoucherLedgerEntry.objects.count()
    response = client.post("/buurtcheques", {"code": "ZZZZ-ZZZZ-ZZZZ", "initiative": initiative.pk})
    assert response.status_code == 422 and "onbekend" in response.content.decode()
    response = client.post("/buurtcheques", {"code": "", "initiative": ""})
    assert response.status_code == 422
    assert VoucherLedgerEntry.objects.count() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 403), ("resident", 403), ("department_staff", 403), ("coordinator", 200), ("area_manager", 200),
     ("management", 200), ("council", 200), ("administrator", 200)],
)
def test_who_sees_the_staff_overview(client, user_with_role, role, status):
    if role:
        client.force_login(user_with_role(role))
    assert client.get("/buurtcheques/beheer").status_code == status


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("council", 403), ("resident", 403)])
def test_issuing_codes_downloads_them_once(client_as, role, status):
    period = demo_period()
    before = Voucher.objects.filter(period=period).count()
    response = client_as(role).post(f"/buurtcheques/perioden/{period.pk}/codes", {"households": "3"})
    assert response.status_code == status
    if status == 200:
        rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
        assert len(rows) == 4 and len(rows[1]) == 3
        assert response["Cache-Control"] == "no-store"
        assert Voucher.objects.filter(period=period).count() == before + 6
    else:
        assert Voucher.objects.filter(period=period).count() == before


def test_staff_create_an_initiative(client_as):
    period = demo_period()
    response = client_as("coordinator").post(f"/buurtcheques/perioden/{period.pk}/initiatieven",
                                             {"title": "Buurtmoestuin", "area": Area.objects.get(code="WK082807").pk, "target": "120"})
    assert response.status_code == 302 and Initiative.objects.filter(title="Buurtmoestuin", target=Decimal("120")).exists()
    bad = client_as("coordinator").post(f"/buurtcheques/perioden/{period.pk}/initiatieven", {"title": "", "area": "", "target": "0"})
    assert bad.status_code == 422


@pytest.mark.parametrize(("role", "paid"), [("management", True), ("administrator", True), ("coordinator", False), ("council", False)])
def test_who_pays_out(client_as, role, paid):
    initiative = voucher_services.initiative_create(period=demo_period(), title="Klein", area=Area.objects.get(code="WK082801"),
                                                    target=Decimal("7.50"), actor=None, now=NOW)
    voucher_services.voucher_pledge(code=fresh_codes()[0], initiative=initiative, now=NOW)
    client_as(role).post(f"/buurtcheques/initiatieven/{initiative.pk}/uitbetalen", {"reference": "BET-1"})
    initiative.refresh_from_db()
    assert (initiative.status == "paid_out") == paid


def test_new_period_from_the_page(client_as):
    response = client_as("management").post("/buurtcheques/perioden", {"name": "Buurtcheques 2027", "starts_on": "2027-01-01",
                                                                       "ends_on": "2027-12-31", "cheque_value": "7,50", "cheques_per_household": "2"})
    assert response.status_code == 302 and VoucherPeriod.objects.filter(name="Buurtcheques 2027").exists()
    bad = client_as("management").post("/buurtcheques/perioden", {"name": "Omgekeerd", "starts_on": "2027-12-31",
                                                                  "ends_on": "2027-01-01", "cheque_value": "7,50", "cheques_per_household": "2"})
    assert bad.status_code == 422 and not VoucherPeriod.objects.filter(name="Omgekeerd").exists()

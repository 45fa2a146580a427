from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wijkwijs.accounts.models import User
from wijkwijs.areas.models import Area
from wijkwijs.audit.models import AuditEvent
from wijkwijs.budgeting import handgeld_services, voucher_selectors
from wijkwijs.budgeting.register_models import AppendOnlyError, HandgeldBudget, HandgeldSpending
from wijkwijs.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db):  # type: ignore[no-untyped-def]
    return User.objects.create_user(username="gm-test", role="area_manager", first_name="Greet", last_name="Test")


@pytest.fixture
def budget(manager, now):  # type: ignore[no-untyped-def]
    return handgeld_services.handgeld_budget_set(manager=manager, year=2026, amount=Decimal("1000"), actor=None, now=now)


def spend(budget, amount, now, **kw):  # type: ignore[no-untyped-def]
    args = dict(spent_on=date(2026, 10, 1), purpose="Koffie bewonersavond", area=Area.objects.get(code="WK082801"),
                receipt_reference="INK-1", actor=budget.manager, now=now)
    args.update(kw)
    return handgeld_services.handgeld_spend(budget=budget, amount=Decimal(amount), **args)


def test_spending_reduces_the_remaining_amount(budget, now):
    spend(budget, "250.00", now)
    spend(budget, "700.00", now)
    got = voucher_selectors.handgeld_budget_get(budget.pk)
    assert (got.spent, got.remaining) == (Decimal("950.00"), Decimal("50.00"))
    assert AuditEvent.objects.filter(action="handgeld.spent", object_id=str(budget.pk)).count() == 2


def test_overspending_is_refused_with_a_clear_error(budget, now):
    spend(budget, "900", now)
    with pytest.raises(DomainError) as exc:
        spend(budget, "100.01", now)
    reason = exc.value.problems[0].reason
    assert "Niet genoeg handgeld over" in reason and "€ 100,00" in reason and "€ 100,01" in reason
    assert HandgeldSpending.objects.filter(budget=budget).count() == 1
    spend(budget, "100.00", now)  # exactly the remainder is fine


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"spent_on": date(2025, 12, 31)}, "spent_on"),
        ({"spent_on": date(2026, 12, 1)}, "spent_on"),  # in the future
        ({"purpose": " "}, "purpose"),
        ({"receipt_reference": ""}, "receipt_reference"),
    ],
)
def test_incomplete_spending_is_refused(budget, now, kw, field):
    with pytest.raises(DomainError) as exc:
        spend(budget, "10", now, **kw)
    assert field in {p.field for p in exc.value.problems}


def test_a_correction_cannot_go_below_zero(budget, now):
    spend(budget, "50", now)
    spend(budget, "-20", now)
    with pytest.raises(DomainError):
        spend(budget, "-40", now)


def test_budget_only_for_area_managers_and_not_below_spent(budget, manager, now):
    with pytest.raises(DomainError):
        handgeld_services.handgeld_budget_set(manager=User.objects.get(username="demo-raadslid"), year=2026,
                                              amount=Decimal(1), actor=None, now=now)
    spend(budget, "600", now)
    with pytest.raises(DomainError):
        handgeld_services.handgeld_budget_set(manager=manager, year=2026, amount=Decimal("500"), actor=None, now=now)
    handgeld_services.handgeld_budget_set(manager=manager, year=2026, amount=Decimal("2000"), actor=None, now=now)
    assert HandgeldBudget.objects.get(pk=budget.pk).amount == Decimal("2000")


def test_the_spending_log_is_append_only(budget, now):
    entry = spend(budget, "5", now)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        HandgeldSpending.objects.filter(pk=entry.pk).delete()


# --- pages, per role ---------------------------------------------------------------------------


def demo_budget() -> HandgeldBudget:
    return HandgeldBudget.objects.get(manager__username="demo-gebiedsmanager", is_demo=True)


@pytest.mark.parametrize(
    ("role", "list_status", "detail_status"),
    [
        ("area_manager", 200, 200), ("management", 200, 200), ("council", 200, 200), ("administrator", 200, 200),
        ("coordinator", 403, 403), ("department_staff", 403, 403), ("alderman", 403, 403), ("resident", 403, 403),
    ],
)
def test_who_sees_handgeld(client_as, role, list_status, detail_status):
    client = client_as(role)
    assert client.get("/handgeld").status_code == list_status
    assert client.get(f"/handgeld/{demo_budget().pk}").status_code == detail_status


def test_anonymous_is_sent_away(client):
    assert client.get("/handgeld").status_code in (302, 403)


def test_another_area_manager_does_not_see_this_budget(client, manager):
    client.force_login(manager)
    page = client.get("/handgeld").content.decode()
    assert "Gerrit" not in page
    assert client.get(f"/handgeld/{demo_budget().pk}").status_code == 403


def test_the_manager_logs_spending_and_sees_the_overspend_error(client_as):
    client = client_as("area_manager")
    budget = demo_budget()
    before = HandgeldSpending.objects.filter(budget=budget).count()
    ok = client.post(f"/handgeld/{budget.pk}", {"spent_on": "2026-10-30", "amount": "12,50", "purpose": "Bloemen vrijwilliger",
                                                "area": Area.objects.get(code="WK082806").pk, "receipt_reference": "INK-9"})
    assert ok.status_code == 302
    too_much = client.post(f"/handgeld/{budget.pk}", {"spent_on": "2026-10-30", "amount": "99.999,00", "purpose": "Te veel",
                                                      "area": Area.objects.get(code="WK082806").pk, "receipt_reference": "INK-10"})
    assert too_much.status_code == 422
    assert "Niet genoeg handgeld over" in too_much.content.decode()
    assert HandgeldSpending.objects.filter(budget=budget).count() == before + 1


@pytest.mark.parametrize("role", ["management", "council", "administrator"])
def test_others_cannot_spend_a_managers_handgeld(client_as, role):
    budget = demo_budget()
    response = client_as(role).post(f"/handgeld/{budget.pk}", {"spent_on": "2026-10-30", "amount": "1", "purpose": "x",
                                                              "area": Area.objects.get(code="WK082806").pk, "receipt_reference": "R"})
    assert response.status_code == 403


@pytest.mark.parametrize(("role", "status"), [("management", 302), ("administrator", 302), ("council", 403), ("area_manager", 403)])
def test_who_sets_budgets(client_as, manager, role, status):
    response = client_as(role).post("/handgeld/budget", {"manager": manager.pk, "year": 2026, "amount": "5.000"})
    assert response.status_code == status
    assert HandgeldBudget.objects.filter(manager=manager).exists() == (status == 302)

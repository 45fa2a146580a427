"""The escalation ladder: order, idempotency, the alderman from the area register; retention."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wijkwijs.intake import services
from wijkwijs.intake.models import Escalation, EscalationStep, SubmitterContact
from wijkwijs.intake.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=AMS)


def test_ladder_order_and_targets_and_idempotency(user_with_role):
    item = ItemFactory(now=MONDAY)  # routed to Openbare Ruimte, nobody took it; first response due Thu 5 Nov
    before = services.items_escalate_overdue(now=datetime(2026, 11, 5, 20, 0, tzinfo=AMS))
    assert not Escalation.objects.filter(item=item).exists(), before
    services.items_escalate_overdue(now=datetime(2026, 11, 6, 9, 0, tzinfo=AMS))
    assert [e.target for e in Escalation.objects.filter(item=item)] == ["owner"]
    assert Escalation.objects.get(item=item).to_department.slug == "openbare-ruimte"
    summary = services.items_escalate_overdue(now=datetime(2026, 11, 20, 9, 0, tzinfo=AMS))
    assert summary["escalated"] >= 3
    escalations = list(Escalation.objects.filter(item=item).order_by("position"))
    assert [e.target for e in escalations] == ["owner", "department_head", "area_manager", "alderman"]
    assert escalations[1].to_user == user_with_role("department_head")
    assert escalations[2].to_user == user_with_role("area_manager")
    assert escalations[3].to_user.username == "demo-wethouder"  # alderman of Schadewijk's cluster
    again = services.items_escalate_overdue(now=datetime(2026, 11, 20, 9, 0, tzinfo=AMS))
    assert Escalation.objects.filter(item=item).count() == 4
    assert again["escalated"] == 0 or item.pk not in Escalation.objects.filter(at__gt=escalations[-1].at).values_list("item", flat=True)


def test_waiting_items_do_not_escalate_and_first_response_resets_the_ladder(user_with_role):
    staff = user_with_role("department_staff")
    item = ItemFactory(now=MONDAY, taken_by=staff)  # first response given: resolution due Mon 23 Nov
    services.item_ask_submitter(item=item, question="Waar precies?", actor=staff, now=MONDAY + timedelta(hours=2))
    services.items_escalate_overdue(now=datetime(2026, 12, 31, 12, 0, tzinfo=AMS))
    assert not Escalation.objects.filter(item=item).exists()


def test_ladder_is_configurable():
    EscalationStep.objects.all().delete()
    EscalationStep.objects.create(position=1, target="alderman", delay_days=0)
    item = ItemFactory(now=MONDAY)
    services.items_escalate_overdue(now=datetime(2026, 11, 6, 9, 0, tzinfo=AMS))
    assert [(e.target, e.to_user.username) for e in Escalation.objects.filter(item=item)] == [("alderman", "demo-wethouder")]


def test_no_owner_queue_escalates_on_its_own_deadline():
    item = ItemFactory(unowned=True, now=MONDAY)  # routing due Tue 3 Nov
    services.items_escalate_overdue(now=datetime(2026, 11, 4, 9, 0, tzinfo=AMS))
    esc = Escalation.objects.get(item=item)
    assert esc.deadline_kind == "triage"
    assert esc.target == "area_manager"  # no owner and no head: the first rung with a person


def test_manual_escalation_needs_a_reason(user_with_role):
    coordinator = user_with_role("coordinator")
    item = ItemFactory(now=MONDAY)
    with pytest.raises(services.DomainError):
        services.item_escalate(item=item, reason="", actor=coordinator, now=MONDAY)
    esc = services.item_escalate(item=item, reason="Gevaarlijke situatie bij school", actor=coordinator, now=MONDAY)
    assert esc.manual and esc.target == "department_head" and esc.to_user == user_with_role("department_head")
    esc2 = services.item_escalate(item=item, reason="Nog steeds niets", actor=coordinator, now=MONDAY)
    assert esc2.target == "area_manager"


def test_contacts_are_anonymised_after_the_retention(user_with_role, settings):
    staff = user_with_role("department_staff")
    item = ItemFactory(with_contact=True, now=MONDAY, taken_by=staff)
    services.item_answer(item=item, text="Opgelost", actor=staff, now=MONDAY + timedelta(days=1))
    open_item = ItemFactory(with_contact=True, now=MONDAY)
    assert services.contacts_anonymise_expired(now=MONDAY + timedelta(days=300)) == 0
    settings.INTAKE_RETENTION_DAYS = 30
    assert services.contacts_anonymise_expired(now=MONDAY + timedelta(days=32)) == 1
    contact = SubmitterContact.objects.get(item=item)
    assert contact.email == "" and contact.name == "" and contact.anonymised_at is not None
    assert SubmitterContact.objects.get(item=open_item).email == "jan@example.org"
    assert services.contacts_anonymise_expired(now=MONDAY + timedelta(days=33)) == 0


def test_a_person_is_not_reached_twice_on_one_deadline(user_with_role):
    head = user_with_role("department_head")  # head of Openbare Ruimte, takes the item himself
    item = ItemFactory(now=MONDAY, taken_by=head)  # resolution due Mon 23 Nov
    services.items_escalate_overdue(now=datetime(2026, 12, 31, 9, 0, tzinfo=AMS))
    rungs = [(e.position, e.target, e.to_user.username) for e in Escalation.objects.filter(item=item).order_by("position")]
    area_manager = user_with_role("area_manager").username
    # rung 2 (department head) is the owner again: it goes up to the area manager, rung 3 to the
    # alderman, and rung 4 reminds the alderman, the top of the ladder
    assert rungs == [(1, "owner", head.username), (2, "area_manager", area_manager),
                     (3, "alderman", "demo-wethouder"), (4, "alderman", "demo-wethouder")]
    again = services.items_escalate_overdue(now=datetime(2026, 12, 31, 9, 0, tzinfo=AMS))
    assert again["escalated"] == 0 and Escalation.objects.filter(item=item).count() == 4

"""The workflow through the services: submit, route, take, ask, answer, reject, close, reopen."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from wijkwijs.accounts.models import Department
from wijkwijs.audit.models import AuditEvent
from wijkwijs.core.errors import DomainError
from wijkwijs.intake import services
from wijkwijs.intake.models import Item, Notification, Routing, State, StatusChange, SubmitterContact
from wijkwijs.intake.tests.factories import SCHADEWIJK, ItemFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=AMS)


def test_submit_finds_the_area_sets_deadlines_and_routes_by_the_table(now):
    item = ItemFactory(now=MONDAY)
    assert item.tracking_code.startswith("M-") and len(item.tracking_code) == 11
    assert item.buurt.code.startswith("BU082801") and item.wijk.code == "WK082801"
    # lantaarnpaal-defect: signal norm 3/15 working days from Monday 2 Nov 2026
    assert item.first_response_due == datetime(2026, 11, 5, 23, 59, 59, tzinfo=AMS)
    assert item.resolution_due == datetime(2026, 11, 23, 23, 59, 59, tzinfo=AMS)
    assert item.state == State.ROUTED
    assert item.owner_department.slug == "openbare-ruimte"
    assert [c.to_state for c in item.status_changes.all()] == ["new", "routed"]
    assert Routing.objects.get(item=item, department__isnull=False).rule is not None
    assert AuditEvent.objects.filter(object_id=str(item.pk), action="intake.item_submitted").count() == 1


def test_item_without_matching_rule_lands_in_the_no_owner_queue_with_its_own_deadline():
    item = ItemFactory(unowned=True, now=MONDAY)
    assert item.state == State.NEW and item.owner_department is None
    assert item.triage_due == datetime(2026, 11, 3, 23, 59, 59, tzinfo=AMS)
    assert Routing.objects.get(item=item).department is None


def test_classifier_suggests_and_decides_above_the_threshold(settings):
    item = ItemFactory(category="", description="Er ligt een gat in het fietspad, ik ben bijna gevallen", now=MONDAY)
    assert item.suggested_category == "wegdek" and item.suggested_confidence >= 0.4
    assert item.category == "wegdek"
    settings.INTAKE_CLASSIFIER_THRESHOLD = 0.99
    unsure = ItemFactory(category="", description="Er ligt een gat in het fietspad", now=MONDAY)
    assert unsure.suggested_category == "wegdek" and unsure.category == ""
    assert unsure.state == State.NEW  # a person decides


def test_full_workflow_and_history_is_append_only(user_with_role, django_capture_on_commit_callbacks):
    staff = user_with_role("department_staff")
    with django_capture_on_commit_callbacks(execute=True):
        item = ItemFactory(with_contact=True, now=MONDAY)
        _workflow(item, staff)
    # e-mail at every public step: received (with the routing), start, answer, reopen, answer; closed is not public
    assert Notification.objects.filter(item=item).count() == 5
    assert len(mail.outbox) == 5
    assert all("Jan" not in m.body and "jan@example.org" not in m.body for m in mail.outbox)
    assert mail.outbox[0].to == ["jan@example.org"]
    assert item.tracking_code in mail.outbox[0].body
    # the task is safe to run twice
    from wijkwijs.intake.tasks import send_notification

    assert send_notification.call(Notification.objects.filter(item=item).first().pk) == "done"
    assert len(mail.outbox) == 5


def _workflow(item, staff):
    t = MONDAY + timedelta(hours=2)
    services.item_take(item=item, actor=staff, now=t)
    item.refresh_from_db()
    assert item.owner == staff and item.state == State.IN_PROGRESS and item.first_response_at == t
    services.item_answer(item=item, text="De lamp is vervangen.", actor=staff, now=t + timedelta(days=1))
    services.item_reopen(item=item, reason="Lamp is weer kapot", actor=staff, now=t + timedelta(days=3))
    item.refresh_from_db()
    assert item.done_at is None and item.escalation_cycle == 1
    assert item.resolution_due > t + timedelta(days=14)  # the clock restarted at the reopening
    services.item_answer(item=item, text="Nu echt vervangen.", actor=staff, now=t + timedelta(days=4))
    services.item_close(item=item, actor=staff, now=t + timedelta(days=5))
    with pytest.raises(DomainError):
        services.item_reopen(item=item, reason="nog eens", actor=staff, now=t + timedelta(days=6))
    states = list(StatusChange.objects.filter(item=item).values_list("to_state", flat=True))
    assert states == ["new", "routed", "in_progress", "answered", "reopened", "answered", "closed"]


def test_reject_needs_a_motivation_and_reroute_a_reason(user_with_role):
    staff = user_with_role("department_staff")
    item = ItemFactory(now=MONDAY)
    with pytest.raises(DomainError):
        services.item_reject(item=item, motivation="  ", actor=staff, now=MONDAY)
    with pytest.raises(DomainError):
        services.item_reroute(item=item, department=Department.objects.get(slug="welzijn"), reason="", actor=staff, now=MONDAY)
    services.item_reroute(item=item, department=Department.objects.get(slug="welzijn"), reason="Hoort bij welzijn",
                          actor=staff, now=MONDAY)
    item.refresh_from_db()
    assert item.owner_department.slug == "welzijn" and item.state == State.ROUTED
    services.item_reject(item=item, motivation="Geen taak van de gemeente", actor=staff, now=MONDAY)
    item.refresh_from_db()
    assert item.state == State.REJECTED
    with pytest.raises(DomainError):  # not allowed from rejected
        services.item_ask_submitter(item=item, question="Waar precies?", actor=staff, now=MONDAY)


def test_asking_the_submitter_pauses_the_clock(user_with_role):
    staff = user_with_role("department_staff")
    item = ItemFactory(with_contact=True, now=MONDAY, taken_by=staff)
    due = item.resolution_due
    services.item_ask_submitter(item=item, question="Welke paal precies?", actor=staff, now=MONDAY + timedelta(hours=3))
    item.refresh_from_db()
    assert item.state == State.WAITING and item.next_escalation_at is None
    # The reply comes a week later (Monday 9 Nov): Tue-Fri paused = 4 working days added.
    services.item_submitter_reply(item=item, text="De paal bij nummer 12", actor=None, now=MONDAY + timedelta(days=7))
    item.refresh_from_db()
    assert item.state == State.IN_PROGRESS
    assert item.resolution_due == due + timedelta(days=4)  # Mon 23 -> Fri 27 Nov: 4 working days
    assert len(item.pauses) == 1
    assert "reply" in [m.kind for m in item.messages.all()]


def test_invalid_submission_stores_nothing():
    before = Item.objects.count()
    with pytest.raises(DomainError) as exc:
        services.item_submit(kind="signal", description="", actor=None, now=MONDAY,
                             attachments=[services.Upload("x.jpg", b"GIF89a....")])
    fields = {p.field for p in exc.value.problems}
    assert {"description", "location", "photo"} <= fields
    assert Item.objects.count() == before


def test_attachments_are_checked_by_content_and_size(settings):
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    item = services.item_submit(kind="signal", description="Graffiti op de muur", location_text="Tunnel bij station",
                                actor=None, now=MONDAY, attachments=[services.Upload("foto.gif", png)])
    att = item.attachments.get()
    assert att.content_type == "image/png" and att.file.name.endswith(".png")
    settings.INTAKE_MAX_UPLOAD_BYTES = 50
    with pytest.raises(DomainError):
        services.item_submit(kind="signal", description="x", location_text="y", actor=None, now=MONDAY,
                             attachments=[services.Upload("foto.png", png)])


def test_advice_needs_asked_or_unasked(user_with_role):
    council = user_with_role("council_member")
    with pytest.raises(DomainError):
        services.item_submit(kind="advice", description="Advies over het speelveld", actor=council, now=MONDAY)
    item = services.item_submit(kind="advice", advice_type="asked", subject="Speelveld", description="Advies over het speelveld",
                                actor=council, submitted_by=council, council_name="Wijkraad Schadewijk", channel="council",
                                now=MONDAY, lon=SCHADEWIJK[0], lat=SCHADEWIJK[1])
    assert item.submitted_by == council and item.advice_type == "asked"
    # advice: 5/30 working days
    assert item.first_response_due.date().isoformat() == "2026-11-09"


def test_contact_is_a_separate_row():
    item = ItemFactory(with_contact=True)
    assert SubmitterContact.objects.get(item=item).email == "jan@example.org"
    assert not any(f.name in ("name", "email") for f in Item._meta.get_fields() if hasattr(f, "column"))

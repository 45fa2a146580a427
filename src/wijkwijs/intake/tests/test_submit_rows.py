"""Receiving an item writes all its rows in one transaction (in one flight on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from wijkwijs.audit.models import AuditEvent
from wijkwijs.conftest import NOW
from wijkwijs.core.bulk import insert_unreturned, pipelined
from wijkwijs.intake import services
from wijkwijs.intake.models import StatusChange, SubmitterContact
from wijkwijs.intake.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

BODY = {"kind": "signal", "description": "Kapotte lantaarnpaal bij het park", "lon": 5.5334, "lat": 51.7775}


@pytest.mark.parametrize("defer", [True, False])
def test_every_received_item_has_its_history_contact_and_audit_rows(defer):
    item = services.item_submit(**BODY, email="melder@example.org", name="Jan", actor=None, now=NOW, defer=defer)
    change = StatusChange.objects.get(item=item, action="submit")
    assert (change.from_state, change.to_state, change.at, change.actor_label) == ("", "new", NOW, "melder")
    contact = SubmitterContact.objects.get(item=item)
    assert (contact.name, contact.email, contact.wants_updates, contact.anonymised_at) == ("Jan", "melder@example.org", True, None)
    event = AuditEvent.objects.get(action="intake.item_submitted", object_id=str(item.pk))
    assert event.data == {"kind": "signal", "channel": "web", "category": ""}


def test_insert_unreturned_applies_defaults_and_leaves_the_pk_unset():
    item = ItemFactory()
    contact = SubmitterContact(item_id=item.pk, email="a@example.org")
    with transaction.atomic(), pipelined():
        insert_unreturned(contact)
    assert contact.pk is None
    stored = SubmitterContact.objects.get(item=item)
    assert stored.email == "a@example.org" and stored.wants_updates is True


def test_errors_in_a_pipeline_are_djangos_and_roll_back():
    item = ItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), pipelined():
        insert_unreturned(StatusChange(item_id=item.pk, to_state="new", action="x", at=NOW))
        insert_unreturned(SubmitterContact(item_id=item.pk))
        insert_unreturned(SubmitterContact(item_id=item.pk))  # one contact per item
        AuditEvent.objects.create(at=NOW, action="x")  # reads an answer: the errors surface here at the latest
    assert not StatusChange.objects.filter(item=item, action="x").exists()
    assert not SubmitterContact.objects.filter(item=item).exists()
    with connection.cursor() as cursor:  # the connection is usable again
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)

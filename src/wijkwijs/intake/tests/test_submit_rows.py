"""Receiving an item writes all its rows in one transaction (in one flight on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from wijkwijs.audit.models import AuditEvent
from wijkwijs.conftest import NOW
from wijkwijs.core.bulk import insert_one, insert_unreturned, pipelined
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


def _row(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


def test_insert_one_stores_what_save_stores_and_reads_the_pk_back():
    from wijkwijs.intake.models import Item

    values = {k: v for k, v in _row(ItemFactory()).items() if k != "tracking_code"}
    values["pauses"] = [["a", "b"]]
    made, saved = Item(**values, tracking_code="M-TEST-0001"), Item(**values, tracking_code="M-TEST-0002")
    with transaction.atomic():
        insert_one(made)
    saved.save()
    assert made.pk is not None and made.pk != saved.pk and not made._state.adding and made._state.db == "default"
    assert _row(Item.objects.get(pk=made.pk)) == _row(made)
    assert {**_row(Item.objects.get(pk=made.pk)), "tracking_code": ""} == {**_row(Item.objects.get(pk=saved.pk)), "tracking_code": ""}
    made.subject = "changed"
    made.save()  # an UPDATE of the same row, not a second insert
    assert Item.objects.get(tracking_code="M-TEST-0001").subject == "changed"


def test_insert_one_sends_the_values_django_would():
    from django.db.models.sql import InsertQuery

    from wijkwijs.core import bulk

    item = ItemFactory()
    for obj in (StatusChange(item_id=item.pk, to_state="new", action="x", at=NOW, actor_label="melder"),
                SubmitterContact(item_id=item.pk, email="a@example.org"),
                AuditEvent(at=NOW, action="x", data={"n": 1})):
        with transaction.atomic():
            bulk.insert_one(obj)
        sql, fields = bulk._INSERT_PLANS[(type(obj), "default", False, True)]
        query = InsertQuery(type(obj))
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(using="default")
        compiler.returning_fields = [obj._meta.pk]
        [(django_sql, django_params)] = compiler.as_sql()
        ours = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        assert sql == django_sql
        assert [str(p) for p in ours] == [str(p) for p in django_params]


def test_insert_one_with_a_given_pk_and_with_expressions():
    from django.db.models.functions import Now

    item = ItemFactory()
    with transaction.atomic():
        change = StatusChange(item_id=item.pk, to_state="new", action="now", at=Now())
        insert_one(change)  # an expression: Django's own insert
        given = StatusChange(pk=987654, item_id=item.pk, to_state="new", action="given", at=NOW)
        insert_one(given)
    assert change.pk is not None and StatusChange.objects.get(pk=change.pk).at is not None
    assert StatusChange.objects.get(pk=987654).action == "given"


def test_record_still_writes_append_only_events():
    from wijkwijs.audit.models import AppendOnlyError
    from wijkwijs.audit.services import record

    item = ItemFactory()
    event = record(actor=None, action="x.y", obj=item, now=NOW, data={"a": 1})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.object_id, stored.actor_label, stored.data) == ("x.y", str(item.pk), "systeem", {"a": 1})
    with pytest.raises(AppendOnlyError):
        event.save()

import pytest

from wijkwijs.areas.models import Area
from wijkwijs.audit.models import AppendOnlyError, AuditEvent
from wijkwijs.audit.selectors import events_for
from wijkwijs.audit.services import record

pytestmark = pytest.mark.django_db


def test_record_and_read_back(now, user_with_role):
    area = Area.objects.get(code="WK082801")
    user = user_with_role("coordinator")
    event = record(actor=user, action="test.viewed", obj=area, now=now, data={"why": "test"})
    assert event.actor == user and event.actor_label == user.username
    assert event.object_type == "areas.area" and event.object_id == str(area.pk)
    assert events_for(area).first() == event


def test_events_cannot_be_changed_or_deleted(now):
    event = record(actor=None, action="test.system", now=now)
    assert event.actor_label == "systeem"
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_imports_leave_a_trail():
    assert AuditEvent.objects.filter(action="clustering.imported").count() >= 4
    assert AuditEvent.objects.filter(action="area.created").count() >= 130

"""Tasks queued with the work: atomically with the database backend, after commit with the others."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from wijkwijs.conftest import NOW
from wijkwijs.intake import services
from wijkwijs.intake.models import Item, Notification
from wijkwijs.intake.tasks import process_item, send_notification

pytestmark = pytest.mark.django_db

BODY = {"kind": "signal", "description": "Kapotte lantaarnpaal bij het park", "lon": 5.5334, "lat": 51.7775}


@pytest.fixture
def db_backend(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _submit(**extra):  # type: ignore[no-untyped-def]
    return services.item_submit(**BODY, actor=None, now=NOW, defer=True, **extra)


def test_database_backend_writes_the_task_in_the_items_transaction(db_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item = _submit(email="melder@example.org")
    assert callbacks == []  # nothing left for after the commit: the row is part of the transaction
    task = DBTaskResult.objects.get()
    assert task.task_path == process_item.module_path and task.args_kwargs == {"args": [item.pk], "kwargs": {}}
    assert process_item.call(item.pk) == "processed"  # what the worker runs
    item.refresh_from_db()
    assert item.processed_at is not None and item.owner_department.slug == "openbare-ruimte"
    # processing queues the e-mail the same way, within its own transaction
    notification = Notification.objects.get(item=item)
    assert DBTaskResult.objects.filter(task_path=send_notification.module_path,
                                       args_kwargs={"args": [notification.pk], "kwargs": {}}).count() == 1


def test_database_backend_rollback_takes_the_task_away(db_backend):
    with pytest.raises(RuntimeError), transaction.atomic():
        _submit()
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the caller's transaction fails after the submit")
    assert Item.objects.count() == 0 and DBTaskResult.objects.count() == 0


def test_other_backends_enqueue_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item = _submit()
    assert len(callbacks) == 1 and DBTaskResult.objects.count() == 0
    item.refresh_from_db()
    assert item.processed_at is None
    callbacks[0]()  # the immediate backend runs the task
    item.refresh_from_db()
    assert item.processed_at is not None


def test_the_task_row_is_the_one_the_library_writes(db_backend):
    from django.db.models.signals import post_save
    from django_tasks.signals import task_enqueued

    seen = []

    def on_enqueued(sender, task_result, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(("enqueued", task_result.id, task_result.args, task_result.task.module_path))

    def on_saved(sender, instance, created, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(("saved", str(instance.id), created))

    task_enqueued.connect(on_enqueued)
    post_save.connect(on_saved, sender=DBTaskResult)
    try:
        with transaction.atomic():
            ours_item = _submit()
        theirs = process_item.enqueue(ours_item.pk)  # the library's own enqueue (outside the item's transaction)
    finally:
        task_enqueued.disconnect(on_enqueued)
        post_save.disconnect(on_saved, sender=DBTaskResult)
    ours, lib = DBTaskResult.objects.exclude(pk=theirs.id).get(), DBTaskResult.objects.get(pk=theirs.id)
    fields = [f.attname for f in DBTaskResult._meta.concrete_fields if f.attname not in ("id", "enqueued_at")]
    assert {f: getattr(ours, f) for f in fields} == {f: getattr(lib, f) for f in fields}
    assert ours.enqueued_at is not None and ours.run_after == lib.run_after
    assert ours.task_result.args == [ours_item.pk] and ours.task_result.task.module_path == process_item.module_path
    ours_id = str(ours.id)
    assert seen[:2] == [("saved", ours_id, True), ("enqueued", ours_id, [ours_item.pk], process_item.module_path)]

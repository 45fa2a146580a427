"""Background tasks (django-tasks): take ids, safe to run twice, queued after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models.signals import post_save, pre_save
from django_tasks import task
from django_tasks.signals import task_enqueued
from django_tasks.utils import normalize_json
from django_tasks_db import DatabaseBackend

from wijkwijs.core.bulk import insert_one
from wijkwijs.core.clock import now


def enqueue_on_commit(task_: Any, *args: Any) -> None:
    """Queue ``task_(*args)`` so that it exists if, and only if, the current transaction commits.

    With the database backend the task row is written *inside* the transaction (on the same
    database): a rollback takes it away with the work, the worker cannot see it before the
    commit, and the request commits once instead of twice (the task row used to get its own
    transaction after the commit). Any other backend (the immediate one in tests, Redis) is
    enqueued with ``transaction.on_commit`` as before. Outside a transaction it is enqueued now.
    """
    backend = task_.get_backend()
    if isinstance(backend, DatabaseBackend) and transaction.get_connection().in_atomic_block:
        from django_tasks_db.models import DBTaskResult

        if (router.db_for_write(DBTaskResult) or DEFAULT_DB_ALIAS) == DEFAULT_DB_ALIAS:
            _enqueue_row(backend, task_, args)
            return
    transaction.on_commit(lambda: task_.enqueue(*args))


def _enqueue_row(backend: DatabaseBackend, task_: Any, args: tuple[Any, ...]) -> None:
    """``DatabaseBackend.enqueue`` (django-tasks-db 0.13) with the row written by ``core.bulk.insert_one``.

    The same checks, row, ``pre_save``/``post_save`` signals (the library sets ``run_after`` in
    a ``pre_save`` receiver) and ``task_enqueued`` signal; only the ORM's statement building per
    insert is left out, and the task result is built once instead of twice (a quarter of the
    receipt's Python time went into queueing its task). ``test_tasks`` compares the row with
    the library's own, so a library upgrade that changes it fails there.
    """
    from django_tasks_db.models import DBTaskResult

    backend.validate_task(task_)
    row = DBTaskResult(
        id=backend._get_id(), args_kwargs=normalize_json({"args": args, "kwargs": {}}), priority=task_.priority,
        task_path=task_.module_path, queue_name=task_.queue_name, run_after=task_.run_after, backend_name=backend.alias,
    )
    alias = DEFAULT_DB_ALIAS
    pre_save.send(sender=DBTaskResult, instance=row, raw=False, using=alias, update_fields=None)
    insert_one(row, returning=False)
    post_save.send(sender=DBTaskResult, instance=row, created=True, update_fields=None, raw=False, using=alias)
    task_enqueued.send(type(backend), task_result=row.task_result)


@task()
def send_notification(notification_id: int) -> str:
    """Send one e-mail to the submitter; a second run finds it sent and does nothing."""
    from wijkwijs.intake.models import Notification, SubmitterContact

    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            return "missing"
        if notification.sent_at is not None or notification.skipped:
            return "done"
        contact = SubmitterContact.objects.filter(item_id=notification.item_id).first()
        if contact is None or not contact.email or contact.anonymised_at is not None:
            notification.skipped = "no address"
            notification.save(update_fields=["skipped"])
            return "skipped"
        send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [contact.email])
        notification.sent_at = now()
        notification.save(update_fields=["sent_at"])
        return "sent"


@task()
def process_item(item_id: int) -> str:
    """Classify, locate and route an item received through the API (idempotent)."""
    from wijkwijs.intake.models import Item
    from wijkwijs.intake.services import item_process

    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        return "missing"
    item_process(item=item, now=now())
    return "processed"


@task()
def escalate_overdue() -> dict[str, Any]:
    """Run the escalation ladder (idempotent); schedule it with cron or a periodic enqueue."""
    from wijkwijs.intake.escalation import items_escalate_overdue

    return items_escalate_overdue(now=now(), actor=None)


@task()
def anonymise_expired_contacts() -> int:
    from wijkwijs.intake.escalation import contacts_anonymise_expired

    return contacts_anonymise_expired(now=now(), actor=None)


@task()
def refresh_throughput() -> dict[str, int]:
    """Bring the throughput roll-up up to date (idempotent; two runs at once wait for each other)."""
    from wijkwijs.intake.rollup import throughput_refresh

    return throughput_refresh(now=now())

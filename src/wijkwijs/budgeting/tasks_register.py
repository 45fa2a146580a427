"""Background tasks of budgeting (django-tasks): voucher expiry and the calendar of rounds; safe to run twice."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from wijkwijs.core.clock import now


@task()
def expire_vouchers() -> dict[str, Any]:
    """Expire unused cheques of ended periods; schedule it nightly (cron or a periodic enqueue)."""
    from wijkwijs.budgeting.voucher_services import vouchers_expire

    return vouchers_expire(now=now(), actor=None)


@task()
def close_due_rounds() -> dict[str, Any]:
    """Close ideas and voting of rounds whose closing date has passed (hourly)."""
    from wijkwijs.budgeting.services import rounds_close_due

    return rounds_close_due(now=now(), actor=None)

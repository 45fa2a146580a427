"""Background tasks of the voucher ledger (django-tasks): safe to run twice."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from wijkwijs.core.clock import now


@task()
def expire_vouchers() -> dict[str, Any]:
    """Expire unused cheques of ended periods; schedule it nightly (cron or a periodic enqueue)."""
    from wijkwijs.budgeting.voucher_services import vouchers_expire

    return vouchers_expire(now=now(), actor=None)

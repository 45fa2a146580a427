"""Throughput (doorlooptijden, S7): per department, area, kind or month.

Received, open, overdue, median and 90th percentile of the time to first response and to
resolution (calendar days), and escalations. Aggregates only: no personal data.

Received, escalations and the durations come from the roll-up (:mod:`wijkwijs.intake.rollup`)
for the days and months it has built, and from the items for the rest; the percentiles are
computed in Python from exact histograms of the durations in whole seconds, so PostgreSQL and
SQLite give the same figures, equal to those over all items read directly. Open and overdue
are figures of *now* and are counted on the (few) open items, through a partial index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwijs.accounts.models import Department
from wijkwijs.areas.models import Area
from wijkwijs.intake import quantiles, rollup
from wijkwijs.intake.models import OPEN_STATES, Item, Kind
from wijkwijs.intake.selectors import overdue_q

GROUPS = ("department", "area", "kind", "month")
_KEY = {"department": "owner_department_id", "area": "wijk_id", "kind": "kind", "month": "month"}


@dataclass
class Row:
    key: Any
    label: str
    received: int = 0
    open: int = 0
    overdue: int = 0
    first_median: float | None = None
    first_p90: float | None = None
    resolution_median: float | None = None
    resolution_p90: float | None = None
    escalations: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _days(value: float | None) -> float | None:
    return None if value is None else round(float(value) / 86400, 1)


def _base(since: datetime | None, until: datetime | None) -> QuerySet[Item]:
    qs = Item.objects.all()
    if since is not None:
        qs = qs.filter(received_at__gte=since)
    if until is not None:
        qs = qs.filter(received_at__lt=until)
    return qs


def _labels(group: str, keys: list[Any]) -> dict[Any, str]:
    if group == "department":
        names = dict(Department.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {k: names.get(k, _("– no owner –")) for k in keys}
    if group == "area":
        names = dict(Area.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {k: names.get(k, _("– no location –")) for k in keys}
    if group == "kind":
        return {k: str(Kind(k).label) if k in Kind.values else str(k) for k in keys}
    return {k: k.strftime("%Y-%m") if k else "" for k in keys}


def throughput(
    *, group: str, now: datetime, since: datetime | None = None, until: datetime | None = None, use_rollup: bool = True,
) -> list[Row]:
    """The figures per group for the items received in [since, until); ``use_rollup=False`` reads all items."""
    if group not in GROUPS:
        raise ValueError(f"unknown group {group}")
    with rollup.snapshot():
        tallies = rollup.collect(group=group, now=now, since=since, until=until, use_rollup=use_rollup)
        now_counts = _now_counts(group=group, now=now, since=since, until=until)
        labels = _labels(group, list(tallies))
    rows: dict[Any, Row] = {}
    for key, tally in tallies.items():
        if not tally.received:
            continue
        first_q = quantiles.quantiles(tally.first, (0.5, 0.9))
        res_q = quantiles.quantiles(tally.resolution, (0.5, 0.9))
        rows[key] = Row(key=key, label="", received=tally.received, escalations=tally.escalations,
                        first_median=_days(first_q[0]), first_p90=_days(first_q[1]),
                        resolution_median=_days(res_q[0]), resolution_p90=_days(res_q[1]))
    for key, n_open, n_overdue in now_counts:
        if key in rows:
            rows[key].open, rows[key].overdue = n_open, n_overdue
    for k, row in rows.items():
        row.label = labels[k]
    return sorted(rows.values(), key=lambda r: (r.key is None, r.key) if group == "month" else (-r.received, r.label))


def _now_counts(*, group: str, now: datetime, since: datetime | None, until: datetime | None) -> list[tuple[Any, int, int]]:
    """Open and overdue per group: only open items are read (partial index ``intake_item_open_received``)."""
    qs = _base(since, until).filter(state__in=OPEN_STATES)
    if group == "month":
        qs = qs.annotate(month=TruncMonth("received_at", tzinfo=timezone.get_default_timezone()))
    key = _KEY[group]
    counts = qs.order_by().values(key).annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(now)))
    return [(r[key], r["open"], r["overdue"]) for r in counts]


def totals(rows: list[Row]) -> dict[str, int]:
    return {
        "received": sum(r.received for r in rows),
        "open": sum(r.open for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "escalations": sum(r.escalations for r in rows),
    }

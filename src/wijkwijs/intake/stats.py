"""Throughput (doorlooptijden, S7): per department, area, kind or month.

Received, open, overdue, median and 90th percentile of the time to first response and to
resolution (calendar days), and escalations. Aggregates only: no personal data. On PostgreSQL
the percentiles are computed in the database (``percentile_cont``); elsewhere in Python.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, FloatField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from wijkwijs.accounts.models import Department
from wijkwijs.areas.models import Area
from wijkwijs.intake.models import OPEN_STATES, Escalation, Item, Kind
from wijkwijs.intake.selectors import overdue_q

GROUPS = ("department", "area", "kind", "month")
_KEY = {"department": "owner_department_id", "area": "wijk_id", "kind": "kind", "month": "month"}


class MedianP90(Aggregate):
    """PostgreSQL: ``[median, p90]`` in one sort (``percentile_cont`` with an array of fractions)."""

    function = "percentile_cont"
    template = "%(function)s(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, **extra: Any) -> None:
        from django.contrib.postgres.fields import ArrayField

        super().__init__(expression, output_field=ArrayField(FloatField()), **extra)


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


def _days(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value) / 86400, 1)


def _quantile(values: list[float], p: float) -> float | None:
    """Linear interpolation between closest ranks, as percentile_cont."""
    if not values:
        return None
    values = sorted(values)
    pos = (len(values) - 1) * p
    lo, hi = math.floor(pos), math.ceil(pos)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


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


def throughput(*, group: str, now: datetime, since: datetime | None = None, until: datetime | None = None) -> list[Row]:
    if group not in GROUPS:
        raise ValueError(f"unknown group {group}")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # the ordered-set aggregates sort a year of items: keep that sort in memory, for this query only
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
        return _throughput(group=group, now=now, since=since, until=until)


def _throughput(*, group: str, now: datetime, since: datetime | None, until: datetime | None) -> list[Row]:
    qs = _base(since, until)
    if group == "month":
        qs = qs.annotate(month=TruncMonth("received_at"))
    key = _KEY[group]
    first = ExpressionWrapper(F("first_response_at") - F("received_at"), output_field=DurationField())
    resolved = ExpressionWrapper(F("done_at") - F("received_at"), output_field=DurationField())
    count_fields = {
        "received": Count("id"), "open": Count("id", filter=Q(state__in=OPEN_STATES)),
        "overdue": Count("id", filter=overdue_q(now)),
    }
    rows: dict[Any, Row] = {}
    if connection.vendor == "postgresql":
        qs_pg = qs.annotate(first_s=first, res_s=resolved)
        stats = qs_pg.values(key).annotate(
            **count_fields, first=MedianP90(_epoch("first_s")), res=MedianP90(_epoch("res_s")),
        )
        for r in stats:
            first_q, res_q = r["first"] or [None, None], r["res"] or [None, None]
            rows[r[key]] = Row(key=r[key], label="", received=r["received"], open=r["open"], overdue=r["overdue"],
                               first_median=_days(first_q[0]), first_p90=_days(first_q[1]),
                               resolution_median=_days(res_q[0]), resolution_p90=_days(res_q[1]))
    else:
        for r in qs.values(key).annotate(**count_fields):
            rows[r[key]] = Row(key=r[key], label="", received=r["received"], open=r["open"], overdue=r["overdue"])
        firsts: dict[Any, list[float]] = defaultdict(list)
        results: dict[Any, list[float]] = defaultdict(list)
        for k, received, first_at, done in qs.values_list(key, "received_at", "first_response_at", "done_at"):
            if first_at is not None:
                firsts[k].append((first_at - received).total_seconds())
            if done is not None:
                results[k].append((done - received).total_seconds())
        for k, row in rows.items():
            row.first_median, row.first_p90 = _days(_quantile(firsts[k], 0.5)), _days(_quantile(firsts[k], 0.9))
            row.resolution_median, row.resolution_p90 = _days(_quantile(results[k], 0.5)), _days(_quantile(results[k], 0.9))
    esc = Escalation.objects.all()
    if since is not None:
        esc = esc.filter(item__received_at__gte=since)
    if until is not None:
        esc = esc.filter(item__received_at__lt=until)
    esc_key = f"item__{key}" if group != "month" else "month"
    if group == "month":
        esc = esc.annotate(month=TruncMonth("item__received_at"))
    for r in esc.values(esc_key).annotate(n=Count("id")):
        if r[esc_key] in rows:
            rows[r[esc_key]].escalations = r["n"]
    labels = _labels(group, list(rows))
    for k, row in rows.items():
        row.label = labels[k]
    ordered = sorted(rows.values(), key=lambda r: (r.key is None, r.key) if group == "month" else (-r.received, r.label))
    return ordered


def _epoch(name: str) -> Any:
    from django.db.models import Func

    return Func(F(name), function="EXTRACT", template="EXTRACT(EPOCH FROM %(expressions)s)", output_field=FloatField())


def totals(rows: list[Row]) -> dict[str, int]:
    return {
        "received": sum(r.received for r in rows),
        "open": sum(r.open for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "escalations": sum(r.escalations for r in rows),
    }

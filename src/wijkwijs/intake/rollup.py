"""The throughput roll-up: per local day and month, per department, wijk and kind (S7 at scale).

Why: the dashboard over a year of a million items has to aggregate some 200,000 items per
request. The roll-up keeps, for every *ended* local day and every ended month, one row per
department, wijk, kind and one for all items, with the number received, the escalations and
exact histograms of the durations (:mod:`wijkwijs.intake.quantiles`). A period is then the sum of
its months, its days at the edges and, read directly from the items, the two partial days at the
ends and every day that is not (or no longer) rolled up.

How it stays right:

* every service that changes what the figures count (receipt, routing to a department, the
  location, a first response, handling, reopening) calls :func:`item_touched` in its transaction:
  a :class:`ThroughputDirty` row for the item's day. A dirty day is read from the items until it
  is rebuilt, so the figures are exact at any moment, only slower for the dirty days. A day that
  has not ended yet needs no row: it is built only :data:`SETTLE` after its end;
* escalations are append-only rows written by the escalation ladder; :class:`ThroughputState`
  remembers the highest escalation id whose day the roll-up knows. Newer escalations make their
  item's day dirty for the reader, and the refresh turns them into dirty rows;
* :func:`throughput_refresh` (a periodic task, idempotent) rebuilds the dirty days, builds the
  ended days and months that are missing, and rebuilds the months whose days changed.
  ``wijkwijs intake_throughput_rebuild`` throws the roll-up away and builds it again.

Deleting items (not something the application does) is the one change the roll-up does not
notice: rebuild after that.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Func, Max, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from wijkwijs.core.clock import now as wall_clock
from wijkwijs.intake import quantiles
from wijkwijs.intake.models import Escalation, Item
from wijkwijs.intake.models_throughput import (
    PeriodSpan,
    ThroughputDirty,
    ThroughputPeriod,
    ThroughputRow,
    ThroughputState,
)

#: Roll-up dimensions; ``all`` (key ``""``) serves the grouping per month.
DIMENSIONS = ("department", "area", "kind", "all")
_DIMENSION = {"department": "department", "area": "area", "kind": "kind", "month": "all"}
_ONE_DAY = timedelta(days=1)
Range = tuple[datetime | None, datetime | None]

#: How long after a local day ends the refresh waits before building it. Items of the day that
#: are still being received then write no dirty marker (:func:`item_touched`); this covers their
#: transactions committing after midnight (a request is over in seconds; gunicorn stops a worker
#: after 30 s) and clocks that differ a little between the web servers and the worker.
SETTLE = timedelta(minutes=10)


# -- calendar (local time, settings.TIME_ZONE) -------------------------------------------------


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()), timezone.get_default_timezone())


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_key(day: date) -> datetime:
    """The key of the grouping per month: local midnight of the first day (as ``TruncMonth``)."""
    return _month_start(month_of(day))


@lru_cache(maxsize=512)
def _month_start(month: date) -> datetime:
    return day_start(month)


# -- accumulating --------------------------------------------------------------------------------


@dataclass
class Tally:
    """Items received, escalations and exact duration histograms (whole seconds) of one group."""

    received: int = 0
    escalations: int = 0
    first: Counter[int] = field(default_factory=Counter)
    resolution: Counter[int] = field(default_factory=Counter)

    def add_item(self, first: int | None, resolution: int | None, escalations: int) -> None:
        self.received += 1
        self.escalations += escalations
        if first is not None:
            self.first[first] += 1
        if resolution is not None:
            self.resolution[resolution] += 1

    def add_row(self, received: int, escalations: int, first: list[int], resolution: list[int], sign: int = 1) -> None:
        """Add a roll-up row; ``sign=-1`` takes a day back out of its month (histograms subtract exactly)."""
        self.received += sign * received
        self.escalations += sign * escalations
        quantiles.add(self.first, first, sign)
        quantiles.add(self.resolution, resolution, sign)


@dataclass(frozen=True)
class Fact:
    """What the figures need of one item."""

    day: date  # local day of receipt
    department: int | None
    wijk: int | None
    kind: str
    first: int | None  # seconds from receipt to first response, rounded down
    resolution: int | None  # seconds from receipt to handling, rounded down
    escalations: int

    def key(self, dimension: str) -> str:
        if dimension == "department":
            return "" if self.department is None else str(self.department)
        if dimension == "area":
            return "" if self.wijk is None else str(self.wijk)
        if dimension == "kind":
            return self.kind
        return ""


class Seconds(Func):
    """Whole seconds from ``start`` to ``end``, rounded down, computed in the database.

    The same integer on PostgreSQL and SQLite, and no timestamps to parse in Python (which was
    most of the cost of reading items directly).
    """

    output_field = BigIntegerField()

    def __init__(self, end: str, start: str) -> None:
        super().__init__(F(end), F(start))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)))::bigint",
                           arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # django_timestamp_diff: microseconds (Django's own SQLite function); floor division by 10^6
        micro = "django_timestamp_diff(%(expressions)s)"
        template = f"(({micro} - ((({micro}) %% 1000000) + 1000000) %% 1000000) / 1000000)"
        return self.as_sql(compiler, connection, template=template, **extra)


def _merge(ranges: Iterable[Range]) -> list[Range]:
    """Adjacent or overlapping ranges joined (``None`` is unbounded); empty ones dropped."""
    def start(r: Range) -> tuple[int, float]:
        return (0, 0.0) if r[0] is None else (1, r[0].timestamp())

    out: list[Range] = []
    for lo, hi in sorted((r for r in ranges if r[0] is None or r[1] is None or r[0] < r[1]), key=start):
        if out and (out[-1][1] is None or (lo is not None and lo <= out[-1][1])):
            last_hi = out[-1][1]
            out[-1] = (out[-1][0], None if last_hi is None or hi is None else max(last_hi, hi))
        else:
            out.append((lo, hi))
    return out


def _range_q(ranges: list[Range], path: str) -> Q:
    q = Q(pk__in=[])
    for lo, hi in ranges:
        if lo is None and hi is None:
            return Q()  # everything
        part = Q()
        if lo is not None:
            part &= Q(**{f"{path}__gte": lo})
        if hi is not None:
            part &= Q(**{f"{path}__lt": hi})
        q |= part
    return q


def facts(ranges: Iterable[Range]) -> Iterator[Fact]:
    """The items received in the ranges, with their escalation counts (two queries)."""
    merged = _merge(ranges)
    if not merged:
        return
    escalations = dict(
        Escalation.objects.filter(_range_q(merged, "item__received_at")).order_by().values("item_id")
        .annotate(n=Count("id")).values_list("item_id", "n")
    )
    rows = Item.objects.filter(_range_q(merged, "received_at")).order_by().values_list(
        "pk", TruncDate("received_at", tzinfo=timezone.get_default_timezone()), "owner_department_id", "wijk_id", "kind",
        Seconds("first_response_at", "received_at"), Seconds("done_at", "received_at"))
    for pk, day, department, wijk, kind, first, resolution in rows.iterator(chunk_size=10000):
        yield Fact(day=day, department=department, wijk=wijk, kind=kind, first=first, resolution=resolution,
                   escalations=escalations.get(pk, 0))


# -- marking ---------------------------------------------------------------------------------------


def item_touched(item: Item) -> None:
    """Call in the transaction of every change to what the figures count: the item's day is dirty.

    Unless the item's day has not ended yet on the wall clock (every item being received, and
    any change on the day it came in): such a day cannot have been built, because the refresh
    builds a day only :data:`SETTLE` after its end, so nothing needs rebuilding and no row is
    written (one round trip less per received item). The midnight race: an item received at
    23:59:59 whose transaction commits after midnight is still in time, as long as it commits
    within ``SETTLE`` of this check (made in its transaction, milliseconds before the commit).
    """
    day = local_day(item.received_at)
    if day >= local_day(wall_clock()):
        return
    ThroughputDirty.objects.create(day=day)


def _state(*, lock: bool) -> ThroughputState:
    state = (ThroughputState.objects.select_for_update() if lock else ThroughputState.objects).filter(pk=1).first()
    if state is None:
        state, _created = ThroughputState.objects.get_or_create(pk=1)
    return state


def _see_escalations() -> int:
    """Turn escalations newer than the watermark into dirty days; returns how many there were."""
    with transaction.atomic():
        state = _state(lock=True)
        if connection.vendor == "postgresql":
            # wait for escalations still being written, so no lower id can commit after the watermark
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Escalation._meta.db_table} IN SHARE MODE")
        top = Escalation.objects.aggregate(m=Max("id"))["m"] or 0
        if top <= state.escalation_seen:
            return 0
        new = Escalation.objects.filter(id__gt=state.escalation_seen, id__lte=top)
        days = {local_day(at) for at in new.values_list("item__received_at", flat=True)}
        ThroughputDirty.objects.bulk_create([ThroughputDirty(day=d) for d in sorted(days)])
        count = new.count()
        state.escalation_seen = top
        state.save(update_fields=["escalation_seen"])
        return count


def unseen_escalation_days() -> set[date]:
    """Days of items with escalations the roll-up does not know yet (normally few or none)."""
    seen = ThroughputState.objects.filter(pk=1).values_list("escalation_seen", flat=True).first() or 0
    return {local_day(at) for at in Escalation.objects.filter(id__gt=seen).values_list("item__received_at", flat=True)}


# -- building ----------------------------------------------------------------------------------


def _build_days(days: list[date], *, now: datetime) -> None:
    """(Re)build the day periods from the items (within the caller's transaction)."""
    tallies: dict[date, dict[tuple[str, str], Tally]] = {d: defaultdict(Tally) for d in days}
    for fact in facts(_merge((day_start(d), day_start(d + _ONE_DAY)) for d in days)):
        day = tallies.get(fact.day)
        if day is None:
            continue
        for dimension in DIMENSIONS:
            day[(dimension, fact.key(dimension))].add_item(fact.first, fact.resolution, fact.escalations)
    ThroughputPeriod.objects.filter(span=PeriodSpan.DAY, start__in=days).delete()
    periods = ThroughputPeriod.objects.bulk_create([ThroughputPeriod(span=PeriodSpan.DAY, start=d, built_at=now) for d in days])
    _write_rows([(p, tallies[p.start]) for p in periods])


def _write_rows(periods: list[tuple[ThroughputPeriod, dict[tuple[str, str], Tally]]]) -> None:
    ThroughputRow.objects.bulk_create([
        ThroughputRow(period=period, dimension=dimension, key=key, received=t.received, escalations=t.escalations,
                      first_response=quantiles.flatten(t.first), resolution=quantiles.flatten(t.resolution))
        for period, tallies in periods for (dimension, key), t in tallies.items()
    ], batch_size=1000)


def _build_month(month: date, *, today: date, now: datetime) -> bool:
    """(Re)build an ended month from its day rows; without all its days built, drop it."""
    end = next_month(month)
    ThroughputPeriod.objects.filter(span=PeriodSpan.MONTH, start=month).delete()
    built = ThroughputPeriod.objects.filter(span=PeriodSpan.DAY, start__gte=month, start__lt=end).count()
    if end > today or built < (end - month).days:
        return False
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    rows = ThroughputRow.objects.filter(period__span=PeriodSpan.DAY, period__start__gte=month, period__start__lt=end)
    for dimension, key, received, escalations, first, resolution in rows.values_list(
            "dimension", "key", "received", "escalations", "first_response", "resolution").iterator(chunk_size=2000):
        tallies[(dimension, key)].add_row(received, escalations, first, resolution)
    period = ThroughputPeriod.objects.create(span=PeriodSpan.MONTH, start=month, built_at=now)
    _write_rows([(period, tallies)])
    return True


def throughput_refresh(*, now: datetime) -> dict[str, int]:
    """Bring the roll-up up to date: dirty days, missing ended days and months. Idempotent.

    One transaction per month, each holding the lock on :class:`ThroughputState`, so two runs at
    once wait for each other instead of building the same period twice.
    """
    escalations = _see_escalations()
    today = local_day(now - SETTLE)  # the first day not to build: not ended, or ended less than SETTLE ago
    first = Item.objects.aggregate(m=Min("received_at"))["m"]
    markers: dict[date, list[int]] = defaultdict(list)
    for pk, day in ThroughputDirty.objects.filter(day__lt=today).values_list("pk", "day"):
        markers[day].append(pk)
    todo: set[date] = set(markers)
    if first is not None:
        built_days = set(ThroughputPeriod.objects.filter(span=PeriodSpan.DAY).values_list("start", flat=True))
        built_months = set(ThroughputPeriod.objects.filter(span=PeriodSpan.MONTH).values_list("start", flat=True))
        day = month_of(local_day(first))  # from the first of the month, so that month can be complete
        months: set[date] = set()
        while day < today:
            if day not in built_days:
                todo.add(day)
            months.add(month_of(day))
            day += _ONE_DAY
        missing_months = {m for m in months if m not in built_months and next_month(m) <= today}
    else:
        missing_months = set()
    by_month: dict[date, list[date]] = defaultdict(list)
    for day in todo:
        by_month[month_of(day)].append(day)
    for month in missing_months:
        by_month.setdefault(month, [])
    summary = {"escalations": escalations, "days": 0, "months": 0}
    for month in sorted(by_month):
        with transaction.atomic():
            _state(lock=True)
            days = sorted(by_month[month])
            if days:
                _build_days(days, now=now)
                ThroughputDirty.objects.filter(pk__in=[pk for d in days for pk in markers.get(d, [])]).delete()
            summary["days"] += len(days)
            summary["months"] += _build_month(month, today=today, now=now)
    return summary


def throughput_rebuild(*, now: datetime) -> dict[str, int]:
    """Throw the roll-up away and build it again from the items."""
    with transaction.atomic():
        _state(lock=True)
        ThroughputPeriod.objects.all().delete()
    return throughput_refresh(now=now)


# -- reading -----------------------------------------------------------------------------------


def _key(group: str, dimension_key: str) -> Any:
    if group in ("department", "area"):
        return int(dimension_key) if dimension_key else None
    return dimension_key


def _fact_key(group: str, fact: Fact) -> Any:
    if group == "month":
        return month_key(fact.day)
    return _key(group, fact.key(_DIMENSION[group]))


@contextmanager
def snapshot() -> Iterator[None]:
    """One consistent view for the reader: a refresh that commits halfway cannot drop a period.

    On PostgreSQL a REPEATABLE READ transaction when we start one (inside a caller's transaction
    the caller's isolation applies); SQLite reads within one transaction see one snapshot anyway.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def collect(*, group: str, now: datetime, since: datetime | None, until: datetime | None, use_rollup: bool = True) -> dict[Any, Tally]:
    """Received, escalations and duration histograms per group key, for items received in [since, until).

    From the roll-up where it is built and clean, from the items for the rest; ``use_rollup=False``
    reads everything from the items (the reference the roll-up is tested against).
    """
    tallies: dict[Any, Tally] = defaultdict(Tally)
    ranges: list[Range] = [(since, until)]
    if use_rollup:
        ranges = _plan(group=group, now=now, since=since, until=until, tallies=tallies)
    for fact in facts(ranges):
        tallies[_fact_key(group, fact)].add_item(fact.first, fact.resolution, fact.escalations)
    return tallies


def _plan(*, group: str, now: datetime, since: datetime | None, until: datetime | None, tallies: dict[Any, Tally]) -> list[Range]:
    """Add the usable roll-up rows to ``tallies``; return the ranges still to read from the items."""
    if since is None:
        first = Item.objects.aggregate(m=Min("received_at"))["m"]
        if first is None:
            return []
        first_full = local_day(first)
    else:
        first_full = local_day(since) if day_start(local_day(since)) == since else local_day(since) + _ONE_DAY
    last_full = (local_day(now) if until is None else local_day(until)) - _ONE_DAY
    if first_full > last_full:
        return [(since, until)]
    ranges: list[Range] = [(since, day_start(first_full)), (day_start(last_full + _ONE_DAY), until)]
    # escalations first, then the markers: a refresh committing in between turns the one into the other
    stale = unseen_escalation_days()
    stale |= set(ThroughputDirty.objects.filter(day__gte=first_full, day__lte=last_full).values_list("day", flat=True))
    stale_by_month: dict[date, list[date]] = defaultdict(list)
    for d in stale:
        stale_by_month[month_of(d)].append(d)
    days: dict[date, int] = {}
    months: dict[date, int] = {}
    for pk, span, start in ThroughputPeriod.objects.filter(start__gte=month_of(first_full), start__lte=last_full).values_list(
            "pk", "span", "start"):
        (days if span == PeriodSpan.DAY else months)[start] = pk
    chosen: dict[int, date] = {}
    minus: dict[int, date] = {}  # dirty days of a month that is used: their rows out, their items in
    day = first_full
    while day <= last_full:
        month = month_of(day)
        end = next_month(month)
        dirty = stale_by_month.get(month, [])
        if day == month and end - _ONE_DAY <= last_full and month in months and all(d in days for d in dirty):
            chosen[months[month]] = month
            for d in dirty:
                minus[days[d]] = d
                ranges.append((day_start(d), day_start(d + _ONE_DAY)))
            day = end
            continue
        if day in days and day not in stale:
            chosen[days[day]] = day
        else:
            ranges.append((day_start(day), day_start(day + _ONE_DAY)))
        day += _ONE_DAY
    dimension = _DIMENSION[group]
    rows = ThroughputRow.objects.filter(period_id__in=[*chosen, *minus], dimension=dimension).values_list(
        "period_id", "key", "received", "escalations", "first_response", "resolution")
    for period_id, key, received, escalations, first_h, resolution_h in rows.iterator(chunk_size=2000):
        start = chosen.get(period_id) or minus[period_id]
        group_key = month_key(start) if group == "month" else _key(group, key)
        tallies[group_key].add_row(received, escalations, first_h, resolution_h, -1 if period_id in minus else 1)
    return ranges

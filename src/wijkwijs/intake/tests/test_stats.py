"""Throughput figures: the same medians and 90th percentiles on SQLite and PostgreSQL, from the
roll-up and from the items."""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from wijkwijs.accounts.models import Department
from wijkwijs.areas.models import Area
from wijkwijs.conftest import NOW
from wijkwijs.intake import rollup, services, stats
from wijkwijs.intake.models import Escalation, Item, Kind
from wijkwijs.intake.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_median_and_p90_per_kind_match_a_hand_computation(user_with_role):
    staff = user_with_role("department_staff")
    start = NOW - timedelta(days=20)
    # taken half a day before the answer (taking puts it "in behandeling": the first response),
    # answered after 1, 2, 3, 4 and 10 days
    for days in (1, 2, 3, 4, 10):
        item = ItemFactory(now=start)
        services.item_take(item=item, actor=staff, now=start + timedelta(days=days - 0.5))
        services.item_answer(item=item, text="Opgelost", actor=staff, now=start + timedelta(days=days))
    late = ItemFactory(now=start)  # still open: counts as received and open, not in the times
    services.item_escalate(item=late, reason="Gevaarlijk", actor=staff, now=start + timedelta(days=1))
    rows = {r.key: r for r in stats.throughput(group="kind", now=NOW, since=NOW - timedelta(days=30))}
    signal = rows["signal"]
    assert (signal.received, signal.open, signal.escalations) == (6, 1, 1)
    assert signal.resolution_median == 3.0
    # percentile_cont: position (5 - 1) * 0.9 = 3.6 between 4 and 10 days -> 4 + 0.6 * 6 = 7.6
    assert signal.resolution_p90 == 7.6
    # first response after 0.5, 1.5, 2.5, 3.5 and 9.5 days: 3.5 + 0.6 * 6 = 7.1
    assert (signal.first_median, signal.first_p90) == (2.5, 7.1)


def test_unknown_group_is_refused():
    with pytest.raises(ValueError, match="unknown group"):
        stats.throughput(group="colour", now=NOW)


# -- the roll-up against the items read directly ---------------------------------------------------

def _random_items(rng: random.Random, n: int) -> None:
    """Items spread over 400 days before NOW (and a few after), with random durations, owners and states."""
    departments = [None, *Department.objects.order_by("pk").values_list("pk", flat=True)[:4]]
    wijken = [None, *Area.objects.filter(level="WK").order_by("pk").values_list("pk", flat=True)[:4]]
    items = []
    for i in range(n):
        received = NOW - timedelta(days=400) + timedelta(seconds=rng.randrange(0, 402 * 86400))
        first = received + timedelta(seconds=rng.randrange(0, 20 * 86400), microseconds=rng.randrange(10**6)) if rng.random() < 0.8 else None
        done = (first or received) + timedelta(seconds=rng.randrange(0, 60 * 86400)) if rng.random() < 0.7 else None
        state = rng.choice(["answered", "closed", "rejected"]) if done else rng.choice(["new", "routed", "in_progress", "waiting"])
        department = rng.choice(departments)
        items.append(Item(
            tracking_code=f"T-{i:06d}", kind=rng.choice(Kind.values), description="test", state=state,
            owner_department_id=department, wijk_id=rng.choice(wijken), received_at=received, clock_start=received,
            triage_due=received + timedelta(days=1), first_response_due=received + timedelta(days=rng.randrange(1, 10)),
            resolution_due=received + timedelta(days=rng.randrange(10, 30)), first_response_at=first, done_at=done,
            updated_at=received))
    Item.objects.bulk_create(items)
    pks = list(Item.objects.filter(tracking_code__startswith="T-").values_list("pk", flat=True))
    Escalation.objects.bulk_create([
        Escalation(item_id=pk, manual=True, target="owner", reason="test", at=NOW - timedelta(days=1))
        for pk in rng.sample(pks, n // 10)
    ])


WINDOWS = [
    (NOW - timedelta(days=365), None), (NOW - timedelta(days=90), None), (None, None),
    (NOW - timedelta(days=200, hours=5), NOW - timedelta(days=20, hours=3)),
    (datetime(2026, 3, 1, tzinfo=NOW.tzinfo), datetime(2026, 8, 1, tzinfo=NOW.tzinfo)),  # whole months, DST inside
    (NOW - timedelta(hours=30), None),  # shorter than two days: all direct
]


def _assert_same_as_direct() -> None:
    for since, until in WINDOWS:
        for group in stats.GROUPS:
            fast = stats.throughput(group=group, now=NOW, since=since, until=until)
            direct = stats.throughput(group=group, now=NOW, since=since, until=until, use_rollup=False)
            assert fast == direct, (group, since, until)
            assert sum(r.received for r in fast) == Item.objects.filter(
                **({"received_at__gte": since} if since else {}), **({"received_at__lt": until} if until else {})).count()


def _direct_days(group: str, since: datetime | None) -> float:
    """Days the reader takes from the items instead of the roll-up."""
    ranges = rollup._plan(group=group, now=NOW, since=since, until=None, tallies=defaultdict(rollup.Tally))
    return sum(((hi or NOW + timedelta(days=3)) - (lo or NOW)).total_seconds() for lo, hi in ranges if lo or hi) / 86400


def test_rollup_agrees_with_the_items_on_random_data(user_with_role):
    rng = random.Random(20261202)
    _random_items(rng, 1500)
    _assert_same_as_direct()  # nothing rolled up yet: all from the items
    summary = rollup.throughput_refresh(now=NOW)
    assert summary["days"] > 390 and summary["months"] >= 12
    _assert_same_as_direct()
    assert _direct_days("department", NOW - timedelta(days=365)) < 5  # the partial days at both ends only

    # changes through the services make their days dirty: still exact before the refresh
    staff = user_with_role("department_staff")
    other = Department.objects.exclude(pk=staff.department_id).order_by("pk").first()
    old = list(Item.objects.filter(tracking_code__startswith="T-", state="routed",
                                   received_at__lt=NOW - timedelta(days=100)).order_by("pk")[:3])
    assert old
    for item in old:
        services.item_take(item=item, actor=staff, now=NOW - timedelta(days=2))
        services.item_answer(item=item, text="Opgelost", actor=staff, now=NOW - timedelta(days=1))
        services.item_reopen(item=item, reason="Toch niet", actor=staff, now=NOW - timedelta(hours=20))
        services.item_reroute(item=item, department=other, reason="Hoort daar", actor=staff, now=NOW - timedelta(hours=10))
    services.item_escalate(item=old[0], reason="Spoed", actor=staff, now=NOW - timedelta(hours=5))
    _assert_same_as_direct()
    assert _direct_days("department", NOW - timedelta(days=365)) >= 4
    summary = rollup.throughput_refresh(now=NOW)
    assert summary["escalations"] == 1 and 1 <= summary["days"] <= 3
    _assert_same_as_direct()
    assert _direct_days("department", NOW - timedelta(days=365)) < 5
    assert rollup.throughput_refresh(now=NOW) == {"escalations": 0, "days": 0, "months": 0}  # idempotent


def test_rebuild_command_builds_the_same_figures(user_with_role):
    _random_items(random.Random(7), 300)
    call_command("intake_throughput_rebuild", stdout=StringIO())
    before = stats.throughput(group="month", now=NOW, since=NOW - timedelta(days=365))
    out = StringIO()
    call_command("intake_throughput_rebuild", "--json", stdout=out)
    assert json.loads(out.getvalue())["months"] >= 12
    assert stats.throughput(group="month", now=NOW, since=NOW - timedelta(days=365)) == before
    _assert_same_as_direct()


def test_percentiles_are_exact_to_the_second_of_the_exact_durations():
    rng = random.Random(3)
    _random_items(rng, 400)
    rollup.throughput_refresh(now=NOW)
    since = NOW - timedelta(days=365)
    rows = {r.key: r for r in stats.throughput(group="kind", now=NOW, since=since)}
    for kind, row in rows.items():
        done = [(d - r).total_seconds() for r, d in Item.objects.filter(
            kind=kind, received_at__gte=since, done_at__isnull=False).values_list("received_at", "done_at")]
        exact = _exact_quantile(done, 0.5) / 86400
        assert row.resolution_median is not None and abs(row.resolution_median - exact) <= 0.05 + 1 / 86400


def _exact_quantile(values: list[float], p: float) -> float:
    values = sorted(values)
    pos = (len(values) - 1) * p
    lo, hi = math.floor(pos), math.ceil(pos)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def test_the_refresh_is_a_periodic_task():
    from wijkwijs.core import periodic
    from wijkwijs.intake import tasks

    assert "intake.refresh_throughput" in {j.name for j in periodic.jobs()}
    assert tasks.refresh_throughput.call() == {"escalations": 0, "days": 0, "months": 0}

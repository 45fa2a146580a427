"""Items of a day that has not ended write no dirty marker; the refresh waits SETTLE after midnight."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wijkwijs.intake import rollup, services, stats
from wijkwijs.intake.models_throughput import PeriodSpan, ThroughputDirty, ThroughputPeriod, ThroughputRow

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
DAY = datetime(2026, 11, 10, tzinfo=AMS)  # a Tuesday
BODY = {"kind": "signal", "description": "Kapotte lantaarnpaal bij het park", "lon": 5.5334, "lat": 51.7775}


@pytest.fixture
def wall(monkeypatch):  # type: ignore[no-untyped-def]
    """The wall clock the roll-up compares with, set by the test."""
    clock = {"now": DAY}
    monkeypatch.setattr(rollup, "wall_clock", lambda: clock["now"])
    return clock


def _built(day) -> bool:  # type: ignore[no-untyped-def]
    return ThroughputPeriod.objects.filter(span=PeriodSpan.DAY, start=day.date()).exists()


def _received_in_rollup(day) -> int:  # type: ignore[no-untyped-def]
    return ThroughputRow.objects.get(period__span=PeriodSpan.DAY, period__start=day.date(), dimension="all").received


def _same_as_direct(now: datetime) -> None:
    for group in stats.GROUPS:
        since = now - timedelta(days=30)
        assert stats.throughput(group=group, now=now, since=since) == stats.throughput(
            group=group, now=now, since=since, use_rollup=False), group


def test_an_item_of_today_writes_no_marker_and_is_in_the_rollup_after_midnight(wall):
    rollup.throughput_refresh(now=DAY - timedelta(days=1) + timedelta(hours=12))  # the days before are built
    moment = DAY + timedelta(hours=14)
    wall["now"] = moment
    for defer in (False, True):
        services.item_submit(**BODY, actor=None, now=moment, defer=defer)
    assert ThroughputDirty.objects.count() == 0  # receipt and processing on the same day
    rollup.throughput_refresh(now=moment)
    assert not _built(DAY)  # today is read from the items
    _same_as_direct(moment)
    after = DAY + timedelta(days=1, minutes=30)
    wall["now"] = after
    assert rollup.throughput_refresh(now=after)["days"] == 1
    assert _built(DAY) and _received_in_rollup(DAY) == 2
    _same_as_direct(after + timedelta(days=1))


def test_midnight_race_an_item_committing_after_midnight_is_not_lost(wall):
    """Received (and checked) at 23:59:59.9; the refresh waits SETTLE, so a commit just after
    midnight is still read when the day is built."""
    late = DAY + timedelta(days=1) - timedelta(milliseconds=100)
    wall["now"] = late
    item = services.item_submit(**BODY, actor=None, now=late, defer=True)
    assert ThroughputDirty.objects.count() == 0
    just_after = DAY + timedelta(days=1, minutes=5)  # the refresh runs while the item is committing
    rollup.throughput_refresh(now=just_after)
    assert not _built(DAY) and _built(DAY - timedelta(days=1))  # within SETTLE of midnight: the day waits
    wall["now"] = DAY + timedelta(days=1, seconds=1)
    from wijkwijs.intake.tasks import process_item

    process_item.call(item.pk)  # processed after midnight: the day has ended, so it is marked
    assert set(ThroughputDirty.objects.values_list("day", flat=True)) == {DAY.date()}
    settled = DAY + timedelta(days=1) + rollup.SETTLE
    assert rollup.throughput_refresh(now=settled)["days"] >= 1
    assert _built(DAY) and _received_in_rollup(DAY) == 1 and ThroughputDirty.objects.count() == 0
    _same_as_direct(settled)


def test_changes_to_an_item_of_an_ended_day_still_mark_it(wall, user_with_role):
    moment = DAY + timedelta(hours=9)
    wall["now"] = moment
    item = services.item_submit(**BODY, actor=None, now=moment)
    wall["now"] = DAY + timedelta(days=2)
    rollup.throughput_refresh(now=wall["now"])
    assert _built(DAY) and ThroughputDirty.objects.count() == 0
    staff = user_with_role("department_staff")
    services.item_take(item=item, actor=staff, now=wall["now"])
    assert set(ThroughputDirty.objects.values_list("day", flat=True)) == {DAY.date()}
    _same_as_direct(wall["now"])
    rollup.throughput_refresh(now=wall["now"])
    assert ThroughputDirty.objects.count() == 0
    _same_as_direct(wall["now"])


def test_the_refresh_leaves_a_day_for_settle_after_its_end():
    end = DAY + timedelta(days=1)
    assert timedelta(minutes=1) <= rollup.SETTLE
    services.item_submit(**BODY, actor=None, now=DAY + timedelta(hours=10))  # a past day on the real clock: marked
    markers = ThroughputDirty.objects.filter(day=DAY.date()).count()
    assert markers >= 1
    rollup.throughput_refresh(now=end + rollup.SETTLE - timedelta(seconds=1))
    assert not _built(DAY) and ThroughputDirty.objects.count() == markers
    rollup.throughput_refresh(now=end + rollup.SETTLE)
    assert _built(DAY) and ThroughputDirty.objects.count() == 0

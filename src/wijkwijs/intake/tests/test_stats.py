"""Throughput figures: the same medians and 90th percentiles on SQLite (Python) and PostgreSQL (SQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wijkwijs.conftest import NOW
from wijkwijs.intake import services, stats
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

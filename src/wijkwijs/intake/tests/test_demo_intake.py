"""The intake demo: deterministic, realistic, with overdue and escalated items."""

from __future__ import annotations

import pytest

from wijkwijs.conftest import NOW
from wijkwijs.demo.intake_demo import intake_demo_load
from wijkwijs.intake.models import ApiKey, Escalation, Item

pytestmark = pytest.mark.django_db


def _load(n: int) -> list[tuple]:
    Item.objects.all().delete()
    summary = intake_demo_load(now=NOW, n_items=n)
    assert summary["items"] == n
    return list(Item.objects.order_by("received_at").values_list("kind", "category", "state", "buurt_id", "received_at"))


def test_demo_is_deterministic_and_has_overdue_and_escalated_items():
    first = _load(60)
    assert {k for k, *_ in first} >= {"signal", "question"}
    assert Escalation.objects.exists()
    assert Item.objects.filter(state__in=["answered", "closed"]).exists() and Item.objects.filter(state="routed").exists()
    assert ApiKey.objects.filter(name="demo").exists()
    assert intake_demo_load(now=NOW)["skipped"] is True  # idempotent
    assert _load(60) == first

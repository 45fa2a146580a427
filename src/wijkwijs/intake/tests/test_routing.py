"""The routing table: first match by priority, area rules, versions, the no-owner queue."""

from __future__ import annotations

import pytest

from wijkwijs.areas.models import Area
from wijkwijs.core.errors import DomainError
from wijkwijs.intake import routing
from wijkwijs.intake.models import RoutingVersion, State
from wijkwijs.intake.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_default_table_from_the_taxonomy():
    rows = routing.rows_of(routing.active_version())
    by_category = {r["category"]: r["department"] for r in rows}
    assert by_category["openbare-verlichting"] == "openbare-ruimte"
    assert by_category["parkeeroverlast"] == "vth"  # handhaving is called VTH in Oss
    assert "overig" not in by_category


def test_first_match_wins_and_area_rules(now):
    rows = routing.rows_of(routing.active_version())
    rows.insert(0, {"priority": 1, "category": "openbare-verlichting", "kind": "", "area": "WK082801", "department": "wijkzaken"})
    version = routing.routing_table_publish(rows=rows, note="Schadewijk via wijkzaken", actor=None, now=now)
    assert version.is_active and RoutingVersion.objects.filter(is_active=True).count() == 1
    schadewijk = ItemFactory()
    assert schadewijk.owner_department.slug == "wijkzaken"
    elsewhere = ItemFactory(lon=5.5166, lat=51.766)  # Oss-Centrum
    assert elsewhere.owner_department.slug == "openbare-ruimte"
    wk = Area.objects.get(code="WK082801")
    rule = routing.match(category="lantaarnpaal-defect", kind="signal", areas=[wk])
    assert rule.priority == 1


def test_kind_rule_and_no_match_goes_to_no_owner(now):
    rows = [{"priority": 10, "category": "", "kind": "question", "area": "", "department": "wijkzaken"}]
    routing.routing_table_publish(rows=rows, note="alleen vragen", actor=None, now=now)
    question = ItemFactory(kind="question", category="overig", description="Wanneer wordt het gras gemaaid?")
    assert question.owner_department.slug == "wijkzaken"
    signal = ItemFactory()
    assert signal.owner_department is None and signal.state == State.NEW


def test_invalid_table_is_not_saved(now):
    before = RoutingVersion.objects.count()
    with pytest.raises(DomainError) as exc:
        routing.routing_table_publish(rows=[{"priority": 1, "category": "bestaat-niet", "department": "nergens"}],
                                      note="fout", actor=None, now=now)
    assert {p.field for p in exc.value.problems} == {"category", "department"}
    assert RoutingVersion.objects.count() == before

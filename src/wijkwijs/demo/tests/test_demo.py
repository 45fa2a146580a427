import json
from io import StringIO

import pytest
from django.core.management import call_command

from wijkwijs.accounts.models import User
from wijkwijs.accounts.roles import Role
from wijkwijs.areas.models import Assignment, Clustering
from wijkwijs.demo.services import demo_load
from wijkwijs.monitoring.models import Observation

pytestmark = pytest.mark.django_db


def test_loading_the_demo_twice_changes_nothing(now):
    counts = (Observation.objects.count(), Clustering.objects.count(), Assignment.objects.count(), User.objects.count())
    summary = demo_load(now=now)
    cbs, demo = summary["cbs"]["observations"], summary["demo_series"]["observations"]
    assert cbs["added"] == cbs["changed"] == demo["added"] == demo["changed"] == 0
    assert cbs["unchanged"] + demo["unchanged"] == counts[0]
    assert summary["clusterings_created"] == 0
    assert (Observation.objects.count(), Clustering.objects.count(), Assignment.objects.count(), User.objects.count()) == counts


def test_one_demo_account_per_role():
    roles = set(User.objects.filter(username__startswith="demo-").values_list("role", flat=True))
    assert roles == {r.value for r in Role}


def test_every_demo_clustering_is_marked_as_example():
    assert Clustering.objects.count() >= 4
    assert not Clustering.objects.filter(is_example=False).exists()


def test_area_lookup_command_prints_json():
    out = StringIO()
    call_command("area_lookup", "--lon", "5.53", "--lat", "51.765", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["gemeente"]["code"] == "GM0828"
    assert result["wijk"]["code"].startswith("WK0828") and result["buurt"]["code"].startswith("BU0828")

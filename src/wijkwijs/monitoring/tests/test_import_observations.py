import json
from io import StringIO

import pytest
from django.core.management import call_command

from wijkwijs.core.errors import ImportRejected
from wijkwijs.monitoring.models import Indicator, Observation, Source
from wijkwijs.monitoring.services import observations_import_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def ggd_indicator():
    source = Source.objects.create(slug="ggd", name="GGD", credit="Bron: GGD Hart voor Brabant")
    return Indicator.objects.create(key="ggd_eenzaam", name_nl="Ernstig eenzaam (%)", unit="%", source=source,
                                    theme="gezondheid", polarity="higher_worse", kind="subjective")


def run(text: str, now, **kw):
    return observations_import_csv(data=text.encode(), file_name="ggd.csv", source_name="GGD Gezondheidsmonitor",
                                   source_credit="Bron: GGD Hart voor Brabant, Gezondheidsmonitor", actor=None, now=now, **kw)


def test_good_file_with_header_semicolons_and_missing_values(ggd_indicator, now):
    text = "gebied;periode;indicator;waarde\nWK082801;2022;ggd_eenzaam;12,5\nWK082806;2022;ggd_eenzaam;.\n"
    assert run(text, now, dry_run=True).as_dict() == {"added": 2, "changed": 0, "unchanged": 0}
    assert not Observation.objects.filter(indicator=ggd_indicator).exists()
    assert run(text, now).added == 2
    values = dict(Observation.objects.filter(indicator=ggd_indicator).values_list("area__code", "value"))
    assert values == {"WK082801": 12.5, "WK082806": None}
    again = run(text, now)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)


def test_every_bad_row_is_listed_and_nothing_is_stored(ggd_indicator, now):
    text = (
        "WK082801,2022,ggd_eenzaam,12\n"
        "WK082899,2022,ggd_eenzaam,3\n"
        "WK082806,2022,onbekend,3\n"
        "WK082807,2022,ggd_eenzaam,veel\n"
        "WK082801,2022,ggd_eenzaam,13\n"
        "WK082810,2022\n"
    )
    with pytest.raises(ImportRejected) as exc:
        run(text, now)
    reasons = [str(p) for p in exc.value.problems]
    assert any("rij 2" in r and "WK082899" in r for r in reasons)
    assert any("rij 3" in r and "onbekend" in r for r in reasons)
    assert any("rij 4" in r and "geen getal" in r for r in reasons)
    assert any("rij 5" in r and "staat er al in (rij 1)" in r for r in reasons)
    assert any("rij 6" in r and "vier kolommen" in r for r in reasons)
    assert not Observation.objects.filter(indicator=ggd_indicator).exists()


def test_command(ggd_indicator, tmp_path):
    path = tmp_path / "ggd.csv"
    path.write_text("WK082801,2022,ggd_eenzaam,11\n")
    out = StringIO()
    call_command("import_observations", str(path), "--source", "GGD", "--credit", "Bron: GGD", "--json", stdout=out)
    assert json.loads(out.getvalue())["observations"]["added"] == 1

"""Index, ranking and change-report pages: who may see what, small numbers, bad input, CSV."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

pytestmark = pytest.mark.django_db

STAFF = ["coordinator", "area_manager", "department_staff", "department_head", "management", "alderman", "administrator"]


def test_index_pages_are_public_and_explain_the_score(client):
    page = client.get("/monitor/index")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Schadewijk" in html and "Gebiedsindex" in html and "democijfers" in html
    detail = client.get("/monitor/index/WK082801")
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Hoe de score is opgebouwd" in html and "Som van de punten" in html
    assert "Voelt zich veilig in de buurt (demo)" in html
    assert "Wat de score bewoog sinds 2023" in html


def test_index_of_an_unknown_area_or_index_is_404_not_500(client):
    assert client.get("/monitor/index/WK082899").status_code == 404
    assert client.get("/monitor/index?index=bestaat-niet").status_code == 404
    assert client.get("/monitor/index/GM0828").status_code == 404
    assert client.get("/monitor/index?period=1900").status_code == 200  # unknown period: the latest


@pytest.mark.parametrize("role", ["resident", "council_member"])
def test_ranking_is_not_for_residents_or_council_members(client_as, role):
    assert client_as(role).get("/monitor/prioriteiten").status_code == 403
    assert client_as(role).get("/monitor/prioriteiten.csv").status_code == 403


def test_ranking_is_not_public(client):
    assert client.get("/monitor/prioriteiten").status_code == 403
    assert "Prioriteiten" not in client.get("/monitor/index").content.decode()


@pytest.mark.parametrize("role", [*STAFF, "council"])
def test_ranking_for_staff_and_council(client_as, role):
    page = client_as(role).get("/monitor/prioriteiten")
    assert page.status_code == 200
    assert "Waarom: de indicatoren die het meest bijdragen" in page.content.decode()


def test_ranking_weights_form_and_csv(client_as):
    client = client_as("area_manager")
    url = "/monitor/prioriteiten?unit=WK&mode=themes&t_sociaal=1&t_fysiek=0&t_veiligheid=0&min_population=250"
    assert client.get(url).status_code == 200
    response = client.get(url.replace("prioriteiten?", "prioriteiten.csv?"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 23
    ranked = [r for r in rows if r["status"] == "ranked"]
    assert [int(r["rank"]) for r in ranked] == sorted(int(r["rank"]) for r in ranked)
    assert float(ranked[0]["need"]) >= float(ranked[-1]["need"])
    assert all(r["driver_1"].startswith("demo_") for r in ranked if r["driver_1"])
    # only the social theme weighs: no safety or housing indicator drives a rank
    drivers = {r[f"driver_{n}"] for r in ranked for n in (1, 2, 3)} - {""}
    assert drivers <= {"demo_laag_inkomen", "demo_jeugdzorg", "demo_eenzaamheid"}


def test_ranking_of_clusters(client_as):
    page = client_as("coordinator").get("/monitor/prioriteiten?unit=c:wijkzaken")
    assert page.status_code == 200
    assert "6 Megen, Haren, Macharen" in page.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ("t_sociaal=0&t_fysiek=0&t_veiligheid=0", "Geef ten minste één gewicht groter dan 0."),
        ("t_sociaal=-1", "minstens 0"),
        ("t_sociaal=veel", "Voer een getal in."),
        ("min_population=-5", "minstens 0"),
    ],
)
def test_bad_weights_are_form_errors_not_500(client_as, query, message):
    client = client_as("area_manager")
    page = client.get("/monitor/prioriteiten?mode=themes&" + query)
    assert page.status_code == 422
    assert message in page.content.decode()
    assert client.get("/monitor/prioriteiten.csv?mode=themes&" + query).status_code == 422


def test_change_report_page_csv_and_bad_periods(client):
    page = client.get("/monitor/veranderingen")
    assert page.status_code == 200
    assert "opvallende veranderingen van 2023 naar 2024" in page.content.decode()
    response = client.get("/monitor/veranderingen.csv?before=2023&after=2024&level=WK")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and {"code", "indicator", "before", "after", "delta", "magnitude"} <= set(rows[0])
    bad = client.get("/monitor/veranderingen?before=2024&after=2023")
    assert bad.status_code == 422 and "De eerste periode moet vóór de tweede liggen." in bad.content.decode()
    assert client.get("/monitor/veranderingen?before=1800&after=2024").status_code == 422


@override_settings(SMALL_NUMBER_THRESHOLD=5000)
def test_small_areas_are_suppressed_for_the_public_but_not_for_staff(client, client_as):
    # Industrieterreinen-Zuid has 330 inhabitants: suppressed below a threshold of 5000
    public = client.get("/monitor/index/WK082802").content.decode()
    assert "Hoe de score is opgebouwd" not in public and "Te weinig inwoners" in public
    overview = client.get("/monitor/index").content.decode()
    assert "afgeschermd: te weinig inwoners" in overview
    changes = client.get("/monitor/veranderingen.csv?before=2023&after=2024&level=WK").content.decode()
    assert "WK082802" not in changes and "WK082809" not in changes
    staff = client_as("coordinator")
    assert "Hoe de score is opgebouwd" in staff.get("/monitor/index/WK082802").content.decode()
    assert "WK082809" in staff.get("/monitor/veranderingen.csv?before=2023&after=2024&level=WK").content.decode()


def test_monitor_index_and_ranking_commands():
    out = StringIO()
    call_command("monitor_index", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["index"] == "demo" and data["basePeriod"] == "2019" and len(data["areas"]) == 23
    out = StringIO()
    call_command("monitor_index", "--area", "WK082801", "--json", stdout=out)
    area = json.loads(out.getvalue())
    assert sum(e["points_vs_100"] for e in area["indicators"]) == pytest.approx(area["total"] - 100, abs=1e-3)
    out = StringIO()
    call_command("monitor_ranking", "--json", "--weight", "veiligheid=2", stdout=out)
    ranking = json.loads(out.getvalue())
    assert ranking["rows"][0]["rank"] == 1
    with pytest.raises(CommandError, match="unknown theme"):
        call_command("monitor_ranking", "--weight", "wonen=1", stdout=StringIO())
    with pytest.raises(CommandError, match="0 or more"):
        call_command("monitor_ranking", "--weight", "sociaal=-1", stdout=StringIO())
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("monitor_index", "--index", "geen", stdout=StringIO())


def test_admin_refuses_an_unknown_indicator_key_with_a_form_error(client_as):
    from wijkwijs.monitoring.models import IndexDefinition

    client = client_as("administrator")
    definition = IndexDefinition.objects.get(slug="demo")
    url = f"/beheer/monitoring/indexdefinition/{definition.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    items = list(definition.indicators.all())
    form = {
        "name": definition.name, "slug": definition.slug, "description": definition.description,
        "municipality": "", "is_default": "on", "base_period": definition.base_period, "method": definition.method,
        "center": definition.center, "scale": definition.scale, "min_coverage": definition.min_coverage,
        "min_population": definition.min_population, "weight_objective": definition.weight_objective,
        "weight_subjective": definition.weight_subjective, "theme_weights": json.dumps(definition.theme_weights),
        "indicators-TOTAL_FORMS": str(len(items) + 1), "indicators-INITIAL_FORMS": str(len(items)),
        "indicators-MIN_NUM_FORMS": "0", "indicators-MAX_NUM_FORMS": "1000",
    }
    for n, item in enumerate(items):
        form.update({f"indicators-{n}-id": item.pk, f"indicators-{n}-definition": definition.pk, f"indicators-{n}-key": item.key,
                     f"indicators-{n}-theme": item.theme, f"indicators-{n}-part": item.part, f"indicators-{n}-polarity": item.polarity,
                     f"indicators-{n}-weight": item.weight, f"indicators-{n}-position": item.position})
    n = len(items)
    form.update({f"indicators-{n}-key": "GeenBestaandeSleutel", f"indicators-{n}-theme": "sociaal", f"indicators-{n}-part": "objective",
                 f"indicators-{n}-polarity": "-1", f"indicators-{n}-weight": "1", f"indicators-{n}-position": "9"})
    response = client.post(url, form)
    assert response.status_code == 200  # re-displayed with the error
    assert "GeenBestaandeSleutel" in response.content.decode() and "indicatorcatalogus" in response.content.decode()
    version = IndexDefinition.objects.get(pk=definition.pk).version
    form[f"indicators-{n}-key"] = "demo_misdrijven_per_1000"
    form[f"indicators-{n}-theme"] = "extra"
    form.pop(f"indicators-{n}-key")
    form["indicators-TOTAL_FORMS"] = str(n)
    form["theme_weights"] = '{"sociaal": 2}'
    assert client.post(url, form).status_code == 302
    saved = IndexDefinition.objects.get(pk=definition.pk)
    assert saved.version == version + 1 and saved.theme_weights == {"sociaal": 2}
    form["theme_weights"] = '{"sociaal": -2}'
    assert client.post(url, form).status_code == 200  # negative theme weight: form error

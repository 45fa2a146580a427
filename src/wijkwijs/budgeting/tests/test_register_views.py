from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wijkwijs.accounts.models import Department
from wijkwijs.audit.models import AuditEvent
from wijkwijs.budgeting.register_models import BudgetLine, BudgetMutation
from wijkwijs.budgeting.tests.register_factories import BudgetLineFactory

pytestmark = pytest.mark.django_db

ROLES = ["resident", "council_member", "coordinator", "area_manager", "department_staff", "department_head",
         "management", "alderman", "council", "administrator"]


def test_public_overview_has_an_accessible_chart_and_the_same_figures_as_a_table(client):
    html = client.get("/budgetten?jaar=2026").content.decode()
    assert '<svg class="ww-chart" role="img" aria-labelledby="register-chart-title register-chart-desc"' in html
    assert '<title id="register-chart-title">' in html and '<desc id="register-chart-desc">' in html
    assert 'id="register-table"' in html
    table = html.split('id="register-table"')[1].split("</table>")[0]
    assert table.count('<th scope="row"') == 23  # every CBS wijk of Oss
    assert "Schadewijk" in table
    assert "Demo" in html  # labelled as demo figures


def test_overview_without_a_year_uses_the_current_year_and_an_unknown_year_falls_back(client):
    assert client.get("/budgetten").status_code == 200
    assert client.get("/budgetten?jaar=abc").status_code == 200
    assert 'value="2026" selected' in client.get("/budgetten?jaar=1999").content.decode()


def test_wijk_page_lists_own_buurt_and_cluster_lines(client):
    html = client.get("/budgetten/WK082801?jaar=2026").content.decode()
    assert "Vernieuwing speelplekken Schadewijk-Noord" in html  # a buurt line
    assert "Gebiedsbudget 2 Schadewijk" in html  # the cluster it belongs to
    assert client.get("/budgetten/WK089999").status_code == 404


@pytest.mark.parametrize("role", [None, *ROLES])
def test_everyone_reads_a_line_but_only_staff_and_council_see_its_log(client, user_with_role, role):
    if role:
        client.force_login(user_with_role(role))
    line = BudgetLine.objects.filter(is_demo=True, year=2026).first()
    html = client.get(f"/budgetten/regels/{line.pk}").content.decode()
    assert line.title in html
    sees_log = role in {"coordinator", "area_manager", "department_staff", "department_head", "management", "alderman", "council", "administrator"}
    assert ("Demo: betaald" in html) == sees_log


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 403), ("resident", 403), ("council_member", 403), ("council", 403), ("alderman", 403), ("coordinator", 403),
     ("department_staff", 200), ("department_head", 200), ("area_manager", 200), ("management", 200), ("administrator", 200)],
)
def test_who_may_enter_budget_lines(client, user_with_role, role, status):
    if role:
        client.force_login(user_with_role(role))
    assert client.get("/budgetten/regels/nieuw").status_code == status


def post_line(client, **extra):  # type: ignore[no-untyped-def]
    data = {"year": "2026", "reference": "NEW-1", "title": "Nieuwe speeltuin", "area": "", "cluster": "", "source": "own",
            "department": Department.objects.get(slug="openbare-ruimte").pk, "amount": "25.000,00", "description": ""}
    data.update(extra)
    return client.post("/budgetten/regels/nieuw", data)


def test_department_staff_enter_a_line_of_their_own_department_only(client_as):
    client = client_as("department_staff")  # Openbare Ruimte
    assert post_line(client).status_code == 302
    line = BudgetLine.objects.get(reference="NEW-1")
    assert line.amount == Decimal("25000.00") and line.scope == "citywide"
    assert AuditEvent.objects.filter(action="budget_line.created", object_id=str(line.pk)).exists()
    other = post_line(client, reference="NEW-2", department=Department.objects.get(slug="welzijn").pk)
    assert other.status_code == 422 and not BudgetLine.objects.filter(reference="NEW-2").exists()


def test_bad_input_is_shown_next_to_the_fields(client_as):
    response = post_line(client_as("management"), amount="veel", reference="")
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count("utrecht-form-field-error-message") >= 2


def test_editing_follows_the_department(client_as):
    own = BudgetLineFactory()  # Openbare Ruimte
    other = BudgetLineFactory(of_welzijn=True)
    staff = client_as("department_staff")
    data = {"title": "Gewijzigd", "area": "", "cluster": "", "source": "own", "amount": "10.000,00", "description": "",
            "department": own.department_id}
    assert staff.post(f"/budgetten/regels/{own.pk}/wijzigen", data).status_code == 302
    assert BudgetLine.objects.get(pk=own.pk).title == "Gewijzigd"
    assert staff.get(f"/budgetten/regels/{other.pk}/wijzigen").status_code == 403
    assert staff.post(f"/budgetten/regels/{other.pk}", {"kind": "spent", "on": "2026-03-01", "amount": "10"}).status_code == 403


@pytest.mark.parametrize(("role", "status"), [("council", 403), ("alderman", 403), ("resident", 403), ("department_head", 302)])
def test_recording_mutations_per_role(client_as, role, status):
    line = BudgetLineFactory()
    response = client_as(role).post(f"/budgetten/regels/{line.pk}", {"kind": "committed", "on": "2026-03-01", "amount": "1.000"})
    assert response.status_code == status
    assert BudgetMutation.objects.filter(line=line).exists() == (status == 302)


def test_a_mutation_over_budget_is_refused_on_the_page(client_as):
    line = BudgetLineFactory()
    response = client_as("management").post(f"/budgetten/regels/{line.pk}", {"kind": "committed", "on": "2026-03-01", "amount": "20.000"})
    assert response.status_code == 422 and not BudgetMutation.objects.filter(line=line).exists()


@pytest.mark.parametrize(("role", "status"), [("management", 200), ("administrator", 200), ("department_head", 403), ("council", 403)])
def test_who_may_import(client_as, role, status):
    assert client_as(role).get("/budgetten/importeren").status_code == status


def test_import_page_lists_every_bad_row_and_stores_nothing(client_as):
    csv = (b"year;reference;title;area;cluster;source;department;amount\n"
           b"2026;A;Goed;WK082801;;own;openbare-ruimte;100\n"
           b"2026;B;Fout;WK000000;;own;openbare-ruimte;100\n"
           b"2026;C;Fout;WK082801;;own;openbare-ruimte;-5\n")
    before = BudgetLine.objects.count()
    response = client_as("management").post("/budgetten/importeren", {"file": SimpleUploadedFile("b.csv", csv)})
    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(r"rij 3, area", html) and re.search(r"rij 4, amount", html)
    assert BudgetLine.objects.count() == before


def test_import_page_stores_a_good_file(client_as):
    csv = b"year,reference,title,area,cluster,source,department,amount\n2026,A,Goed,WK082801,,own,openbare-ruimte,100\n"
    response = client_as("administrator").post("/budgetten/importeren", {"file": SimpleUploadedFile("b.csv", csv)})
    assert response.status_code == 302 and BudgetLine.objects.filter(reference="A").exists()


def test_export_is_public_csv(client):
    response = client.get("/budgetten/export.csv?jaar=2026")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("year;reference;title;area") and len(lines) > 90


# --- API --------------------------------------------------------------------------------------


def test_api_overview(client):
    response = client.get("/api/v1/budget-register?year=2026")
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"year", "years", "isDemo", "total", "areaTotal", "areaShare", "citywide", "wijken", "clusters"}
    assert data["isDemo"] is True and len(data["wijken"]) == 23
    schadewijk = next(w for w in data["wijken"] if w["code"] == "WK082801")
    assert set(schadewijk) == {"code", "name", "clustering", "amount", "committed", "spent", "share", "lines", "bySource"}
    assert isinstance(schadewijk["amount"], float | int) and schadewijk["bySource"]["province"] > 0
    assert abs(data["total"] - data["areaTotal"] - data["citywide"]["amount"]) < 0.01


@pytest.mark.parametrize(("url", "status"), [
    ("/api/v1/budget-register?year=abc", 400), ("/api/v1/budget-register?year=1800", 400),
    ("/api/v1/budget-register/WK089999", 404), ("/api/v1/budget-register/", 404),
])
def test_api_errors_are_problem_json(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == status


def test_api_area_lines(client):
    data = client.get("/api/v1/budget-register/WK082801?year=2026").json()
    assert data["code"] == "WK082801" and data["own"] and data["buurten"] and data["clusters"]
    assert {"year", "reference", "title", "area", "cluster", "source", "department", "amount", "committed", "spent", "isDemo"} == set(data["own"][0])

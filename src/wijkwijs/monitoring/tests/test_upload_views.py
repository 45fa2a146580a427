import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wijkwijs.monitoring.models import Indicator, Observation, Source

pytestmark = pytest.mark.django_db

OSS = Path(__file__).resolve().parents[2] / "demo" / "data" / "cbs" / "kwb_2024_oss.csv"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def staged(var_dir: Path) -> list[Path]:
    root = var_dir / "uploads" / "monitoring"
    return sorted(root.iterdir()) if root.is_dir() else []


def cbs_file(inhabitants_centrum: int = 6250) -> SimpleUploadedFile:
    lines = OSS.read_text(encoding="utf-8").splitlines()
    header, gm, centrum = lines[0], lines[1], lines[2]
    assert centrum.startswith("2024,WK082800,Centrum") and ",6245," in centrum
    centrum = centrum.replace(",6245,", f",{inhabitants_centrum},", 1)
    return SimpleUploadedFile("kwb.csv", "\n".join([header, gm, centrum]).encode(), content_type="text/csv")


def value(code: str, key: str, period: str = "2024") -> float | None:
    return Observation.objects.get(area__code=code, indicator__key=key, period=period).value


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("role,cbs,own", [
    (None, 403, 403), ("resident", 403, 403), ("council", 403, 403), ("council_member", 403, 403),
    ("coordinator", 403, 200), ("department_staff", 403, 200), ("administrator", 200, 200),
])
def test_upload_pages_per_role(client, client_as, role, cbs, own):
    c = client_as(role) if role else client
    assert c.get("/monitor/inlezen/cbs").status_code == cbs
    assert c.get("/monitor/inlezen/eigen-cijfers").status_code == own
    assert c.get("/monitor/inlezen").status_code == (200 if own == 200 else 403)
    assert c.post("/monitor/inlezen/cbs", {"files": cbs_file()}).status_code == (200 if cbs == 200 else 403)
    assert value("WK082800", "AantalInwoners") == 6245


def test_cbs_preview_changes_nothing_then_commit_imports(client_as, var_dir):
    c = client_as("administrator")
    r = c.post("/monitor/inlezen/cbs", {"files": cbs_file()})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Nog niets opgeslagen" in html or "nog niets" in html.lower()
    cells = r'<td class="utrecht-table__cell ww-num">([^<]+)</td>'
    rows = {label: counts for label, *counts in re.findall(
        r'<th scope="row" class="utrecht-table__cell">([^<]+)</th>' + cells * 3, html)}
    n_values = 2 * 16  # GM0828 and WK082800, 16 figures each
    assert rows["Cijfers (waarnemingen)"] == ["0", "1", str(n_values - 1)]  # Centrum's inhabitants changed
    assert rows["Gebieden"][0] == "0" and rows["Indicatoren"][0] == "0"
    assert value("WK082800", "AantalInwoners") == 6245  # preview stored nothing
    assert len(staged(var_dir)) == 1  # the upload is kept server-side
    r = c.post("/monitor/inlezen/cbs", {"action": "commit", "token": token_of(html)})
    assert r.status_code == 302
    assert value("WK082800", "AantalInwoners") == 6250
    assert staged(var_dir) == []
    messages = c.get("/monitor/inlezen/cbs").content.decode()
    assert "1 gewijzigd" in messages


def test_commit_needs_the_uploaders_token(client, client_as, var_dir):
    from wijkwijs.accounts.models import User
    from wijkwijs.accounts.roles import Role

    html = client_as("administrator").post("/monitor/inlezen/cbs", {"files": cbs_file()}).content.decode()
    token = token_of(html)
    other = User.objects.create_user("tweede-beheerder", role=Role.ADMINISTRATOR)
    client.force_login(other)
    r = client.post("/monitor/inlezen/cbs", {"action": "commit", "token": token})
    assert r.status_code == 302
    assert value("WK082800", "AantalInwoners") == 6245
    r = client.post("/monitor/inlezen/cbs", {"action": "commit", "token": "../../etc"})
    assert r.status_code == 302 and value("WK082800", "AantalInwoners") == 6245


def test_cancel_discards_the_upload(client_as, var_dir):
    c = client_as("administrator")
    token = token_of(c.post("/monitor/inlezen/cbs", {"files": cbs_file()}).content.decode())
    assert c.post("/monitor/inlezen/cbs", {"action": "cancel", "token": token}).status_code == 302
    assert staged(var_dir) == []
    c.post("/monitor/inlezen/cbs", {"action": "commit", "token": token})
    assert value("WK082800", "AantalInwoners") == 6245


def test_bad_cbs_file_lists_every_bad_row_and_changes_nothing(client_as, var_dir):
    lines = OSS.read_text(encoding="utf-8").splitlines()
    bad = [lines[0], lines[1].replace(",94634,", ",veel,"), lines[2].replace(",6245,", ",6300,"), lines[3].replace(",3325,", ",-x-,")]
    before = Observation.objects.count()
    r = client_as("administrator").post(
        "/monitor/inlezen/cbs", {"files": SimpleUploadedFile("kapot.csv", "\n".join(bad).encode())})
    assert r.status_code == 422
    html = r.content.decode()
    assert "kapot.csv, rij 2" in html and "kapot.csv, rij 4" in html
    assert "Er is niets opgeslagen" in html
    assert value("WK082800", "AantalInwoners") == 6245 and Observation.objects.count() == before
    assert staged(var_dir) == []  # nothing kept of a rejected file
    assert 'name="token"' not in html


def test_file_that_is_not_cbs_at_all(client_as):
    r = client_as("administrator").post(
        "/monitor/inlezen/cbs", {"files": SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00binary")})
    assert r.status_code == 422
    assert "foto.png" in r.content.decode()


def test_missing_file_redisplays_the_form(client_as):
    r = client_as("administrator").post("/monitor/inlezen/cbs", {"year": "24"})
    assert r.status_code == 422
    assert "utrecht-form-field-error-message" in r.content.decode()


@pytest.fixture
def ggd():
    source = Source.objects.create(slug="ggd", name="GGD", credit="Bron: GGD Hart voor Brabant")
    return Indicator.objects.create(key="ggd_eenzaam", name_nl="Ernstig eenzaam (%)", unit="%", source=source,
                                    theme="gezondheid", polarity="higher_worse", kind="subjective")


def own_post(text: str, name: str = "ggd.csv") -> dict:
    return {"file": SimpleUploadedFile(name, text.encode()), "source_name": "GGD Gezondheidsmonitor",
            "source_credit": "Bron: GGD Hart voor Brabant, Gezondheidsmonitor 2022"}


def test_own_figures_preview_then_commit(client_as, ggd, var_dir):
    c = client_as("department_staff")
    page = c.get("/monitor/inlezen/eigen-cijfers").content.decode()
    assert "ggd_eenzaam" in page  # the catalogue keys are listed as help
    r = c.post("/monitor/inlezen/eigen-cijfers", own_post("gebied;periode;indicator;waarde\nWK082801;2022;ggd_eenzaam;12,5\n"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "GGD Gezondheidsmonitor" in html and "ggd.csv" in html
    assert not Observation.objects.filter(indicator=ggd).exists()
    assert c.post("/monitor/inlezen/eigen-cijfers", {"action": "commit", "token": token_of(html)}).status_code == 302
    obs = Observation.objects.get(indicator=ggd, area__code="WK082801", period="2022")
    assert obs.value == 12.5 and obs.source.credit == "Bron: GGD Hart voor Brabant, Gezondheidsmonitor 2022"
    # and it shows on the wijkfoto with its own credit line
    wijkfoto = c.get("/gebieden/WK082801/wijkfoto").content.decode()
    assert "Ernstig eenzaam (%)" in wijkfoto and "Bron: GGD Hart voor Brabant, Gezondheidsmonitor 2022" in wijkfoto


def test_bad_own_file_lists_rows_and_changes_nothing(client_as, ggd, var_dir):
    text = "WK082801,2022,ggd_eenzaam,12\nWK082899,2022,ggd_eenzaam,3\nWK082807,2022,ggd_eenzaam,veel\n"
    r = client_as("coordinator").post("/monitor/inlezen/eigen-cijfers", own_post(text))
    assert r.status_code == 422
    html = r.content.decode()
    assert "rij 2" in html and "WK082899" in html and "rij 3" in html and "geen getal" in html
    assert not Observation.objects.filter(indicator=ggd).exists()
    assert staged(var_dir) == []

import contextlib
import csv
import io
import re
import zlib

import pytest

from wijkwijs.monitoring import pdf
from wijkwijs.monitoring.models import Observation

pytestmark = pytest.mark.django_db

SMALL = "BU08280200"  # Moleneind, 25 inhabitants (below the threshold of 50)


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return rows[0], rows[1:]


def parse(cell: str):
    return None if cell == "" else float(cell.replace(",", "."))


@pytest.mark.parametrize("role", [None, "resident", "council", "coordinator", "department_staff", "administrator"])
def test_wijkfoto_page_for_every_role(client, client_as, role):
    c = client_as(role) if role else client
    r = c.get("/gebieden/WK082801/wijkfoto")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Wijkfoto Schadewijk" in html
    assert "10.575" in html  # inhabitants, CBS 2024
    assert "94.634" in html  # the municipality beside it
    assert 'role="img"' in html and "<desc" in html  # accessible inline SVG charts
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024" in html
    internal = role in ("council", "coordinator", "department_staff", "administrator")
    assert ("Verzetsheldenbuurt komen" in html) == internal  # impressions are internal
    assert ("Indruk toevoegen" in html) == (role in ("coordinator", "department_staff", "administrator"))


def test_unknown_area_is_404(client):
    assert client.get("/gebieden/WK082899/wijkfoto").status_code == 404
    assert client.get("/gebieden/WK082899/wijkfoto.csv").status_code == 404


def test_key_figures_pyramid_trends_and_map(client):
    html = client.get("/gebieden/WK082801/wijkfoto?kaart=k_65JaarOfOuder").content.decode()
    assert 'id="pyramid-t"' in html and "29,4%" in html  # 25-44: 3105 of 10575
    assert 'class="ww-chart ww-chart--line"' in html
    assert 'id="map-t"' in html and "65 jaar of ouder" in html
    assert "/monitor/kaart?indicator=k_65JaarOfOuder" in html  # link to the interactive map
    # demo figures are labelled as such and listed apart
    assert "democijfers" in html and "Demo: gegenereerde cijfers, geen CBS" in html
    assert html.count("Aantal inwoners (demo)") >= 1


def test_demo_figures_never_share_a_row_or_line_with_cbs(client, rf):
    from wijkwijs.areas.models import Area
    from wijkwijs.monitoring.selectors_wijkfoto import wijkfoto_get

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    photo = wijkfoto_get(Area.objects.get(code="WK082801"), user=request.user)
    assert photo.figures and photo.demo_figures and photo.trends
    assert all(not f.indicator.source.is_demo for f in photo.figures)
    assert all(f.indicator.source.is_demo and f.indicator.key.startswith("demo_") for f in photo.demo_figures)
    for trend in photo.trends:
        assert trend.is_demo == trend.indicator.source.is_demo
        periods = {p for p, _ in trend.area}
        stored = set(Observation.objects.filter(area__code="WK082801", indicator=trend.indicator).values_list("period", flat=True))
        assert periods == stored  # one indicator (one source) per line


@pytest.mark.parametrize("role,suppressed", [
    (None, True), ("resident", True), ("council_member", True),
    ("council", False), ("coordinator", False), ("department_staff", False), ("administrator", False),
])
def test_small_numbers_suppressed_per_role(client, client_as, role, suppressed):
    c = client_as(role) if role else client
    html = c.get(f"/gebieden/{SMALL}/wijkfoto").content.decode()
    assert ('id="afgeschermd"' in html) == suppressed
    assert ('id="pyramid-t"' in html) == (not suppressed)
    assert "Mannen" in html or suppressed  # key figures beyond the population only when allowed
    _, rows = read_csv(c.get(f"/gebieden/{SMALL}/wijkfoto.csv"))
    hidden = [r for r in rows if r[0] == SMALL and r[8] == "afgeschermd"]
    assert bool(hidden) == suppressed
    # a large area is never suppressed
    assert 'id="afgeschermd"' not in c.get("/gebieden/WK082801/wijkfoto").content.decode()


def test_csv_equals_the_stored_values(client_as):
    header, rows = read_csv(client_as("coordinator").get("/gebieden/WK082801/wijkfoto.csv"))
    assert header[:8] == ["gebiedscode", "gebied", "niveau", "indicator", "naam", "eenheid", "periode", "waarde"]
    stored = {
        (code, key, period): value
        for code, key, period, value in Observation.objects.filter(area__code__in=["WK082801", "GM0828"]).values_list(
            "area__code", "indicator__key", "period", "value")
    }
    got = {(r[0], r[3], r[6]): parse(r[7]) for r in rows}
    assert got == stored
    demo = {r[3] for r in rows if r[10] == "ja"}
    assert demo and all(k.startswith("demo_") for k in demo)
    assert all(r[3].startswith("demo_") == (r[10] == "ja") for r in rows)


def test_csv_suppresses_small_areas_per_role(client, client_as):
    _, public = read_csv(client.get(f"/gebieden/{SMALL}/wijkfoto.csv"))
    own = [r for r in public if r[0] == SMALL]
    assert own
    assert all(r[7] == "" for r in own if r[3] != "AantalInwoners")
    assert any(r[8] == "afgeschermd" for r in own)
    assert [r[7] for r in own if r[3] == "AantalInwoners"] == ["25"]
    _, staff = read_csv(client_as("coordinator").get(f"/gebieden/{SMALL}/wijkfoto.csv"))
    ages = [r for r in staff if r[0] == SMALL and r[3] == "k_0Tot15Jaar"]
    stored = Observation.objects.get(area__code=SMALL, indicator__key="k_0Tot15Jaar", period="2024").value
    assert ages and parse(ages[0][7]) == stored
    assert all(r[8] != "afgeschermd" for r in staff)


needs_weasyprint = pytest.mark.skipif(not pdf.available(), reason=f"WeasyPrint unavailable: {pdf.unavailable_reason()}")


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF, looking inside compressed object streams too."""
    parts = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(m.group(1)))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", b"".join(parts)))


@needs_weasyprint
def test_pdf_is_a_real_pdf_with_pages(client):
    r = client.get("/gebieden/WK082801/wijkfoto.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith('attachment; filename="wijkfoto-WK082801')
    assert r.content.startswith(b"%PDF")
    assert pdf_pages(r.content) >= 2


@needs_weasyprint
def test_pdf_applies_small_number_protection(client, client_as, monkeypatch):
    rendered: list[str] = []
    real = pdf.render
    monkeypatch.setattr(pdf, "render", lambda html: rendered.append(html) or real(html))
    public = client.get(f"/gebieden/{SMALL}/wijkfoto.pdf")
    staff = client_as("coordinator").get(f"/gebieden/{SMALL}/wijkfoto.pdf")
    assert public.content.startswith(b"%PDF") and staff.content.startswith(b"%PDF")
    public_html, staff_html = rendered
    assert 'id="pyramid-t"' not in public_html and 'id="afgeschermd"' in public_html
    assert 'id="pyramid-t"' in staff_html
    assert pdf_pages(public.content) >= 1


def test_pdf_without_weasyprint_says_so(client, monkeypatch):
    monkeypatch.setattr(pdf, "_load", lambda: (None, "WeasyPrint's system libraries are missing: libpango"))
    r = client.get("/gebieden/WK082801/wijkfoto.pdf")
    assert r.status_code == 503
    assert "PDF" in r.content.decode() and "libpango" in r.content.decode()
    page = client.get("/gebieden/WK082801/wijkfoto").content.decode()
    assert "wijkfoto.pdf" not in page and "afdrukken" in page.lower()


def test_area_page_links_the_wijkfoto(client):
    assert 'href="/gebieden/WK082801/wijkfoto"' in client.get("/gebieden/WK082801").content.decode()


def test_impression_added_from_the_wijkfoto_returns_there(client_as):
    r = client_as("coordinator").post(
        "/gebieden/WK082801/indruk-toevoegen?next=/gebieden/WK082801/wijkfoto",
        {"theme": "jeugd", "observed_on": "2026-10-01", "text": "Nieuwe hangplek bij de skatebaan."},
    )
    assert r.status_code == 302 and r["Location"] == "/gebieden/WK082801/wijkfoto"
    assert "Nieuwe hangplek" in client_as("coordinator").get("/gebieden/WK082801/wijkfoto").content.decode()
    evil = client_as("coordinator").post(
        "/gebieden/WK082801/indruk-toevoegen?next=https://example.org/",
        {"theme": "jeugd", "observed_on": "2026-10-01", "text": "Nog een."},
    )
    assert evil["Location"] == "/gebieden/WK082801"


def test_wijkfoto_of_the_municipality_and_of_a_buurt(client):
    gm = client.get("/gebieden/GM0828/wijkfoto").content.decode()
    assert "Wijkfoto Oss" in gm and 'id="pyramid-t"' in gm and 'id="map-t"' in gm
    buurt = client.get("/gebieden/BU08280100/wijkfoto").content.decode()
    assert "2.530" in buurt and 'id="map-t"' in buurt
    assert "Aantal inwoners, 2024" in buurt  # buurten have no density: the map falls back to inhabitants
    assert "democijfers" in buurt  # the demo series (labelled as such) also covers buurten, for the demo index

"""CBS import through the service and the command, against the shipped Oss file."""

from __future__ import annotations

import csv
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from wijkwijs.areas.models import Area
from wijkwijs.core.errors import ImportRejected
from wijkwijs.monitoring.models import AreaAttribute, Observation
from wijkwijs.monitoring.services import cbs_import

pytestmark = pytest.mark.django_db

OSS = Path(__file__).resolve().parents[2] / "demo" / "data" / "cbs" / "kwb_2024_oss.csv"
# text attributes, not figures (the boundary-change flag is a code)
TEXT_COLUMNS = {"jaar", "Codering_3", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "IndelingswijzigingGemeenteWijkBuurt_4"}


def stored(code: str, key: str) -> float | None:
    return Observation.objects.get(area__code=code, indicator__key=key, period="2024").value


def test_every_value_of_the_oss_file_is_stored_to_the_unit_and_dots_are_missing():
    with OSS.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 130
    values = {
        (code, key, period): value
        for code, key, period, value in Observation.objects.filter(period="2024").values_list(
            "area__code", "indicator__key", "period", "value"
        )
    }
    checked = missing = 0
    for row in rows:
        code = row["Codering_3"].strip()
        for column, cell in row.items():
            if column in TEXT_COLUMNS:
                continue
            key = re.sub(r"_\d+$", "", column)
            value = values[(code, key, "2024")]
            cell = cell.strip()
            if cell in ("", "."):
                assert value is None, (code, column)
                missing += 1
            else:
                assert value == float(cell), (code, column, value, cell)
            checked += 1
    assert checked == 130 * 16
    assert missing > 0  # buurten carry no dwelling or surface figures: missing, never 0


def test_the_boundary_change_flag_is_kept_per_area_and_year(now):
    with OSS.open(newline="") as f:
        expected = {r["Codering_3"].strip(): r["IndelingswijzigingGemeenteWijkBuurt_4"].strip() for r in csv.DictReader(f)}
    expected = {code: v for code, v in expected.items() if v not in ("", ".")}
    assert expected  # the file carries the flag for its areas
    def flags() -> dict[str, str]:
        return dict(AreaAttribute.objects.filter(key="IndelingswijzigingGemeenteWijkBuurt", period="2024")
                    .values_list("area__code", "value"))
    assert flags() == expected
    pks = set(AreaAttribute.objects.values_list("pk", flat=True))
    cbs_import(paths=[OSS], actor=None, now=now)
    assert flags() == expected and set(AreaAttribute.objects.values_list("pk", flat=True)) == pks


def test_a_changed_boundary_change_flag_is_updated_in_place(tmp_path, now):
    changed = tmp_path / "kwb_2024_changed.csv"
    text = OSS.read_text()
    assert "2024,WK082800,Centrum,Oss,Wijk,1," in text
    changed.write_text(text.replace("2024,WK082800,Centrum,Oss,Wijk,1,", "2024,WK082800,Centrum,Oss,Wijk,2,"))
    before = dict(AreaAttribute.objects.values_list("area__code", "pk"))
    cbs_import(paths=[changed], actor=None, now=now)
    after = dict(AreaAttribute.objects.values_list("area__code", "value"))
    assert after["WK082800"] == "2" and dict(AreaAttribute.objects.values_list("area__code", "pk")) == before
    assert all(v == "1" for code, v in after.items() if code != "WK082800")


def test_reimport_is_a_no_op(now):
    summary = cbs_import(paths=[OSS], actor=None, now=now)
    assert summary.added == 0 and summary.changed == 0 and summary.unchanged == 130 * 16
    assert summary.areas_added == 0


def test_dry_run_reports_changes_and_stores_nothing(tmp_path, now):
    changed = tmp_path / "kwb_2024_changed.csv"
    text = OSS.read_text().replace("2024,WK082800,Centrum,Oss,Wijk,1,6245", "2024,WK082800,Centrum,Oss,Wijk,1,6250")
    changed.write_text(text)
    summary = cbs_import(paths=[changed], actor=None, now=now, dry_run=True)
    assert summary.changed == 1
    assert stored("WK082800", "AantalInwoners") == 6245
    summary = cbs_import(paths=[changed], actor=None, now=now)
    assert summary.changed == 1 and stored("WK082800", "AantalInwoners") == 6250


def test_unknown_areas_are_added_with_their_hierarchy(tmp_path, now):
    new = tmp_path / "kwb_2024_new.csv"
    header = OSS.read_text().splitlines()[0]
    new.write_text(header + "\n" + "2024,BU08282299,Nieuwe buurt,Oss,Buurt,1,10,5,5,5,0,5,0,0,10,0,0,.,.,.,.,.\n")
    summary = cbs_import(paths=[new], actor=None, now=now)
    assert summary.areas_added == 1
    assert Area.objects.get(code="BU08282299").parent.code == "WK082822"


def test_a_bad_file_changes_nothing_and_names_every_bad_row(tmp_path, now):
    bad = tmp_path / "kwb_2024_bad.csv"
    lines = OSS.read_text().splitlines()
    lines[2] = lines[2].replace(",6245,", ",veel,")
    lines[5] = lines[5].replace(",BU0828", ",XX0828", 1)  # an unknown kind of code
    bad.write_text("\n".join(lines) + "\n")
    before = Observation.objects.count(), stored("WK082800", "AantalInwoners")
    with pytest.raises(ImportRejected) as exc:
        cbs_import(paths=[bad], actor=None, now=now)
    reasons = [str(p) for p in exc.value.problems]
    assert len(reasons) >= 2
    assert any("rij 3" in r for r in reasons) and any("rij 6" in r for r in reasons)
    assert all(r.startswith("kwb_2024_bad.csv") for r in reasons)
    assert (Observation.objects.count(), stored("WK082800", "AantalInwoners")) == before


def test_import_command_prints_a_json_summary_and_exits_non_zero_on_rejects(tmp_path):
    out = StringIO()
    call_command("import_cbs", str(OSS), "--json", stdout=out, stderr=StringIO())
    data = json.loads(out.getvalue())
    assert data["observations"] == {"added": 0, "changed": 0, "unchanged": 2080}
    assert data["rejected"] == [] and data["dryRun"] is False
    bad = tmp_path / "kwb_2024_bad.csv"
    bad.write_text(OSS.read_text().replace(",6245,", ",veel,"))
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_cbs", str(bad), "--json", stdout=out, stderr=StringIO())
    assert exit_info.value.code == 1
    assert json.loads(out.getvalue())["stored"] is False


def test_observations_command():
    out = StringIO()
    call_command("observations", "--area", "GM0828", "--indicator", "AantalInwoners", "--json", stdout=out)
    assert json.loads(out.getvalue()) == [{"area": "GM0828", "indicator": "AantalInwoners", "period": "2024", "value": 94634}]
    out = StringIO()
    call_command("observations", "--area", "BU08280100", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert {"area": "BU08280100", "indicator": "Woningvoorraad", "period": "2024", "value": None} in rows
    assert len([r for r in rows if not r["indicator"].startswith("demo_")]) == 16  # demo series beside
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown area"):
        call_command("observations", "--area", "WK082899", "--json", stdout=StringIO())

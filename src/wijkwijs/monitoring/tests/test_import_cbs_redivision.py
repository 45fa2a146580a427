"""CBS re-divides areas: a newer complete file closes what it no longer lists; progress."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from wijkwijs.areas.models import Area
from wijkwijs.monitoring.models import Observation
from wijkwijs.monitoring.services import cbs_import

pytestmark = pytest.mark.django_db

OSS = Path(__file__).resolve().parents[2] / "demo" / "data" / "cbs" / "kwb_2024_oss.csv"


def _year_2025(tmp_path: Path) -> Path:
    lines = OSS.read_text().splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        line = line.replace("2024,", "2025,", 1)
        if ",BU08280100," in line:  # Verzetsheldenbuurt I is split: a new code replaces it
            out.append(line.replace("BU08280100,Verzetsheldenbuurt I", "BU08280110,Verzetsheldenbuurt Ia"))
            continue
        out.append(line)
    path = tmp_path / "kwb_2025_oss.csv"
    path.write_text("\n".join(out) + "\n")
    return path


def test_a_newer_complete_file_closes_the_areas_it_no_longer_lists(tmp_path, now):
    summary = cbs_import(paths=[_year_2025(tmp_path)], actor=None, now=now)
    assert summary.areas_added == 1 and summary.areas_closed == 1
    old = Area.objects.get(code="BU08280100")
    new = Area.objects.get(code="BU08280110")
    assert old.valid_to == date(2025, 1, 1) and new.valid_from == date(2025, 1, 1) and new.valid_to is None
    assert new.parent.code == "WK082801"
    assert Observation.objects.filter(area=old, period="2024").count() == 16  # history stays
    # the older year again closes nothing and reopens nothing
    again = cbs_import(paths=[OSS], actor=None, now=now)
    assert again.areas_closed == 0 and again.added == 0 and again.changed == 0
    assert Area.objects.get(code="BU08280100").valid_to == date(2025, 1, 1)
    # and the 2025 file once more is a no-op
    twice = cbs_import(paths=[_year_2025(tmp_path)], actor=None, now=now)
    assert (twice.added, twice.changed, twice.areas_added, twice.areas_closed) == (0, 0, 0, 0)


def test_a_partial_file_closes_nothing(tmp_path, now):
    lines = OSS.read_text().splitlines()
    partial = tmp_path / "kwb_2025_partial.csv"
    partial.write_text("\n".join([lines[0]] + [ln.replace("2024,", "2025,", 1) for ln in lines[1:] if ",BU0828" in ln][:5]) + "\n")
    summary = cbs_import(paths=[partial], actor=None, now=now)
    assert summary.areas_closed == 0
    assert Area.objects.current().filter(code__startswith="BU0828").count() == 106


def test_a_dry_run_of_a_redivision_changes_nothing(tmp_path, now):
    summary = cbs_import(paths=[_year_2025(tmp_path)], actor=None, now=now, dry_run=True)
    assert summary.areas_closed == 1
    assert Area.objects.get(code="BU08280100").valid_to is None
    assert not Area.objects.filter(code="BU08280110").exists()


def test_progress_is_reported_to_a_callback_and_on_stderr(tmp_path, now):
    seen: list[tuple[str, int, int]] = []
    cbs_import(paths=[_year_2025(tmp_path)], actor=None, now=now, progress=lambda *a: seen.append(a))
    stages = [s for s, _, _ in seen]
    assert stages[0] == "read" and "areas" in stages and stages[-1] == "observations"
    assert seen[-1][1] == seen[-1][2] == 130 * 16
    err = StringIO()
    call_command("import_cbs", str(OSS), stdout=StringIO(), stderr=err)
    assert "observations: 2080 of 2080" in err.getvalue()
    err = StringIO()
    call_command("import_cbs", str(OSS), "--json", stdout=StringIO(), stderr=err)
    assert "observations:" not in err.getvalue()  # --json: no progress lines

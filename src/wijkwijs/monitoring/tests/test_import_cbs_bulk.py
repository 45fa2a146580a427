"""The bulk path of the CBS import: multi-row inserts, batches, progress, atomicity, GC."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from wijkwijs.areas.models import Area
from wijkwijs.audit.models import AuditEvent
from wijkwijs.core import bulk
from wijkwijs.monitoring import services
from wijkwijs.monitoring.models import Indicator, Observation, Source
from wijkwijs.monitoring.services import cbs_import

pytestmark = pytest.mark.django_db

CBS = services.catalogue_data.CBS_SOURCE
OSS = Path(__file__).resolve().parents[2] / "demo" / "data" / "cbs" / "kwb_2024_oss.csv"


def _stored() -> dict[tuple[str, str, str], tuple[float | None, str]]:
    return {
        (c, k, p): (v, st)
        for c, k, p, v, st in Observation.objects.filter(source__slug=CBS).values_list(
            "area__code", "indicator__key", "period", "value", "status"
        )
    }


def _wipe() -> None:
    Observation.objects.filter(source__slug=CBS).delete()


def test_insert_rows_stores_every_row_across_statements_and_batches():
    source = Source.objects.create(slug="t", name="t", credit="t")
    ind = Indicator.objects.create(key="t_key", name_nl="t", source=source)
    areas = list(Area.objects.order_by("pk").values_list("pk", flat=True)[:130])
    rows = [(a, ind.pk, "2030", None if n % 3 == 0 else n + 0.5, "missing" if n % 3 == 0 else "", source.pk)
            for n, a in enumerate(areas)]
    fields = ["area", "indicator", "period", "value", "status", "source"]
    # 130 rows, batches of 47, statements of 166 rows at most: full and partial statements
    assert bulk.insert_rows(Observation, fields, iter(rows), batch=47) == 130
    got = sorted(Observation.objects.filter(indicator=ind).values_list("area_id", "indicator_id", "period", "value", "status", "source_id"))
    assert got == sorted(rows)
    assert bulk.insert_rows(Observation, fields, []) == 0


def test_insert_rows_with_constants_binds_them_once_and_stores_every_row(monkeypatch):
    source = Source.objects.create(slug="t", name="t", credit="t")
    ind = Indicator.objects.create(key="t_key", name_nl="t", source=source)
    areas = list(Area.objects.order_by("pk").values_list("pk", flat=True)[:130])
    rows = [(a, None if n % 3 == 0 else n + 0.25, "missing" if n % 3 == 0 else "") for n, a in enumerate(areas)]
    # a small parameter limit: statements of (20 - 3) // 3 = 5 rows, batches of 47, a remainder
    monkeypatch.setattr(bulk.connection.features, "max_query_params", 20)
    consts = {"indicator": ind.pk, "period": "2030", "source": source.pk}
    assert bulk.insert_rows(Observation, ["area", "value", "status"], iter(rows), batch=47, constants=consts) == 130
    got = sorted(Observation.objects.filter(indicator=ind).values_list("area_id", "value", "status", "period", "source_id"))
    assert got == sorted((a, v, st, "2030", source.pk) for a, v, st in rows)
    assert bulk.insert_rows(Observation, ["area", "value", "status"], iter([]), constants=consts) == 0


def test_insert_columns_interleaves_the_columns_and_checks_their_lengths(monkeypatch):
    source = Source.objects.create(slug="t", name="t", credit="t")
    ind = Indicator.objects.create(key="t_key", name_nl="t", source=source)
    areas = list(Area.objects.order_by("pk").values_list("pk", flat=True)[:130])
    values = [None if n % 4 == 0 else n * 1.5 for n in range(len(areas))]
    status = ["missing" if v is None else "" for v in values]
    monkeypatch.setattr(bulk.connection.features, "max_query_params", 20)  # 5 rows a statement
    consts = {"indicator": ind.pk, "period": "2031", "source": source.pk}
    columns = {"area": areas, "value": values, "status": status}
    assert bulk.insert_columns(Observation, columns, batch=47, constants=consts) == 130
    got = sorted(Observation.objects.filter(indicator=ind).values_list("area_id", "value", "status", "period", "source_id"))
    assert got == sorted(zip(areas, values, status, ["2031"] * 130, [source.pk] * 130, strict=True))
    with pytest.raises(ValueError):
        bulk.insert_columns(Observation, {"area": areas, "value": values[:-1], "status": status}, constants=consts)
    assert bulk.insert_columns(Observation, {"area": [], "value": [], "status": []}, constants=consts) == 0


def test_a_batched_import_equals_a_single_batch_and_reports_progress(monkeypatch, now):
    whole = _stored()  # the Oss file as loaded by the test set-up (one batch)
    _wipe()
    monkeypatch.setattr(services, "BATCH", 500)
    seen: list[tuple[str, int, int]] = []
    summary = cbs_import(paths=[OSS], actor=None, now=now, progress=lambda *a: seen.append(a))
    assert summary.added == 130 * 16 and _stored() == whole
    done = [d for stage, d, _ in seen if stage == "observations"]
    # after each (indicator, period) group that passes another 500 (groups of 130 here), and at the end
    assert done == [520, 1040, 1560, 2080]


def test_a_failure_while_storing_changes_nothing_and_leaves_gc_on(monkeypatch, now):
    _wipe()
    monkeypatch.setattr(services, "BATCH", 500)
    calls = {"n": 0}

    def fail_on_the_third(real):  # type: ignore[no-untyped-def]
        def insert(model, *args, **kw):  # type: ignore[no-untyped-def]
            if model is Observation:
                calls["n"] += 1
                if calls["n"] == 3:
                    raise RuntimeError("disk full")
            return real(model, *args, **kw)
        return insert

    monkeypatch.setattr(services, "insert_columns", fail_on_the_third(services.insert_columns))
    events = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        cbs_import(paths=[OSS], actor=None, now=now)
    assert not Observation.objects.filter(source__slug=CBS).exists() and AuditEvent.objects.count() == events
    assert gc.isenabled()


def test_gc_is_paused_only_inside_and_restored_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), bulk.gc_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk.gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_two_years_in_one_import_with_a_column_missing_for_some_areas(tmp_path, now):
    """Columns per (indicator, period): a period whose areas do not all have an indicator."""
    import csv

    with OSS.open(newline="") as f:
        header, *records = list(csv.reader(f))
    records = [["2025", *r[1:]] for r in records]
    drop = header.index("OppervlakteWater_124")
    upper = tmp_path / "kwb_2025_oss_gm_wk.csv"  # GM and WK rows, every column
    lower = tmp_path / "kwb_2025_oss_bu.csv"  # BU rows without the water surface
    with upper.open("w", newline="") as f:
        csv.writer(f).writerows([header, *(r for r in records if not r[1].startswith("BU"))])
    with lower.open("w", newline="") as f:
        cut = lambda r: r[:drop] + r[drop + 1 :]  # noqa: E731
        csv.writer(f).writerows([cut(header), *(cut(r) for r in records if r[1].startswith("BU"))])
    before = _stored()
    summary = cbs_import(paths=[OSS, upper, lower], actor=None, now=now)
    n_bu = sum(r[1].startswith("BU") for r in records)
    assert summary.unchanged == 130 * 16 and summary.added == 130 * 16 - n_bu and summary.changed == 0
    after = _stored()
    assert {k: v for k, v in after.items() if k[2] == "2024"} == before
    fresh = {(c, k): v for (c, k, p), v in after.items() if p == "2025"}
    assert fresh == {(c, k): v for (c, k, p), v in before.items()
                     if not (k == "OppervlakteWater" and c.startswith("BU"))}

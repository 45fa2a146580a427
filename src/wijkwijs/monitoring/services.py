"""Writes on the area monitor: importing CBS figures."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify

from wijkwijs.areas import services as area_services
from wijkwijs.areas.csvfiles import read_rows
from wijkwijs.areas.models import Area
from wijkwijs.audit.services import record
from wijkwijs.core.bulk import gc_paused, insert_columns
from wijkwijs.core.errors import DomainError, ImportRejected, Problem
from wijkwijs.monitoring import catalogue_data
from wijkwijs.monitoring.cbs_formats import ParseError, Row, read_cbs
from wijkwijs.monitoring.changes import COMPARABLE_ATTRIBUTE
from wijkwijs.monitoring.models import AreaAttribute, Impression, Indicator, Observation, Source


@dataclass
class CbsImportSummary:
    files: list[str] = field(default_factory=list)
    areas_added: int = 0
    areas_closed: int = 0
    indicators_added: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "areas": {"added": self.areas_added, "closed": self.areas_closed},
            "indicators": {"added": self.indicators_added},
            "observations": {"added": self.added, "changed": self.changed, "unchanged": self.unchanged},
            "rejected": self.rejected,
        }


def _source_for(slug: str) -> Source:
    if slug == catalogue_data.CBS_SOURCE:
        defaults = {"name": "CBS " + catalogue_data.TABLE_TITLE, "credit": catalogue_data.CBS_CREDIT, "licence": "CC BY 4.0"}
    else:
        defaults = {"name": slug, "credit": slug}
    source, _ = Source.objects.get_or_create(slug=slug, defaults=defaults)
    return source


def _indicators_for(
    keys: set[str], source: Source, summary: CbsImportSummary, catalogue: dict[str, catalogue_data.Indicator] | None = None
) -> dict[str, Indicator]:
    existing = {i.key: i for i in Indicator.objects.filter(key__in=keys)}
    catalogue = catalogue if catalogue is not None else catalogue_data.default_catalogue()
    for key in sorted(keys - set(existing)):
        spec = catalogue.get(key)
        existing[key] = Indicator.objects.create(
            key=key,
            name_nl=spec.name_nl if spec else key,
            name_en=spec.name_en if spec else "",
            unit=spec.unit if spec else "",
            source=source,
            theme=spec.theme if spec else "",
            domain=spec.domain if spec else "",
            polarity=spec.polarity if spec else "context",
            kind=spec.kind if spec else "objective",
            levels=",".join(spec.levels) if spec else "GM,WK,BU",
            is_count=spec.is_count if spec else False,
            description=spec.description if spec else "",
        )
        summary.indicators_added += 1
    return existing


class _Rollback(Exception):
    """Raised inside the import transaction to undo a dry run."""


#: ``progress(stage, done, total)``: stages "read" (files), "areas", "observations" (rows).
Progress = Callable[[str, int, int], None]
BATCH = 20_000


def cbs_import(
    *,
    paths: list[Path],
    actor: Any,
    now: datetime,
    period: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> CbsImportSummary:
    """Import CBS Kerncijfers files. All files are read and checked first; a rejected row
    rejects the whole import (nothing stored). Areas the register does not know are added;
    when a file holds a whole municipality for its newest year, its areas that the file no
    longer has are closed (CBS re-divided them). ``dry_run`` computes the same summary and
    rolls everything back (a preview). ``progress`` is called as the import advances."""
    summary: CbsImportSummary | None = None
    try:
        with gc_paused(), transaction.atomic():
            summary = _cbs_import(paths=paths, actor=actor, now=now, period=period, progress=progress or _silent)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    assert summary is not None
    return summary


def _silent(stage: str, done: int, total: int) -> None:
    return None


def _read_all(paths: list[Path], period: str | None, progress: Progress) -> list[Row]:
    rows: list[Row] = []
    problems: list[Problem] = []
    for n, path in enumerate(paths, start=1):
        try:
            result = read_cbs(path, period=period)
        except ParseError as exc:
            problems.append(Problem(source=path.name, row=exc.line or None, reason=exc.message))
            continue
        problems.extend(Problem(source=path.name, row=e.line or None, reason=e.message) for e in result.rejects)
        rows.extend(r for r in result.rows if r.level in ("GM", "WK", "BU"))
        progress("read", n, len(paths))
    if problems:
        raise ImportRejected("CBS-bestand niet ingelezen", problems=problems)
    return rows


def _close_redivided(rows: list[Row], source: Source, actor: Any, now: datetime, *, unlisted: set[str]) -> int:
    """Close the current areas of a municipality that a complete file of its newest year no
    longer lists (CBS re-divided them): only for municipalities whose GM row is in the file,
    only at the levels the file has for it, and never for an older year than already stored.
    ``unlisted``: the codes registered before the import that the file does not list (only
    these can close; none, as in a first or a repeated import, is the quick way out)."""
    if not unlisted:
        return 0
    by_gm: dict[str, dict[str, set[str]]] = {}
    periods: dict[str, str] = {}
    for r in rows:
        gm = "GM" + r.code[2:6]
        by_gm.setdefault(gm, {}).setdefault(r.level, set()).add(r.code)
        if r.level == "GM":
            periods[r.code] = max(periods.get(r.code, ""), r.period)
    if not periods or not any(c[:2] in ("WK", "BU") and "GM" + c[2:6] in periods for c in unlisted):
        return 0
    latest = dict(
        Observation.objects.filter(area__code__in=list(periods), source=source)
        .values_list("area__code")
        .annotate(last=Max("period"))
        .values_list("area__code", "last")
    )
    closed = 0
    gms = [gm for gm, period in periods.items() if period.isdigit() and period >= latest.get(gm, "")]
    if not gms:
        return 0
    current: dict[tuple[str, str], list[tuple[str, date | None]]] = {}
    prefixes = {gm[2:6] for gm in gms}
    for code, level, valid_from in Area.objects.current().filter(level__in=["WK", "BU"]).values_list("code", "level", "valid_from"):
        if code[2:6] in prefixes:
            current.setdefault(("GM" + code[2:6], level), []).append((code, valid_from))
    for gm in gms:
        valid_to = date(int(periods[gm]), 1, 1)
        for level in ("WK", "BU"):
            listed = by_gm[gm].get(level)
            if not listed:
                continue
            for code, valid_from in current.get((gm, level), []):
                if code in listed or (valid_from is not None and valid_from >= valid_to):
                    continue
                area_services.area_close(area=Area.objects.get(code=code), valid_to=valid_to, actor=actor, now=now)
                closed += 1
    return closed


def _cbs_import(*, paths: list[Path], actor: Any, now: datetime, period: str | None, progress: Progress) -> CbsImportSummary:
    summary = CbsImportSummary(files=[p.name for p in paths])
    try:
        rows = _read_all(paths, period, progress)
    except ImportRejected as exc:
        summary.rejected = [str(p) for p in exc.problems]
        raise
    source = _source_for(catalogue_data.CBS_SOURCE)
    in_file = {r.code for r in rows}
    ensured = area_services.areas_ensure(
        rows=[{"code": r.code, "name": r.name} for r in rows], source=", ".join(summary.files), actor=actor, now=now
    )
    new_codes = ensured.created_codes
    redivided = {("GM" + c[2:6]) for c in new_codes} & (in_file - new_codes)
    # the areas registered before that the file does not list (only these can close); a count
    # tells whether there are any: none in a first or a repeated national import
    unlisted: set[str] = set()
    if Area.objects.count() > len(in_file):
        unlisted = set(Area.objects.values_list("code", flat=True)) - in_file
    summary.areas_added = len(new_codes)
    summary.areas_closed = _close_redivided(rows, source, actor, now, unlisted=unlisted)
    if redivided and summary.areas_closed:
        # areas that appear when CBS re-divides a known municipality start in the file's year
        for r in rows:
            if r.code in new_codes and ("GM" + r.code[2:6]) in redivided and r.period.isdigit():
                Area.objects.filter(code=r.code, valid_from__isnull=True).update(valid_from=date(int(r.period), 1, 1))
    progress("areas", summary.areas_added, len(rows))
    _store_rows(rows, source, summary, progress, area_ids=ensured.ids)
    _store_attributes(rows, source, ensured.ids)
    record(actor=actor, action="monitoring.cbs_imported", now=now, data=summary.as_dict())
    return summary


def _store_rows(
    rows: list[Row],
    source: Source,
    summary: CbsImportSummary,
    progress: Progress,
    catalogue: dict[str, catalogue_data.Indicator] | None = None,
    *,
    area_ids: dict[str, int],
) -> None:
    """Add or change the observations of ``rows``, whose areas exist (``area_ids``: code -> id,
    from ``areas_ensure``): bulk inserts, and one query to find what is stored already, so a
    re-import changes nothing."""
    indicators = _indicators_for(set().union(*[r.values for r in rows]), source, summary, catalogue)
    ind_ids = {k: i.pk for k, i in indicators.items()}

    row_periods = {r.period for r in rows}
    existing: dict[tuple[int, int, str], tuple[int, float | None, str]] = {}
    if Observation.objects.filter(indicator_id__in=list(ind_ids.values()), period__in=row_periods).exists():
        wanted_areas = {area_ids[r.code] for r in rows}
        for pk, a, i, p, v, st in Observation.objects.filter(
            indicator_id__in=list(ind_ids.values()), period__in=row_periods
        ).values_list("pk", "area_id", "indicator_id", "period", "value", "status").iterator(chunk_size=20000):
            if a in wanted_areas:
                existing[(a, i, p)] = (pk, v, st)
    if connection.vendor == "sqlite" and len(rows) > 1000:
        with connection.cursor() as cursor:  # a page cache that holds the index of a national import
            cursor.execute("PRAGMA cache_size = -65536")
    to_update: list[Observation] = []
    src = source.pk
    reported = 0
    # New rows go in the order of the unique (indicator, period, area) index, so every insert
    # appends to the index instead of landing in the middle of it. They are built as columns
    # per (indicator, period): the area ids, values and flags, with the indicator, period and
    # source as constants (see ``insert_rows``); so is the status when no area has a flag.
    by_period = _columns_by_period(rows, area_ids)
    total = sum(sum(map(len, values)) for _, _, values, _ in by_period)
    for ind_id, key in sorted((i, k) for k, i in ind_ids.items()):
        get_value, get_flag = itemgetter(key), methodcaller("get", key, "")
        for period, aids, values, flags in by_period:
            try:
                raw = list(map(get_value, values))
            except KeyError:  # not every area of the period has this indicator
                keep = [n for n, v in enumerate(values) if key in v]
                aids, flags = [aids[n] for n in keep], [flags[n] for n in keep]
                raw = [values[n][key] for n in keep]
            nums = [None if v is None else float(v) for v in raw] if None in raw else list(map(float, raw))
            flagged = any(flags) and any(key in f for f in flags)
            status = list(map(get_flag, flags)) if flagged else [""] * len(aids)
            if existing:  # change detection against what is stored: new, changed or the same
                new = []
                for n, (a, v, st) in enumerate(zip(aids, nums, status, strict=True)):
                    old = existing.get((a, ind_id, period))
                    if old is None:
                        new.append(n)
                    elif old[1] != v or old[2] != st:
                        to_update.append(Observation(pk=old[0], value=v, status=st))
                    else:
                        summary.unchanged += 1
                if len(new) < len(aids):
                    aids, nums, status = [aids[n] for n in new], [nums[n] for n in new], [status[n] for n in new]
            if aids:
                columns: dict[str, list[Any]] = {"area": aids, "value": nums}
                constants = {"indicator": ind_id, "period": period, "source": src}
                if flagged:
                    columns["status"] = status
                else:
                    constants["status"] = ""
                summary.added += insert_columns(Observation, columns, constants=constants)
            done = summary.added + len(to_update) + summary.unchanged
            if done - reported >= BATCH and done < total:
                reported = done
                progress("observations", done, total)
    Observation.objects.bulk_update(to_update, ["value", "status"], batch_size=1000)
    summary.changed = len(to_update)
    progress("observations", total, total)


def _columns_by_period(rows: list[Row], area_ids: dict[str, int]) -> list[tuple[str, list[int], list[dict[str, Any]], list[dict[str, str]]]]:
    """The rows per period in area-id order, as columns: area ids, value dicts, flag dicts."""
    ordered = sorted(((r.period, area_ids[r.code], r) for r in rows), key=itemgetter(0, 1))
    out = []
    for period, group in groupby(ordered, key=itemgetter(0)):
        items = list(group)
        out.append((period, [a for _, a, _ in items], [r.values for _, _, r in items], [r.flags for _, _, r in items]))
    return out


#: Text columns of a CBS file that are kept per area and period (see ``AreaAttribute``).
STORED_ATTRIBUTES = (COMPARABLE_ATTRIBUTE,)


def _store_attributes(rows: list[Row], source: Source, area_ids: dict[str, int]) -> None:
    """Keep the stored text attributes of ``rows`` (CBS '.' or empty: nothing to keep); a
    re-import changes nothing."""
    wanted: dict[tuple[str, str], dict[int, str]] = {}  # (key, period) -> area id -> value
    for key in STORED_ATTRIBUTES:
        for r in rows:
            value = r.attributes.get(key, "").strip()
            if value and value != ".":
                wanted.setdefault((key, r.period), {})[area_ids[r.code]] = value
    if not wanted:
        return
    stored = AreaAttribute.objects.filter(key__in=STORED_ATTRIBUTES, period__in={p for _, p in wanted})
    existing = {(k, p, a): (pk, v) for pk, a, p, k, v in stored.values_list("pk", "area_id", "period", "key", "value")}
    changed = []
    for (key, period), values in sorted(wanted.items()):  # new ones in the order of the unique (key, period, area)
        fresh = sorted(values)
        if existing:
            olds = [existing.get((key, period, a)) for a in fresh]
            changed.extend(AreaAttribute(pk=old[0], value=values[a], source=source) for a, old in zip(fresh, olds, strict=True)
                           if old is not None and old[1] != values[a])
            fresh = [a for a, old in zip(fresh, olds, strict=True) if old is None]
        if fresh:
            insert_columns(AreaAttribute, {"area": fresh, "value": [values[a] for a in fresh]},
                           constants={"key": key, "period": period, "source": source.pk})
    AreaAttribute.objects.bulk_update(changed, ["value", "source"], batch_size=1000)


@dataclass
class ObservationsImportSummary:
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "changed": self.changed, "unchanged": self.unchanged}


def _parse_value(cell: str) -> tuple[float | None, bool]:
    cell = cell.strip()
    if cell in ("", "."):
        return None, True
    try:
        value = float(cell.replace(",", "."))
    except ValueError:
        return None, False
    return value, math.isfinite(value)


def observations_import_csv(
    *, data: bytes, source_name: str, source_credit: str, file_name: str, actor: Any, now: datetime,
    dry_run: bool = False,
) -> ObservationsImportSummary:
    """Own indicators (M2): CSV rows ``area code, period, indicator key, value`` against the
    catalogue. Every bad row is reported (unknown area or indicator, bad value, duplicate); any bad
    row stores nothing. ``dry_run`` computes the summary and stores nothing (the preview)."""
    if not source_name.strip() or not source_credit.strip():
        raise ImportRejected("geef een bron en een bronvermelding op")
    rows = read_rows(data, file_name)
    problems: list[Problem] = []
    parsed: list[tuple[str, str, str, float | None]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, (line, cells) in enumerate(rows):
        if index == 0 and cells and not any(ch.isdigit() for ch in cells[0]):
            continue  # header
        if len(cells) != 4:
            problems.append(Problem(source=file_name, row=line, reason="verwacht vier kolommen: gebiedscode, periode, indicator, waarde"))
            continue
        code, period, key, cell = cells[0].upper(), cells[1], cells[2], cells[3]
        value, ok = _parse_value(cell)
        if not ok:
            problems.append(Problem(source=file_name, row=line, reason=f"{cell!r} is geen getal"))
            continue
        if not period:
            problems.append(Problem(source=file_name, row=line, reason="periode ontbreekt"))
            continue
        ident = (code, key, period)
        if ident in seen:
            problems.append(Problem(source=file_name, row=line, reason=f"{code} {key} {period} staat er al in (rij {seen[ident]})"))
            continue
        seen[ident] = line
        parsed.append((code, period, key, value))
    areas = {a.code: a for a in Area.objects.filter(code__in={p[0] for p in parsed})}
    indicators = {i.key: i for i in Indicator.objects.filter(key__in={p[2] for p in parsed})}
    for code, period, key, _value in parsed:
        line = seen[(code, key, period)]
        if code not in areas:
            problems.append(Problem(source=file_name, row=line, reason=f"gebied {code} staat niet in het gebiedsregister"))
        if key not in indicators:
            problems.append(Problem(source=file_name, row=line, reason=f"indicator {key} staat niet in de indicatorcatalogus"))
    if not parsed and not problems:
        problems.append(Problem(source=file_name, reason="geen regels gevonden"))
    if problems:
        raise ImportRejected(f"{file_name}: niet ingelezen", problems=sorted(problems, key=lambda p: p.row or 0))

    summary = ObservationsImportSummary()
    try:
        with transaction.atomic():
            source, _ = Source.objects.get_or_create(
                slug=slugify(source_name)[:60], defaults={"name": source_name, "credit": source_credit}
            )
            existing = {
                (o.area_id, o.indicator_id, o.period): o
                for o in Observation.objects.filter(area__in=areas.values(), indicator__in=indicators.values(), period__in={p[1] for p in parsed})
            }
            to_create, to_update = [], []
            for code, period, key, value in parsed:
                area, ind = areas[code], indicators[key]
                obs = existing.get((area.pk, ind.pk, period))
                if obs is None:
                    to_create.append(Observation(area=area, indicator=ind, period=period, value=value, source=source))
                elif obs.value != value or obs.source_id != source.pk:
                    obs.value, obs.source = value, source
                    to_update.append(obs)
                else:
                    summary.unchanged += 1
            Observation.objects.bulk_create(to_create)
            Observation.objects.bulk_update(to_update, ["value", "source"])
            summary.added, summary.changed = len(to_create), len(to_update)
            record(actor=actor, action="monitoring.observations_imported", now=now,
                   data={"file": file_name, "source": source.slug, **summary.as_dict()})
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return summary


@transaction.atomic
def impression_add(*, area: Area, theme: str, text: str, observed_on: date, actor: Any, now: datetime) -> Impression:
    """Record a professional's dated impression of an area (M4, "tellen en vertellen")."""
    if not text.strip():
        raise DomainError("de indruk is leeg")
    if observed_on > now.date():
        raise DomainError("de datum ligt in de toekomst")
    impression = Impression.objects.create(
        area=area, theme=theme, text=text.strip(), observed_on=observed_on, author=actor,
        author_label=(actor.get_full_name() or actor.get_username()) if actor is not None else "systeem",
        created_at=now,
    )
    record(actor=actor, action="monitoring.impression_added", obj=impression, now=now, data={"area": area.code, "theme": theme})
    return impression

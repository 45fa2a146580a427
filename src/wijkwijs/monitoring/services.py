"""Writes on the area monitor: importing CBS figures."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from wijkwijs.areas import services as area_services
from wijkwijs.areas.csvfiles import read_rows
from wijkwijs.areas.models import Area
from wijkwijs.audit.services import record
from wijkwijs.core.errors import DomainError, ImportRejected, Problem
from wijkwijs.monitoring import catalogue_data
from wijkwijs.monitoring.cbs_formats import ParseError, Row, read_cbs
from wijkwijs.monitoring.models import Impression, Indicator, Observation, Source


@dataclass
class CbsImportSummary:
    files: list[str] = field(default_factory=list)
    areas_added: int = 0
    indicators_added: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "areas": {"added": self.areas_added},
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


def _indicators_for(keys: set[str], source: Source, summary: CbsImportSummary) -> dict[str, Indicator]:
    existing = {i.key: i for i in Indicator.objects.filter(key__in=keys)}
    catalogue = catalogue_data.default_catalogue()
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


def cbs_import(
    *, paths: list[Path], actor: Any, now: datetime, period: str | None = None, dry_run: bool = False
) -> CbsImportSummary:
    """Import CBS Kerncijfers files. All files are read and checked first; a rejected row
    rejects the whole import (nothing stored). Areas the register does not know are added.
    ``dry_run`` computes the same summary and rolls everything back (a preview)."""
    summary: CbsImportSummary | None = None
    try:
        with transaction.atomic():
            summary = _cbs_import(paths=paths, actor=actor, now=now, period=period)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    assert summary is not None
    return summary


def _cbs_import(*, paths: list[Path], actor: Any, now: datetime, period: str | None) -> CbsImportSummary:
    summary = CbsImportSummary(files=[p.name for p in paths])
    rows: list[Row] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            result = read_cbs(path, period=period)
        except ParseError as exc:
            problems.append(Problem(source=path.name, row=exc.line or None, reason=exc.message))
            continue
        problems.extend(Problem(source=path.name, row=e.line or None, reason=e.message) for e in result.rejects)
        rows.extend(r for r in result.rows if r.level in ("GM", "WK", "BU"))
    if problems:
        summary.rejected = [str(p) for p in problems]
        raise ImportRejected("CBS-bestand niet ingelezen", problems=problems)

    before = Area.objects.count()
    area_services.areas_ensure(
        rows=[{"code": r.code, "name": r.name} for r in rows], source=", ".join(summary.files), actor=actor, now=now
    )
    summary.areas_added = Area.objects.count() - before
    areas = {a.code: a for a in Area.objects.filter(code__in={r.code for r in rows})}
    source = _source_for(catalogue_data.CBS_SOURCE)
    indicators = _indicators_for({k for r in rows for k in r.values}, source, summary)

    existing = {
        (o.area_id, o.indicator_id, o.period): o
        for o in Observation.objects.filter(area__in=areas.values(), indicator__in=indicators.values(), period__in={r.period for r in rows})
    }
    to_create, to_update = [], []
    for r in rows:
        area = areas[r.code]
        for key, value in r.values.items():
            ind = indicators[key]
            status = r.flags.get(key, "")
            value = None if value is None else float(value)
            obs = existing.get((area.pk, ind.pk, r.period))
            if obs is None:
                to_create.append(Observation(area=area, indicator=ind, period=r.period, value=value, status=status, source=source))
            elif obs.value != value or obs.status != status:
                obs.value, obs.status = value, status
                to_update.append(obs)
            else:
                summary.unchanged += 1
    Observation.objects.bulk_create(to_create, batch_size=2000)
    Observation.objects.bulk_update(to_update, ["value", "status"], batch_size=2000)
    summary.added, summary.changed = len(to_create), len(to_update)
    record(actor=actor, action="monitoring.cbs_imported", now=now, data=summary.as_dict())
    return summary


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

"""Writes the deterministic demo series (``demo_series.py``) into the monitor.

Kept apart from the CBS import: demo figures get their own source (``demo``, ``is_demo``), their
own indicator keys (``demo_...``) and never overwrite a CBS observation. Only the demo loader
calls this.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from wijkwijs.areas.models import Area
from wijkwijs.audit.services import record
from wijkwijs.monitoring import catalogue_data, demo_series
from wijkwijs.monitoring.cbs_formats import Row
from wijkwijs.monitoring.models import Indicator, Observation, Source

#: CBS count variables that get a back-cast demo series (trend lines on the wijkfoto).
TREND_COUNT_KEYS = (
    "AantalInwoners", "Mannen", "Vrouwen", "k_0Tot15Jaar", "k_15Tot25Jaar", "k_25Tot45Jaar",
    "k_45Tot65Jaar", "k_65JaarOfOuder", "Woningvoorraad",
)


def demo_source() -> Source:
    source, _ = Source.objects.update_or_create(
        slug=demo_series.DEMO_SOURCE,
        defaults={"name": "Demo-cijfers (gegenereerd)", "credit": demo_series.DEMO_CREDIT, "licence": "", "is_demo": True},
    )
    return source


@transaction.atomic
def demo_series_load(
    *, actor: Any, now: datetime, years: Iterable[int] = range(2019, 2025), seed: int = demo_series.DEFAULT_SEED,
    levels: Iterable[str] = ("GM", "WK"),
) -> dict[str, int]:
    """Generate the demo series from the stored CBS figures of the latest CBS period and store
    them (idempotent: a second run changes nothing). Returns counts of added/changed/unchanged."""
    cbs = Source.objects.filter(slug=catalogue_data.CBS_SOURCE).first()
    if cbs is None:
        return {"added": 0, "changed": 0, "unchanged": 0}
    period = (
        Observation.objects.filter(source=cbs, indicator__key="AantalInwoners", value__isnull=False)
        .order_by("-period").values_list("period", flat=True).first()
    )
    if period is None or not period.isdigit():
        return {"added": 0, "changed": 0, "unchanged": 0}
    # Gemeente and wijken only: enough for the trend lines, and buurt figures stay CBS-only.
    areas = {a.pk: a for a in Area.objects.filter(level__in=list(levels)).select_related("parent")}
    values: dict[int, dict[str, float | None]] = {}
    for area_id, key, value in Observation.objects.filter(source=cbs, period=period, area_id__in=areas).values_list(
        "area_id", "indicator__key", "value"
    ):
        values.setdefault(area_id, {})[key] = value
    rows = [
        Row(a.code, a.name, a.level, a.parent.code if a.parent else None, period, dict(values[pk]))  # type: ignore[arg-type]
        for pk, a in sorted(areas.items(), key=lambda kv: kv[1].code)
        if pk in values
    ]
    count_keys = [k for k in TREND_COUNT_KEYS if any(k in r.values for r in rows)]
    generated = demo_series.generate_demo_series(rows, years=years, seed=seed, count_keys=count_keys)
    source = demo_source()
    indicators = {i.key: i for i in Indicator.objects.filter(key__startswith=demo_series.DEMO_PREFIX)}
    for spec in demo_series.demo_indicators(count_keys):
        if spec.key not in indicators:
            indicators[spec.key] = Indicator.objects.create(
                key=spec.key, name_nl=spec.name_nl, name_en=spec.name_en, unit=spec.unit, source=source,
                theme=spec.theme, domain=spec.domain, polarity=spec.polarity, kind=spec.kind,
                levels=",".join(spec.levels), is_count=spec.is_count, description=spec.description,
            )
    by_code = {a.code: a for a in areas.values()}
    existing = {
        (o.area_id, o.indicator_id, o.period): o
        for o in Observation.objects.filter(source=source)
    }
    to_create, to_update, unchanged = [], [], 0
    for row in generated:
        area = by_code[row.code]
        for key, value in row.values.items():
            assert demo_series.is_demo_key(key), key  # never a CBS key
            ind = indicators[key]
            value = None if value is None else float(value)
            obs = existing.get((area.pk, ind.pk, row.period))
            if obs is None:
                to_create.append(Observation(area=area, indicator=ind, period=row.period, value=value, source=source))
            elif obs.value != value:
                obs.value = value
                to_update.append(obs)
            else:
                unchanged += 1
    Observation.objects.bulk_create(to_create, batch_size=2000)
    Observation.objects.bulk_update(to_update, ["value"], batch_size=2000)
    summary = {"added": len(to_create), "changed": len(to_update), "unchanged": unchanged}
    if to_create or to_update:
        record(actor=actor, action="monitoring.demo_series_loaded", now=now, data=summary)
    return summary

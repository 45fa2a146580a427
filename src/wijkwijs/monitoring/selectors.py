"""Reads on the area monitor."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from wijkwijs.areas.models import Area
from wijkwijs.monitoring.models import Impression, Indicator, Observation, Source

POPULATION = "AantalInwoners"
AGE_BANDS = [
    ("k_0Tot15Jaar", "0-14"),
    ("k_15Tot25Jaar", "15-24"),
    ("k_25Tot45Jaar", "25-44"),
    ("k_45Tot65Jaar", "45-64"),
    ("k_65JaarOfOuder", "65+"),
]
ORIGIN = [("Nederland", "nl"), ("EuropaExclusiefNederland", "europe"), ("BuitenEuropa", "outside_europe")]


def latest_period(indicator: str = POPULATION) -> str | None:
    return (
        Observation.objects.filter(indicator__key=indicator, value__isnull=False)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


def values(area_codes: list[str], keys: list[str], period: str) -> dict[str, dict[str, float | None]]:
    """``{area code: {indicator key: value}}`` for one period."""
    out: dict[str, dict[str, float | None]] = {}
    rows = Observation.objects.filter(
        area__code__in=area_codes, indicator__key__in=keys, period=period
    ).values_list("area__code", "indicator__key", "value")
    for code, key, value in rows:
        out.setdefault(code, {})[key] = value
    return out


def population(area_codes: list[str]) -> dict[str, int | None]:
    period = latest_period()
    if period is None:
        return {}
    vals = values(area_codes, [POPULATION], period)
    return {code: (int(v[POPULATION]) if v.get(POPULATION) is not None else None) for code, v in vals.items()}


def is_suppressed(population_value: float | None, *, user: Any) -> bool:
    """Small-number protection: detail figures of small areas are not shown in public views."""
    if getattr(user, "is_authenticated", False) and user.has_perm("accounts.view_internal"):
        return False
    return population_value is None or population_value < settings.SMALL_NUMBER_THRESHOLD


def credits(period: str) -> list[str]:
    return list(Source.objects.filter(observations__period=period).distinct().values_list("credit", flat=True))


def observations_for(*, area_code: str, indicator: str | None = None, period: str | None = None) -> list[dict[str, Any]]:
    """Stored observations of an area as plain dicts, sorted by indicator and period; values
    are ints when whole and None when missing. Unknown area or indicator: LookupError."""
    code = area_code.strip().upper()
    if not Area.objects.filter(code=code).exists():
        raise LookupError(f"unknown area {code}")
    qs = Observation.objects.filter(area__code=code)
    if indicator:
        if not Indicator.objects.filter(key=indicator).exists():
            raise LookupError(f"unknown indicator {indicator}")
        qs = qs.filter(indicator__key=indicator)
    if period:
        qs = qs.filter(period=period)
    rows = qs.order_by("indicator__key", "period").values_list("indicator__key", "period", "value")
    return [
        {"area": code, "indicator": key, "period": p, "value": int(v) if v is not None and float(v).is_integer() else v}
        for key, p, v in rows
    ]


def mapped_indicators() -> list[Indicator]:
    """Indicators that have at least one value at wijk or buurt level."""
    keys = Observation.objects.filter(area__level__in=["WK", "BU"], value__isnull=False).values("indicator_id").distinct()
    return list(Indicator.objects.filter(pk__in=keys).select_related("source").order_by("theme", "name_nl"))


def periods_of(key: str) -> list[str]:
    return sorted(set(Observation.objects.filter(indicator__key=key).values_list("period", flat=True)))


def indicator_values(*, key: str, level: str, period: str, user: Any) -> list[dict[str, Any]]:
    """One row per current area of ``level``: the value, or None when missing or suppressed for
    this user (small-number protection)."""
    areas = list(Area.objects.current().filter(level=level).order_by("code"))
    codes = [a.code for a in areas]
    vals = values(codes, [key, POPULATION], period) if period else {}
    pops = vals if key == POPULATION else (values(codes, [POPULATION], latest_period() or period) or vals)
    rows = []
    for area in areas:
        value = vals.get(area.code, {}).get(key)
        population = pops.get(area.code, {}).get(POPULATION)
        suppressed = key != POPULATION and is_suppressed(population, user=user)
        rows.append({"area": area, "value": None if suppressed else value, "suppressed": suppressed and value is not None})
    return rows


def impressions_for(area: Area, limit: int = 20) -> list[Impression]:
    return list(Impression.objects.filter(area=area)[:limit])

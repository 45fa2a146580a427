"""Deterministic demo figures, clearly separated from CBS figures (pure, no Django).

Only one CBS year (2024) is shipped, and KWB has no survey (subjective) indicators. For the demo
this module generates

* earlier years (e.g. 2019-2023) of CBS count variables, back-cast from 2024, and
* extra indicators: survey-style scores (veiligheidsgevoel, tevredenheid woonomgeving,
  eenzaamheid) and a few objective ones that the shipped extract lacks.

Separation rule: every generated key starts with ``demo_`` (``demo_AantalInwoners`` is the
generated series next to the real ``AantalInwoners``) and every generated row has
``source = "demo"`` and the credit "Demo: gegenereerde cijfers, geen CBS". CBS keys are never
written. Randomness: ``random.Random`` seeded with a string of (seed, area code, series, year),
so each figure is stable across runs, Python versions and the order of the input rows.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence

from wijkwijs.monitoring.catalogue_data import LEVELS_ALL, Indicator, load_dictionary
from wijkwijs.monitoring.cbs_formats import Row
from wijkwijs.monitoring.index import IndexConfig, IndicatorSpec

DEMO_SOURCE = "demo"
DEMO_CREDIT = "Demo: gegenereerde cijfers, geen CBS"
DEMO_PREFIX = "demo_"
DEFAULT_SEED = 828

# key: (name_nl, name_en, unit, theme, domain, polarity, kind, decimals)
_EXTRA: dict[str, tuple[str, str, str, str, str, str, str, int]] = {
    "demo_veiligheidsgevoel": (
        "Voelt zich veilig in de buurt (demo)",
        "Feels safe in the neighbourhood (demo)",
        "%",
        "veiligheid",
        "safety",
        "higher_better",
        "subjective",
        0,
    ),
    "demo_tevredenheid_woonomgeving": (
        "Tevredenheid woonomgeving, rapportcijfer (demo)",
        "Satisfaction with living environment, 1-10 (demo)",
        "rapportcijfer",
        "fysiek",
        "physical",
        "higher_better",
        "subjective",
        1,
    ),
    "demo_eenzaamheid": (
        "(Zeer) ernstig eenzaam (demo)",
        "Severely lonely (demo)",
        "%",
        "sociaal",
        "social",
        "higher_worse",
        "subjective",
        0,
    ),
    "demo_laag_inkomen": (
        "Huishoudens tot 110% van sociaal minimum (demo)",
        "Households up to 110% of social minimum (demo)",
        "%",
        "sociaal",
        "social",
        "higher_worse",
        "objective",
        1,
    ),
    "demo_jeugdzorg": (
        "Jongeren met jeugdzorg (demo)",
        "Young people in youth care (demo)",
        "%",
        "sociaal",
        "social",
        "higher_worse",
        "objective",
        1,
    ),
    "demo_misdrijven_per_1000": (
        "Geregistreerde misdrijven per 1.000 inwoners (demo)",
        "Registered crimes per 1,000 inhabitants (demo)",
        "per 1 000",
        "veiligheid",
        "safety",
        "higher_worse",
        "objective",
        0,
    ),
}
SURVEY_KEYS = tuple(k for k, v in _EXTRA.items() if v[6] == "subjective")


def demo_key(cbs_key: str) -> str:
    return DEMO_PREFIX + cbs_key


def is_demo_key(key: str) -> bool:
    return key.startswith(DEMO_PREFIX)


def round_to_5(value: float) -> int:
    """Nearest multiple of 5 (CBS rounds wijk/buurt counts to 5; CBS at random, we to nearest)."""
    return 5 * math.floor(value / 5 + 0.5)


def suppress(value: float | None, population: float | None, threshold: float) -> float | None:
    """Small-number protection: None when the population is unknown or below ``threshold``."""
    if value is None or population is None or population < threshold:
        return None
    return value


def demo_indicators(count_keys: Iterable[str] = ()) -> list[Indicator]:
    """Catalogue entries for the extra demo indicators and the back-cast counts."""
    out = [
        Indicator(
            key=k,
            name_nl=nl,
            name_en=en,
            unit=unit,
            source=DEMO_SOURCE,
            credit=DEMO_CREDIT,
            theme=theme,
            domain=domain,
            polarity=pol,  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            levels=("GM", "WK"),
            description=DEMO_CREDIT,
        )
        for k, (nl, en, unit, theme, domain, pol, kind, _) in _EXTRA.items()
    ]
    d = load_dictionary()
    for key in count_keys:
        p = d.by_key[key]
        out.append(
            Indicator(
                key=demo_key(key),
                name_nl=f"{p.title} (demo)",
                name_en=f"{p.title_en} (demo)",
                unit=p.unit,
                source=DEMO_SOURCE,
                credit=DEMO_CREDIT,
                theme="bevolking",
                domain="context",
                polarity="context",
                kind="objective",
                levels=LEVELS_ALL,
                description=DEMO_CREDIT,
                is_count=True,
            )
        )
    return out


def _rng(seed: int, code: str, series: str, year: int | str = "") -> random.Random:
    return random.Random(f"{seed}|{code}|{series}|{year}")


def _clip(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def _extra_values(row: Row, year: int, base_year: int, seed: int) -> dict[str, float]:
    v = row.values
    pop = v.get("AantalInwoners") or 0
    old = (v.get("k_65JaarOfOuder") or 0) / pop if pop else 0.2
    young = (v.get("k_15Tot25Jaar") or 0) / pop if pop else 0.12
    area = _rng(seed, row.code, "area")
    social, physical, safety = area.gauss(0, 1), area.gauss(0, 1), area.gauss(0, 1)
    noise = _rng(seed, row.code, "noise", year)
    t = year - base_year  # <= 0 for back-cast years
    return {
        "demo_veiligheidsgevoel": round(
            _clip(84 - 20 * (young - 0.12) + 4 * safety - 0.4 * t + noise.gauss(0, 1.5), 40, 99)
        ),
        "demo_tevredenheid_woonomgeving": round(
            _clip(7.5 + 0.35 * physical + 0.02 * t + noise.gauss(0, 0.1), 4, 9.5), 1
        ),
        "demo_eenzaamheid": round(_clip(7 + 20 * old + 2 * social - 0.3 * t + noise.gauss(0, 1), 1, 40)),
        "demo_laag_inkomen": round(_clip(7 + 3 * social + 0.1 * t + noise.gauss(0, 0.4), 1, 35), 1),
        "demo_jeugdzorg": round(_clip(10 + 2 * social - 0.2 * t + noise.gauss(0, 0.5), 2, 30), 1),
        "demo_misdrijven_per_1000": round(_clip(35 + 12 * safety + 1.5 * t + noise.gauss(0, 2), 5, 150)),
    }


def generate_demo_series(
    rows: Sequence[Row],
    *,
    years: Iterable[int] = range(2019, 2025),
    seed: int = DEFAULT_SEED,
    count_keys: Sequence[str] | None = None,
    survey_levels: Sequence[str] = ("GM", "WK"),
    min_population: float = 100,
) -> list[Row]:
    """Demo rows for ``years`` from one CBS year (``rows``, all of the same period).

    For years before the CBS year the counts are back-cast (``demo_<key>``, rounded to 5 below
    gemeente level); for every year the extra demo indicators are generated for
    ``survey_levels``, suppressed (None) below ``min_population`` inhabitants.
    """
    if not rows:
        return []
    base_year = int(rows[0].period)
    d = load_dictionary()
    keys = (
        count_keys
        if count_keys is not None
        else [k for k in rows[0].values if k in d.by_key and d.by_key[k].unit == "aantal"]
    )
    out: list[Row] = []
    for row in rows:
        growth = _rng(seed, row.code, "growth").uniform(-0.01, 0.02)
        pop = row.values.get("AantalInwoners")
        for year in sorted(years):
            values: dict[str, float | int | None] = {}
            if year < base_year:
                for key in keys:
                    v = row.values.get(key)
                    if v is None:
                        values[demo_key(key)] = None
                        continue
                    noise = _rng(seed, row.code, key, year).gauss(0, 0.01)
                    x = v / (1 + growth) ** (base_year - year) * (1 + noise)
                    values[demo_key(key)] = int(round(x)) if row.level in ("GM", "NL") else round_to_5(x)
            if row.level in survey_levels:
                for key, val in _extra_values(row, year, base_year, seed).items():
                    values[key] = suppress(val, pop, min_population)
            if values:
                out.append(
                    Row(
                        row.code,
                        row.name,
                        row.level,
                        row.parent_code,
                        str(year),
                        values,
                        {"bron": DEMO_CREDIT},
                        {},
                        DEMO_SOURCE,
                    )
                )
    return out


def demo_index_config(*, min_population: float = 250.0) -> IndexConfig:
    """A Rotterdam-style index over the demo indicators (objective and subjective parts)."""
    spec = IndicatorSpec
    return IndexConfig(
        name="Demo-index (gegenereerde cijfers, geen CBS)",
        indicators=(
            spec("demo_laag_inkomen", "sociaal", -1, "objective"),
            spec("demo_jeugdzorg", "sociaal", -1, "objective"),
            spec("demo_eenzaamheid", "sociaal", -1, "subjective"),
            spec("demo_tevredenheid_woonomgeving", "fysiek", 1, "subjective"),
            spec("demo_misdrijven_per_1000", "veiligheid", -1, "objective"),
            spec("demo_veiligheidsgevoel", "veiligheid", 1, "subjective"),
        ),
        min_population=min_population,
    )

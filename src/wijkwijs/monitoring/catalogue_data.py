"""The default indicator catalogue and the CBS data dictionary (pure, no Django).

The dictionary comes from the official CBS metadata of *Kerncijfers wijken en buurten 2024*
(85984NED, ``DataProperties``), shipped in compact form in ``data/85984NED_properties.json``
(regenerate with :func:`build_properties`). Bron: CBS, CC BY 4.0.

Catalogue keys are the OData keys without their year-specific numeric suffix
(``AantalInwoners_5`` -> ``AantalInwoners``). Where that name part occurs more than once in the
table (``Nederland_17`` herkomstland, ``Nederland_20`` geboren in Nederland; ``Appartement_54``
electricity, ``Appartement_62`` gas) the first occurrence keeps the bare name and every later one
is qualified by the nearest group title that tells them apart: ``GeborenInNederland_Nederland``,
``GemiddeldAardgasverbruik_Appartement``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

TABLE_ID = "85984NED"
TABLE_TITLE = "Kerncijfers wijken en buurten 2024"
CBS_SOURCE = "cbs:85984NED"
CBS_CREDIT = "Bron: CBS, Kerncijfers wijken en buurten 2024 (85984NED), CC BY 4.0"
PROPERTIES_PATH = Path(__file__).parent / "data" / "85984NED_properties.json"

Polarity = Literal["higher_better", "higher_worse", "context"]
Kind = Literal["objective", "subjective"]
LEVELS_ALL: tuple[str, ...] = ("GM", "WK", "BU")

_SUFFIX_RE = re.compile(r"^(.+?)_(\d+)$")


def strip_suffix(odata_key: str) -> str:
    """``AantalInwoners_5`` -> ``AantalInwoners``; keys without a numeric suffix are returned as is."""
    m = _SUFFIX_RE.match(odata_key.strip())
    return m.group(1) if m else odata_key.strip()


def normalise_header(text: str) -> str:
    """Case- and whitespace-insensitive form of a StatLine column header."""
    return " ".join(text.split()).lower()


def _camel(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[^0-9A-Za-z]+", ascii_title) if w)


# --------------------------------------------------------------------------- dictionary


def build_properties(
    data_properties: Sequence[Mapping[str, Any]], english: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Derive the compact dictionary from CBS ``DataProperties`` JSON (a list of dicts).

    ``english`` maps catalogue keys to English names (ours, not CBS's); kept in ``title_en``.
    """
    english = english or {}
    by_id = {p["ID"]: p for p in data_properties}

    def ancestors(p: Mapping[str, Any]) -> list[str]:
        titles: list[str] = []
        parent = p.get("ParentID")
        while parent is not None:
            titles.insert(0, by_id[parent]["Title"])
            parent = by_id[parent].get("ParentID")
        return titles

    topics = [p for p in data_properties if p.get("Type") == "Topic"]
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for p in topics:
        groups.setdefault(strip_suffix(p["Key"]), []).append(p)
    keys: dict[str, str] = {}
    for name, members in groups.items():
        keys[members[0]["Key"]] = name
        if len(members) == 1:
            continue
        paths = [ancestors(p) for p in members]
        depth = min(len(path) for path in paths)
        qualifier_level = next(
            (lvl for lvl in range(depth - 1, -1, -1) if len({path[lvl] for path in paths}) == len(paths)),
            None,
        )
        if qualifier_level is None:
            raise ValueError(f"cannot disambiguate CBS keys {[p['Key'] for p in members]}")
        for p, path in zip(members[1:], paths[1:], strict=True):
            keys[p["Key"]] = f"{_camel(path[qualifier_level])}_{name}"
    out = []
    for p in topics:
        path = ancestors(p)
        description = (p.get("Description") or "").replace("\r\n", "\n").split("\n\n")[0].strip()
        out.append(
            {
                "odata_key": p["Key"],
                "key": keys[p["Key"]],
                "title": p["Title"].strip(),
                "title_en": english.get(keys[p["Key"]], ""),
                "path": [t.strip() for t in path],
                "unit": p.get("Unit") or "",
                "datatype": p.get("Datatype") or "",
                "decimals": p.get("Decimals") or 0,
                "statline_header": "/".join([*path, p["Title"]]) + f" ({p.get('Unit') or ''})",
                "description": description[:600],
            }
        )
    geo = next((p for p in data_properties if p.get("Type") == "GeoDetail"), None)
    return {
        "table": TABLE_ID,
        "title": TABLE_TITLE,
        "credit": CBS_CREDIT,
        "licence": "CC BY 4.0",
        "derived_from": "CBS OData DataProperties of 85984NED (raw/85984NED_DataProperties.json)",
        "region_dimension": {"key": geo["Key"], "title": geo["Title"]} if geo else None,
        "properties": out,
    }


@dataclass(frozen=True, slots=True)
class Property:
    odata_key: str
    key: str
    title: str
    title_en: str
    path: tuple[str, ...]
    unit: str
    datatype: str
    decimals: int
    statline_header: str
    description: str

    @property
    def is_text(self) -> bool:
        return self.datatype == "String"


@dataclass(frozen=True)
class Dictionary:
    """Look-ups over the CBS data dictionary of one table."""

    table: str
    credit: str
    region_title: str
    properties: tuple[Property, ...]
    by_odata_key: dict[str, Property] = field(init=False, repr=False)
    by_key: dict[str, Property] = field(init=False, repr=False)
    by_header: dict[str, Property] = field(init=False, repr=False)
    keys_by_name: dict[str, list[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names: dict[str, list[str]] = {}
        for p in self.properties:
            names.setdefault(strip_suffix(p.odata_key), []).append(p.key)
        lookups = {
            "by_odata_key": {p.odata_key: p for p in self.properties},
            "by_key": {p.key: p for p in self.properties},
            "by_header": {normalise_header(p.statline_header): p for p in self.properties},
            "keys_by_name": names,
        }
        for attr, value in lookups.items():
            object.__setattr__(self, attr, value)


def dictionary_from(data: Mapping[str, Any]) -> Dictionary:
    props = tuple(
        Property(
            odata_key=p["odata_key"],
            key=p["key"],
            title=p["title"],
            title_en=p.get("title_en", ""),
            path=tuple(p["path"]),
            unit=p["unit"],
            datatype=p["datatype"],
            decimals=int(p["decimals"]),
            statline_header=p["statline_header"],
            description=p["description"],
        )
        for p in data["properties"]
    )
    region = (data.get("region_dimension") or {}).get("title", "Wijken en buurten")
    return Dictionary(table=data["table"], credit=data["credit"], region_title=region, properties=props)


@lru_cache(maxsize=1)
def load_dictionary() -> Dictionary:
    """The shipped 85984NED dictionary."""
    return dictionary_from(json.loads(PROPERTIES_PATH.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True, slots=True)
class Derived:
    """A share or rate computed from CBS counts: ``factor * sum(numerator) / sum(denominator)``.

    Returns None when any input is missing or the denominator is below ``min_denominator``
    (CBS rounds wijk/buurt counts to 5, so shares of tiny denominators are noise).
    """

    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    factor: float = 100.0
    min_denominator: float = 50.0

    def compute(self, values: Mapping[str, float | int | None]) -> float | None:
        num = den = 0.0
        for k in self.numerator:
            v = values.get(k)
            if v is None:
                return None
            num += v
        for k in self.denominator:
            v = values.get(k)
            if v is None:
                return None
            den += v
        if den <= 0 or den < self.min_denominator:
            return None
        return self.factor * num / den

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.numerator + self.denominator


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    name_nl: str
    name_en: str
    unit: str
    source: str
    credit: str
    theme: str
    domain: str
    polarity: Polarity
    kind: Kind
    levels: tuple[str, ...]
    odata_key: str | None = None
    description: str = ""
    derived: Derived | None = None
    is_count: bool = False


# Top-level CBS group -> (theme, domain).
_THEMES: dict[str, tuple[str, str]] = {
    "Bevolking": ("bevolking", "context"),
    "Wonen en vastgoed": ("wonen", "physical"),
    "Energie": ("energie", "physical"),
    "Onderwijs": ("onderwijs", "social"),
    "Arbeid": ("werk", "social"),
    "Inkomen": ("inkomen", "social"),
    "Sociale zekerheid": ("sociale_zekerheid", "social"),
    "Zorg": ("zorg", "health"),
    "Bedrijfsvestigingen, SBI 2008": ("economie", "context"),
    "Motorvoertuigen": ("mobiliteit", "context"),
    "Nabijheid voorzieningen": ("voorzieningen", "physical"),
    "Oppervlakte": ("oppervlakte", "context"),
    "Stedelijkheid": ("stedelijkheid", "context"),
}

_BETTER: Polarity = "higher_better"
_WORSE: Polarity = "higher_worse"
# Polarity of the CBS variables that are scored (reference notes, section 4); all others: context.
_POLARITY: dict[str, Polarity] = {
    "GemiddeldeWOZWaardeVanWoningen": _BETTER,
    "OnbewoondeWoningen": _WORSE,
    "GemiddeldAardgasverbruikTotaal": _WORSE,
    "Nettoarbeidsparticipatie": _BETTER,
    "GemiddeldInkomenPerInkomensontvanger": _BETTER,
    "GemiddeldInkomenPerInwoner": _BETTER,
    "k_40PersonenMetLaagsteInkomen": _WORSE,
    "k_20PersonenMetHoogsteInkomen": _BETTER,
    "GemGestandaardiseerdInkomenVanHuish": _BETTER,
    "k_40HuishoudensMetLaagsteInkomen": _WORSE,
    "k_20HuishoudensMetHoogsteInkomen": _BETTER,
    "HuishoudensMetEenLaagInkomen": _WORSE,
    "HuishOnderOfRondSociaalMinimum": _WORSE,
    "HuishoudensTot110VanSociaalMinimum": _WORSE,
    "HuishoudensTot120VanSociaalMinimum": _WORSE,
    "MediaanVermogenVanParticuliereHuish": _BETTER,
    "PercentageJongerenMetJeugdzorg": _WORSE,
    "WmoClientenRelatief": _WORSE,
    "AfstandTotHuisartsenpraktijk": _WORSE,
    "AfstandTotGroteSupermarkt": _WORSE,
    "AfstandTotKinderdagverblijf": _WORSE,
    "AfstandTotSchool": _WORSE,
    "ScholenBinnen3Km": _BETTER,
}

_AGE_15_64 = ("k_15Tot25Jaar", "k_25Tot45Jaar", "k_45Tot65Jaar")
_EDUCATION = ("BasisonderwijsVmboMbo1", "HavoVwoMbo24", "HboWo")

# key: (name_nl, name_en, unit, theme, domain, polarity, Derived)
_DERIVED: dict[str, tuple[str, str, str, str, str, Polarity, Derived]] = {
    "share_age_0_14": (
        "Aandeel 0 tot 15 jaar",
        "Share aged 0-14",
        "%",
        "bevolking",
        "context",
        "context",
        Derived(("k_0Tot15Jaar",), ("AantalInwoners",)),
    ),
    "share_age_15_24": (
        "Aandeel 15 tot 25 jaar",
        "Share aged 15-24",
        "%",
        "bevolking",
        "context",
        "context",
        Derived(("k_15Tot25Jaar",), ("AantalInwoners",)),
    ),
    "share_age_65_plus": (
        "Aandeel 65 jaar of ouder",
        "Share aged 65 or over",
        "%",
        "bevolking",
        "context",
        "context",
        Derived(("k_65JaarOfOuder",), ("AantalInwoners",)),
    ),
    "share_origin_outside_europe": (
        "Aandeel herkomstland buiten Europa",
        "Share with country of origin outside Europe",
        "%",
        "bevolking",
        "context",
        "context",
        Derived(("BuitenEuropa",), ("AantalInwoners",)),
    ),
    "share_origin_europe_excl_nl": (
        "Aandeel herkomstland Europa (excl. Nederland)",
        "Share with origin in Europe (excl. NL)",
        "%",
        "bevolking",
        "context",
        "context",
        Derived(("EuropaExclusiefNederland",), ("AantalInwoners",)),
    ),
    "share_one_person_households": (
        "Aandeel eenpersoonshuishoudens",
        "Share of one-person households",
        "%",
        "bevolking",
        "context",
        "context",
        Derived(("Eenpersoonshuishoudens",), ("HuishoudensTotaal",)),
    ),
    "share_households_with_children": (
        "Aandeel huishoudens met kinderen",
        "Share of households with children",
        "%",
        "bevolking",
        "context",
        "context",
        Derived(("HuishoudensMetKinderen",), ("HuishoudensTotaal",)),
    ),
    "share_low_education": (
        "Aandeel laag opgeleid (basisonderwijs, vmbo, mbo1)",
        "Share with low education",
        "%",
        "onderwijs",
        "social",
        "higher_worse",
        Derived(("BasisonderwijsVmboMbo1",), _EDUCATION),
    ),
    "bijstand_per_1000_15_64": (
        "Bijstand per 1.000 inwoners van 15 tot 65 jaar",
        "Social assistance per 1,000 aged 15-64",
        "per 1 000",
        "sociale_zekerheid",
        "social",
        "higher_worse",
        Derived(("PersonenPerSoortUitkeringBijstand",), _AGE_15_64, factor=1000.0),
    ),
    "ao_per_1000_15_64": (
        "Arbeidsongeschiktheidsuitkering per 1.000 inwoners van 15 tot 65 jaar",
        "Disability benefit per 1,000 aged 15-64",
        "per 1 000",
        "sociale_zekerheid",
        "social",
        "higher_worse",
        Derived(("PersonenPerSoortUitkeringAO",), _AGE_15_64, factor=1000.0),
    ),
    "ww_per_1000_15_64": (
        "WW-uitkering per 1.000 inwoners van 15 tot 65 jaar",
        "Unemployment benefit per 1,000 aged 15-64",
        "per 1 000",
        "sociale_zekerheid",
        "social",
        "higher_worse",
        Derived(("PersonenPerSoortUitkeringWW",), _AGE_15_64, factor=1000.0),
    ),
    "dwellings_per_1000_inhabitants": (
        "Woningen per 1.000 inwoners",
        "Dwellings per 1,000 inhabitants",
        "per 1 000",
        "wonen",
        "context",
        "context",
        Derived(("Woningvoorraad",), ("AantalInwoners",), factor=1000.0),
    ),
}


def cbs_indicators(dictionary: Dictionary | None = None) -> list[Indicator]:
    """One indicator per numeric CBS variable of the dictionary (text columns are attributes)."""
    d = dictionary or load_dictionary()
    out = []
    for p in d.properties:
        if p.is_text:
            continue
        theme, domain = _THEMES.get(p.path[0] if p.path else "", ("overig", "context"))
        ambiguous = len(d.keys_by_name.get(strip_suffix(p.odata_key), ())) > 1
        name_nl = f"{p.title} ({' / '.join(p.path[1:]).lower()})" if ambiguous else p.title
        out.append(
            Indicator(
                key=p.key,
                name_nl=name_nl,
                name_en=p.title_en or name_nl,
                unit=p.unit,
                source=CBS_SOURCE,
                credit=d.credit,
                theme=theme,
                domain=domain,
                polarity=_POLARITY.get(p.key, "context"),
                kind="objective",
                levels=LEVELS_ALL,
                odata_key=p.odata_key,
                description=p.description,
                is_count=p.unit == "aantal" and p.datatype == "Long",
            )
        )
    return out


def derived_indicators() -> list[Indicator]:
    return [
        Indicator(
            key=key,
            name_nl=nl,
            name_en=en,
            unit=unit,
            source=CBS_SOURCE,
            credit=f"{CBS_CREDIT}; bewerking Wijkwijs",
            theme=theme,
            domain=domain,
            polarity=polarity,
            kind="objective",
            levels=LEVELS_ALL,
            derived=derived,
            description=f"{derived.factor:g} x {' + '.join(derived.numerator)} / ({' + '.join(derived.denominator)})",
        )
        for key, (nl, en, unit, theme, domain, polarity, derived) in _DERIVED.items()
    ]


def default_catalogue(*, include_demo: bool = False) -> dict[str, Indicator]:
    """All CBS indicators, the derived ones and (optionally) the demo survey indicators."""
    items = cbs_indicators() + derived_indicators()
    if include_demo:
        from wijkwijs.monitoring.demo_series import demo_indicators  # noqa: PLC0415 - avoid cycle

        items += demo_indicators()
    return {i.key: i for i in items}


def with_derived(
    values: Mapping[str, float | int | None], catalogue: Mapping[str, Indicator] | None = None
) -> dict[str, float | int | None]:
    """A copy of ``values`` with every derived indicator of the catalogue added."""
    out: dict[str, float | int | None] = dict(values)
    for ind in (catalogue or default_catalogue()).values():
        if ind.derived is not None:
            out[ind.key] = ind.derived.compute(values)
    return out


DerivedFn = Callable[[Mapping[str, float | int | None]], float | None]

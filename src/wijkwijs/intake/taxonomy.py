"""Default category taxonomy for a Dutch municipality (pure, no Django).

Two levels, as in Amsterdam Signalen: main categories with subcategories. An
item always gets a *sub*category; its slug is the Open311 ``service_code``
and the label of the text classifier. Each category names the kinds it
applies to and a default owner department (the starting point of the
routing table, which the municipality edits). Norms are in working days
(see :mod:`wijkwijs.intake.deadlines`); a subcategory may override the
default norm of a kind. This is seed data: the Django layer loads it into
editable tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    SIGNAL = "signal"  # melding / signaal
    INITIATIVE = "initiative"  # bewonersinitiatief
    ADVICE = "advice"  # advies van wijkraad of dorpsraad
    QUESTION = "question"  # vraag


KIND_LABELS: dict[Kind, str] = {
    Kind.SIGNAL: "Melding",
    Kind.INITIATIVE: "Initiatief",
    Kind.ADVICE: "Advies",
    Kind.QUESTION: "Vraag",
}


@dataclass(frozen=True)
class Norm:
    """Working days to the first response and to resolution."""

    first_response: int
    resolution: int

    def __post_init__(self) -> None:
        if not 0 <= self.first_response <= self.resolution:
            raise ValueError(f"invalid norm {self.first_response}/{self.resolution}")


DEFAULT_NORMS: dict[Kind, Norm] = {
    Kind.SIGNAL: Norm(3, 10),
    Kind.INITIATIVE: Norm(5, 40),
    Kind.ADVICE: Norm(5, 30),
    Kind.QUESTION: Norm(3, 10),
}

#: slug -> (Dutch name, English name)
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "openbare-ruimte": ("Beheer openbare ruimte (IBOR)", "Public space management"),
    "afval": ("Afval en grondstoffen", "Waste and resources"),
    "verkeer": ("Verkeer en mobiliteit", "Traffic and mobility"),
    "handhaving": ("Vergunningen, toezicht en handhaving (VTH)", "Permits and enforcement"),
    "wonen": ("Wonen", "Housing"),
    "welzijn": ("Zorg en welzijn", "Care and welfare"),
    "groen": ("Groen en bomen", "Green spaces and trees"),
    "riolering": ("Riolering en water", "Sewerage and water"),
    "wijkzaken": ("Team Wijkzaken", "Area coordination"),
    "economie": ("Economische zaken", "Economic affairs"),
    "veiligheid": ("Openbare orde en veiligheid", "Public order and safety"),
}

ALL_KINDS = frozenset(Kind)
SIGNALS = frozenset({Kind.SIGNAL, Kind.QUESTION})
POLICY = frozenset({Kind.SIGNAL, Kind.QUESTION, Kind.ADVICE})
INITIATIVES = frozenset({Kind.INITIATIVE, Kind.QUESTION, Kind.ADVICE})


@dataclass(frozen=True)
class SubCategory:
    slug: str
    name_nl: str
    name_en: str
    description: str
    department: str | None = None  # None: the main category's department
    kinds: frozenset[Kind] | None = None  # None: the main category's kinds
    norms: dict[Kind, Norm] = field(default_factory=dict)


@dataclass(frozen=True)
class MainCategory:
    slug: str
    name_nl: str
    name_en: str
    department: str
    kinds: frozenset[Kind]
    subcategories: tuple[SubCategory, ...]


def _s(
    slug: str,
    nl: str,
    en: str,
    desc: str,
    *,
    department: str | None = None,
    kinds: frozenset[Kind] | None = None,
    norms: dict[Kind, Norm] | None = None,
) -> SubCategory:
    return SubCategory(slug, nl, en, desc, department=department, kinds=kinds, norms=norms or {})


def _sig(first: int, resolution: int) -> dict[Kind, Norm]:
    return {Kind.SIGNAL: Norm(first, resolution)}


# One line per subcategory; kept as a table, so not reformatted.
# fmt: off
TAXONOMY: tuple[MainCategory, ...] = (
    MainCategory("afval", "Afval en schoon", "Waste and cleanliness", "afval", SIGNALS, (
        _s("container", "Container vol of kapot", "Container full or broken", "Ondergrondse of verzamelcontainer vol, klep klemt, pas werkt niet.", norms=_sig(2, 5)),
        _s("kliko-niet-geleegd", "Kliko niet geleegd", "Bin not collected", "Minicontainer of kliko niet opgehaald, huisvuilpas of ophaaldag.", norms=_sig(2, 3)),
        _s("afval-dumping", "Afval naast container of gedumpt", "Dumped waste", "Bijplaatsing, grofvuil of afval gedumpt op straat of in het buitengebied.", norms=_sig(2, 5)),
        _s("zwerfafval", "Zwerfafval", "Litter", "Rommel, blikjes en plastic op straat of in het groen.", department="openbare-ruimte"),
        _s("hondenpoep", "Hondenpoep", "Dog fouling", "Hondenpoep op stoep, gras of speelplek.", department="openbare-ruimte"),
        _s("prullenbak-vol", "Afvalbak vol of kapot", "Litter bin full or broken", "Openbare prullenbak of hondenpoepbak vol, kapot of gewenst.", department="openbare-ruimte", norms=_sig(2, 5)),
    )),
    MainCategory("openbare-verlichting", "Openbare verlichting", "Street lighting", "openbare-ruimte", POLICY, (
        _s("lantaarnpaal-defect", "Lantaarnpaal kapot", "Street light broken", "Lamp uit, knippert, brandt overdag of paal beschadigd.", norms=_sig(3, 15)),
        _s("verlichting-te-donker", "Te donker, extra verlichting", "Too dark, more lighting", "Donkere plek, pad of tunnel waar verlichting ontbreekt.", norms=_sig(5, 30)),
    )),
    MainCategory("wegen", "Wegen, fietspaden en stoepen", "Roads, cycle paths and pavements", "openbare-ruimte", POLICY, (
        _s("wegdek", "Gat of schade in weg of fietspad", "Pothole or damaged road", "Gaten, scheuren, boomwortels of verzakking in weg of fietspad.", norms=_sig(2, 10)),
        _s("stoep", "Stoep of tegels kapot", "Damaged pavement", "Losse, scheve of kapotte stoeptegels, struikelgevaar.", norms=_sig(2, 10)),
        _s("gladheid", "Gladheid en strooien", "Ice and gritting", "Gladde wegen, niet gestrooid, sneeuw op fietspad.", norms=_sig(1, 2)),
        _s("straatmeubilair", "Bank, paal of hek kapot", "Street furniture damaged", "Bankje, paaltje, hekwerk of bushokje beschadigd of scheef."),
    )),
    MainCategory("groen", "Groen en bomen", "Green spaces and trees", "groen", POLICY, (
        _s("boom", "Boom", "Tree", "Boom snoeien, omgewaaid, dode takken, overlast of gevaar.", norms=_sig(2, 10)),
        _s("groenonderhoud", "Gras, struiken en onkruid", "Grass, shrubs and weeds", "Maaien, snoeien van struiken, onkruid, plantsoen verwaarloosd."),
        _s("eikenprocessierups", "Eikenprocessierups", "Oak processionary caterpillar", "Nesten of rupsen in eikenbomen.", norms=_sig(1, 5)),
    )),
    MainCategory("speelplaatsen", "Speelplaatsen", "Playgrounds", "openbare-ruimte", POLICY, (
        _s("speeltoestel-kapot", "Speeltoestel kapot of onveilig", "Play equipment broken", "Schommel, glijbaan of klimrek kapot, scherpe randen, losse onderdelen.", norms=_sig(1, 10)),
        _s("speelplaats-onderhoud", "Speelplaats onderhoud", "Playground upkeep", "Zandbak vies, ondergrond, hekje, glas of rommel op de speelplek."),
    )),
    MainCategory("verkeer", "Verkeer en parkeren", "Traffic and parking", "verkeer", POLICY, (
        _s("verkeersveiligheid", "Verkeersveiligheid", "Road safety", "Te hard rijden, gevaarlijke oversteek of kruising, sluipverkeer.", norms=_sig(5, 30)),
        _s("parkeeroverlast", "Parkeeroverlast", "Parking nuisance", "Fout geparkeerd, op de stoep, busjes, parkeerdruk.", department="handhaving"),
        _s("verkeersbord-of-licht", "Verkeersbord of verkeerslicht", "Traffic sign or light", "Bord weg of scheef, verkeerslicht defect, markering vervaagd.", norms=_sig(2, 10)),
        _s("fietswrak", "Fietswrak of weesfiets", "Abandoned bicycle", "Achtergelaten fietsen en wrakken in rekken of aan hekken.", department="handhaving", norms=_sig(5, 20)),
    )),
    MainCategory("overlast", "Overlast", "Nuisance", "handhaving", POLICY, (
        _s("geluidsoverlast", "Geluidsoverlast", "Noise", "Harde muziek, feesten, blaffende honden."),
        _s("jongerenoverlast", "Overlast van jongeren of groepen", "Youth or group nuisance", "Hangjongeren, intimidatie, brommers, vuurwerk.", department="veiligheid"),
        _s("burenoverlast", "Overlast van buren", "Neighbour nuisance", "Ruzie of overlast tussen buren; buurtbemiddeling.", department="welzijn", norms=_sig(3, 15)),
        _s("overlast-bedrijf", "Overlast horeca of bedrijf", "Nuisance from businesses", "Horeca, terras, laden en lossen, stank of lawaai van een bedrijf."),
    )),
    MainCategory("riolering", "Riolering en water", "Sewerage and water", "riolering", SIGNALS, (
        _s("riool-verstopt", "Riool of put verstopt", "Blocked sewer or drain", "Kolk of put verstopt, stank uit het riool, deksel los.", norms=_sig(1, 5)),
        _s("wateroverlast", "Wateroverlast", "Flooding", "Water op straat of in de kelder na regen.", norms=_sig(1, 5)),
        _s("sloot-en-vijver", "Sloot of vijver", "Ditch or pond", "Vervuild water, dode vissen, kroos, sloot dichtgegroeid."),
    )),
    MainCategory("dieren", "Dieren en ongedierte", "Animals and pests", "openbare-ruimte", SIGNALS, (
        _s("ongedierte", "Ratten en ongedierte", "Rats and pests", "Ratten, muizen, wespen of kakkerlakken.", norms=_sig(2, 10)),
        _s("dood-dier", "Dood dier", "Dead animal", "Dood dier op straat of in het water.", norms=_sig(1, 2)),
        _s("overlast-dieren", "Overlast van dieren", "Nuisance from animals", "Duiven, meeuwen, ganzen, loslopende honden, katten.", department="handhaving"),
    )),
    MainCategory("vandalisme", "Graffiti en vandalisme", "Graffiti and vandalism", "openbare-ruimte", SIGNALS, (
        _s("graffiti", "Graffiti en bekladding", "Graffiti", "Graffiti, tags, stickers, bekladding.", norms=_sig(3, 10)),
        _s("vernieling", "Vernieling", "Vandalism", "Opzettelijke vernieling van gemeentelijk bezit."),
    )),
    MainCategory("veiligheid", "Veiligheid en ondermijning", "Safety and organised crime", "veiligheid", POLICY, (
        _s("drugsoverlast", "Drugsoverlast", "Drug nuisance", "Dealen op straat, drugsafval, lachgas.", norms=_sig(3, 20)),
        _s("ondermijning", "Verdachte situatie of ondermijning", "Suspected organised crime", "Hennep, verdacht pand of bedrijf, vreemde bedrijvigheid; anoniem melden kan ook bij Meld Misdaad Anoniem.", kinds=frozenset({Kind.SIGNAL}), norms=_sig(5, 20)),
        _s("onveilige-plek", "Onveilig gevoel", "Feeling unsafe", "Een plek waar mensen zich onveilig voelen.", norms=_sig(5, 20)),
    )),
    MainCategory("zorg", "Zorg en welzijn", "Care and welfare", "welzijn", POLICY, (
        _s("zorgen-om-buurtgenoot", "Zorgen om een buurtgenoot", "Worried about a neighbour", "Iemand verwaarloost zichzelf, is verward of lijkt hulp nodig te hebben. Bij direct gevaar: 112.", norms=_sig(1, 5)),
        _s("eenzaamheid", "Eenzaamheid en ontmoeting", "Loneliness and meeting others", "Eenzaamheid, behoefte aan contact of een ontmoetingsplek."),
        _s("hulpvraag", "Hulp bij geld, zorg of thuis", "Help with money, care or home", "Vragen over schulden, mantelzorg, huishoudelijke hulp, Wmo."),
    )),
    MainCategory("wonen", "Wonen en bouwen", "Housing and building", "wonen", POLICY, (
        _s("verwaarloosd-pand", "Verwaarloosd pand of erf", "Neglected building or yard", "Leegstand, verloedering, tuin vol rommel.", department="handhaving", norms=_sig(5, 30)),
        _s("bouwoverlast", "Bouw- en sloopoverlast", "Construction nuisance", "Overlast van bouwwerkzaamheden, sloop, bouwafval, werktijden.", department="handhaving"),
        _s("woonruimte", "Woningaanbod en woonruimte", "Housing supply", "Woningtekort, starters, senioren, huisvesting in dorp of wijk."),
    )),
    MainCategory("initiatieven", "Bewonersinitiatieven", "Resident initiatives", "wijkzaken", INITIATIVES, (
        _s("buurtactiviteit", "Buurtactiviteit", "Neighbourhood event", "Straatfeest, barbecue, kerstmarkt, opschoondag, evenement."),
        _s("groen-initiatief", "Groen initiatief", "Green initiative", "Geveltuin, boomspiegel adopteren, buurtmoestuin, bloemen, vergroenen.", department="groen"),
        _s("speelplek-initiatief", "Speelplek initiatief", "Play area initiative", "Nieuwe speelplek, speeltoestel of trapveldje voorstellen.", department="openbare-ruimte"),
        _s("sociaal-initiatief", "Sociaal initiatief", "Social initiative", "Koffieochtend, repair café, taalmaatjes, hulp aan buren.", department="welzijn"),
    )),
    MainCategory("overig", "Overig", "Other", "wijkzaken", ALL_KINDS - {Kind.INITIATIVE}, (
        _s("overig", "Overig", "Other", "Past in geen andere categorie; de triage beslist."),
    )),
)
# fmt: on


def subcategories() -> list[tuple[MainCategory, SubCategory]]:
    return [(main, sub) for main in TAXONOMY for sub in main.subcategories]


_SUBS: dict[str, tuple[MainCategory, SubCategory]] = {s.slug: (m, s) for m, s in subcategories()}
_MAINS: dict[str, MainCategory] = {m.slug: m for m in TAXONOMY}


def get_subcategory(slug: str) -> SubCategory:
    return _SUBS[slug][1]


def main_of(sub_slug: str) -> MainCategory:
    return _SUBS[sub_slug][0]


def department_for(sub_slug: str) -> str:
    main, sub = _SUBS[sub_slug]
    return sub.department or main.department


def kinds_for(sub_slug: str) -> frozenset[Kind]:
    main, sub = _SUBS[sub_slug]
    return sub.kinds if sub.kinds is not None else main.kinds


def norm_for(sub_slug: str, kind: Kind | str) -> Norm:
    """The category's norm for ``kind``, else the kind's default norm."""
    kind = Kind(kind)
    return get_subcategory(sub_slug).norms.get(kind, DEFAULT_NORMS[kind])


def main_label_map() -> dict[str, str]:
    """{subcategory slug: main category slug}, e.g. to score the classifier per main."""
    return {sub.slug: main.slug for main, sub in subcategories()}


def open311_services() -> list[dict[str, object]]:
    """The GeoReport v2 ``services`` list: one service per subcategory."""
    return [
        {
            "service_code": sub.slug,
            "service_name": sub.name_nl,
            "description": sub.description,
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": main.name_nl,
        }
        for main, sub in subcategories()
    ]


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def validate(taxonomy: tuple[MainCategory, ...] = TAXONOMY) -> list[str]:
    """Problems in a taxonomy (empty list when it is sound).

    Main slugs are unique among mains and subcategory slugs among
    subcategories (they are Open311 service codes); a main and one of its
    subcategories may share a slug ("overig").
    """
    problems: list[str] = []
    mains: set[str] = set()
    subs: set[str] = set()
    for main in taxonomy:
        if main.slug in mains:
            problems.append(f"{main.slug}: duplicate main slug")
        mains.add(main.slug)
        if not main.subcategories:
            problems.append(f"{main.slug}: no subcategories")
        if not main.kinds:
            problems.append(f"{main.slug}: no kinds")
        if main.department not in DEPARTMENTS:
            problems.append(f"{main.slug}: unknown department {main.department}")
        for sub in main.subcategories:
            if sub.slug in subs:
                problems.append(f"{sub.slug}: duplicate subcategory slug")
            subs.add(sub.slug)
            if sub.department is not None and sub.department not in DEPARTMENTS:
                problems.append(f"{sub.slug}: unknown department {sub.department}")
            if sub.kinds is not None and not sub.kinds <= main.kinds:
                problems.append(f"{sub.slug}: kinds outside its main category")
        for slug in [main.slug, *(sub.slug for sub in main.subcategories)]:
            if not _SLUG.match(slug):
                problems.append(f"{slug}: not a slug")
    return problems

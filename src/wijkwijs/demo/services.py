"""The Oss demo: real CBS areas, boundaries and figures; assumed and invented clusterings, people
and assignments (all marked as such). Deterministic and idempotent: loading twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction

from wijkwijs.accounts import services as account_services
from wijkwijs.accounts.roles import Role
from wijkwijs.accounts.selectors import DEMO_PASSWORD
from wijkwijs.areas import selectors as area_selectors
from wijkwijs.areas import services as area_services
from wijkwijs.areas.models import Area, Assignment, Clustering
from wijkwijs.demo.budgeting_register_demo import budgeting_register_demo_load
from wijkwijs.demo.budgeting_rounds_demo import budgeting_rounds_demo_load
from wijkwijs.demo.intake_demo import intake_demo_load
from wijkwijs.intake import suggest
from wijkwijs.intake.training import classifier_retrain
from wijkwijs.monitoring import index_services
from wijkwijs.monitoring import services as monitoring_services
from wijkwijs.monitoring import services_demo as monitoring_demo
from wijkwijs.monitoring.demo_series import demo_index_config
from wijkwijs.monitoring.models import Impression

DATA = Path(__file__).parent / "data"

WIJK_KINDS = {
    "stad": ["00", "01", "03", "04", "06", "07"],
    "bedrijventerrein": ["02", "05"],
    "buitengebied": ["08", "09"],
    "kern": [f"{n:02d}" for n in range(10, 23)],
}

DEPARTMENTS = [
    ("wijkzaken", "Team Wijkzaken"),
    ("openbare-ruimte", "Openbare Ruimte (IBOR)"),
    ("vth", "Vergunningen, Toezicht en Handhaving"),
    ("welzijn", "Samenleving en Welzijn"),
    ("ruimte", "Ruimtelijke Ontwikkeling"),
    ("financien", "Financiën"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    department: str | None = None


USERS = [
    DemoUser("demo-inwoner", Role.RESIDENT, "Iris", "Inwoner"),
    DemoUser("demo-wijkraad", Role.COUNCIL_MEMBER, "Wim", "van der Raad"),
    DemoUser("demo-coordinator", Role.COORDINATOR, "Carla", "Coördinator", "wijkzaken"),
    DemoUser("demo-coordinator2", Role.COORDINATOR, "Koen", "Kernen", "wijkzaken"),
    DemoUser("demo-gebiedsmanager", Role.AREA_MANAGER, "Gerrit", "Gebied", "wijkzaken"),
    DemoUser("demo-medewerker", Role.DEPARTMENT_STAFF, "Mehmet", "Medewerker", "openbare-ruimte"),
    DemoUser("demo-afdelingshoofd", Role.DEPARTMENT_HEAD, "Anja", "Hoofd", "openbare-ruimte"),
    DemoUser("demo-directie", Role.MANAGEMENT, "Dirk", "Directeur"),
    DemoUser("demo-wethouder", Role.ALDERMAN, "Wilma", "Wethouder"),
    DemoUser("demo-wethouder2", Role.ALDERMAN, "Hans", "Houder"),
    DemoUser("demo-raadslid", Role.COUNCIL, "Ria", "Raadslid"),
    DemoUser("demo-beheerder", Role.ADMINISTRATOR, "Bas", "Beheer"),
]

CLUSTERINGS = [
    dict(file="wijkzaken_11_gebieden.csv", slug="wijkzaken", name="Wijkzaken: 11 gebieden", unit_level="WK",
         owner="Team Wijkzaken",
         description="De 11 gebieden waarin Oss werkt, elk met een wijk- of dorpsraad en een wijkcoördinator. "
                     "De gemeente publiceert de gebieden, niet hun koppeling aan CBS-wijken: die koppeling is een aanname."),
    dict(file="ibor_beheergebieden.csv", slug="ibor", name="Beheergebieden IBOR", unit_level="WK",
         owner="Openbare Ruimte (IBOR)", description="Verzonnen voorbeeld: de echte indeling is niet openbaar."),
    dict(file="welzijn_teams.csv", slug="welzijn", name="Teams welzijnspartner", unit_level="WK",
         owner="Welzijnspartner", description="Verzonnen voorbeeld: de echte indeling is niet openbaar."),
    dict(file="vth_toezicht_buurten.csv", slug="vth", name="Toezichtsgebieden VTH", unit_level="BU",
         owner="Vergunningen, Toezicht en Handhaving",
         description="Verzonnen voorbeeld op buurtniveau: de echte indeling is niet openbaar."),
]

COUNCILS = {
    "1 Centrum-Krinkelhoek-Mettegeupel": "Wijkraad Centrum, Krinkelhoek en Mettegeupel",
    "2 Schadewijk": "Wijkraad Schadewijk",
    "3 Ruwaard": "Wijkraad Ruwaard",
    "4 Noordwest": "Wijkraad Noordwest",
    "5 Oss-Zuid": "Wijkraad Oss-Zuid",
    "6 Megen, Haren, Macharen": "Dorpsraad Megen, Haren en Macharen",
    "7 Berghem": "Dorpsraad Berghem",
    "8 Ravenstein": "Dorpsraad Ravenstein",
    "9 Herpen": "Dorpsraad Herpen",
    "10 Lith": "Dorpsraad Lith",
    "11 Geffen": "Dorpsraad Geffen",
}


def _kind(code: str) -> str:
    if not code.startswith("WK"):
        return ""
    for kind, numbers in WIJK_KINDS.items():
        if code[-2:] in numbers:
            return kind
    return ""


@transaction.atomic
def demo_load(*, now: datetime, actor: Any = None, activity: bool = True) -> dict[str, Any]:
    """Load the Oss demo. ``activity=False`` loads only the register, figures and people (the
    test suite's base); ``True`` also generates a year of intake items and the other modules' demo activity."""
    summary: dict[str, Any] = {}
    cbs = monitoring_services.cbs_import(paths=[DATA / "cbs" / "kwb_2024_oss.csv"], actor=actor, now=now)
    summary["cbs"] = cbs.as_dict()
    # Earlier years and survey-style indicators as clearly separate demo figures (trends, demo index).
    summary["demo_series"] = monitoring_demo.demo_series_load(actor=actor, now=now, levels=("GM", "WK", "BU"))
    index_services.index_definition_ensure(
        slug="demo", config=replace(demo_index_config(), center="area_mean"), base_period="2019", is_default=True, actor=actor, now=now,
        description=(
            "Demo: a Rotterdam-style index on generated figures (objective and subjective parts), not CBS. "
            "Centre: the mean of the wijken, as the generated municipality rows are not their average."
        ),
    )
    for area in Area.objects.filter(level="WK", kind=""):
        kind = _kind(area.code)
        if kind:
            area_services.areas_ensure(rows=[{"code": area.code, "name": area.name, "kind": kind}], source="demo", actor=actor, now=now)
    for name in ("oss_wijken_2024.geojson", "oss_buurten_2024.geojson"):
        report = area_services.boundaries_import(
            data=(DATA / "cbs" / "geo" / name).read_bytes(),
            source=f"CBS/Kadaster wijk- en buurtkaart 2024 (generalised, cartomap): {name}",
            actor=actor,
            now=now,
        )
        summary[name] = {"updated": report.updated, "unchanged": report.unchanged}

    departments = {
        slug: account_services.department_ensure(slug=slug, name=name, email=f"{slug}@oss.example", now=now)
        for slug, name in DEPARTMENTS
    }
    users = {}
    for u in USERS:
        users[u.username] = account_services.user_ensure(
            username=u.username, role=u.role, first_name=u.first_name, last_name=u.last_name,
            email=f"{u.username}@oss.example", password=DEMO_PASSWORD,
            department=departments.get(u.department) if u.department else None, now=now,
        )
    head = departments["openbare-ruimte"]
    if head.head_id is None:
        head.head = users["demo-afdelingshoofd"]
        head.save(update_fields=["head"])

    created = 0
    for spec in CLUSTERINGS:
        if Clustering.objects.filter(slug=spec["slug"]).exists():
            continue
        area_services.clustering_import(
            data=(DATA / "clusterings" / spec["file"]).read_bytes(), source=spec["file"], name=spec["name"],
            slug=spec["slug"], unit_level=spec["unit_level"], owner=spec["owner"], description=spec["description"],
            is_example=True, actor=actor, now=now,
        )
        created += 1
    summary["clusterings_created"] = created

    if not Assignment.objects.exists():
        _assign(users, now=now, actor=actor)
    if not Impression.objects.exists():
        _impressions(users, now=now)
    summary["assignments"] = Assignment.objects.count()
    # budgets and rounds are part of the base (the tests read the demo register and rounds)
    summary["budgeting_register"] = budgeting_register_demo_load(now=now, actor=actor)
    summary["budgeting_rounds"] = budgeting_rounds_demo_load(now=now)
    if not activity:
        return summary
    summary["intake"] = intake_demo_load(now=now, actor=actor)
    if not suggest.model_path().exists():  # the shipped labelled set; retrain with intake_train_classifier
        summary["classifier"] = classifier_retrain(actor=actor, now=now, own=False, evaluate=False)
    return summary


def _assign(users: dict[str, Any], *, now: datetime, actor: Any) -> None:
    gm = area_selectors.municipality()
    if gm is not None:
        area_services.assignment_set(area=gm, role="area_manager", person=users["demo-gebiedsmanager"], now=now, actor=actor)
    wijkzaken = area_selectors.clustering_get("wijkzaken")
    for i, cluster in enumerate(wijkzaken.clusters.all()):
        city = i < 5
        area_services.assignment_set(
            cluster=cluster, role="coordinator", person=users["demo-coordinator" if city else "demo-coordinator2"],
            now=now, actor=actor,
        )
        area_services.assignment_set(
            cluster=cluster, role="alderman", person=users["demo-wethouder" if city else "demo-wethouder2"],
            now=now, actor=actor,
        )
        area_services.assignment_set(
            cluster=cluster, role="council", name=COUNCILS.get(cluster.name, f"Raad {cluster.name}"),
            organisation="", email=f"secretaris.{i + 1}@raad.oss.example", now=now, actor=actor,
        )
        area_services.assignment_set(
            cluster=cluster, role="beheer", person=users["demo-medewerker"], public=False, now=now, actor=actor,
        )


IMPRESSIONS = [
    ("WK082801", "leefbaarheid", 40, "demo-coordinator",
     "Bij het buurthuis in de Verzetsheldenbuurt komen sinds de zomer meer ouderen samen voor de koffieochtend; "
     "bewoners vragen om een bankje bij de bushalte."),
    ("WK082801", "openbare_ruimte", 12, "demo-medewerker",
     "Veel meldingen over bijplaatsingen bij de ondergrondse containers aan de Berghemseweg, vooral na het weekend."),
    ("WK082810", "jeugd", 25, "demo-coordinator2",
     "Jongeren in Berghem-Zuid zoeken een plek om 's avonds samen te komen; de dorpsraad wil meedenken."),
]


def _impressions(users: dict[str, Any], *, now: datetime) -> None:
    """Invented impressions (demo), dated relative to ``now``."""
    for code, theme, days_ago, user, text in IMPRESSIONS:
        monitoring_services.impression_add(
            area=Area.objects.get(code=code), theme=theme, text=text,
            observed_on=(now - timedelta(days=days_ago)).date(), actor=users[user], now=now,
        )

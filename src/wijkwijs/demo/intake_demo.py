"""Demo intake for Oss: a year of invented items across areas, departments and kinds.

Deterministic from ``seed`` and ``now``: the same call gives the same items. Everything goes
through the intake services in time order (submission, first response, questions, answers,
rejections, weekly escalation runs), so history, deadlines and escalations are real.
Idempotent: when items exist, nothing is added.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from shapely.geometry import Point, shape

from wijkwijs.accounts.models import Department, User
from wijkwijs.areas.models import Area
from wijkwijs.intake import classifier, escalation, routing, services, taxonomy
from wijkwijs.intake.apikeys import api_key_create
from wijkwijs.intake.models import ApiKey, Item, State

N_ITEMS = 420
DAYS = 365

ADVICE = [
    ("Herinrichting Kruisstraat", "De wijkraad adviseert de Kruisstraat autoluw te maken en meer groen aan te brengen; bewoners zijn in twee avonden gehoord."),
    ("Speelvoorzieningen", "Gevraagd advies over het speelruimteplan: in onze wijk ontbreken plekken voor kinderen van 10 tot 14 jaar."),
    ("Verkeersveiligheid schoolroute", "Ongevraagd advies: de oversteek bij de basisschool is onveilig, wij vragen een zebrapad en een lagere snelheid."),
    ("Woningbouw in de kern", "De dorpsraad adviseert bij de nieuwe woningbouw voorrang te geven aan starters en senioren uit het dorp."),
    ("Openbare verlichting", "Advies over de vervanging van de verlichting: houd het pad langs de sloot verlicht, ook na 23 uur."),
    ("Ontmoetingsplek", "Gevraagd advies over het dorpshuis: de dorpsraad steunt een verbouwing als de huur betaalbaar blijft."),
]
ANSWERS = {
    "signal": [
        "Dank voor uw melding. Onze ploeg is langs geweest en heeft het probleem verholpen.",
        "We hebben de situatie bekeken en het onderhoud ingepland in de komende weken.",
        "Uw melding is doorgegeven aan de aannemer; de reparatie is uitgevoerd.",
    ],
    "question": [
        "Dank voor uw vraag. Op de website van de gemeente vindt u de regels; de wijkcoördinator belt u nog.",
        "Het antwoord op uw vraag: dit valt onder het onderhoudsplan van volgend jaar.",
    ],
    "advice": ["Dank voor uw advies. Het college neemt het mee in het besluit; u ontvangt het raadsvoorstel."],
    "initiative": ["We nemen contact met u op om het initiatief verder uit te werken; er is budget uit het wijkbudget."],
}
REJECTIONS = [
    "Dit is geen taak van de gemeente: de grond is van de woningcorporatie. We hebben uw melding aan hen doorgegeven.",
    "De situatie voldoet aan de normen voor onderhoud; we ondernemen nu geen actie.",
]
QUESTIONS = ["Kunt u aangeven bij welk huisnummer het precies is?", "Heeft u een foto van de situatie?"]


def _points(rng: random.Random) -> list[tuple[Area, Any]]:
    buurten = list(Area.objects.current().filter(level="BU", geometry__isnull=False).order_by("code"))
    return [(a, shape(a.geometry)) for a in buurten]


def _point_in(rng: random.Random, geom: Any) -> tuple[float, float]:
    minx, miny, maxx, maxy = geom.bounds
    for _ in range(30):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if geom.contains(Point(x, y)):
            return round(x, 6), round(y, 6)
    p = geom.representative_point()
    return round(p.x, 6), round(p.y, 6)


def _texts() -> dict[str, list[str]]:
    texts, labels = classifier.load_training_data()
    by_label: dict[str, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    return by_label


def _kind_for(rng: random.Random) -> str:
    r = rng.random()
    return "signal" if r < 0.74 else "question" if r < 0.85 else "initiative" if r < 0.93 else "advice"


@transaction.atomic
def intake_demo_load(*, now: datetime, actor: Any = None, seed: int = 828, n_items: int = N_ITEMS) -> dict[str, Any]:
    start = now - timedelta(days=DAYS)
    routing.routing_table_ensure_default(now=start, actor=actor)
    escalation.ladder_ensure_default(now=start, actor=actor)
    if not ApiKey.objects.filter(name="demo").exists():
        api_key_create(name="demo", raw="demo", actor=actor, now=start)
    if Item.objects.exists():
        return {"items": 0, "skipped": True}

    rng = random.Random(seed)
    by_label = _texts()
    points = _points(rng)
    staff = {u.department.slug: u for u in User.objects.filter(username__startswith="demo-", role="department_staff").select_related("department")}
    coordinator = User.objects.filter(username="demo-coordinator").first()
    council_member = User.objects.filter(username="demo-wijkraad").first()
    departments = {d.slug: d for d in Department.objects.all()}
    queue: list[tuple[datetime, int, Callable[[datetime], None]]] = []
    counter = itertools.count()
    stats: Counter[str] = Counter()

    def at(moment: datetime, fn: Callable[[datetime], None]) -> None:
        if moment <= now:
            heapq.heappush(queue, (moment, next(counter), fn))

    def handler_for(item: Item) -> Any:
        slug = item.owner_department.slug if item.owner_department_id else ""
        return staff.get(slug) or (coordinator if slug == "wijkzaken" else None)

    def follow_up(item_id: int, received: datetime, speed: float) -> None:
        def first(moment: datetime) -> None:
            item = Item.objects.get(pk=item_id)
            if item.state == State.NEW:  # the no-owner queue: a coordinator routes it
                dept = departments.get(rng.choice(["openbare-ruimte", "wijkzaken", "welzijn", "vth"]))
                item = services.item_route(item=item, department=dept, reason="", actor=coordinator, now=moment)
                stats["triaged"] += 1
            who = handler_for(item)
            if who is not None:
                item = services.item_take(item=item, actor=who, now=moment)
            roll = rng.random()
            if roll < 0.12:
                services.item_ask_submitter(item=item, question=rng.choice(QUESTIONS), actor=who, now=moment)
                at(moment + timedelta(days=rng.uniform(1, 9)), reply)
                return
            at(moment + timedelta(days=rng.uniform(0.5, 6) * speed), finish)

        def reply(moment: datetime) -> None:
            services.item_submitter_reply(item=Item.objects.get(pk=item_id), text="Bij nummer 14, naast de bushalte.",
                                          actor=None, now=moment)
            at(moment + timedelta(days=rng.uniform(0.5, 5) * speed), finish)

        def finish(moment: datetime) -> None:
            item = Item.objects.get(pk=item_id)
            if item.state in (State.ANSWERED, State.REJECTED, State.CLOSED):
                return
            who = handler_for(item)
            if rng.random() < 0.08:
                services.item_reject(item=item, motivation=rng.choice(REJECTIONS), actor=who, now=moment)
                stats["rejected"] += 1
            else:
                services.item_answer(item=item, text=rng.choice(ANSWERS[item.kind]), actor=who, now=moment)
                stats["answered"] += 1
            if rng.random() < 0.5:
                at(moment + timedelta(days=rng.uniform(3, 20)), lambda m: services.item_close(item=Item.objects.get(pk=item_id), actor=None, now=m))

        # Some items are slow or forgotten: they become overdue and climb the ladder.
        if rng.random() < 0.04:
            return
        at(received + timedelta(hours=rng.uniform(2, 72) * speed), first)

    for _ in range(n_items):
        received = start + timedelta(days=rng.uniform(0, DAYS))
        received = received.replace(hour=rng.choice([8, 9, 10, 11, 13, 14, 15, 16, 19, 21]), minute=rng.randrange(60))
        kind = _kind_for(rng)

        def submit(moment: datetime, kind: str = kind) -> None:
            buurt, geom = rng.choice(points)
            lon, lat = _point_in(rng, geom)
            if kind == "advice":
                subject, text = rng.choice(ADVICE)
                item = services.item_submit(kind="advice", advice_type=rng.choice(["asked", "unasked"]), subject=subject,
                                            description=text, lon=lon, lat=lat, channel="council", submitted_by=council_member,
                                            council_name="Wijkraad " + (buurt.parent.name if buurt.parent else buurt.name),
                                            actor=council_member, now=moment)
            else:
                allowed = [s.slug for _m, s in taxonomy.subcategories() if taxonomy.Kind(kind) in taxonomy.kinds_for(s.slug) and s.slug in by_label]
                category = rng.choice(allowed)
                text = rng.choice(by_label[category])
                contact = rng.random() < 0.3
                item = services.item_submit(
                    kind=kind, description=text, category=category if rng.random() < 0.5 else "", lon=lon, lat=lat,
                    name="Demo Inwoner" if contact else "", email="inwoner@example.org" if contact else "",
                    channel=rng.choice(["web", "web", "web", "staff", "api"]), actor=None, now=moment,
                )
            stats[kind] += 1
            follow_up(item.pk, moment, speed=rng.choice([0.3, 0.4, 0.5, 0.6, 0.7, 0.9, 1.0, 2.0]))

        at(received, submit)

    day = start + timedelta(days=1, hours=7)  # the periodic task, every morning
    while day <= now:
        at(day, lambda m: stats.update(escalated=escalation.items_escalate_overdue(now=m)["escalated"]))
        day += timedelta(days=1)
    at(now, lambda m: stats.update(escalated=escalation.items_escalate_overdue(now=m)["escalated"]))

    while queue:
        moment, _n, fn = heapq.heappop(queue)
        fn(moment)
    return {"items": Item.objects.count(), **dict(stats)}

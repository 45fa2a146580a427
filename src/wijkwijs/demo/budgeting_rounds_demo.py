"""Demo participatory-budgeting rounds for Oss (all invented, marked as demo data).

- Schadewijk (WK082801): in the voting phase, approval ballot (at most 3), greedy by votes;
  400 voting codes (the first batch made with ``codes.demo_rng`` so the demo can show unused
  ones), 160 ballots cast already.
- Ruwaard (WK082806): results and implementation, points ballot (10 points), Method of Equal
  Shares with greedy completion; 240 ballots; implementation updates on the funded projects.

Everything goes through the budgeting services in time order, so history and audit are real.
Deterministic from ``seed`` and ``now``; idempotent (a round that exists is left alone).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from shapely.geometry import Point, shape

from wijkwijs.accounts.models import User
from wijkwijs.areas.models import Area
from wijkwijs.budgeting import codes, services
from wijkwijs.budgeting.models import ImplementationStatus, Proposal, Round

FRAMEWORKS = (
    "Een voorstel komt ten goede aan de buurt en is voor iedereen toegankelijk; het ligt in de openbare ruimte of in "
    "een buurthuis; het kost eenmalig tussen € 1.000 en € 15.000 en vraagt geen vaste jaarlijkse kosten van de "
    "gemeente; het past binnen wet- en regelgeving en het beleid voor de openbare ruimte; het kan binnen een jaar "
    "worden uitgevoerd."
)

SCHADEWIJK = [
    ("Bankjes en schaduw bij de bushalte", "Drie bankjes en twee bomen bij de bushalte aan de Kruisstraat, zodat ouderen "
     "kunnen zitten en wachten in de schaduw.", 6500, 0, True),
    ("Speelplek voor kinderen van 10 tot 14", "Een klimrek en een pannakooi op het grasveld achter de school, voor de "
     "oudere kinderen die nu geen plek hebben.", 14500, 500, True),
    ("Geveltuinen in de oude straten", "Bewoners krijgen tegels eruit, plantjes en hulp om een geveltuin aan te leggen. "
     "De buurtvereniging regelt de vrijwilligers.", 4000, 1000, True),
    ("Moestuin bij het buurthuis", "Een gemeenschappelijke moestuin met bakken en een regenton naast het buurthuis; de "
     "kookclub gebruikt de groenten.", 5500, 800, True),
    ("Betere verlichting van het fietspad", "Extra lantaarnpalen op het donkere stuk fietspad langs het spoor, zodat "
     "scholieren veilig naar huis fietsen.", 12000, 0, True),
    ("Kunstwerk op het pleintje", "Een muurschildering door jongeren uit de wijk onder begeleiding van een kunstenaar.",
     7000, 1500, True),
    ("Buitenfitness in het park", "Vier fitnesstoestellen voor volwassenen en ouderen in het park, met uitleg op een bord.",
     9000, 0, True),
    ("Gratis parkeren voor bewoners", "Bewoners van de wijk parkeren gratis in de parkeergarage.", 15000, 0, False),
]

RUWAARD = [
    ("Ontmoetingsbankjes bij het winkelcentrum", "Een halve cirkel van bankjes met plantenbakken voor het winkelcentrum, "
     "om elkaar te ontmoeten.", 8000, 0),
    ("Hondenuitlaatveld met hek", "Een omheind veld waar honden los kunnen lopen, met afvalbakken.", 11000, 0),
    ("Insectenvriendelijke bermen", "Bloemrijke bermen langs de hoofdstraat in plaats van kort gras.", 3500, 500),
    ("Jeugdhonk opknappen", "Het jeugdhonk krijgt nieuwe banken, een geluidsinstallatie en verf; jongeren helpen mee.",
     9500, 2000),
    ("AED en cursus reanimeren", "Twee AED's aan de gevel en een gratis reanimatiecursus voor bewoners.", 4500, 0),
    ("Waterspeelplaats", "Een kleine waterspeelplaats met pomp en goot in de speeltuin.", 14000, 0),
    ("Buurtbieb in een oude telefooncel", "Een minibibliotheek waar bewoners boeken ruilen.", 1500, 300),
    ("Jeu-de-boulesbaan", "Een jeu-de-boulesbaan met verlichting bij het wijkcentrum.", 6000, 1000),
    ("Zebrapad en drempels bij de school", "Een veiliger oversteek voor kinderen bij de basisschool.", 12500, 0),
]

#: Voter groups: (share of the voters, popularity weight per project index).
SCHADEWIJK_GROUPS = [(0.45, [6, 1, 2, 2, 5, 1, 3]), (0.35, [1, 8, 1, 2, 3, 3, 2]), (0.20, [1, 1, 7, 7, 1, 2, 1])]
RUWAARD_GROUPS = [(0.40, [6, 2, 1, 1, 4, 2, 1, 5, 3]), (0.35, [1, 1, 1, 6, 2, 7, 1, 1, 6]), (0.25, [2, 6, 7, 1, 1, 1, 4, 1, 1])]


def _point_in(rng: random.Random, geom: Any) -> tuple[float, float] | None:
    minx, miny, maxx, maxy = geom.bounds
    for _ in range(200):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if geom.contains(Point(x, y)):
            return round(x, 6), round(y, 6)
    return None


def _weighted_sample(rng: random.Random, weights: list[int], k: int) -> list[int]:
    pool = list(range(len(weights)))
    w = list(weights)
    chosen = []
    for _ in range(min(k, len(pool))):
        i = rng.choices(range(len(pool)), weights=w)[0]
        chosen.append(pool.pop(i))
        w.pop(i)
    return chosen


def _group(rng: random.Random, groups: list[tuple[float, list[int]]]) -> list[int]:
    r, acc = rng.random(), 0.0
    for share, weights in groups:
        acc += share
        if r <= acc:
            return weights
    return groups[-1][1]


def _proposals(rnd: Round, specs: list[tuple[Any, ...]], rng: random.Random, users: dict[str, User], start: datetime) -> list[Proposal]:
    geom = shape(rnd.area.geometry) if rnd.area and rnd.area.geometry else None
    out = []
    for i, spec in enumerate(specs):
        title, text, cost, own = spec[:4]
        point = _point_in(rng, geom) if geom is not None else None
        out.append(services.proposal_submit(
            round=rnd, title=title, description=text, cost=cost, own_contribution=own,
            lon=point[0] if point else None, lat=point[1] if point else None,
            location_text="" if point else rnd.place_name, actor=users["demo-inwoner"],
            now=start + timedelta(days=i, hours=rng.randint(0, 8)), is_demo=True,
        ))
    return out


def _review(proposals: list[Proposal], eligible: list[bool], reviewer: User, at: datetime) -> None:
    for p, ok in zip(proposals, eligible, strict=True):
        services.proposal_review(
            proposal=p, decision="eligible" if ok else "ineligible",
            motivation=("Past binnen de kaders: voor iedereen toegankelijk, eenmalige kosten binnen het budget, "
                        "uitvoerbaar binnen een jaar.") if ok else
            ("Past niet binnen de kaders: dit zijn geen eenmalige kosten in de openbare ruimte maar een korting op "
             "parkeertarieven, waarover de gemeenteraad beslist."),
            actor=reviewer, now=at,
        )


def _ballots(rnd: Round, proposals: list[Proposal], plain: list[str], n: int, groups: list[tuple[float, list[int]]],
             rng: random.Random, start: datetime, points: int | None) -> None:
    for v in range(n):
        weights = _group(rng, groups)
        if points:
            picks = _weighted_sample(rng, weights, rng.randint(1, 4))
            split = sorted(rng.sample(range(1, points), len(picks) - 1)) if len(picks) > 1 else []
            bounds = [0, *split, points]
            choices = [(proposals[j].project_id, bounds[i + 1] - bounds[i]) for i, j in enumerate(picks)]
        else:
            picks = _weighted_sample(rng, weights, rng.choice([1, 2, 2, 3, 3, 3]))
            choices = [(proposals[j].project_id, 1) for j in picks]
        services.ballot_cast(round=rnd, code=plain[v], choices=choices, now=start + timedelta(minutes=37 * v),
                             rng=rng, is_demo=True)


@transaction.atomic
def budgeting_rounds_demo_load(*, now: datetime, seed: int = 828) -> dict[str, Any]:
    users = {u.username: u for u in User.objects.filter(username__in=["demo-inwoner", "demo-coordinator", "demo-beheerder"])}
    if len(users) < 3:
        return {"rounds_created": 0}
    rng = random.Random(seed)
    created = 0
    coordinator, admin = users["demo-coordinator"], users["demo-beheerder"]

    schadewijk = Area.objects.filter(code="WK082801").first()
    if schadewijk is not None and not Round.objects.filter(slug="schadewijk-2027").exists():
        start = now - timedelta(days=90)
        rnd = services.round_create(spec=services.RoundSpec(
            slug="schadewijk-2027", title="Buurtbudget Schadewijk 2027", area=schadewijk, budget=40000,
            description="Demo: bewoners van Schadewijk beslissen over € 40.000 voor hun wijk. Voorstellen en stemmen "
                        "zijn verzonnen.",
            frameworks=FRAMEWORKS, ideas_opens=(start + timedelta(days=5)).date(), ideas_close=(start + timedelta(days=50)).date(),
            voting_opens=(now - timedelta(days=10)).date(), voting_closes=(now + timedelta(days=20)).date(),
            results_on=(now + timedelta(days=27)).date(), ballot_type="approval", min_choices=1, max_choices=3, rule="greedy",
        ), actor=coordinator, now=start, is_demo=True)
        services.round_advance(round=rnd, actor=coordinator, now=start + timedelta(days=5))
        props = _proposals(rnd, SCHADEWIJK, rng, users, start + timedelta(days=10))
        services.round_advance(round=rnd, actor=coordinator, now=start + timedelta(days=50))
        _review(props, [s[4] for s in SCHADEWIJK], coordinator, start + timedelta(days=60))
        _batch, plain = services.codes_generate(round=rnd, count=400, label="Demo: huishoudens Schadewijk", actor=admin,
                                                now=start + timedelta(days=70), rng=codes.demo_rng(rnd.slug))
        services.round_advance(round=rnd, actor=coordinator, now=now - timedelta(days=10))
        eligible = [p for p, s in zip(props, SCHADEWIJK, strict=True) if s[4]]
        _ballots(rnd, eligible, plain, 160, SCHADEWIJK_GROUPS, rng, now - timedelta(days=10) + timedelta(hours=9), None)
        created += 1

    ruwaard = Area.objects.filter(code="WK082806").first()
    if ruwaard is not None and not Round.objects.filter(slug="ruwaard-2026").exists():
        start = now - timedelta(days=300)
        rnd = services.round_create(spec=services.RoundSpec(
            slug="ruwaard-2026", title="Buurtbudget Ruwaard 2026", area=ruwaard, budget=45000,
            description="Demo: bewoners van de Ruwaard verdeelden € 45.000 met punten. Voorstellen, stemmen en "
                        "voortgang zijn verzonnen.",
            frameworks=FRAMEWORKS, ideas_opens=(start + timedelta(days=5)).date(), ideas_close=(start + timedelta(days=50)).date(),
            voting_opens=(start + timedelta(days=80)).date(), voting_closes=(start + timedelta(days=100)).date(),
            results_on=(start + timedelta(days=105)).date(), ballot_type="cumulative", min_choices=1, total_points=10,
            rule="mes-add1-greedy",
        ), actor=coordinator, now=start, is_demo=True)
        services.round_advance(round=rnd, actor=coordinator, now=start + timedelta(days=5))
        props = _proposals(rnd, RUWAARD, rng, users, start + timedelta(days=10))
        services.round_advance(round=rnd, actor=coordinator, now=start + timedelta(days=50))
        _review(props, [True] * len(props), coordinator, start + timedelta(days=60))
        _batch, plain = services.codes_generate(round=rnd, count=600, label="Demo: huishoudens Ruwaard", actor=admin,
                                                now=start + timedelta(days=70), rng=codes.demo_rng(rnd.slug))
        services.round_advance(round=rnd, actor=coordinator, now=start + timedelta(days=80))
        _ballots(rnd, props, plain, 240, RUWAARD_GROUPS, rng, start + timedelta(days=80, hours=9), 10)
        result_at = start + timedelta(days=105)
        services.round_advance(round=rnd, actor=coordinator, now=result_at)
        services.round_advance(round=rnd, actor=coordinator, now=result_at + timedelta(days=7))
        _implementation(rnd, coordinator, result_at, now)
        created += 1
    return {"rounds_created": created}


def _implementation(rnd: Round, actor: User, since: datetime, now: datetime) -> None:
    from wijkwijs.budgeting.selectors import funded

    steps = [
        (30, ImplementationStatus.PLANNED, "Opdracht gegeven; de uitvoering is ingepland.", 0.0),
        (90, ImplementationStatus.IN_PROGRESS, "De werkzaamheden zijn begonnen.", 0.4),
        (160, ImplementationStatus.COMPLETED, "Klaar en in gebruik genomen.", 0.95),
    ]
    for i, proposal in enumerate(funded(rnd)):
        for days, status, text, share in steps[: 1 + (i % 3)]:
            at = since + timedelta(days=days + 3 * i)
            if at > now:
                break
            services.implementation_update_add(proposal=proposal, on=at.date(), status=status, text=text,
                                               spent=int(proposal.cost * share), actor=actor, now=at)

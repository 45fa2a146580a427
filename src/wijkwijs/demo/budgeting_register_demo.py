"""Demo budget register, neighbourhood cheques and handgeld for Oss.

Every amount here is INVENTED (scaled to the real CBS population of each wijk) and marked
``is_demo``: these are not the municipality's budgets. Deterministic from ``seed`` and ``now``,
written through the services (so the audit trail and ledgers are real), and idempotent: when
demo budget lines exist, nothing is added.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from wijkwijs.accounts.models import Department, User
from wijkwijs.areas.models import Area, Clustering
from wijkwijs.budgeting import handgeld_services, register_services, voucher_services
from wijkwijs.budgeting.register_models import BudgetLine
from wijkwijs.monitoring import selectors as monitoring_selectors

#: (title, department, source, euros per inhabitant); one line per wijk.
PER_WIJK = [
    ("Beheer en onderhoud openbare ruimte", "openbare-ruimte", "own", 310),
    ("Welzijn, jongerenwerk en buurtteams", "welzijn", "own", 125),
    ("Leefbaarheidsbudget wijk- en dorpsraad", "wijkzaken", "own", 6),
]
#: (wijk code, title, department, source, amount)
SPECIAL = [
    ("WK082801", "Brabantse wijkaanpak Schadewijk", "welzijn", "province", 1_250_000),
    ("WK082801", "Volkshuisvestingsfonds: verbetering particuliere woningen", "ruimte", "national", 2_400_000),
    ("WK082806", "Wijkvernieuwing Ruwaard (samen met de woningcorporatie)", "ruimte", "partner", 1_800_000),
    ("WK082806", "Brabantse wijkaanpak Ruwaard", "welzijn", "province", 900_000),
    ("WK082800", "EFRO: levendige binnenstad", "ruimte", "eu", 1_100_000),
    ("WK082810", "Herinrichting dorpskern Berghem", "openbare-ruimte", "own", 1_450_000),
    ("WK082814", "Dijkversterking en recreatie Maas (provinciale bijdrage)", "openbare-ruimte", "province", 650_000),
    ("BU08280101", "Vernieuwing speelplekken Schadewijk-Noord", "openbare-ruimte", "own", 185_000),
    ("BU08280601", "Groen schoolplein en buurttuin", "openbare-ruimte", "own", 95_000),
]
CITYWIDE = [
    ("Jeugdhulp", "welzijn", "national", 41_000_000),
    ("Wet maatschappelijke ondersteuning", "welzijn", "own", 33_500_000),
    ("Participatiewet en inkomensondersteuning", "welzijn", "national", 44_000_000),
    ("Onderwijshuisvesting", "ruimte", "own", 12_500_000),
    ("Afvalinzameling en -verwerking", "openbare-ruimte", "own", 14_800_000),
    ("Sport en sportaccommodaties", "welzijn", "own", 9_200_000),
    ("Cultuur en bibliotheek", "welzijn", "own", 7_600_000),
    ("Bestuur en dienstverlening", "financien", "own", 23_000_000),
    ("Regionale samenwerking veiligheid", "vth", "own", 8_900_000),
    ("Klimaatadaptatie en energietransitie", "ruimte", "eu", 3_400_000),
]
CLUSTER_BUDGET = 30_000

INITIATIVES = [
    ("WK082801", "Buurtbarbecue Schadewijk", "Een zomerse barbecue op het Walplein voor de hele buurt.", 150),
    ("WK082806", "Bankjes langs de vijver in de Ruwaard", "Drie bankjes zodat ouderen onderweg kunnen uitrusten.", 600),
    ("WK082810", "Jeu-de-boulesbaan Berghem", "Een baan bij het dorpshuis, aangelegd door vrijwilligers.", 450),
    ("WK082822", "Bloembakken in de Dorpsstraat Geffen", "Bewoners planten en onderhouden de bakken zelf.", 90),
    ("WK082800", "Kerstmarkt voor en door bewoners", "Kraampjes van bewoners en verenigingen in het centrum.", 750),
]
#: cheques pledged per initiative (the second is paid out after funding)
PLEDGES = [20, 12, 25, 12, 18]
DEMO_HOUSEHOLDS = 300

HANDGELD = [
    (40, 450, "Koffie en huur zaal voor bewonersavond over de speeltuin", "WK082801", "INK-2026-0312"),
    (33, 1250, "Snel opknappen hekwerk bij de moestuin", "WK082806", "INK-2026-0344"),
    (25, 380, "Materiaal voor de opschoonactie van de dorpsraad", "WK082815", "INK-2026-0398"),
    (18, 2100, "Tijdelijke verlichting op het pad langs de sloot", "WK082818", "INK-2026-0421"),
    (9, 725, "Bijdrage aan de burendag in Berghem", "WK082810", "INK-2026-0457"),
]


def _day(year: int, day_of_year: int, *, not_after: date) -> date:
    return min(date(year, 1, 1) + timedelta(days=day_of_year), not_after)


def _round(value: float) -> Decimal:
    return Decimal(int(round(value / 1000.0)) * 1000)


@transaction.atomic
def budgeting_register_demo_load(*, now: datetime, actor: Any = None, seed: int = 828) -> dict[str, Any]:
    if BudgetLine.objects.filter(is_demo=True).exists():
        return {"skipped": True}
    rng = random.Random(seed)
    departments = {d.slug: d for d in Department.objects.all()}
    wijken = list(Area.objects.current().filter(level="WK").order_by("code"))
    gm = Area.objects.current().filter(level="GM").first()
    population = _population()
    summary: dict[str, Any] = {"lines": 0, "mutations": 0}
    for year in (now.year - 1, now.year):
        last_day = date(year, 12, 31) if year < now.year else now.date()
        elapsed = (last_day - date(year, 1, 1)).days / 365.0
        specs: list[tuple[str, str, Area | None, Any, str, str, Decimal]] = []
        for w in wijken:
            inhabitants = population.get(w.code, 0)
            for n, (title, dept, source, per_head) in enumerate(PER_WIJK):
                amount = _round(max(inhabitants, 150) * per_head * rng.uniform(0.85, 1.15))
                if amount:
                    specs.append((f"W{w.code[-2:]}{n}", f"{title} {w.name}", w, None, dept, source, amount))
        areas = {a.code: a for a in Area.objects.filter(code__in=[s[0] for s in SPECIAL])}
        for n, (code, title, dept, source, amount) in enumerate(SPECIAL):
            if code in areas:
                specs.append((f"S{n:02d}", title, areas[code], None, dept, source, _round(amount * rng.uniform(0.9, 1.1))))
        clustering = Clustering.objects.filter(slug="wijkzaken").first()
        if clustering is not None:
            for n, cluster in enumerate(clustering.clusters.all()):
                specs.append((f"C{n:02d}", f"Gebiedsbudget {cluster.name}", None, cluster, "wijkzaken", "own", Decimal(CLUSTER_BUDGET)))
        for n, (title, dept, source, amount) in enumerate(CITYWIDE):
            specs.append((f"G{n:02d}", title, gm, None, dept, source, _round(amount * rng.uniform(0.95, 1.05))))
        for ref, title, area, cluster, dept, source, amount in specs:
            line = register_services.budget_line_create(
                year=year, reference=f"DEMO-{year}-{ref}", title=title, area=area, cluster=cluster, source=source,
                department=departments[dept], amount=amount, description="Demo: verzonnen bedrag, geen echte begroting.",
                is_demo=True, actor=actor, now=now,
            )
            summary["lines"] += 1
            committed = (amount * Decimal(str(rng.uniform(0.7, 0.98)))).quantize(Decimal(1))
            spent = min(committed, (amount * Decimal(str(min(1.0, elapsed * rng.uniform(0.75, 1.05))))).quantize(Decimal(1)))
            register_services.budget_mutation_add(line=line, kind="committed", on=_day(year, 31, not_after=last_day), amount=committed,
                                                  note="Demo: opdrachten en subsidiebeschikkingen", actor=actor, now=now)
            first = (spent * Decimal("0.45")).quantize(Decimal(1))
            for on, part in ((_day(year, 150, not_after=last_day), first), (last_day, spent - first)):
                if part > 0:
                    register_services.budget_mutation_add(line=line, kind="spent", on=on, amount=part, note="Demo: betaald",
                                                          actor=actor, now=now)
                    summary["mutations"] += 1
            summary["mutations"] += 1
    summary["vouchers"] = _vouchers(rng, now=now, actor=actor)
    summary["handgeld"] = _handgeld(now=now, actor=actor)
    return summary


def _population() -> dict[str, int]:
    """Inhabitants per wijk (CBS), to scale the invented amounts."""
    codes = list(Area.objects.current().filter(level="WK").values_list("code", flat=True))
    return {code: n for code, n in monitoring_selectors.population(codes).items() if n is not None}


def _vouchers(rng: random.Random, *, now: datetime, actor: Any) -> dict[str, Any]:
    year = now.year
    period = voucher_services.voucher_period_create(
        name=f"Buurtcheques {year} (demo)", starts_on=date(year, 1, 1), ends_on=date(year, 12, 31),
        cheque_value=Decimal("7.50"), cheques_per_household=2, is_demo=True, actor=actor, now=now.replace(month=1, day=1, hour=9),
    )
    letters = voucher_services.vouchers_issue(period=period, households=DEMO_HOUSEHOLDS, actor=actor,
                                              now=now.replace(month=1, day=1, hour=9), rng=rng)
    codes = [c for letter in letters for c in letter]
    areas = {a.code: a for a in Area.objects.filter(code__in=[i[0] for i in INITIATIVES])}
    start = datetime(year, 1, 2, 10, 0, tzinfo=now.tzinfo)
    span = max((now - start).total_seconds(), 3600.0)
    used = 0
    initiatives = []
    for (code, title, text, target), n in zip(INITIATIVES, PLEDGES, strict=True):
        if code not in areas:
            continue
        initiative = voucher_services.initiative_create(period=period, title=title, description=text, area=areas[code],
                                                        target=Decimal(target), actor=actor, now=start)
        initiatives.append(initiative)
        for k in range(n):
            if initiative.status != "open":
                break
            at = start + timedelta(seconds=span * (0.1 + 0.85 * (used % 97) / 97))
            voucher_services.voucher_pledge(code=codes[used], initiative=initiative, now=min(at, now))
            initiative.refresh_from_db()
            used += 1
            del k
    paid = next((i for i in initiatives if i.status == "funded"), None)
    if paid is not None:
        voucher_services.initiative_pay_out(initiative=paid, reference="DEMO-BETALING-001", actor=actor, now=now)
    return {"period": period.pk, "issued": len(codes), "pledged": used, "unused_demo_codes": codes[used : used + 5]}


def _handgeld(*, now: datetime, actor: Any) -> dict[str, Any]:
    manager = User.objects.filter(username="demo-gebiedsmanager").first()
    if manager is None:
        return {}
    budget = handgeld_services.handgeld_budget_set(manager=manager, year=now.year, amount=Decimal(10_000), is_demo=True,
                                                   actor=actor, now=now)
    areas = {a.code: a for a in Area.objects.filter(code__in=[h[3] for h in HANDGELD])}
    n = 0
    for days_ago, amount, purpose, code, receipt in HANDGELD:
        spent_on = max(now.date() - timedelta(days=days_ago * 7), date(now.year, 1, 1))
        if code in areas:
            handgeld_services.handgeld_spend(budget=budget, spent_on=spent_on, amount=Decimal(amount), purpose=purpose,
                                             area=areas[code], receipt_reference=receipt, actor=manager, now=now)
            n += 1
    return {"budget": budget.pk, "entries": n}

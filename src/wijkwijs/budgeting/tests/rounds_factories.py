"""Rounds made through the services, in a given phase: ``make_round(phase="voting")``.

Traits are named after the phases: a round "in voting" has reviewed proposals and codes; "in
results" has ballots and a computed result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from wijkwijs.accounts.models import User
from wijkwijs.areas.models import Area
from wijkwijs.budgeting import services
from wijkwijs.budgeting.models import PHASE_ORDER, Proposal, Round
from wijkwijs.conftest import NOW

#: Points inside Schadewijk (WK082801), Oss, and one outside it.
IN_SCHADEWIJK = (5.5334, 51.7775)
OUTSIDE = (5.5450, 51.7530)  # Buitengebied-Zuid

PROPOSALS = [("Bankjes bij de bushalte", 6000), ("Speelplek voor de jeugd", 14000), ("Geveltuinen in de straat", 4000),
             ("Moestuin bij het buurthuis", 5000), ("Verlichting van het fietspad", 12000)]


@dataclass
class Made:
    round: Round
    proposals: list[Proposal]
    codes: list[str] = field(default_factory=list)


def user(role: str) -> User:
    return User.objects.filter(username__startswith="demo-", role=role).order_by("username").first()


def make_round(*, phase: str = "voting", slug: str = "test-ronde", ballot_type: str = "approval", rule: str = "greedy",
               budget: int = 20000, max_choices: int | None = 3, total_points: int | None = None, n_codes: int = 10,
               ballots: list[list[tuple[str, int]]] | None = None, calendar: dict[str, date] | None = None) -> Made:
    """The steps run at fixed times from ``NOW - 60 days``; pages run at the real time. So the
    default calendar keeps every phase open from then until a month after today (a phase past
    its closing day takes nothing, even before the hourly job moves it on); pass ``calendar``
    (the five dates of :class:`~wijkwijs.budgeting.services.RoundSpec`) to test the calendar."""
    staff, admin, resident = user("coordinator"), user("administrator"), user("resident")
    start = NOW - timedelta(days=60)
    far = max(NOW.date(), timezone.localdate()) + timedelta(days=30)
    calendar = calendar or {"ideas_opens": date(2026, 9, 1), "ideas_close": far, "voting_opens": far,
                            "voting_closes": far + timedelta(days=30), "results_on": far + timedelta(days=37)}
    rnd = services.round_create(spec=services.RoundSpec(
        slug=slug, title=f"Testronde {slug}", area=Area.objects.get(code="WK082801"), budget=budget,
        frameworks="Openbare ruimte, eenmalige kosten, binnen een jaar uitvoerbaar.",
        **calendar, ballot_type=ballot_type, min_choices=1,
        max_choices=max_choices, total_points=total_points, rule=rule,
    ), actor=staff, now=start)
    made = Made(round=rnd, proposals=[])
    target = PHASE_ORDER.index(phase)
    if target >= PHASE_ORDER.index("ideas"):
        rnd = services.round_advance(round=rnd, actor=staff, now=start + timedelta(days=1))
        for i, (title, cost) in enumerate(PROPOSALS):
            made.proposals.append(services.proposal_submit(
                round=rnd, title=title, description=f"{title}: een voorstel voor de hele buurt, met draagvlak.", cost=cost,
                lon=IN_SCHADEWIJK[0], lat=IN_SCHADEWIJK[1], actor=resident, now=start + timedelta(days=2 + i)))
    if target >= PHASE_ORDER.index("review"):
        rnd = services.round_advance(round=rnd, actor=staff, now=start + timedelta(days=10))
        made.proposals = [services.proposal_review(proposal=p, decision="eligible", motivation="Past binnen de kaders.",
                                                   actor=staff, now=start + timedelta(days=11)) for p in made.proposals]
        if n_codes:
            _batch, made.codes = services.codes_generate(round=rnd, count=n_codes, actor=admin, now=start + timedelta(days=12))
    if target >= PHASE_ORDER.index("voting"):
        rnd = services.round_advance(round=rnd, actor=staff, now=start + timedelta(days=20))
        for i, choices in enumerate(ballots or []):
            services.ballot_cast(round=rnd, code=made.codes[i], choices=choices, now=start + timedelta(days=21, minutes=i))
    if target >= PHASE_ORDER.index("results"):
        rnd = services.round_advance(round=rnd, actor=staff, now=start + timedelta(days=40))
    if target >= PHASE_ORDER.index("implementation"):
        rnd = services.round_advance(round=rnd, actor=staff, now=start + timedelta(days=41))
    made.round = Round.objects.get(pk=rnd.pk)
    return made


#: Ballots for the five proposals (approval): 1 and 2 most popular.
APPROVALS = [[("1", 1), ("2", 1)], [("1", 1)], [("2", 1), ("3", 1)], [("1", 1), ("4", 1)], [("2", 1), ("5", 1)],
             [("1", 1), ("3", 1)], [("5", 1)], [("3", 1), ("4", 1)]]

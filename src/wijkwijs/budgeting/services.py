"""Writes on participatory-budgeting rounds: create, advance the phase, proposals, review,
voting codes, ballots, results and implementation updates.

Every service is keyword-only, takes ``actor`` and ``now``, runs in one transaction, records an
audit event and stores nothing when it raises :class:`DomainError`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwijs.areas.models import Area, Cluster
from wijkwijs.areas.selectors import area_lookup
from wijkwijs.audit.services import record
from wijkwijs.budgeting import ballot as ballots_pure
from wijkwijs.budgeting import codes, selectors
from wijkwijs.budgeting.models import (
    PHASE_ORDER,
    Ballot,
    BallotEntry,
    BallotType,
    CodeBatch,
    ImplementationStatus,
    ImplementationUpdate,
    Outcome,
    Phase,
    PhaseChange,
    Proposal,
    ProposalStatus,
    Result,
    Review,
    Round,
    VotingCode,
)
from wijkwijs.budgeting.rules import RULES, parse_pb
from wijkwijs.core.errors import DomainError, Problem

MAX_CODES_PER_BATCH = 20000


def _label(actor: Any, fallback: str = "systeem") -> str:
    return str(actor.get_username()) if getattr(actor, "is_authenticated", False) else fallback


# -- rounds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundSpec:
    slug: str
    title: str
    budget: int
    frameworks: str
    ideas_opens: date
    ideas_close: date
    voting_opens: date
    voting_closes: date
    results_on: date
    area: Area | None = None
    cluster: Cluster | None = None
    description: str = ""
    ballot_type: str = BallotType.APPROVAL
    min_choices: int = 1
    max_choices: int | None = None
    total_points: int | None = None
    rule: str = "greedy"


def _validate_round(spec: RoundSpec) -> list[Problem]:
    p: list[Problem] = []
    if (spec.area is None) == (spec.cluster is None):
        p.append(Problem(field="area", reason=_("Choose either an area or a cluster.")))
    if not spec.slug.strip():
        p.append(Problem(field="slug", reason=_("Give the round a code.")))
    elif Round.objects.filter(slug=spec.slug).exists():
        p.append(Problem(field="slug", reason=_("A round with this code exists already.")))
    if not spec.title.strip():
        p.append(Problem(field="title", reason=_("Give the round a title.")))
    if spec.budget <= 0:
        p.append(Problem(field="budget", reason=_("The budget must be more than 0 euro.")))
    if not spec.frameworks.strip():
        p.append(Problem(field="frameworks", reason=_("Describe the frameworks proposals are reviewed against.")))
    dates = [spec.ideas_opens, spec.ideas_close, spec.voting_opens, spec.voting_closes, spec.results_on]
    if any(a > b for a, b in zip(dates, dates[1:], strict=False)):
        p.append(Problem(field="ideas_opens", reason=_(
            "The dates must be in order: ideas open, ideas close, voting opens, voting closes, results.")))
    if spec.ballot_type not in BallotType.values:
        p.append(Problem(field="ballot_type", reason=_("Unknown ballot type.")))
    if spec.min_choices < 1:
        p.append(Problem(field="min_choices", reason=_("A voter chooses at least one project.")))
    if spec.max_choices is not None and spec.max_choices < spec.min_choices:
        p.append(Problem(field="max_choices", reason=_("The maximum is smaller than the minimum.")))
    if spec.ballot_type == BallotType.CUMULATIVE and not spec.total_points:
        p.append(Problem(field="total_points", reason=_("A points ballot needs the number of points per voter.")))
    if spec.rule not in RULES:
        p.append(Problem(field="rule", reason=_("Unknown allocation rule %(rule)s.") % {"rule": spec.rule}))
    return p


@transaction.atomic
def round_create(*, spec: RoundSpec, actor: Any, now: datetime, is_demo: bool = False) -> Round:
    problems = _validate_round(spec)
    if problems:
        raise DomainError(_("The round was not created."), problems=problems)
    rnd = Round.objects.create(
        slug=spec.slug.strip(), title=spec.title.strip(), description=spec.description.strip(), area=spec.area,
        cluster=spec.cluster, budget=spec.budget, frameworks=spec.frameworks.strip(), phase=Phase.DRAFT,
        ideas_opens=spec.ideas_opens, ideas_close=spec.ideas_close, voting_opens=spec.voting_opens,
        voting_closes=spec.voting_closes, results_on=spec.results_on, ballot_type=spec.ballot_type,
        min_choices=spec.min_choices, max_choices=spec.max_choices,
        total_points=spec.total_points if spec.ballot_type == BallotType.CUMULATIVE else None,
        rule=spec.rule, is_demo=is_demo, created_at=now, updated_at=now,
    )
    PhaseChange.objects.create(round=rnd, from_phase="", to_phase=Phase.DRAFT, at=now, actor_label=_label(actor))
    record(actor=actor, action="budgeting.round_created", obj=rnd, now=now,
           data={"budget": spec.budget, "rule": spec.rule, "ballot_type": spec.ballot_type})
    return rnd


def _lock(rnd: Round) -> Round:
    return Round.objects.select_for_update().get(pk=rnd.pk)


@transaction.atomic
def round_advance(*, round: Round, actor: Any, now: datetime) -> Round:  # noqa: A002 (domain word)
    """Move the round to its next phase. Voting needs every proposal reviewed and at least one
    eligible; entering results computes the outcome with the round's rule."""
    rnd = _lock(round)
    index = PHASE_ORDER.index(rnd.phase)
    if index + 1 >= len(PHASE_ORDER):
        raise DomainError(_("The round is in its last phase."))
    target = PHASE_ORDER[index + 1]
    if target == Phase.VOTING:
        if rnd.proposals.filter(status=ProposalStatus.SUBMITTED).exists():
            raise DomainError(_("Review every proposal before voting opens."))
        if not rnd.proposals.filter(status=ProposalStatus.ELIGIBLE).exists():
            raise DomainError(_("There is no eligible proposal to vote on."))
    rnd.phase = target
    rnd.updated_at = now
    rnd.save(update_fields=["phase", "updated_at"])
    PhaseChange.objects.create(round=rnd, from_phase=PHASE_ORDER[index], to_phase=target, at=now, actor_label=_label(actor))
    record(actor=actor, action="budgeting.round_phase_changed", obj=rnd, now=now,
           data={"from": PHASE_ORDER[index], "to": target})
    if target == Phase.RESULTS:
        results_compute(round=rnd, actor=actor, now=now)
    return rnd


def _close_due_phase(rnd: Round, today: date) -> str | None:
    """The phase the calendar closes for this round today, or None."""
    if rnd.phase == Phase.IDEAS and rnd.ideas_close < today:
        return Phase.IDEAS
    if rnd.phase == Phase.VOTING and rnd.voting_closes < today:
        return Phase.VOTING
    return None


def rounds_close_due(*, now: datetime, actor: Any = None) -> dict[str, Any]:
    """Close what the calendar closes: ideas after ``ideas_close`` (to review) and voting after
    ``voting_closes`` (to results, which computes the outcome); the closing day counts whole, in
    the municipality's time zone. Opening a phase stays a person's decision (every proposal
    reviewed, codes printed). Idempotent: a round is re-read under a lock, so two runs close it
    once. A round that cannot move (say results fail) is reported and left as it was."""
    today = timezone.localdate(now)
    closed: list[dict[str, str]] = []
    failed: list[dict[str, str]] = []
    due = Round.objects.filter(Q(phase=Phase.IDEAS, ideas_close__lt=today) | Q(phase=Phase.VOTING, voting_closes__lt=today))
    for pk in due.order_by("pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                rnd = Round.objects.select_for_update().get(pk=pk)
                phase = _close_due_phase(rnd, today)
                if phase is None:
                    continue  # another run was first
                rnd = round_advance(round=rnd, actor=actor, now=now)
        except DomainError as exc:
            failed.append({"round": rnd.slug, "reason": str(exc)})
        else:
            closed.append({"round": rnd.slug, "from": phase, "to": rnd.phase})
    return {"closed": len(closed), "rounds": closed, "failed": failed}


# -- proposals ---------------------------------------------------------------------------------


def _round_unit_codes(rnd: Round) -> set[str]:
    if rnd.area_id:
        return {rnd.area.code}
    return set(rnd.cluster.members.values_list("area__code", flat=True))


def _place_in_round(rnd: Round, lon: float, lat: float) -> Area | None:
    """The buurt (or wijk) of the point if it lies in the round's area, else None."""
    found = area_lookup(lon=lon, lat=lat)
    units = _round_unit_codes(rnd)
    if not any(a.code in units for a in found.values()):
        return None
    return found.get("BU") or found.get("WK")


@transaction.atomic
def proposal_submit(
    *, round: Round, title: str, description: str, cost: int, actor: Any, now: datetime,  # noqa: A002
    lon: float | None = None, lat: float | None = None, location_text: str = "", own_contribution: int = 0,
    is_demo: bool = False,
) -> Proposal:
    rnd = _lock(round)
    p: list[Problem] = []
    if not rnd.takes_proposals_on(timezone.localdate(now)):
        raise DomainError(_("This round does not take proposals now."))
    if not getattr(actor, "is_authenticated", False):
        raise DomainError(_("Log in to submit a proposal."))
    if not title.strip():
        p.append(Problem(field="title", reason=_("Give your proposal a title.")))
    elif len(title.strip()) > 120:
        p.append(Problem(field="title", reason=_("The title is longer than 120 characters.")))
    if len(description.strip()) < 20:
        p.append(Problem(field="description", reason=_("Describe your proposal in at least 20 characters.")))
    if cost <= 0:
        p.append(Problem(field="cost", reason=_("The cost must be more than 0 euro.")))
    elif cost > rnd.budget:
        p.append(Problem(field="cost", reason=_("The cost is more than the round's budget of %(budget)s euro.")
                         % {"budget": rnd.budget}))
    if own_contribution < 0 or own_contribution > max(cost, 0):
        p.append(Problem(field="own_contribution", reason=_("The own contribution is between 0 and the cost.")))
    area = None
    if (lon is None) != (lat is None):
        p.append(Problem(field="location", reason=_("Give both longitude and latitude.")))
    elif lon is not None and lat is not None:
        area = _place_in_round(rnd, lon, lat)
        if area is None:
            p.append(Problem(field="location", reason=_("The place on the map is outside %(place)s.")
                             % {"place": rnd.place_name}))
    elif not location_text.strip():
        p.append(Problem(field="location", reason=_("Pick the place on the map or describe where it is.")))
    if p:
        raise DomainError(_("The proposal was not submitted."), problems=p)
    number = (rnd.proposals.aggregate(n=Max("number"))["n"] or 0) + 1
    proposal = Proposal.objects.create(
        round=rnd, number=number, title=title.strip(), description=description.strip(), cost=cost,
        own_contribution=own_contribution, area=area, lon=lon, lat=lat, location_text=location_text.strip()[:300],
        submitted_by=actor, submitted_at=now, is_demo=is_demo,
    )
    record(actor=actor, action="budgeting.proposal_submitted", obj=proposal, now=now, data={"round": rnd.slug, "cost": cost})
    return proposal


@transaction.atomic
def proposal_review(*, proposal: Proposal, decision: str, motivation: str, actor: Any, now: datetime) -> Proposal:
    """Decide eligibility against the round's frameworks; the motivation is shown to everyone."""
    proposal = Proposal.objects.select_for_update().select_related("round").get(pk=proposal.pk)
    if proposal.round.phase not in (Phase.IDEAS, Phase.REVIEW):
        raise DomainError(_("Proposals are reviewed only in the ideas and review phases."))
    p: list[Problem] = []
    if decision not in (ProposalStatus.ELIGIBLE, ProposalStatus.INELIGIBLE):
        p.append(Problem(field="decision", reason=_("Choose eligible or not eligible.")))
    if len(motivation.strip()) < 10:
        p.append(Problem(field="motivation", reason=_("Give a motivation of at least 10 characters: the proposer reads it.")))
    if p:
        raise DomainError(_("The review was not saved."), problems=p)
    Review.objects.create(proposal=proposal, decision=decision, motivation=motivation.strip(), at=now,
                          reviewer=actor if getattr(actor, "is_authenticated", False) else None)
    proposal.status = decision
    proposal.review_motivation = motivation.strip()
    proposal.save(update_fields=["status", "review_motivation"])
    record(actor=actor, action="budgeting.proposal_reviewed", obj=proposal, now=now, data={"decision": decision})
    return proposal


# -- voting codes and ballots ------------------------------------------------------------------


@transaction.atomic
def codes_generate(
    *, round: Round, count: int, actor: Any, now: datetime, label: str = "",  # noqa: A002
    rng: random.Random | None = None,
) -> tuple[CodeBatch, list[str]]:
    """Make ``count`` single-use codes; returns them once (to print); only hashes are kept."""
    rnd = _lock(round)
    if rnd.phase in (Phase.RESULTS, Phase.IMPLEMENTATION):
        raise DomainError(_("Voting is over: no more codes for this round."))
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise DomainError(_("The number of codes was not generated."), problems=[Problem(
            field="count", reason=_("Give a number from 1 to %(max)s.") % {"max": MAX_CODES_PER_BATCH})])
    batch = CodeBatch.objects.create(round=rnd, label=label.strip()[:200], size=count, created_at=now,
                                     created_by=actor if getattr(actor, "is_authenticated", False) else None)
    plain = codes.sequence(count, rng)
    hashes = [codes.voting_hash(c) for c in plain]
    taken = set(VotingCode.objects.filter(code_hash__in=hashes).values_list("code_hash", flat=True))
    if taken:  # astronomically unlikely (60 bits); never reuse a code
        raise DomainError(_("Generating codes failed; try again."))
    VotingCode.objects.bulk_create([VotingCode(round=rnd, batch=batch, code_hash=h) for h in hashes], batch_size=1000)
    record(actor=actor, action="budgeting.codes_generated", obj=rnd, now=now, data={"batch": batch.pk, "count": count})
    return batch, plain


BALLOT_MESSAGES = {
    "unknown_project": lambda d: _("Project %(project)s is not on this ballot.") % d,
    "duplicate_project": lambda d: _("Project %(project)s is chosen twice.") % d,
    "bad_value": lambda d: _("The value for project %(project)s is not valid.") % d,
    "too_few": lambda d: _("Choose at least %(min)s project(s).") % d,
    "too_many": lambda d: _("Choose at most %(max)s project(s).") % d,
    "points_total": lambda d: _("You gave %(total)s points; you have %(max)s.") % d,
    "rank_order": lambda d: _("Number your %(n)s choices 1, 2, 3 ... without gaps or doubles.") % d,
}


def ballot_problems(rnd: Round, choices: Sequence[tuple[str, int]]) -> list[Problem]:
    spec = selectors.ballot_spec(rnd)
    return [Problem(field="ballot", reason=BALLOT_MESSAGES[bp.code](bp.params))
            for bp in ballots_pure.validate(spec, list(choices))]


@transaction.atomic
def ballot_cast(
    *, round: Round, code: str, choices: Sequence[tuple[str, int]], now: datetime, actor: Any = None,  # noqa: A002
    rng: random.Random | None = None, is_demo: bool = False,
) -> str:
    """Cast one ballot with a single-use code; returns the receipt code (shown once).

    The code is spent with a conditional ``UPDATE ... WHERE used_at IS NULL`` and its row count:
    of two concurrent requests with the same code exactly one succeeds, on SQLite and
    PostgreSQL alike. The ballot keeps no reference to the code, the time or the voter.
    """
    rnd = Round.objects.get(pk=round.pk)
    if not rnd.takes_votes_on(timezone.localdate(now)):
        raise DomainError(_("Voting in this round is not open."))
    if not codes.is_well_formed(code):
        raise DomainError(_("The voting code was not accepted."), problems=[Problem(
            field="code", reason=_("A voting code has 12 letters and digits, like ABCD-EFGH-JKMN."))])
    problems = ballot_problems(rnd, choices)
    if problems:
        raise DomainError(_("The ballot was not cast."), problems=problems)
    digest = codes.voting_hash(code)
    spent = VotingCode.objects.filter(round=rnd, code_hash=digest, used_at__isnull=True).update(used_at=now)
    if spent != 1:
        used = VotingCode.objects.filter(round=rnd, code_hash=digest).exists()
        reason = _("This voting code has been used already.") if used else _("This voting code is not known for this round.")
        raise DomainError(_("The voting code was not accepted."), problems=[Problem(field="code", reason=reason)])
    spec = selectors.ballot_spec(rnd)
    normal = ballots_pure.normalise(spec, list(choices))
    receipt = "R-" + codes.generate(rng)
    ballot = Ballot.objects.create(round=rnd, receipt_hash=codes.receipt_hash(receipt), is_demo=is_demo)
    by_number = {p.project_id: p for p in rnd.proposals.filter(status=ProposalStatus.ELIGIBLE)}
    ordinal = rnd.ballot_type == BallotType.ORDINAL
    BallotEntry.objects.bulk_create([
        BallotEntry(ballot=ballot, proposal=by_number[pid], points=1 if ordinal else value, rank=value if ordinal else 0)
        for pid, value in normal
    ])
    # The audit event says a ballot was cast in the round; not which code, ballot or choices.
    record(actor=actor, action="budgeting.ballot_cast", obj=rnd, now=now, label=_label(actor, "kiezer (anoniem)"))
    return receipt


# -- results and implementation ----------------------------------------------------------------


@transaction.atomic
def results_compute(*, round: Round, actor: Any, now: datetime) -> Result:  # noqa: A002
    """Compute the outcome from the ballots with the round's rule (through the pabulib text the
    round exports), and store it with every project's explanation."""
    rnd = Round.objects.get(pk=round.pk)
    if rnd.phase not in (Phase.RESULTS, Phase.IMPLEMENTATION):
        raise DomainError(_("Results are computed after voting has closed."))
    instance = parse_pb(selectors.round_pb_text(rnd, with_outcome=False))
    outcome = RULES[rnd.rule](instance)
    votes = selectors.vote_counts(rnd)
    points = selectors.points_totals(rnd) if rnd.ballot_type == BallotType.CUMULATIVE else {}
    cost = outcome.total_cost
    result = Result.objects.create(round=rnd, rule=rnd.rule, computed_at=now, ballots=instance.num_voters,
                                   total_cost=int(cost), details={k: str(v) for k, v in outcome.details.items()})
    proposals = {p.project_id: p for p in rnd.proposals.filter(status=ProposalStatus.ELIGIBLE)}
    rows = []
    for pid, proposal in proposals.items():
        expl = outcome.explanations.get(pid)
        rows.append(Outcome(
            result=result, proposal=proposal, selected=pid in outcome.selected, votes=votes.get(proposal.pk, 0),
            score=(expl.score if expl and expl.score else str(points.get(proposal.pk, ""))), reason=expl.reason if expl else "",
            mes_round=expl.round if expl else None, payers=expl.payers if expl else None,
            payments=[list(p) for p in expl.payments] if expl else [],
        ))
    Outcome.objects.bulk_create(rows)
    record(actor=actor, action="budgeting.results_computed", obj=rnd, now=now,
           data={"result": result.pk, "rule": rnd.rule, "ballots": instance.num_voters, "selected": list(outcome.selected)})
    return result


@transaction.atomic
def implementation_update_add(
    *, proposal: Proposal, on: date, status: str, text: str, spent: int, actor: Any, now: datetime,
) -> ImplementationUpdate:
    proposal = Proposal.objects.select_related("round").get(pk=proposal.pk)
    if not selectors.is_funded(proposal):
        raise DomainError(_("Only funded projects have implementation updates."))
    p: list[Problem] = []
    if status not in ImplementationStatus.values:
        p.append(Problem(field="status", reason=_("Choose a status.")))
    if len(text.strip()) < 5:
        p.append(Problem(field="text", reason=_("Say what happened.")))
    if spent < 0:
        p.append(Problem(field="spent", reason=_("The amount spent cannot be negative.")))
    if on > now.date():
        p.append(Problem(field="on", reason=_("The date is in the future.")))
    if p:
        raise DomainError(_("The update was not saved."), problems=p)
    update = ImplementationUpdate.objects.create(
        proposal=proposal, on=on, status=status, text=text.strip(), spent=spent, at=now,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor=actor, action="budgeting.implementation_updated", obj=proposal, now=now,
           data={"status": status, "spent": spent})
    return update

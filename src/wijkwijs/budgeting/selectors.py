"""Reads on participatory-budgeting rounds (public pages, staff pages, API, export)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from wijkwijs.areas.models import Area
from wijkwijs.budgeting import ballot as ballots_pure
from wijkwijs.budgeting import codes
from wijkwijs.budgeting.models import (
    Ballot,
    BallotEntry,
    BallotType,
    ImplementationUpdate,
    Outcome,
    Phase,
    Proposal,
    ProposalStatus,
    Result,
    Round,
    VotingCode,
)
from wijkwijs.core.errors import NotFound


def rounds_visible(user: Any) -> QuerySet[Round]:
    qs = Round.objects.select_related("area", "cluster", "cluster__clustering")
    if not user.has_perm("budgeting.manage_round"):
        qs = qs.exclude(phase=Phase.DRAFT)
    return qs


def round_get(slug: str, user: Any) -> Round:
    rnd = rounds_visible(user).filter(slug=slug).first()
    if rnd is None:
        raise NotFound(f"no round {slug!r}")
    return rnd


def proposals_public(rnd: Round) -> QuerySet[Proposal]:
    """What everyone sees: eligible proposals (and, once reviewed, the others with their motivation)."""
    return rnd.proposals.select_related("area").exclude(status=ProposalStatus.SUBMITTED).order_by("number")


def proposals_all(rnd: Round) -> QuerySet[Proposal]:
    return rnd.proposals.select_related("area", "submitted_by").order_by("number")


def proposals_of(user: Any) -> QuerySet[Proposal]:
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    return Proposal.objects.filter(submitted_by=user).select_related("round").order_by("-submitted_at")


def proposal_get(rnd: Round, number: int) -> Proposal:
    proposal = rnd.proposals.select_related("area").filter(number=number).first()
    if proposal is None:
        raise NotFound(f"no proposal {number}")
    return proposal


def eligible(rnd: Round) -> list[Proposal]:
    return list(rnd.proposals.filter(status=ProposalStatus.ELIGIBLE).select_related("area").order_by("number"))


def ballot_spec(rnd: Round) -> ballots_pure.BallotSpec:
    ids = frozenset(str(n) for n in rnd.proposals.filter(status=ProposalStatus.ELIGIBLE).values_list("number", flat=True))
    return ballots_pure.BallotSpec(ballot_type=rnd.ballot_type, projects=ids, min_choices=rnd.min_choices,
                                   max_choices=rnd.max_choices, total_points=rnd.total_points)


def vote_counts(rnd: Round) -> dict[int, int]:
    """Per proposal id: on how many ballots it appears."""
    rows = BallotEntry.objects.filter(ballot__round=rnd).values("proposal").annotate(n=Count("id"))
    return {r["proposal"]: r["n"] for r in rows}


def points_totals(rnd: Round) -> dict[int, int]:
    """Per proposal id: the points it got (points ballots)."""
    rows = BallotEntry.objects.filter(ballot__round=rnd).values("proposal").annotate(n=Sum("points"))
    return {r["proposal"]: r["n"] for r in rows}


def _ballots(rnd: Round) -> list[list[tuple[str, int]]]:
    ordinal = rnd.ballot_type == BallotType.ORDINAL
    by_ballot: dict[Any, list[tuple[str, int]]] = {}
    for ballot_id in Ballot.objects.filter(round=rnd).order_by("id").values_list("id", flat=True):
        by_ballot[ballot_id] = []
    entries = BallotEntry.objects.filter(ballot__round=rnd).values_list("ballot_id", "proposal__number", "points", "rank")
    for ballot_id, number, points, rank in entries.order_by("ballot_id", "rank", "proposal__number"):
        by_ballot[ballot_id].append((str(number), rank if ordinal else points))
    return list(by_ballot.values())


def _date(d: Any) -> str:
    return d.strftime("%d.%m.%Y")


def round_pb_text(rnd: Round, *, with_outcome: bool = True) -> str:
    """The round as a pabulib ``.pb`` file: eligible projects, every ballot (anonymous voter ids
    1..n), and, ``with_outcome``, the ``selected`` column of the latest result."""
    projects = eligible(rnd)
    votes = vote_counts(rnd)
    selected: set[int] = set()
    latest = result_latest(rnd) if with_outcome else None
    if latest is not None:
        selected = set(latest.outcomes.filter(selected=True).values_list("proposal_id", flat=True))
    ballots = _ballots(rnd)
    vote_type = rnd.ballot_type
    meta = {
        "description": rnd.title,
        "country": "Netherlands",
        "unit": rnd.place_name,
        "instance": rnd.slug,
        "num_projects": str(len(projects)),
        "num_votes": str(len(ballots)),
        "budget": str(rnd.budget),
        "vote_type": vote_type,
        "rule": rnd.rule,
        "date_begin": _date(rnd.voting_opens),
        "date_end": _date(rnd.voting_closes),
        "language": "nl",
        "edition": str(rnd.voting_opens.year),
        "min_length": str(rnd.min_choices),
        "max_length": str(rnd.max_choices or len(projects)),
    }
    if vote_type == BallotType.CUMULATIVE:
        meta["max_sum_points"] = str(rnd.total_points or 0)
    if rnd.is_demo:
        meta["comment"] = "Demo data generated by Wijkwijs (invented proposals and ballots)"
    rows = []
    for p in projects:
        row = {"project_id": p.project_id, "cost": str(p.cost), "votes": str(votes.get(p.pk, 0)), "name": p.title,
               "own_contribution": str(p.own_contribution)}
        if latest is not None:
            row["selected"] = "1" if p.pk in selected else "0"
        rows.append(row)
    return ballots_pure.pb_text(meta=meta, projects=rows, ballot_type=vote_type, ballots=ballots)


def result_latest(rnd: Round) -> Result | None:
    return rnd.results.order_by("-computed_at", "-id").first()


def is_funded(proposal: Proposal) -> bool:
    latest = result_latest(proposal.round)
    return latest is not None and latest.outcomes.filter(proposal=proposal, selected=True).exists()


def funded(rnd: Round) -> list[Proposal]:
    latest = result_latest(rnd)
    if latest is None:
        return []
    return [o.proposal for o in latest.outcomes.filter(selected=True).select_related("proposal").order_by("proposal__number")]


def outcomes(result: Result) -> QuerySet[Outcome]:
    return result.outcomes.select_related("proposal", "proposal__area").order_by("-selected", "proposal__number")


@dataclass(frozen=True)
class Progress:
    status: str
    status_label: str
    spent: int
    updates: list[ImplementationUpdate]


def progress(proposal: Proposal) -> Progress | None:
    updates = list(proposal.updates.order_by("on", "at", "id"))
    if not updates:
        return None
    last = updates[-1]
    return Progress(status=last.status, status_label=last.get_status_display(), spent=last.spent, updates=updates)


def receipt_counted(rnd: Round, receipt: str) -> bool:
    """Whether a ballot with this receipt is in the round (and so in its count)."""
    return Ballot.objects.filter(round=rnd, receipt_hash=codes.receipt_hash(receipt)).exists()


def code_stats(rnd: Round) -> dict[str, int]:
    agg = VotingCode.objects.filter(round=rnd).aggregate(total=Count("id"), used=Count("id", filter=Q(used_at__isnull=False)))
    return {"total": agg["total"], "used": agg["used"], "ballots": Ballot.objects.filter(round=rnd).count()}


def code_problem(rnd: Round, code: str) -> str | None:
    """Why a code cannot vote (a read-only check before the ballot is shown), or None."""
    if not codes.is_well_formed(code):
        return _("A voting code has 12 letters and digits, like ABCD-EFGH-JKMN.")
    row = VotingCode.objects.filter(round=rnd, code_hash=codes.voting_hash(code)).first()
    if row is None:
        return _("This voting code is not known for this round.")
    if row.used_at is not None:
        return _("This voting code has been used already.")
    return None


def round_units(rnd: Round) -> QuerySet[Area]:
    """The areas the round covers: its area, or the members of its cluster."""
    if rnd.area_id:
        return Area.objects.filter(pk=rnd.area_id)
    return Area.objects.filter(cluster_memberships__cluster=rnd.cluster).order_by("code")


def demo_unused_codes(rnd: Round, n: int = 3) -> list[str]:
    """For a demo round only: a few unused codes of its first batch (made with ``codes.demo_rng``),
    so visitors of the demo can try voting. Real rounds have no recoverable codes."""
    first = rnd.code_batches.order_by("created_at", "id").first()
    if not rnd.is_demo or first is None:
        return []
    out = []
    for code in codes.sequence(first.size, codes.demo_rng(rnd.slug)):
        row = VotingCode.objects.filter(round=rnd, code_hash=codes.voting_hash(code)).only("used_at").first()
        if row is not None and row.used_at is None:
            out.append(code)
            if len(out) == n:
                break
    return out

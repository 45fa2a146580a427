"""B2/B4: participatory-budgeting rounds, proposals, voting codes, ballots, results, implementation.

Privacy by design: a :class:`VotingCode` stores only a keyed hash of the printed code and when
it was used; a :class:`Ballot` has a random id, no time, no code and no person, so no ballot can
be traced back to a code, a household or a moment. History is append-only: phase changes,
reviews, result computations and implementation updates are new rows.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    IDEAS = "ideas", _("Ideas")
    REVIEW = "review", _("Review")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")
    IMPLEMENTATION = "implementation", _("Implementation")


#: The order of the phases; a round moves one step forward at a time.
PHASE_ORDER = [p.value for p in Phase]


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Approval (choose projects)")
    CUMULATIVE = "cumulative", _("Points (divide your points)")
    ORDINAL = "ordinal", _("Ranking (put projects in order)")


class Round(models.Model):
    """A participatory-budgeting round for one area or one cluster of a clustering."""

    slug = models.SlugField(_("code"), unique=True, max_length=60)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="pb_rounds")
    cluster = models.ForeignKey("areas.Cluster", verbose_name=_("cluster"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="pb_rounds")
    budget = models.PositiveBigIntegerField(_("budget (euro)"))
    frameworks = models.TextField(_("frameworks"), help_text=_("What proposals are reviewed against."))
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    ideas_opens = models.DateField(_("ideas open"))
    ideas_close = models.DateField(_("ideas close"))
    voting_opens = models.DateField(_("voting opens"))
    voting_closes = models.DateField(_("voting closes"))
    results_on = models.DateField(_("results published"))
    ballot_type = models.CharField(_("ballot type"), max_length=20, choices=BallotType.choices,
                                   default=BallotType.APPROVAL)
    min_choices = models.PositiveIntegerField(_("minimum number of projects"), default=1)
    max_choices = models.PositiveIntegerField(_("maximum number of projects"), null=True, blank=True)
    total_points = models.PositiveIntegerField(_("points per voter"), null=True, blank=True)
    rule = models.CharField(_("allocation rule"), max_length=60, default="greedy")
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["-voting_opens", "slug"]
        verbose_name = _("budgeting round")
        verbose_name_plural = _("budgeting rounds")
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(cluster__isnull=True)) | (Q(area__isnull=True) & Q(cluster__isnull=False)),
                name="budgeting_round_area_xor_cluster"),
            models.CheckConstraint(condition=Q(ideas_close__gte=models.F("ideas_opens")), name="budgeting_round_ideas_order"),
            models.CheckConstraint(condition=Q(voting_opens__gte=models.F("ideas_close")), name="budgeting_round_voting_after_ideas"),
            models.CheckConstraint(condition=Q(voting_closes__gte=models.F("voting_opens")), name="budgeting_round_voting_order"),
            models.CheckConstraint(condition=Q(results_on__gte=models.F("voting_closes")), name="budgeting_round_results_after_voting"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="budgeting_round_budget_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place_name(self) -> str:
        return self.area.name if self.area_id else (self.cluster.name if self.cluster_id else "")

    @property
    def is_public(self) -> bool:
        return self.phase != Phase.DRAFT

    def takes_proposals_on(self, day: date) -> bool:
        """In the ideas phase and not past its closing day (the hourly job moves the phase on
        later; until then the calendar, not the phase, decides)."""
        return self.phase == Phase.IDEAS and day <= self.ideas_close

    def takes_votes_on(self, day: date) -> bool:
        """In the voting phase and not past its closing day (as for proposals)."""
        return self.phase == Phase.VOTING and day <= self.voting_closes


class PhaseChange(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=20, blank=True)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    at = models.DateTimeField()
    actor_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")


class Proposal(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    cost = models.PositiveIntegerField(_("cost (euro)"))
    own_contribution = models.PositiveIntegerField(_("own contribution (euro)"), default=0)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    location_text = models.CharField(_("location description"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED)
    review_motivation = models.TextField(_("motivation"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="pb_proposals")
    submitted_at = models.DateTimeField(_("submitted"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["round", "number"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="budgeting_proposal_number_unique"),
            models.CheckConstraint(condition=Q(cost__gt=0), name="budgeting_proposal_cost_positive"),
            models.CheckConstraint(condition=Q(own_contribution__lte=models.F("cost")), name="budgeting_proposal_own_lte_cost"),
            models.CheckConstraint(
                condition=(Q(lon__isnull=True) & Q(lat__isnull=True)) | (Q(lon__isnull=False) & Q(lat__isnull=False)),
                name="budgeting_proposal_lonlat_both"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def project_id(self) -> str:
        """The id in the pabulib export and the rules engine."""
        return str(self.number)


class Review(models.Model):
    """One eligibility decision on a proposal (append-only; the proposal keeps the latest)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=20, choices=ProposalStatus.choices)
    motivation = models.TextField()
    at = models.DateTimeField()
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]


class CodeBatch(models.Model):
    """A batch of voting codes generated (and printed) at once."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="code_batches")
    label = models.CharField(_("label"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("number of codes"))
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]


class VotingCode(models.Model):
    """A single-use voting code: only its keyed hash is stored; ``used_at`` is set exactly once."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="codes")
    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["round", "used_at"], name="budgeting_code_round_used")]


class Ballot(models.Model):
    """A cast ballot: a random id, the round and a hash of the receipt code. No person, no time,
    no voting code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")
    receipt_hash = models.CharField(max_length=64, unique=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class BallotEntry(models.Model):
    """One choice on a ballot: the project, and the points (cumulative) or rank (ordinal, 1 first)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="ballot_entries")
    points = models.PositiveIntegerField(default=1)
    rank = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["ballot", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "proposal"], name="budgeting_entry_once")]


class Result(models.Model):
    """One computation of the outcome (append-only; the latest counts)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    rule = models.CharField(max_length=60)
    computed_at = models.DateTimeField()
    ballots = models.PositiveIntegerField()
    total_cost = models.PositiveBigIntegerField()
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = ["computed_at", "id"]


class Outcome(models.Model):
    """Per project in a result: selected or not, the score and the rule's explanation."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="outcomes")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="outcomes")
    selected = models.BooleanField()
    score = models.CharField(max_length=40, blank=True)
    votes = models.PositiveIntegerField(default=0)
    reason = models.TextField(blank=True)  # the engine's explanation (English), translated on display
    mes_round = models.PositiveIntegerField(null=True, blank=True)
    payers = models.PositiveIntegerField(null=True, blank=True)
    payments = models.JSONField(default=list, blank=True)  # [[amount, voters], ...] aggregated

    class Meta:
        ordering = ["-selected", "proposal__number"]


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


class ImplementationUpdate(models.Model):
    """A dated, public update on a funded project: status, what happened, euros spent so far."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=ImplementationStatus.choices)
    text = models.TextField(_("update"))
    spent = models.PositiveIntegerField(_("spent so far (euro)"))
    at = models.DateTimeField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["on", "at", "id"]


from wijkwijs.budgeting.register_models import *  # noqa: E402,F403  (the register, vouchers and handgeld)

"""REST API of participatory-budgeting rounds (NL API Design Rules: camelCase, no trailing
slashes, problem+json errors). Voting needs no account: the single-use code is the right to vote."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkwijs.budgeting import codeguard, explain, selectors, services
from wijkwijs.budgeting.models import Proposal, Round
from wijkwijs.budgeting.rules import RULES
from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError, NotFound


def _round(request: Request, slug: str) -> Round:
    try:
        return selectors.round_get(slug, request.user)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


class RoundSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", default=None, allow_null=True)
    cluster = serializers.CharField(source="cluster.name", default=None, allow_null=True)
    clustering = serializers.CharField(source="cluster.clustering.slug", default=None, allow_null=True)
    placeName = serializers.CharField(source="place_name")
    budget = serializers.IntegerField()  # explicit: model limits differ per database, the schema must not
    ideasOpens = serializers.DateField(source="ideas_opens")
    ideasClose = serializers.DateField(source="ideas_close")
    votingOpens = serializers.DateField(source="voting_opens")
    votingCloses = serializers.DateField(source="voting_closes")
    resultsOn = serializers.DateField(source="results_on")
    ballotType = serializers.CharField(source="ballot_type")
    minChoices = serializers.IntegerField(source="min_choices")
    maxChoices = serializers.IntegerField(source="max_choices", allow_null=True)
    totalPoints = serializers.IntegerField(source="total_points", allow_null=True)
    isDemo = serializers.BooleanField(source="is_demo")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = ["slug", "title", "description", "area", "cluster", "clustering", "placeName", "budget", "frameworks",
                  "phase", "ideasOpens", "ideasClose", "votingOpens", "votingCloses", "resultsOn", "ballotType",
                  "minChoices", "maxChoices", "totalPoints", "rule", "isDemo", "url"]

    def get_url(self, obj: Round) -> str:
        return f"/api/v1/budgeting/rounds/{obj.slug}"


class ProposalSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField()
    cost = serializers.IntegerField()
    area = serializers.CharField(source="area.code", default=None, allow_null=True)
    areaName = serializers.CharField(source="area.name", default=None, allow_null=True)
    ownContribution = serializers.IntegerField(source="own_contribution")
    locationText = serializers.CharField(source="location_text")
    reviewMotivation = serializers.CharField(source="review_motivation")
    submittedAt = serializers.DateTimeField(source="submitted_at")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["number", "title", "description", "cost", "ownContribution", "area", "areaName", "lon", "lat",
                  "locationText", "status", "reviewMotivation", "submittedAt", "url"]

    def get_url(self, obj: Proposal) -> str:
        return f"/api/v1/budgeting/rounds/{obj.round.slug}/proposals/{obj.number}"


class ProposalSubmitSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=4000)
    cost = serializers.IntegerField(min_value=1)
    ownContribution = serializers.IntegerField(min_value=0, required=False, default=0)
    lon = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-90, max_value=90)
    locationText = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ChoiceSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, help_text="Proposal number")
    value = serializers.IntegerField(min_value=0, default=1, help_text="1 (approval), points (cumulative) or rank (ordinal, 1 first)")


class BallotSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    choices = ChoiceSerializer(many=True)


class RoundListView(APIView):
    @extend_schema(responses=RoundSerializer(many=True), summary="Budgeting rounds")
    def get(self, request: Request) -> Response:
        return Response(RoundSerializer(selectors.rounds_visible(request.user), many=True).data)


class RoundDetailView(APIView):
    @extend_schema(responses=RoundSerializer, summary="One budgeting round")
    def get(self, request: Request, slug: str) -> Response:
        return Response(RoundSerializer(_round(request, slug)).data)


class ProposalListView(APIView):
    @extend_schema(responses=ProposalSerializer(many=True), summary="Reviewed proposals of a round (public)")
    def get(self, request: Request, slug: str) -> Response:
        rnd = _round(request, slug)
        qs = selectors.proposals_all(rnd) if request.user.has_perm("budgeting.review_proposal") else selectors.proposals_public(rnd)
        return Response(ProposalSerializer(qs, many=True).data)

    @extend_schema(request=ProposalSubmitSerializer, responses={201: ProposalSerializer}, summary="Submit a proposal (logged in)")
    def post(self, request: Request, slug: str) -> Response:
        rnd = _round(request, slug)
        if not request.user.has_perm("budgeting.submit_proposal"):
            raise exceptions.NotAuthenticated()
        s = ProposalSubmitSerializer(data=request.data if isinstance(request.data, dict) else {})
        s.is_valid(raise_exception=True)
        d = s.validated_data
        proposal = services.proposal_submit(
            round=rnd, title=d["title"], description=d["description"], cost=d["cost"], own_contribution=d["ownContribution"],
            lon=d["lon"], lat=d["lat"], location_text=d["locationText"], actor=request.user, now=now(),
        )
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalDetailView(APIView):
    @extend_schema(responses=ProposalSerializer, summary="One proposal")
    def get(self, request: Request, slug: str, number: int) -> Response:
        rnd = _round(request, slug)
        try:
            proposal = selectors.proposal_get(rnd, number)
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        mine = request.user.is_authenticated and proposal.submitted_by_id == request.user.pk
        if proposal.status == "submitted" and not (mine or request.user.has_perm("budgeting.review_proposal")):
            raise Http404("not reviewed yet")
        return Response(ProposalSerializer(proposal).data)


class BallotView(APIView):
    authentication_classes: list[Any] = []  # no account, no session: the code is the right to vote

    @extend_schema(
        request=BallotSerializer,
        responses={201: inline_serializer("BallotReceipt", {"receipt": serializers.CharField()})},
        summary="Cast a ballot with a single-use voting code",
    )
    def post(self, request: Request, slug: str) -> Response:
        rnd = _round(request, slug)
        s = BallotSerializer(data=request.data if isinstance(request.data, dict) else {})
        if codeguard.blocked(request, "vote"):
            raise exceptions.Throttled(detail=str(codeguard.MESSAGE))
        s.is_valid(raise_exception=True)
        choices = [(str(c["project"]), c["value"]) for c in s.validated_data["choices"]]
        try:
            receipt = services.ballot_cast(round=rnd, code=s.validated_data["code"], choices=choices, now=now())
        except DomainError as exc:
            if any(p.field == "code" for p in exc.problems):
                codeguard.failed(request, "vote")
            raise
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)


class ReceiptView(APIView):
    authentication_classes: list[Any] = []

    @extend_schema(
        request=inline_serializer("ReceiptCheck", {"receipt": serializers.CharField(max_length=30)}),
        responses={200: inline_serializer("ReceiptStatus", {"counted": serializers.BooleanField(),
                                                            "ballotsInResult": serializers.IntegerField(allow_null=True)})},
        summary="Check that a ballot is in the count (shows not how was voted)",
    )
    def post(self, request: Request, slug: str) -> Response:
        rnd = _round(request, slug)
        data = request.data if isinstance(request.data, dict) else {}
        receipt = data.get("receipt")
        if not isinstance(receipt, str) or not receipt.strip():
            raise exceptions.ValidationError({"receipt": ["required"]})
        latest = selectors.result_latest(rnd)
        return Response({"counted": selectors.receipt_counted(rnd, receipt),
                         "ballotsInResult": latest.ballots if latest else None})


class ResultView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Outcome of a round, explained per project")
    def get(self, request: Request, slug: str) -> Response:
        rnd = _round(request, slug)
        result = selectors.result_latest(rnd)
        if result is None:
            raise Http404("no results yet")
        return Response({
            "round": rnd.slug, "rule": result.rule, "computedAt": result.computed_at, "ballots": result.ballots,
            "budget": rnd.budget, "totalCost": result.total_cost,
            "exportUrl": f"/buurtbudget/{rnd.slug}/uitslag.pb",
            "projects": [{
                "number": o.proposal.number, "title": o.proposal.title, "cost": o.proposal.cost, "votes": o.votes,
                "score": o.score, "selected": o.selected, "reason": explain.translate(o.reason), "engineReason": o.reason,
                "mesRound": o.mes_round, "payers": o.payers,
                "payments": [{"amount": a, "voters": n} for a, n in o.payments],
            } for o in selectors.outcomes(result)],
        })


class RuleListView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Registered allocation rules")
    def get(self, request: Request) -> Response:
        return Response([{"name": name, "description": (RULES[name].__doc__ or "").strip().splitlines()[0]
                          if RULES[name].__doc__ else ""} for name in sorted(RULES)])

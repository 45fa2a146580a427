"""REST API of the intake (NL API Design Rules: camelCase, no trailing slashes, problem+json)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkwijs.accounts.models import Department
from wijkwijs.core.api import FlatSerializer, Pagination
from wijkwijs.core.clock import now
from wijkwijs.core.errors import NotFound
from wijkwijs.intake import ratelimit, routing, selectors, services, stats, taxonomy
from wijkwijs.intake.models import AdviceType, Channel, EscalationTarget, Item, Kind, State


def defer_api_processing() -> bool:
    """Process API submissions in a task after the answer (default), or within the request."""
    return bool(getattr(settings, "INTAKE_DEFER_API_PROCESSING", True))


class CanViewQueue(BasePermission):
    def has_permission(self, request, view):  # type: ignore[no-untyped-def]
        return request.user.has_perm("intake.view_queue")


class PublicStatusSerializer(serializers.Serializer):
    trackingCode = serializers.CharField(source="code")
    kind = serializers.CharField()
    category = serializers.CharField()
    area = serializers.CharField()
    status = serializers.CharField(source="state")
    receivedAt = serializers.DateTimeField(source="received_at")
    expectedAt = serializers.DateTimeField(source="expected_at", allow_null=True)
    history = serializers.ListField(child=serializers.DictField())
    answers = serializers.ListField(child=serializers.DictField())


class SubmittedSerializer(FlatSerializer):
    """What the submitter gets back: the tracking code and what happens next (no personal data)."""

    trackingCode = serializers.CharField(source="tracking_code")
    status = serializers.CharField(source="state")
    kind = serializers.CharField()
    category = serializers.CharField()
    suggestedCategory = serializers.CharField(source="suggested_category")
    suggestedConfidence = serializers.FloatField(source="suggested_confidence", allow_null=True)
    area = serializers.CharField(source="buurt.name", default=None, allow_null=True)
    expectedAt = serializers.DateTimeField(source="resolution_due")
    statusUrl = serializers.SerializerMethodField()

    def get_statusUrl(self, obj: Item) -> str:
        return f"/api/v1/intake/status/{obj.tracking_code}"


class SubmitSerializer(FlatSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    description = serializers.CharField(max_length=5000)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    category = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    adviceType = serializers.ChoiceField(choices=AdviceType.choices, required=False, default="")
    lon = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-90, max_value=90)
    locationText = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    councilName = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ItemSerializer(serializers.ModelSerializer):
    trackingCode = serializers.CharField(source="tracking_code")
    adviceType = serializers.CharField(source="advice_type")
    suggestedCategory = serializers.CharField(source="suggested_category")
    suggestedConfidence = serializers.FloatField(source="suggested_confidence", allow_null=True)
    locationText = serializers.CharField(source="location_text")
    buurt = serializers.CharField(source="buurt.code", default=None, allow_null=True)
    wijk = serializers.CharField(source="wijk.code", default=None, allow_null=True)
    status = serializers.CharField(source="state")
    open311Status = serializers.CharField(source="open311_status")
    department = serializers.CharField(source="owner_department.slug", default=None, allow_null=True)
    owner = serializers.CharField(source="owner.username", default=None, allow_null=True)
    receivedAt = serializers.DateTimeField(source="received_at")
    firstResponseDue = serializers.DateTimeField(source="first_response_due")
    resolutionDue = serializers.DateTimeField(source="resolution_due")
    firstResponseAt = serializers.DateTimeField(source="first_response_at", allow_null=True)
    doneAt = serializers.DateTimeField(source="done_at", allow_null=True)
    escalationLevel = serializers.IntegerField(source="escalation_level")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = ["trackingCode", "kind", "adviceType", "subject", "description", "category", "suggestedCategory",
                  "suggestedConfidence", "channel", "lon", "lat", "locationText", "buurt", "wijk", "status", "open311Status",
                  "department", "owner", "receivedAt", "firstResponseDue", "resolutionDue", "firstResponseAt", "doneAt",
                  "escalationLevel", "url"]

    def get_url(self, obj: Item) -> str:
        return f"/api/v1/intake/items/{obj.pk}"


class ActionSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    department = serializers.SlugRelatedField(slug_field="slug", queryset=Department.objects.all(), required=False)
    category = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    target = serializers.ChoiceField(choices=EscalationTarget.choices, required=False, default="")


class CategoriesView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="The intake categories (taxonomy)")
    def get(self, request: Request) -> Response:
        return Response([
            {"slug": main.slug, "name": main.name_nl, "department": main.department, "kinds": sorted(main.kinds),
             "subcategories": [{"slug": s.slug, "name": s.name_nl, "description": s.description,
                                "kinds": sorted(taxonomy.kinds_for(s.slug))} for s in main.subcategories]}
            for main in taxonomy.TAXONOMY
        ])


class ItemListView(APIView):
    def get_permissions(self):  # type: ignore[no-untyped-def]
        return [CanViewQueue()] if self.request.method == "GET" else []

    @extend_schema(
        parameters=[OpenApiParameter("scope", str, enum=["mine", "department", "no_owner", "all"]),
                    OpenApiParameter("status", str, enum=State.values), OpenApiParameter("kind", str, enum=Kind.values)],
        responses=ItemSerializer(many=True), summary="Work queue (staff)",
    )
    def get(self, request: Request) -> Response:
        scope = request.query_params.get("scope", "all")
        if scope not in ("mine", "department", "no_owner", "all"):
            raise exceptions.ValidationError({"scope": ["mine, department, no_owner or all"]})
        state = request.query_params.get("status")
        qs = selectors.queue(scope=scope, user=request.user, department=getattr(request.user, "department", None),
                             include_done=bool(state))
        if state:
            if state not in State.values:
                raise exceptions.ValidationError({"status": [f"one of {', '.join(State.values)}"]})
            qs = qs.filter(state=state)
        if request.query_params.get("kind"):
            qs = qs.filter(kind=request.query_params["kind"])
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ItemSerializer(page, many=True).data)

    @extend_schema(request=SubmitSerializer, responses={201: SubmittedSerializer}, summary="Submit an item")
    def post(self, request: Request) -> Response:
        if ratelimit.hit(request, "api"):
            raise exceptions.Throttled()
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"nonFieldErrors": ["expected a JSON object"]})
        s = SubmitSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        if d["kind"] == Kind.ADVICE and not request.user.has_perm("intake.submit_advice"):
            raise exceptions.PermissionDenied()
        item = services.item_submit(
            kind=d["kind"], description=d["description"], subject=d["subject"], category=d["category"],
            advice_type=d["adviceType"], lon=d["lon"], lat=d["lat"], location_text=d["locationText"], name=d["name"],
            email=d["email"], council_name=d["councilName"], channel=Channel.API, submitted_by=request.user,
            actor=request.user, now=now(), defer=defer_api_processing(),
        )
        return Response(SubmittedSerializer(item).data, status=status.HTTP_201_CREATED)


def _item(request: Request, pk: int) -> Item:
    try:
        item = selectors.item_get(pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if not request.user.has_perm("intake.view_item", item):
        raise exceptions.PermissionDenied()
    return item


class ItemDetailView(APIView):
    permission_classes = [CanViewQueue]

    @extend_schema(responses=ItemSerializer, summary="One item (staff)")
    def get(self, request: Request, pk: int) -> Response:
        return Response(ItemSerializer(_item(request, pk)).data)


ACTIONS = ("take", "route", "reroute", "ask", "answer", "reject", "close", "reopen", "escalate", "note")


class ItemActionView(APIView):
    permission_classes = [CanViewQueue]

    @extend_schema(
        request=ActionSerializer, responses=ItemSerializer, operation_id="intake_items_action",
        summary="A workflow step on an item (staff)",
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        if action not in ACTIONS:
            raise Http404("unknown action")
        item = _item(request, pk)
        perm = {"route": "intake.route_item", "reroute": "intake.route_item", "escalate": "intake.escalate_item"}.get(action, "intake.handle_item")
        if not request.user.has_perm(perm, item):
            raise exceptions.PermissionDenied()
        s = ActionSerializer(data=request.data if isinstance(request.data, dict) else {})
        s.is_valid(raise_exception=True)
        d, user, moment = s.validated_data, request.user, now()
        text = d["text"]
        if action in ("route", "reroute") and "department" not in d:
            raise exceptions.ValidationError({"department": ["required"]})
        calls: dict[str, Any] = {
            "take": lambda: services.item_take(item=item, actor=user, now=moment),
            "route": lambda: services.item_route(item=item, department=d["department"], category=d["category"], reason=text, actor=user, now=moment),
            "reroute": lambda: services.item_reroute(item=item, department=d["department"], category=d["category"], reason=text, actor=user, now=moment),
            "ask": lambda: services.item_ask_submitter(item=item, question=text, actor=user, now=moment),
            "answer": lambda: services.item_answer(item=item, text=text, actor=user, now=moment),
            "reject": lambda: services.item_reject(item=item, motivation=text, actor=user, now=moment),
            "close": lambda: services.item_close(item=item, reason=text, actor=user, now=moment),
            "reopen": lambda: services.item_reopen(item=item, reason=text, actor=user, now=moment),
            "escalate": lambda: services.item_escalate(item=item, reason=text, target=d["target"], actor=user, now=moment),
            "note": lambda: services.item_note(item=item, text=text, actor=user, now=moment),
        }
        calls[action]()
        return Response(ItemSerializer(selectors.item_get(item.pk)).data)


class StatusView(APIView):
    @extend_schema(responses=PublicStatusSerializer, summary="Public status by tracking code (no personal data)")
    def get(self, request: Request, code: str) -> Response:
        return Response(PublicStatusSerializer(selectors.public_status(selectors.item_by_code(code))).data)


class ThroughputView(APIView):
    @extend_schema(parameters=[OpenApiParameter("group", str, enum=list(stats.GROUPS))], responses={200: OpenApiTypes.OBJECT},
                   summary="Throughput per department, area, kind or month (aggregates only)")
    def get(self, request: Request) -> Response:
        group = request.query_params.get("group", "department")
        if group not in stats.GROUPS:
            raise exceptions.ValidationError({"group": [", ".join(stats.GROUPS)]})
        rows = stats.throughput(group=group, now=now())
        return Response([
            {"key": str(r.key) if r.key is not None else None, "label": r.label, "received": r.received, "open": r.open,
             "overdue": r.overdue, "firstResponseMedianDays": r.first_median, "firstResponseP90Days": r.first_p90,
             "resolutionMedianDays": r.resolution_median, "resolutionP90Days": r.resolution_p90, "escalations": r.escalations}
            for r in rows
        ])


class RoutingView(APIView):
    permission_classes = [CanViewQueue]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="The active routing table")
    def get(self, request: Request) -> Response:
        version = routing.active_version()
        return Response({"version": version.number if version else None, "rules": routing.rows_of(version)})

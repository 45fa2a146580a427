"""Open311 GeoReport v2 (JSON): services, requests (GET and POST), one request.

Errors follow the GeoReport spec: a list of ``{"code", "description"}`` with a 4xx status.
POST needs an ``api_key`` (ApiKey, managed in the admin). Descriptions and contact data are
not published; positions are rounded to about 100 m.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError
from wijkwijs.intake import apikeys, ratelimit, services, taxonomy
from wijkwijs.intake.models import OPEN_STATES, Channel, Item, Kind


def error(code: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": code, "description": description}], status=code, safe=False)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def as_request(item: Item) -> dict[str, Any]:
    latest = item.messages.filter(public=True).order_by("-at", "-id").first()
    return {
        "service_request_id": item.tracking_code,
        "status": item.open311_status,
        "status_notes": latest.text[:500] if latest is not None else "",
        "service_name": item.category_label,
        "service_code": item.category,
        "description": "",
        "agency_responsible": item.owner_department.name if item.owner_department_id else "",
        "service_notice": "",
        "requested_datetime": _iso(item.received_at),
        "updated_datetime": _iso(item.updated_at),
        "expected_datetime": _iso(item.resolution_due) if item.state in OPEN_STATES else None,
        "address": item.location_text,
        "address_id": "",
        "zipcode": "",
        "lat": round(item.lat, 3) if item.lat is not None else None,
        "long": round(item.lon, 3) if item.lon is not None else None,
        "media_url": "",
    }


def services_list(request: HttpRequest) -> JsonResponse:
    return JsonResponse(taxonomy.open311_services(), safe=False)


def service_definition(request: HttpRequest, code: str) -> JsonResponse:
    try:
        taxonomy.get_subcategory(code)
    except KeyError:
        return error(404, "unknown service_code")
    return JsonResponse({"service_code": code, "attributes": []})


def _params(request: HttpRequest) -> dict[str, str]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {"__invalid__": "body is not valid JSON"}
        if not isinstance(data, dict):
            return {"__invalid__": "body must be a JSON object"}
        return {str(k): "" if v is None else str(v) for k, v in data.items()}
    return dict(request.POST.items())


def _float(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@csrf_exempt
def requests_view(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _create(request)
    if request.method != "GET":
        return error(405, "use GET or POST")
    qs = Item.objects.select_related("owner_department").exclude(category="")
    p = request.GET
    if p.get("service_request_id"):
        ids = [c.strip().upper() for c in p["service_request_id"].split(",") if c.strip()][:100]
        return JsonResponse([as_request(i) for i in qs.filter(tracking_code__in=ids)], safe=False)
    if p.get("service_code"):
        qs = qs.filter(category__in=p["service_code"].split(","))
    if p.get("status"):
        wanted = set(p["status"].split(","))
        if not wanted <= {"open", "closed"}:
            return error(400, "status must be open or closed")
        if wanted == {"open"}:
            qs = qs.filter(state__in=OPEN_STATES)
        elif wanted == {"closed"}:
            qs = qs.exclude(state__in=OPEN_STATES)
    start = parse_datetime(p["start_date"]) if p.get("start_date") else None
    end = parse_datetime(p["end_date"]) if p.get("end_date") else None
    if (p.get("start_date") and (start is None or start.tzinfo is None)) or (p.get("end_date") and (end is None or end.tzinfo is None)):
        return error(400, "start_date and end_date must be ISO 8601 with a time zone")
    qs = qs.filter(received_at__gte=start or now() - timedelta(days=90))
    if end is not None:
        qs = qs.filter(received_at__lt=end)
    return JsonResponse([as_request(i) for i in qs.order_by("-received_at")[:1000]], safe=False)


def _create(request: HttpRequest) -> JsonResponse:
    if ratelimit.hit(request, "open311"):
        return error(429, "too many requests")
    p = _params(request)
    if "__invalid__" in p:
        return error(400, p["__invalid__"])
    moment = now()
    if apikeys.api_key_check(p.get("api_key", ""), now=moment) is None:
        return error(403, "a valid api_key is required")
    code = p.get("service_code", "")
    try:
        taxonomy.get_subcategory(code)
    except KeyError:
        return error(400, "service_code is missing or unknown")
    lat, lon = p.get("lat", ""), p.get("long", "")
    lat_f, lon_f = (_float(lat), _float(lon)) if (lat or lon) else (None, None)
    if (lat or lon) and (lat_f is None or lon_f is None):
        return error(400, "lat and long must both be numbers")
    address = p.get("address_string", "")
    if lat_f is None and not address:
        return error(400, "give lat and long or address_string")
    name = " ".join(x for x in (p.get("first_name", ""), p.get("last_name", "")) if x).strip()
    kinds = taxonomy.kinds_for(code)
    kind = Kind.SIGNAL if taxonomy.Kind.SIGNAL in kinds else sorted(kinds)[0]
    try:
        item = services.item_submit(
            kind=kind, description=p.get("description", "") or taxonomy.get_subcategory(code).name_nl, category=code,
            lon=lon_f, lat=lat_f, location_text=address[:300], name=name[:200], email=p.get("email", "")[:254],
            phone=p.get("phone", "")[:40], channel=Channel.OPEN311, actor=None, now=moment,
            defer=bool(getattr(settings, "INTAKE_DEFER_API_PROCESSING", True)),
        )
    except DomainError as exc:
        return error(400, "; ".join(str(pr) for pr in exc.problems) or exc.message)
    return JsonResponse([{"service_request_id": item.tracking_code, "service_notice": "", "account_id": None}], status=201, safe=False)


def request_detail(request: HttpRequest, code: str) -> JsonResponse:
    item = Item.objects.select_related("owner_department").filter(tracking_code=code.upper()).first()
    if item is None:
        return error(404, "unknown service_request_id")
    return JsonResponse([as_request(item)], safe=False)

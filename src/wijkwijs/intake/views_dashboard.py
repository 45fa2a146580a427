"""Throughput dashboard (doorlooptijden): internal, public for the council, and CSV."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wijkwijs.core.clock import now
from wijkwijs.intake import charts, stats

PERIODS = {"90": 90, "365": 365, "730": 730}


def _context(request: HttpRequest) -> dict[str, Any]:
    moment = now()
    group = request.GET.get("group") if request.GET.get("group") in stats.GROUPS else "department"
    period = request.GET.get("period") if request.GET.get("period") in PERIODS else "365"
    since: datetime = moment - timedelta(days=PERIODS[period])
    rows = stats.throughput(group=group, now=moment, since=since)
    months = stats.throughput(group="month", now=moment, since=since)
    return {
        "rows": rows, "group": group, "period": period, "groups": [(g, _label(g)) for g in stats.GROUPS],
        "periods": [("90", _("90 days")), ("365", _("one year")), ("730", _("two years"))],
        "totals": stats.totals(rows), "since": since, "now": moment,
        "chart_months": charts.columns(
            [(r.label, r.received, r.overdue) for r in months], title=_("Received and overdue per month"),
            legend=(_("received"), _("overdue now")), chart_id="chart-months"),
        "chart_resolution": charts.bars(
            [(r.label, r.resolution_median) for r in rows[:15]], title=_("Median days to resolution"), unit=" d",
            chart_id="chart-resolution"),
    }


def _label(group: str) -> str:
    return {"department": _("Department"), "area": _("Wijk"), "kind": _("Kind"), "month": _("Month")}[group]


@permission_required("intake.view_dashboard", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/dashboard.html", {**_context(request), "public": False})


def dashboard_public(request: HttpRequest) -> HttpResponse:
    """The same aggregates for the council and the public: no items, no names."""
    return render(request, "intake/dashboard.html", {**_context(request), "public": True})


def dashboard_csv(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="doorlooptijden-{ctx["group"]}.csv"'
    writer = csv.writer(response)
    writer.writerow([ctx["group"], "received", "open", "overdue", "first_response_median_days", "first_response_p90_days",
                     "resolution_median_days", "resolution_p90_days", "escalations"])
    for r in ctx["rows"]:
        writer.writerow([r.label, r.received, r.open, r.overdue, r.first_median, r.first_p90, r.resolution_median,
                         r.resolution_p90, r.escalations])
    return response

"""The routing table page: the active version, its history, and an editor that saves a new version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError
from wijkwijs.intake import forms, routing
from wijkwijs.intake.models import RoutingVersion


@permission_required("intake.view_queue", raise_exception=True)
def routing_page(request: HttpRequest) -> HttpResponse:
    active = routing.active_version()
    can_edit = request.user.has_perm("intake.manage_routing")
    problems: list = []
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(status=403)
        formset = forms.RoutingFormSet(request.POST, prefix="rules")
        note_form = forms.RoutingNoteForm(request.POST)
        if formset.is_valid() and note_form.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                version = routing.routing_table_publish(rows=rows, note=note_form.cleaned_data["note"], actor=request.user, now=now())
            except DomainError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Routing table version %(n)s is now active.") % {"n": version.number})
                return redirect("intake:routing")
    else:
        formset = forms.RoutingFormSet(initial=routing.rows_of(active), prefix="rules")
        note_form = forms.RoutingNoteForm()
    rules = list(active.rules.select_related("department", "area").order_by("priority", "id")) if active else []
    status = 422 if request.method == "POST" else 200
    return render(request, "intake/routing.html", {
        "active": active, "rules": rules, "versions": RoutingVersion.objects.all()[:20], "can_edit": can_edit,
        "formset": formset, "note_form": note_form, "problems": problems,
    }, status=status)

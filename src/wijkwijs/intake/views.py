"""HTML pages of the intake: the public form and status page, advice, staff queues and item page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError, NotFound
from wijkwijs.core.forms import style_form
from wijkwijs.intake import forms, ratelimit, selectors, services
from wijkwijs.intake.filters import QueueFilter
from wijkwijs.intake.models import Attachment, Channel, EscalationTarget, Item, Kind, State


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/rate_limited.html", status=429)


def _apply_problems(form: Any, exc: DomainError) -> None:
    """Put a service's problems next to the fields they name; the rest on top."""
    aliases = {"location": "location_text", "photo": "photo", "question": "text", "motivation": "text", "reason": "text"}
    for p in exc.problems:
        name = aliases.get(p.field, p.field)
        if name in form.fields:
            form.add_error(name, p.reason)
        else:
            form.add_error(None, p.reason)
    if not exc.problems:
        form.add_error(None, exc.message)


def _submit(request: HttpRequest, form: Any, *, channel: str, extra: dict[str, Any] | None = None) -> Item | None:
    data = form.cleaned_data
    photo = data.get("photo")
    try:
        return services.item_submit(
            kind=data["kind"], description=data["description"], category=data.get("category") or "",
            subject=data.get("subject") or "", advice_type=data.get("advice_type") or "",
            lon=data.get("lon"), lat=data.get("lat"), location_text=data.get("location_text") or "",
            name=data.get("name") or "", email=data.get("email") or "", phone=data.get("phone") or "",
            attachments=[services.Upload(*photo)] if photo else [], channel=channel,
            submitted_by=request.user, actor=request.user, now=now(), **(extra or {}),
        )
    except DomainError as exc:
        _apply_problems(form, exc)
        return None


@ratelimit.limited("form", _too_many)
def submit(request: HttpRequest) -> HttpResponse:
    form = forms.SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        item = _submit(request, form, channel=Channel.WEB)
        if item is not None:
            messages.success(request, _("Thank you. Your tracking code is %(code)s. Keep it to follow your report.") % {"code": item.tracking_code})
            return redirect("intake:status", code=item.tracking_code)
    status = 422 if form.errors else 200
    return render(request, "intake/submit.html", {"form": form}, status=status)


@permission_required("intake.submit_advice", raise_exception=True)
def advice(request: HttpRequest) -> HttpResponse:
    form = forms.AdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.cleaned_data["kind"] = Kind.ADVICE
        item = _submit(request, form, channel=Channel.COUNCIL, extra={"council_name": form.cleaned_data["council_name"]})
        if item is not None:
            messages.success(request, _("Your advice is registered as %(code)s. It will be answered within the term shown.") % {"code": item.tracking_code})
            return redirect("intake:status", code=item.tracking_code)
    return render(request, "intake/advice.html", {"form": form}, status=422 if form.errors else 200)


def status_lookup(request: HttpRequest) -> HttpResponse:
    form = forms.TrackingForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("intake:status", code=form.cleaned_data["code"].strip().upper())
    return render(request, "intake/status_lookup.html", {"form": form})


def status(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = selectors.item_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(request, "intake/status.html", {"status": selectors.public_status(item)})


@ratelimit.limited("reply", _too_many)
def reply(request: HttpRequest, code: str, token: str) -> HttpResponse:
    try:
        item = selectors.item_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if not item.reply_token or not constant_time_compare(item.reply_token, token):
        raise Http404("unknown reply link")
    form = forms.ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_submitter_reply(item=item, text=form.cleaned_data["text"], actor=None, now=now())
        except DomainError as exc:
            _apply_problems(form, exc)
        else:
            messages.success(request, _("Thank you for your reply."))
            return redirect("intake:status", code=item.tracking_code)
    question = item.messages.filter(kind="question").order_by("-at").first()
    return render(request, "intake/reply.html", {"form": form, "item": item, "question": question,
                                                 "waiting": item.state == State.WAITING}, status=422 if form.errors else 200)


# -- staff -------------------------------------------------------------------------------------


@permission_required("intake.enter_on_behalf", raise_exception=True)
def enter(request: HttpRequest) -> HttpResponse:
    form = forms.StaffEntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        item = _submit(request, form, channel=Channel.STAFF)
        if item is not None:
            messages.success(request, _("Item %(code)s registered.") % {"code": item.tracking_code})
            return redirect("intake:item", pk=item.pk)
    return render(request, "intake/enter.html", {"form": form}, status=422 if form.errors else 200)


SCOPES = {"mine": gettext_lazy("Assigned to me"), "department": gettext_lazy("My department"), "no_owner": gettext_lazy("No owner"),
          "all": gettext_lazy("All")}


@permission_required("intake.view_queue", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    default = "department" if getattr(user, "department_id", None) else "no_owner"
    scope = request.GET.get("scope") or default
    if scope not in SCOPES:
        scope = default
    include_done = request.GET.get("state") in (State.ANSWERED, State.REJECTED, State.CLOSED)
    base = selectors.queue(scope=scope, user=user, department=getattr(user, "department", None), include_done=include_done)
    filt = QueueFilter(request.GET or None, queryset=base, now=now())
    style_form(filt.form)
    items = list(filt.qs[:200])
    moment = now()
    return render(request, "intake/queue.html", {
        "filter": filt, "items": items, "scope": scope, "scopes": SCOPES, "now": moment,
        "overdue_ids": {i.pk for i in items if i.is_overdue(moment)}, "no_owner_count": selectors.no_owner_count(),
        "total": filt.qs.count(),
    })


@login_required
def escalated(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.escalated_to(request.user, open_only=request.GET.get("all") != "1")[:300])
    return render(request, "intake/escalated.html", {"escalations": rows, "show_all": request.GET.get("all") == "1"})


def _item_for(request: HttpRequest, pk: int) -> Item:
    try:
        item = selectors.item_get(pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if not request.user.has_perm("intake.view_item", item):
        raise PermissionDenied
    return item


def _item_page(request: HttpRequest, item: Item, *, bound: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    bound = bound or {}
    can_handle = request.user.has_perm("intake.handle_item", item)
    can_see_contact = request.user.has_perm("intake.view_contact", item)
    initial_route = {"category": item.category or item.suggested_category}
    context = {
        "item": item,
        "history": selectors.history(item, public_only=False),
        "messages_list": selectors.messages(item, public_only=False),
        "routings": list(item.routings.select_related("department", "actor", "rule")),
        "escalations_list": list(item.escalations.select_related("to_user", "to_department", "actor")),
        "attachments": list(item.attachments.all()),
        "contact": services.contact_view(item=item, actor=request.user, now=now()) if can_see_contact else None,
        "can_see_contact": can_see_contact,
        "can_handle": can_handle,
        "can_route": request.user.has_perm("intake.route_item", item),
        "can_escalate": request.user.has_perm("intake.escalate_item", item),
        "is_open": item.state not in (State.ANSWERED, State.REJECTED, State.CLOSED),
        "overdue": item.is_overdue(now()),
        "route_form": bound.get("route") or forms.RouteForm(initial=initial_route, prefix="route"),
        "ask_form": bound.get("ask") or forms.TextForm(prefix="ask"),
        "answer_form": bound.get("answer") or forms.TextForm(prefix="answer"),
        "reject_form": bound.get("reject") or forms.TextForm(prefix="reject"),
        "reply_form": bound.get("reply") or forms.TextForm(prefix="reply"),
        "close_form": bound.get("close") or forms.TextForm(prefix="close"),
        "reopen_form": bound.get("reopen") or forms.TextForm(prefix="reopen"),
        "note_form": bound.get("note") or forms.TextForm(prefix="note"),
        "escalate_form": bound.get("escalate") or forms.EscalateForm(prefix="escalate"),
        "failed": next(iter(bound), ""),
        "targets": EscalationTarget,
    }
    return render(request, "intake/item.html", context, status=status)


@permission_required("intake.view_queue", raise_exception=True)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, _item_for(request, pk))


def _run_action(request: HttpRequest, item: Item, action: str) -> tuple[Any, bool]:
    """Validate the action's form and call its service; (form, done)."""
    user, moment = request.user, now()
    if action == "take":
        services.item_take(item=item, actor=user, now=moment)
        return None, True
    if action in ("route", "reroute"):
        form = forms.RouteForm(request.POST, prefix="route")
        if not form.is_valid():
            return form, False
        d = form.cleaned_data
        if action == "route":
            services.item_route(item=item, department=d["department"], category=d["category"], reason=d["reason"], actor=user, now=moment)
        else:
            services.item_reroute(item=item, department=d["department"], category=d["category"], reason=d["reason"], actor=user, now=moment)
        return form, True
    if action == "escalate":
        form = forms.EscalateForm(request.POST, prefix="escalate")
        if not form.is_valid():
            return form, False
        services.item_escalate(item=item, reason=form.cleaned_data["text"], target=form.cleaned_data["target"], actor=user, now=moment)
        return form, True
    if action == "close" and item.state in (State.ANSWERED, State.REJECTED):
        services.item_close(item=item, actor=user, now=moment)
        return None, True
    form = forms.TextForm(request.POST, prefix=action)
    if not form.is_valid():
        return form, False
    text = form.cleaned_data["text"]
    calls = {
        "ask": lambda: services.item_ask_submitter(item=item, question=text, actor=user, now=moment),
        "reply": lambda: services.item_submitter_reply(item=item, text=text, actor=user, now=moment),
        "answer": lambda: services.item_answer(item=item, text=text, actor=user, now=moment),
        "reject": lambda: services.item_reject(item=item, motivation=text, actor=user, now=moment),
        "close": lambda: services.item_close(item=item, reason=text, actor=user, now=moment),
        "reopen": lambda: services.item_reopen(item=item, reason=text, actor=user, now=moment),
        "note": lambda: services.item_note(item=item, text=text, actor=user, now=moment),
    }
    calls[action]()
    return form, True


ACTIONS = {"take", "route", "reroute", "ask", "reply", "answer", "reject", "close", "reopen", "note", "escalate"}


@require_POST
@permission_required("intake.view_queue", raise_exception=True)
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _item_for(request, pk)
    if action not in ACTIONS:
        raise Http404("unknown action")
    perm = {"route": "intake.route_item", "reroute": "intake.route_item", "escalate": "intake.escalate_item"}.get(action, "intake.handle_item")
    if not request.user.has_perm(perm, item):
        raise PermissionDenied
    prefix = "route" if action in ("route", "reroute") else action
    try:
        form, done = _run_action(request, item, action)
    except DomainError as exc:
        form = _bound_form(request, prefix)
        form.is_valid()
        _apply_problems(form, exc)
        done = False
    if done:
        messages.success(request, _("Saved."))
        return redirect("intake:item", pk=item.pk)
    item.refresh_from_db()
    return _item_page(request, item, bound={prefix: form or _bound_form(request, prefix)}, status=422)


def _bound_form(request: HttpRequest, prefix: str) -> Any:
    cls = {"route": forms.RouteForm, "escalate": forms.EscalateForm}.get(prefix, forms.TextForm)
    return cls(request.POST, prefix=prefix)


@permission_required("intake.view_queue", raise_exception=True)
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    item = _item_for(request, pk)
    att = Attachment.objects.filter(item=item, pk=attachment_pk).first()
    if att is None:
        raise Http404("no such attachment")
    response = FileResponse(att.file.open("rb"), content_type=att.content_type)
    response["Content-Disposition"] = f'inline; filename="{item.tracking_code}-{att.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

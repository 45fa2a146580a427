"""HTML pages of participatory-budgeting rounds: public (rounds, proposals, voting, receipt,
results, export) and staff (new round, manage, review, codes, implementation). Thin: parse,
call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wijkwijs.budgeting import codeguard, explain, forms, selectors, services
from wijkwijs.budgeting.models import PHASE_ORDER, BallotType, Phase, Proposal, ProposalStatus, Round
from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError, NotFound


def _round(request: HttpRequest, slug: str) -> Round:
    try:
        return selectors.round_get(slug, request.user)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _proposal(rnd: Round, number: int) -> Proposal:
    try:
        return selectors.proposal_get(rnd, number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _apply(form: Any, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's problems next to the fields they name; the rest on top."""
    aliases = aliases or {}
    for p in exc.problems:
        name = aliases.get(p.field, p.field)
        form.add_error(name if name in form.fields else None, p.reason)
    if not exc.problems:
        form.add_error(None, exc.message)


def _status(form: Any) -> int:
    return 422 if form.is_bound and form.errors else 200


def _phases(rnd: Round) -> list[dict[str, Any]]:
    current = PHASE_ORDER.index(rnd.phase)
    dates = {Phase.IDEAS: (rnd.ideas_opens, rnd.ideas_close), Phase.VOTING: (rnd.voting_opens, rnd.voting_closes),
             Phase.RESULTS: (rnd.results_on, None)}
    return [{"value": p.value, "label": p.label, "dates": dates.get(p), "state":
             "done" if i < current else ("current" if i == current else "todo")}
            for i, p in enumerate(Phase) if p != Phase.DRAFT]


def rounds(request: HttpRequest) -> HttpResponse:
    qs = selectors.rounds_visible(request.user)
    return render(request, "budgeting/rounds.html", {"rounds": qs, "mine": selectors.proposals_of(request.user)[:20]})


def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    rnd = _round(request, slug)
    proposals = list(selectors.proposals_public(rnd))
    return render(request, "budgeting/round_detail.html", {
        "round": rnd, "phases": _phases(rnd), "eligible": [p for p in proposals if p.status == ProposalStatus.ELIGIBLE],
        "ineligible": [p for p in proposals if p.status == ProposalStatus.INELIGIBLE],
        "waiting": rnd.proposals.filter(status=ProposalStatus.SUBMITTED).count(),
        "result": selectors.result_latest(rnd),
        "takes_proposals": rnd.takes_proposals_on(timezone.localdate(now())), "takes_votes": rnd.takes_votes_on(timezone.localdate(now())),
    })


def round_geojson(request: HttpRequest, slug: str) -> JsonResponse:
    rnd = _round(request, slug)
    units = selectors.round_units(rnd)
    features: list[dict[str, Any]] = [
        {"type": "Feature", "id": a.code, "properties": {"code": a.code, "name": a.name}, "geometry": a.geometry}
        for a in units if a.geometry
    ]
    if request.GET.get("units") != "1":
        for p in selectors.proposals_public(rnd).filter(status=ProposalStatus.ELIGIBLE, lon__isnull=False):
            features.append({"type": "Feature", "id": f"p{p.number}", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                             "properties": {"code": f"p{p.number}", "name": f"{p.number}. {p.title}", "cost": p.cost}})
    return JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")


def proposal_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    rnd = _round(request, slug)
    proposal = _proposal(rnd, number)
    mine = request.user.is_authenticated and proposal.submitted_by_id == request.user.pk
    if proposal.status == ProposalStatus.SUBMITTED and not (mine or request.user.has_perm("budgeting.review_proposal")):
        raise Http404("not reviewed yet")
    funded = selectors.is_funded(proposal)
    return render(request, "budgeting/proposal_detail.html", {
        "round": rnd, "proposal": proposal, "mine": mine, "funded": funded,
        "progress": selectors.progress(proposal) if funded else None,
        "review_form": forms.ReviewForm() if request.user.has_perm("budgeting.review_proposal") else None,
        "update_form": forms.ImplementationForm(initial={"on": now().date()})
        if funded and request.user.has_perm("budgeting.update_implementation") else None,
    })


@login_required
def proposal_submit(request: HttpRequest, slug: str) -> HttpResponse:
    rnd = _round(request, slug)
    if not request.user.has_perm("budgeting.submit_proposal"):
        raise PermissionDenied
    form = forms.ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            proposal = services.proposal_submit(
                round=rnd, title=d["title"], description=d["description"], cost=d["cost"],
                own_contribution=d.get("own_contribution") or 0, lon=d.get("lon"), lat=d.get("lat"),
                location_text=d.get("location_text") or "", actor=request.user, now=now(),
            )
        except DomainError as exc:
            _apply(form, exc, {"location": "location_text"})
        else:
            messages.success(request, _("Thank you. Your proposal is number %(n)s; you will see the review here.")
                             % {"n": proposal.number})
            return redirect("budgeting:proposal", slug=rnd.slug, number=proposal.number)
    return render(request, "budgeting/proposal_form.html", {"round": rnd, "form": form}, status=_status(form))


# -- voting ------------------------------------------------------------------------------------


def _demo_codes(rnd: Round) -> list[str]:
    return selectors.demo_unused_codes(rnd) if settings.DEMO_MODE else []


@never_cache
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: the code (checked, not spent). Step 2: the ballot. Step 3: the receipt, shown once."""
    rnd = _round(request, slug)
    if not rnd.takes_votes_on(timezone.localdate(now())):
        return render(request, "budgeting/vote_closed.html", {"round": rnd}, status=409 if request.method == "POST" else 200)
    proposals = selectors.eligible(rnd)
    if request.method != "POST":
        return render(request, "budgeting/vote_code.html", {"round": rnd, "form": forms.CodeForm(), "demo_codes": _demo_codes(rnd)})
    if "ballot" not in request.POST:
        code_form = forms.CodeForm(request.POST)
        if codeguard.blocked(request, "vote"):
            code_form.is_valid()
            code_form.add_error(None, str(codeguard.MESSAGE))
            return render(request, "budgeting/vote_code.html", {"round": rnd, "form": code_form}, status=429)
        if code_form.is_valid():
            problem = selectors.code_problem(rnd, code_form.cleaned_data["code"])
            if problem is None:
                ballot = forms.BallotForm(initial={"code": code_form.cleaned_data["code"]}, round=rnd, proposals=proposals)
                return render(request, "budgeting/vote_ballot.html", {"round": rnd, "form": ballot})
            codeguard.failed(request, "vote")
            code_form.add_error("code", problem)
        return render(request, "budgeting/vote_code.html", {"round": rnd, "form": code_form}, status=422)
    form = forms.BallotForm(request.POST, round=rnd, proposals=proposals)
    if codeguard.blocked(request, "vote"):
        form.is_valid()  # keeps the choices on the page
        form.add_error(None, str(codeguard.MESSAGE))
        return render(request, "budgeting/vote_ballot.html", {"round": rnd, "form": form}, status=429)
    if form.is_valid():
        try:
            receipt = services.ballot_cast(round=rnd, code=form.cleaned_data["code"], choices=form.choices(),
                                           actor=request.user, now=now())
        except DomainError as exc:
            if any(p.field == "code" for p in exc.problems):
                codeguard.failed(request, "vote")
                code_form = forms.CodeForm(initial={"code": ""})
                for p in exc.problems:
                    messages.error(request, p.reason)
                return render(request, "budgeting/vote_code.html", {"round": rnd, "form": code_form}, status=422)
            _apply(form, exc)
        else:
            return render(request, "budgeting/vote_receipt.html", {"round": rnd, "receipt": receipt})
    return render(request, "budgeting/vote_ballot.html", {"round": rnd, "form": form}, status=422)


@never_cache
def receipt(request: HttpRequest, slug: str) -> HttpResponse:
    rnd = _round(request, slug)
    form = forms.ReceiptForm(request.POST or None)
    counted = None
    if request.method == "POST" and form.is_valid():
        counted = selectors.receipt_counted(rnd, form.cleaned_data["receipt"])
    return render(request, "budgeting/receipt.html", {"round": rnd, "form": form, "counted": counted,
                                                      "result": selectors.result_latest(rnd)}, status=_status(form))


# -- results -----------------------------------------------------------------------------------


def results(request: HttpRequest, slug: str) -> HttpResponse:
    rnd = _round(request, slug)
    result = selectors.result_latest(rnd)
    if result is None:
        return render(request, "budgeting/results_pending.html", {"round": rnd})
    rows = []
    for o in selectors.outcomes(result):
        rows.append({"outcome": o, "proposal": o.proposal, "reason": explain.translate(o.reason),
                     "payments": explain.payments(o.payments), "progress": selectors.progress(o.proposal) if o.selected else None})
    spent_share = round(100 * result.total_cost / rnd.budget) if rnd.budget else 0
    return render(request, "budgeting/results.html", {
        "round": rnd, "result": result, "rows": rows, "spent_share": spent_share,
        "funded_count": sum(1 for r in rows if r["outcome"].selected),
        "rule_label": forms.RULE_LABELS.get(result.rule, result.rule), "is_mes": "mes" in result.rule or "equalshares" in result.rule,
        "is_venray": result.rule == "venray",
    })


def export_pb(request: HttpRequest, slug: str) -> HttpResponse:
    rnd = _round(request, slug)
    if selectors.result_latest(rnd) is None:
        raise Http404("no results yet")
    response = HttpResponse(selectors.round_pb_text(rnd), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{rnd.slug}.pb"'
    return response


# -- staff -------------------------------------------------------------------------------------


@permission_required("budgeting.manage_round", raise_exception=True)
def round_new(request: HttpRequest) -> HttpResponse:
    form = forms.RoundForm(request.POST or None, initial={"rule": "greedy", "ballot_type": BallotType.APPROVAL})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        spec = services.RoundSpec(
            slug=d["slug"], title=d["title"], description=d["description"], area=d["area"], cluster=d["cluster"],
            budget=d["budget"], frameworks=d["frameworks"], ideas_opens=d["ideas_opens"], ideas_close=d["ideas_close"],
            voting_opens=d["voting_opens"], voting_closes=d["voting_closes"], results_on=d["results_on"],
            ballot_type=d["ballot_type"], min_choices=d["min_choices"], max_choices=d["max_choices"],
            total_points=d["total_points"], rule=d["rule"],
        )
        try:
            rnd = services.round_create(spec=spec, actor=request.user, now=now())
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Round created. It is in preparation until you open it for ideas."))
            return redirect("budgeting:manage", slug=rnd.slug)
    return render(request, "budgeting/round_form.html", {"form": form}, status=_status(form))


@permission_required("budgeting.manage_round", raise_exception=True)
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    rnd = _round(request, slug)
    index = PHASE_ORDER.index(rnd.phase)
    next_phase = Phase(PHASE_ORDER[index + 1]).label if index + 1 < len(PHASE_ORDER) else None
    return render(request, "budgeting/manage.html", {
        "round": rnd, "phases": _phases(rnd), "proposals": selectors.proposals_all(rnd), "next_phase": next_phase,
        "stats": selectors.code_stats(rnd), "batches": rnd.code_batches.all(), "history": rnd.phase_changes.all(),
    })


@require_POST
@permission_required("budgeting.manage_round", raise_exception=True)
def advance(request: HttpRequest, slug: str) -> HttpResponse:
    rnd = _round(request, slug)
    try:
        rnd = services.round_advance(round=rnd, actor=request.user, now=now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The round is now in the phase: %(phase)s.") % {"phase": rnd.get_phase_display()})
    return redirect("budgeting:manage", slug=rnd.slug)


@require_POST
@permission_required("budgeting.review_proposal", raise_exception=True)
def review(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    rnd = _round(request, slug)
    proposal = _proposal(rnd, number)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_review(proposal=proposal, decision=form.cleaned_data["decision"],
                                     motivation=form.cleaned_data["motivation"], actor=request.user, now=now())
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Review saved."))
            return redirect("budgeting:proposal", slug=rnd.slug, number=proposal.number)
    return render(request, "budgeting/proposal_detail.html", {
        "round": rnd, "proposal": proposal, "review_form": form, "mine": False, "funded": False}, status=422)


@permission_required("budgeting.generate_codes", raise_exception=True)
def codes_page(request: HttpRequest, slug: str) -> HttpResponse:
    rnd = _round(request, slug)
    form = forms.CodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch, plain = services.codes_generate(round=rnd, count=form.cleaned_data["count"],
                                                   label=form.cleaned_data["label"], actor=request.user, now=now())
        except DomainError as exc:
            _apply(form, exc)
        else:
            response = render(request, "budgeting/codes_sheet.html", {"round": rnd, "batch": batch, "codes": plain})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "budgeting/codes_form.html", {"round": rnd, "form": form, "stats": selectors.code_stats(rnd)},
                  status=_status(form))


@require_POST
@permission_required("budgeting.update_implementation", raise_exception=True)
def implementation(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    rnd = _round(request, slug)
    proposal = _proposal(rnd, number)
    form = forms.ImplementationForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.implementation_update_add(proposal=proposal, on=d["on"], status=d["status"], text=d["text"],
                                               spent=d["spent"], actor=request.user, now=now())
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Update published."))
            return redirect("budgeting:proposal", slug=rnd.slug, number=proposal.number)
    funded = selectors.is_funded(proposal)
    return render(request, "budgeting/proposal_detail.html", {
        "round": rnd, "proposal": proposal, "update_form": form, "mine": False, "funded": funded,
        "progress": selectors.progress(proposal) if funded else None}, status=422)

"""HTML pages of household vouchers (B5): the public pledge page and the staff overview."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwijs.budgeting import codeguard
from wijkwijs.budgeting import voucher_selectors as selectors
from wijkwijs.budgeting import voucher_services as services
from wijkwijs.budgeting.forms_register import InitiativeForm, IssueForm, PayOutForm, PledgeForm, VoucherPeriodForm
from wijkwijs.budgeting.views_register import apply_problems
from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError


def vouchers(request: HttpRequest) -> HttpResponse:
    """A resident types the code of a cheque and gives it to an initiative. No account needed;
    nothing about the resident is asked or stored."""
    today = now().date()
    initiatives = list(selectors.initiatives_open(today=today))
    form = PledgeForm(request.POST or None, initiatives=initiatives)
    status = 200
    if request.method == "POST" and codeguard.blocked(request, "cheque"):
        form.is_valid()
        form.add_error(None, str(codeguard.MESSAGE))
        status = 429
    elif request.method == "POST" and form.is_valid():
        chosen = next(i for i in initiatives if i.pk == form.cleaned_data["initiative"])
        try:
            services.voucher_pledge(code=form.cleaned_data["code"], initiative=chosen, actor=request.user, now=now())
        except DomainError as exc:
            if any(p.field == "code" for p in exc.problems):
                codeguard.failed(request, "cheque")
            apply_problems(form, exc)
        else:
            messages.success(request, _("Thank you! Your cheque now counts towards “%(t)s”.") % {"t": chosen.title})
            return redirect("budgeting:vouchers")
    period = selectors.period_current(today=today)
    funded = list(selectors.initiatives_with_balance(period).exclude(status="open").order_by("title")) if period else []
    return render(request, "budgeting/vouchers.html", {"form": form, "initiatives": initiatives, "period": period, "funded": funded},
                  status=status if status != 200 else (422 if form.errors else 200))


def _admin_context(request: HttpRequest, **forms: object) -> dict[str, object]:
    periods = selectors.periods_list()
    current = selectors.period_current(today=now().date()) or (periods[0].period if periods else None)
    return {
        "periods": periods, "current": current,
        "initiatives": list(selectors.initiatives_with_balance(current).order_by("status", "title")) if current else [],
        "ledger": selectors.ledger_for(current, limit=25) if current else [],
        "can_manage": request.user.has_perm("budgeting.manage_vouchers"),
        "can_pay": request.user.has_perm("budgeting.pay_out_initiative"),
        "period_form": VoucherPeriodForm(), "issue_form": IssueForm(), "initiative_form": InitiativeForm(), "payout_form": PayOutForm(),
        **forms,
    }


@permission_required("budgeting.view_vouchers_admin", raise_exception=True)
def voucher_admin(request: HttpRequest) -> HttpResponse:
    return render(request, "budgeting/voucher_admin.html", _admin_context(request))


def _admin_with_errors(request: HttpRequest, **forms: object) -> HttpResponse:
    """The staff page again, with the failing form (and its messages) in place of its empty twin."""
    return render(request, "budgeting/voucher_admin.html", _admin_context(request, **forms), status=422)


@require_POST
@permission_required("budgeting.manage_vouchers", raise_exception=True)
def voucher_period_new(request: HttpRequest) -> HttpResponse:
    form = VoucherPeriodForm(request.POST)
    if form.is_valid():
        try:
            services.voucher_period_create(actor=request.user, now=now(), **form.cleaned_data)
        except DomainError as exc:
            apply_problems(form, exc)
        else:
            messages.success(request, _("The period was saved."))
            return redirect("budgeting:voucher-admin")
    return _admin_with_errors(request, period_form=form)


@require_POST
@permission_required("budgeting.manage_vouchers", raise_exception=True)
def vouchers_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue codes and hand them out once, as CSV for the letters; only hashes stay behind."""
    period = selectors.period_get(pk)
    if period is None:
        raise Http404(_("This period does not exist."))
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            letters = services.vouchers_issue(period=period, households=form.cleaned_data["households"], actor=request.user, now=now())
        except DomainError as exc:
            apply_problems(form, exc)
        else:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="buurtcheques-{period.pk}-{now():%Y%m%d%H%M%S}.csv"'
            response["Cache-Control"] = "no-store"
            writer = csv.writer(response, delimiter=";")
            writer.writerow([_("letter"), *[_("code %(n)s") % {"n": n + 1} for n in range(period.cheques_per_household)]])
            for n, codes in enumerate(letters, start=1):
                writer.writerow([n, *codes])
            return response
    return _admin_with_errors(request, issue_form=form)


@require_POST
@permission_required("budgeting.manage_vouchers", raise_exception=True)
def initiative_new(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get(pk)
    if period is None:
        raise Http404(_("This period does not exist."))
    form = InitiativeForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_create(period=period, actor=request.user, now=now(), **form.cleaned_data)
        except DomainError as exc:
            apply_problems(form, exc)
        else:
            messages.success(request, _("The initiative was saved."))
            return redirect("budgeting:voucher-admin")
    return _admin_with_errors(request, initiative_form=form)


@require_POST
@permission_required("budgeting.pay_out_initiative", raise_exception=True)
def initiative_pay_out(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative_get(pk)
    if initiative is None:
        raise Http404(_("This initiative does not exist."))
    form = PayOutForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_pay_out(initiative=initiative, reference=form.cleaned_data["reference"], actor=request.user, now=now())
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("“%(t)s” was paid out.") % {"t": initiative.title})
    else:
        messages.error(request, _("Give the payment reference to pay out “%(t)s”.") % {"t": initiative.title})
    return redirect("budgeting:voucher-admin")

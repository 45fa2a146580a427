"""HTML pages of handgeld (B6): an area manager's own budgets and spending log; management,
the council and administrators see every budget."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwijs.accounts.models import User
from wijkwijs.accounts.roles import Role
from wijkwijs.budgeting import handgeld_services as services
from wijkwijs.budgeting import voucher_selectors as selectors
from wijkwijs.budgeting.forms_register import HandgeldBudgetForm, SpendingForm
from wijkwijs.budgeting.views_register import apply_problems
from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError


def _budget_form(data: object = None) -> HandgeldBudgetForm:
    return HandgeldBudgetForm(data, managers=User.objects.filter(role=Role.AREA_MANAGER).order_by("last_name"), initial={"year": now().year})


@permission_required("budgeting.view_handgeld", raise_exception=True)
def handgeld(request: HttpRequest, budget_form: HandgeldBudgetForm | None = None) -> HttpResponse:
    see_all = request.user.has_perm("budgeting.view_all_handgeld")
    budgets = list(selectors.handgeld_budgets(user=request.user, see_all=see_all))
    can_set = request.user.has_perm("budgeting.set_handgeld_budget")
    return render(request, "budgeting/handgeld.html", {
        "budgets": budgets, "see_all": see_all, "can_set": can_set,
        "budget_form": budget_form or (_budget_form() if can_set else None),
    }, status=422 if budget_form is not None and budget_form.errors else 200)


@require_POST
@permission_required("budgeting.set_handgeld_budget", raise_exception=True)
def handgeld_budget_set(request: HttpRequest) -> HttpResponse:
    form = _budget_form(request.POST)
    if form.is_valid():
        try:
            budget = services.handgeld_budget_set(actor=request.user, now=now(), **form.cleaned_data)
        except DomainError as exc:
            apply_problems(form, exc)
        else:
            messages.success(request, _("The handgeld budget of %(m)s for %(y)s was saved.") % {"m": budget.manager, "y": budget.year})
            return redirect("budgeting:handgeld")
    return handgeld(request, budget_form=form)


def handgeld_budget(request: HttpRequest, pk: int) -> HttpResponse:
    budget = selectors.handgeld_budget_get(pk)
    if budget is None:
        raise Http404(_("This budget does not exist."))
    if not request.user.has_perm("budgeting.view_handgeld_budget", budget):
        raise PermissionDenied
    # Only the manager spends their handgeld (also not an administrator, who has every permission).
    can_spend = budget.manager_id == request.user.pk and request.user.has_perm("budgeting.spend_handgeld", budget)
    form = SpendingForm(request.POST or None, initial={"spent_on": now().date()}) if can_spend else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.handgeld_spend(budget=budget, actor=request.user, now=now(), **form.cleaned_data)
            except DomainError as exc:
                apply_problems(form, exc)
            else:
                messages.success(request, _("The spending was recorded."))
                return redirect("budgeting:handgeld-budget", pk=budget.pk)
    return render(request, "budgeting/handgeld_budget.html", {
        "budget": budget, "remaining": budget.amount - budget.spent, "log": selectors.handgeld_log(budget), "form": form,
    }, status=422 if form is not None and form.errors else 200)

"""HTML pages of the budget register (B1): public overview per wijk, a wijk's lines, a line
with its mutation log; staff entry, editing, CSV import and export."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wijkwijs.accounts.models import Department
from wijkwijs.areas import selectors as area_selectors
from wijkwijs.budgeting import register_selectors as selectors
from wijkwijs.budgeting import register_services as services
from wijkwijs.budgeting.forms_register import BudgetLineForm, MutationForm, RegisterImportForm
from wijkwijs.budgeting.register_charts import stacked_bars
from wijkwijs.budgeting.register_rules import is_register_admin
from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError, NotFound


def apply_problems(form: Any, exc: DomainError) -> None:
    """Put a service's problems next to the fields they name; the rest on top of the form."""
    for p in exc.problems:
        if p.field in form.fields and not form.fields[p.field].disabled:
            form.add_error(p.field, p.reason)
        else:
            form.add_error(None, f"{p.field}: {p.reason}" if p.field else p.reason)
    if not exc.problems:
        form.add_error(None, exc.message)


def _year(request: HttpRequest) -> int | None:
    years = selectors.register_years()
    try:
        asked = int(request.GET.get("jaar", ""))
    except ValueError:
        asked = None
    if asked in years:
        return asked
    return selectors.default_year(now().year)


def register(request: HttpRequest) -> HttpResponse:
    """Public overview: money per wijk against city-wide money, as a chart and as a table."""
    year = _year(request)
    context: dict[str, Any] = {"years": selectors.register_years(), "year": year}
    if year is not None:
        overview = selectors.register_overview(year=year)
        sources = overview.sources_used
        context["overview"] = overview
        context["sources"] = sources
        context["chart"] = stacked_bars(
            [(b.label, b.by_source) for b in overview.wijken],
            sources=sources,
            title=_("Budgets per wijk in %(year)s, by source") % {"year": year},
            description=_("Horizontal bars, one per wijk; the length is the total budget, the colours its sources. The table below gives the same figures."),
        )
    return render(request, "budgeting/register.html", context)


def register_area(request: HttpRequest, code: str) -> HttpResponse:
    try:
        area = area_selectors.area_get(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    year = _year(request)
    lines = selectors.register_area_lines(area=area, year=year) if year is not None else {"own": [], "buurten": [], "clusters": []}
    own_total = sum((line.amount for line in [*lines["own"], *lines["buurten"]]), selectors.ZERO)
    return render(request, "budgeting/register_area.html", {
        "area": area, "year": year, "years": selectors.register_years(), "lines": lines, "own_total": own_total,
    })


def budget_line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.budget_line_get(pk)
    if line is None:
        raise Http404(_("This budget line does not exist."))
    can_edit = request.user.has_perm("budgeting.change_budget_line", line)
    form = MutationForm(request.POST or None, initial={"on": now().date()})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.budget_mutation_add(line=line, actor=request.user, now=now(), **form.cleaned_data)
            except DomainError as exc:
                apply_problems(form, exc)
            else:
                messages.success(request, _("The mutation was recorded."))
                return redirect("budgeting:budget-line", pk=line.pk)
    show_log = request.user.has_perm("budgeting.view_register_log")
    return render(request, "budgeting/register_line.html", {
        "line": line, "form": form, "can_edit": can_edit, "show_log": show_log,
        "mutations": selectors.budget_line_mutations(line) if show_log else [],
    }, status=422 if form.errors else 200)


def _departments_for(user: Any) -> Any:
    if is_register_admin(user):
        return Department.objects.all()
    return Department.objects.filter(pk=user.department_id)


@permission_required("budgeting.add_budget_line", raise_exception=True)
def budget_line_new(request: HttpRequest) -> HttpResponse:
    form = BudgetLineForm(request.POST or None, departments=_departments_for(request.user), initial={"year": now().year})
    if request.method == "POST" and form.is_valid():
        try:
            line = services.budget_line_create(actor=request.user, now=now(), **form.cleaned_data)
        except DomainError as exc:
            apply_problems(form, exc)
        else:
            messages.success(request, _("The budget line was saved."))
            return redirect("budgeting:budget-line", pk=line.pk)
    return render(request, "budgeting/register_line_form.html", {"form": form}, status=422 if form.errors else 200)


def budget_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.budget_line_get(pk)
    if line is None:
        raise Http404(_("This budget line does not exist."))
    if not request.user.has_perm("budgeting.change_budget_line", line):
        raise PermissionDenied
    initial = {name: getattr(line, name) for name in ("year", "reference", "title", "area", "cluster", "source", "department", "description")}
    initial["amount"] = f"{line.amount:.2f}".replace(".", ",")
    form = BudgetLineForm(request.POST or None, initial=initial, departments=_departments_for(request.user), editing=True)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in services.EDITABLE}
        try:
            services.budget_line_update(line=line, actor=request.user, now=now(), **changes)
        except DomainError as exc:
            apply_problems(form, exc)
        else:
            messages.success(request, _("The budget line was saved."))
            return redirect("budgeting:budget-line", pk=line.pk)
    return render(request, "budgeting/register_line_form.html", {"form": form, "line": line}, status=422 if form.errors else 200)


@permission_required("budgeting.import_register", raise_exception=True)
def register_import(request: HttpRequest) -> HttpResponse:
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.budget_lines_import(data=upload.read(), source=upload.name, actor=request.user, now=now(),
                                                  dry_run=form.cleaned_data["dry_run"])
        except DomainError as exc:
            form.add_error(None, exc.message)
            problems = exc.problems
        else:
            if not form.cleaned_data["dry_run"]:
                messages.success(request, _("Imported: %(c)s new, %(u)s changed, %(n)s unchanged.") % {
                    "c": report.created, "u": report.updated, "n": report.unchanged})
                return redirect("budgeting:register")
    return render(request, "budgeting/register_import.html", {"form": form, "problems": problems, "report": report},
                  status=422 if form.errors else 200)


def register_export(request: HttpRequest) -> HttpResponse:
    """The register as CSV, in the import format (public: the register is open data)."""
    year = _year(request) if request.GET.get("jaar") else None
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budgetregister{"-" + str(year) if year else ""}.csv"'
    writer = csv.writer(response, delimiter=";")
    for row in selectors.register_export_rows(year=year):
        writer.writerow(row)
    return response

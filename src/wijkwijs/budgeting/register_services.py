"""Writes on the budget register (B1): budget lines, the committed/spent mutation log, CSV import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from wijkwijs.accounts.models import Department
from wijkwijs.areas.csvfiles import read_rows
from wijkwijs.areas.models import Area, Cluster
from wijkwijs.audit.services import record
from wijkwijs.budgeting.money import AmountError, parse_amount
from wijkwijs.budgeting.register_models import BudgetLine, BudgetMutation, BudgetSource, MutationKind
from wijkwijs.core.errors import DomainError, ImportRejected, ImportReport, Problem

#: Columns of the import and export file, in order. ``area`` is a CBS code (WK/BU, or the GM
#: code or empty for city-wide money); ``cluster`` is ``clustering-code/cluster name``.
CSV_COLUMNS = [
    "year", "reference", "title", "area", "cluster", "source", "department", "amount", "committed", "spent", "description",
]
REQUIRED_COLUMNS = {"year", "reference", "title", "source", "department", "amount"}
EDITABLE = ("title", "description", "area", "cluster", "source", "department", "amount")


def _check_line(*, year: int, reference: str, title: str, area: Area | None, cluster: Cluster | None, amount: Decimal) -> None:
    problems = []
    if not 2000 <= year <= 2100:
        problems.append(Problem(field="year", reason=_("a year between 2000 and 2100")))
    if not reference.strip():
        problems.append(Problem(field="reference", reason=_("a reference is required")))
    if not title.strip():
        problems.append(Problem(field="title", reason=_("a title is required")))
    if area is not None and cluster is not None:
        problems.append(Problem(field="area", reason=_("tie a budget to an area or to a cluster, not both")))
    if amount < 0:
        problems.append(Problem(field="amount", reason=_("the amount cannot be negative")))
    if problems:
        raise DomainError(_("The budget line was not saved."), problems=problems)


def _totals(line: BudgetLine) -> dict[str, Decimal]:
    sums = BudgetMutation.objects.filter(line=line).aggregate(
        committed=Sum("amount", filter=Q(kind=MutationKind.COMMITTED)), spent=Sum("amount", filter=Q(kind=MutationKind.SPENT))
    )
    return {k: v or Decimal(0) for k, v in sums.items()}


@transaction.atomic
def budget_line_create(
    *,
    year: int,
    reference: str,
    title: str,
    source: str,
    department: Department,
    amount: Decimal,
    area: Area | None = None,
    cluster: Cluster | None = None,
    description: str = "",
    is_demo: bool = False,
    actor: Any,
    now: datetime,
) -> BudgetLine:
    _check_line(year=year, reference=reference, title=title, area=area, cluster=cluster, amount=amount)
    if BudgetLine.objects.filter(year=year, reference=reference.strip()).exists():
        raise DomainError(
            _("The budget line was not saved."),
            problems=[Problem(field="reference", reason=_("%(year)s already has a line %(ref)s") % {"year": year, "ref": reference})],
        )
    line = BudgetLine.objects.create(
        year=year, reference=reference.strip(), title=title.strip(), description=description, area=area, cluster=cluster,
        source=source, department=department, amount=amount, is_demo=is_demo, created_at=now, updated_at=now,
    )
    record(actor=actor, action="budget_line.created", obj=line, now=now, data={"amount": str(amount), "year": year})
    return line


@transaction.atomic
def budget_line_update(*, line: BudgetLine, actor: Any, now: datetime, **changes: Any) -> BudgetLine:
    """Change the editable fields of a line; the audit event lists old and new values."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    diff: dict[str, list[str]] = {}
    for name, value in changes.items():
        old = getattr(line, name)
        if old != value:
            diff[name] = [str(old) if old is not None else "", str(value) if value is not None else ""]
            setattr(line, name, value)
    _check_line(year=line.year, reference=line.reference, title=line.title, area=line.area, cluster=line.cluster, amount=line.amount)
    totals = _totals(line)
    if "amount" in diff and max(totals.values()) > line.amount:
        raise DomainError(
            _("The budget line was not saved."),
            problems=[Problem(field="amount", reason=_("the amount cannot be less than what is already committed or spent"))],
        )
    if diff:
        line.updated_at = now
        line.save()
        record(actor=actor, action="budget_line.updated", obj=line, now=now, data={"changes": diff})
    return line


@transaction.atomic
def budget_mutation_add(
    *, line: BudgetLine, kind: str, on: date, amount: Decimal, note: str = "", actor: Any, now: datetime
) -> BudgetMutation:
    """Record that money was committed or spent (a negative amount corrects an earlier entry).
    Totals stay between zero and the line's amount."""
    if kind not in MutationKind.values:
        raise DomainError(_("Unknown kind of mutation: %(k)s") % {"k": kind})
    if amount == 0:
        raise DomainError(_("The mutation was not saved."), problems=[Problem(field="amount", reason=_("the amount cannot be zero"))])
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if on.year != line.year:
        raise DomainError(
            _("The mutation was not saved."),
            problems=[Problem(field="on", reason=_("the date must fall in the budget year %(y)s") % {"y": line.year})],
        )
    new_total = _totals(line)[kind] + amount
    if new_total < 0:
        raise DomainError(
            _("The mutation was not saved."), problems=[Problem(field="amount", reason=_("the total would become negative"))]
        )
    if new_total > line.amount:
        raise DomainError(
            _("The mutation was not saved."),
            problems=[Problem(field="amount", reason=_("the total would exceed the budget of %(a)s") % {"a": line.amount})],
        )
    mutation = BudgetMutation.objects.create(line=line, kind=kind, on=on, amount=amount, note=note[:300], created_at=now,
                                             created_by=actor if getattr(actor, "is_authenticated", False) else None)
    record(actor=actor, action=f"budget_line.{kind}", obj=line, now=now, data={"amount": str(amount), "on": on.isoformat(), "mutation": mutation.pk})
    return mutation


# --- CSV import ----------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    committed: Decimal | None
    spent: Decimal | None


def _header(cells: list[str]) -> dict[str, int]:
    return {c.strip().lower(): i for i, c in enumerate(cells) if c.strip()}


def _parse_rows(data: bytes, source: str) -> list[_Row]:
    rows = read_rows(data, source)
    header = _header(rows[0][1]) if rows else {}
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        raise ImportRejected(
            _("%(s)s: not imported") % {"s": source},
            problems=[Problem(source=source, row=1, reason=_("missing columns: %(c)s") % {"c": ", ".join(sorted(missing))})],
        )
    areas = {a.code: a for a in Area.objects.all()}
    departments = {d.slug: d for d in Department.objects.all()}
    clusters = {f"{c.clustering.slug}/{c.name}".lower(): c for c in Cluster.objects.select_related("clustering")}
    sources = {v: v for v in BudgetSource.values} | {str(label).lower(): v for v, label in BudgetSource.choices}
    problems: list[Problem] = []
    out: list[_Row] = []
    seen: dict[tuple[int, str], int] = {}
    for number, cells in rows[1:]:
        def cell(name: str, cells: list[str] = cells) -> str:
            i = header.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        row_problems: list[Problem] = []

        def bad(name: str, reason: str, number: int = number, row_problems: list[Problem] = row_problems) -> None:
            row_problems.append(Problem(source=source, row=number, field=name, reason=reason))

        year = 0
        try:
            year = int(cell("year"))
            if not 2000 <= year <= 2100:
                bad("year", _("a year between 2000 and 2100"))
        except ValueError:
            bad("year", _("not a year: %(v)r") % {"v": cell("year")})
        reference, title = cell("reference"), cell("title")
        if not reference:
            bad("reference", _("a reference is required"))
        if not title:
            bad("title", _("a title is required"))
        area = cluster = None
        code = cell("area").upper()
        if code:
            area = areas.get(code)
            if area is None:
                bad("area", _("unknown area code %(c)s") % {"c": code})
        if cell("cluster"):
            cluster = clusters.get(cell("cluster").lower())
            if cluster is None:
                bad("cluster", _("unknown cluster %(c)s (write clustering code/cluster name)") % {"c": cell("cluster")})
        if area is not None and cluster is not None:
            bad("cluster", _("tie a budget to an area or to a cluster, not both"))
        src = sources.get(cell("source").lower())
        if src is None:
            bad("source", _("unknown source %(s)r; use one of %(all)s") % {"s": cell("source"), "all": ", ".join(BudgetSource.values)})
        dept = departments.get(cell("department").lower())
        if dept is None:
            bad("department", _("unknown department %(d)r") % {"d": cell("department")})
        money: dict[str, Decimal | None] = {}
        for name in ("amount", "committed", "spent"):
            text = cell(name)
            if not text and name != "amount":
                money[name] = None
                continue
            try:
                money[name] = parse_amount(text)
            except AmountError:
                bad(name, _("not an amount: %(v)r") % {"v": text})
                money[name] = None
                continue
            if money[name] < 0:  # type: ignore[operator]
                bad(name, _("the amount cannot be negative"))
        amount = money.get("amount")
        for name in ("committed", "spent"):
            value = money.get(name)
            if value is not None and amount is not None and value > amount:
                bad(name, _("more than the amount of the line"))
        key = (year, reference)
        if key in seen:
            bad("reference", _("%(ref)s for %(year)s also on row %(row)s") % {"ref": reference, "year": year, "row": seen[key]})
        seen[key] = number
        if row_problems:
            problems.extend(row_problems)
            continue
        out.append(_Row(number, dict(year=year, reference=reference, title=title, area=area, cluster=cluster, source=src,
                                     department=dept, amount=amount, description=cell("description")),
                        money["committed"], money["spent"]))
    if problems:
        raise ImportRejected(_("%(s)s: not imported, nothing was changed") % {"s": source}, problems=problems)
    if not out:
        raise ImportRejected(_("%(s)s: no budget lines in the file") % {"s": source},
                             problems=[Problem(source=source, reason=_("the file has only a header"))])
    return out


@transaction.atomic
def budget_lines_import(*, data: bytes, source: str, actor: Any, now: datetime, dry_run: bool = False) -> ImportReport:
    """All or nothing: a file with any bad row changes nothing and lists every bad row.

    Lines are matched on (year, reference): new ones are created, existing ones updated.
    When the file gives ``committed`` or ``spent`` totals, the difference with the register
    is recorded as a mutation dated today, so the log stays append-only."""
    rows = _parse_rows(data, source)
    report = ImportReport()
    sid = transaction.savepoint()
    for row in rows:
        existing = BudgetLine.objects.filter(year=row.values["year"], reference=row.values["reference"]).first()
        if existing is None:
            line = budget_line_create(**row.values, actor=actor, now=now)
            report.created += 1
        else:
            before = existing.updated_at
            fields = {k: row.values[k] for k in EDITABLE}
            try:
                line = budget_line_update(line=existing, actor=actor, now=now, **fields)
            except DomainError as exc:
                raise ImportRejected(_("%(s)s: not imported, nothing was changed") % {"s": source},
                                     problems=[Problem(source=source, row=row.number, field=p.field, reason=p.reason) for p in exc.problems]) from exc
            if line.updated_at != before:
                report.updated += 1
            else:
                report.unchanged += 1
        totals = _totals(line)
        for kind, target in ((MutationKind.COMMITTED, row.committed), (MutationKind.SPENT, row.spent)):
            if target is not None and target != totals[kind]:
                on = now.date() if now.year == line.year else date(line.year, 12, 31)
                budget_mutation_add(line=line, kind=kind, on=on, amount=target - totals[kind],
                                    note=_("import %(s)s") % {"s": source}, actor=actor, now=now)
    report.details = {"rows": len(rows)}
    if dry_run:
        transaction.savepoint_rollback(sid)
    else:
        transaction.savepoint_commit(sid)
        record(actor=actor, action="budget_lines.imported", now=now,
               data={"source": source, "created": report.created, "updated": report.updated, "unchanged": report.unchanged})
    return report

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wijkwijs.accounts.models import Department
from wijkwijs.areas.models import Area
from wijkwijs.audit.models import AuditEvent
from wijkwijs.budgeting import register_selectors, register_services
from wijkwijs.budgeting.register_models import AppendOnlyError, BudgetLine, BudgetMutation
from wijkwijs.budgeting.tests.register_factories import BudgetLineFactory
from wijkwijs.core.errors import DomainError, ImportRejected

pytestmark = pytest.mark.django_db


def audit(action: str, obj: object) -> int:
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).count()  # type: ignore[attr-defined]


def test_create_records_an_audit_event(now):
    line = BudgetLineFactory()
    assert line.scope == "area" and audit("budget_line.created", line) == 1


def test_reference_is_unique_per_year():
    BudgetLineFactory(reference="X-1")
    with pytest.raises(DomainError) as exc:
        BudgetLineFactory(reference="X-1")
    assert exc.value.problems[0].field == "reference"
    BudgetLineFactory(reference="X-1", year=2025)  # another year is fine


def test_area_and_cluster_together_are_refused():
    from wijkwijs.areas.models import Cluster

    with pytest.raises(DomainError):
        BudgetLineFactory(cluster=Cluster.objects.first())


def test_update_lists_old_and_new_values_in_the_audit(now):
    line = BudgetLineFactory()
    register_services.budget_line_update(line=line, title="Nieuwe titel", amount=Decimal("12000.00"), actor=None, now=now)
    event = AuditEvent.objects.filter(action="budget_line.updated", object_id=str(line.pk)).get()
    assert event.data["changes"]["title"] == ["Testbudget" + line.title.removeprefix("Testbudget"), "Nieuwe titel"]
    assert event.data["changes"]["amount"] == ["10000.00", "12000.00"]


def test_update_of_year_or_reference_is_refused(now):
    line = BudgetLineFactory()
    with pytest.raises(DomainError):
        register_services.budget_line_update(line=line, year=2020, actor=None, now=now)


def test_mutations_derive_committed_and_spent(now):
    line = BudgetLineFactory()
    register_services.budget_mutation_add(line=line, kind="committed", on=date(2026, 2, 1), amount=Decimal("6000"), actor=None, now=now)
    register_services.budget_mutation_add(line=line, kind="spent", on=date(2026, 5, 1), amount=Decimal("2500"), actor=None, now=now)
    register_services.budget_mutation_add(line=line, kind="spent", on=date(2026, 6, 1), amount=Decimal("-500"), note="correctie", actor=None, now=now)
    got = register_selectors.budget_line_get(line.pk)
    assert (got.committed, got.spent) == (Decimal("6000"), Decimal("2000"))
    assert audit("budget_line.spent", line) == 2


@pytest.mark.parametrize(
    ("kind", "on", "amount", "field"),
    [
        ("committed", date(2026, 2, 1), Decimal("10000.01"), "amount"),  # more than the budget
        ("spent", date(2026, 2, 1), Decimal("-1"), "amount"),  # total below zero
        ("spent", date(2025, 12, 31), Decimal("1"), "on"),  # outside the year
        ("spent", date(2026, 2, 1), Decimal("0"), "amount"),
    ],
)
def test_bad_mutations_change_nothing(now, kind, on, amount, field):
    line = BudgetLineFactory()
    with pytest.raises(DomainError) as exc:
        register_services.budget_mutation_add(line=line, kind=kind, on=on, amount=amount, actor=None, now=now)
    assert exc.value.problems[0].field == field
    assert not BudgetMutation.objects.filter(line=line).exists()


def test_amount_cannot_drop_below_what_is_committed(now):
    line = BudgetLineFactory()
    register_services.budget_mutation_add(line=line, kind="committed", on=date(2026, 2, 1), amount=Decimal("8000"), actor=None, now=now)
    with pytest.raises(DomainError):
        register_services.budget_line_update(line=line, amount=Decimal("7000"), actor=None, now=now)
    line.refresh_from_db()
    assert line.amount == Decimal("10000.00")


def test_the_mutation_log_is_append_only(now):
    line = BudgetLineFactory()
    m = register_services.budget_mutation_add(line=line, kind="committed", on=date(2026, 2, 1), amount=Decimal("1"), actor=None, now=now)
    with pytest.raises(AppendOnlyError):
        m.save()
    with pytest.raises(AppendOnlyError):
        m.delete()
    with pytest.raises(AppendOnlyError):
        BudgetMutation.objects.filter(pk=m.pk).update(amount=Decimal("2"))
    with pytest.raises(AppendOnlyError):
        BudgetMutation.objects.filter(pk=m.pk).delete()


GOOD = (
    "year;reference;title;area;cluster;source;department;amount;committed;spent;description\n"
    "2026;IMP-1;Speeltuin Schadewijk;WK082801;;own;openbare-ruimte;12.500;10.000,00;2500;nieuw\n"
    "2026;IMP-2;Gebiedsbudget Ruwaard;;wijkzaken/3 Ruwaard;province;wijkzaken;30000;;;\n"
    "2026;IMP-3;Stadsbrede jeugdhulp;;;national;welzijn;1.250.000,50;;;\n"
)


def test_import_creates_lines_and_records_committed_and_spent(now):
    report = register_services.budget_lines_import(data=GOOD.encode(), source="begroting.csv", actor=None, now=now)
    assert (report.created, report.updated) == (3, 0)
    one = register_selectors.lines_with_totals().get(year=2026, reference="IMP-1")
    assert (one.amount, one.committed, one.spent) == (Decimal("12500.00"), Decimal("10000.00"), Decimal("2500.00"))
    assert register_selectors.lines_with_totals().get(reference="IMP-2").cluster.name == "3 Ruwaard"
    assert register_selectors.lines_with_totals().get(reference="IMP-3").amount == Decimal("1250000.50")
    # importing the same file again changes nothing; a changed total becomes one new mutation
    again = register_services.budget_lines_import(data=GOOD.encode(), source="begroting.csv", actor=None, now=now)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = GOOD.replace("10.000,00;2500", "10.000,00;4000")
    register_services.budget_lines_import(data=changed.encode(), source="begroting.csv", actor=None, now=now)
    spent = BudgetMutation.objects.filter(line=one, kind="spent").order_by("id")
    assert [m.amount for m in spent] == [Decimal("2500.00"), Decimal("1500.00")]


def test_a_bad_file_changes_nothing_and_lists_every_bad_row(now):
    bad = (
        "year;reference;title;area;cluster;source;department;amount\n"
        "2026;OK-1;Goed;WK082801;;own;openbare-ruimte;100\n"
        "twintig;B-1;Slecht jaar;WK082801;;own;openbare-ruimte;100\n"
        "2026;B-2;Onbekend gebied;WK999999;;own;openbare-ruimte;100\n"
        "2026;B-3;Onbekende bron;WK082801;;lottery;openbare-ruimte;100\n"
        "2026;B-4;Geen bedrag;WK082801;;own;openbare-ruimte;veel\n"
        "2026;B-5;Onbekende afdeling;WK082801;;own;bakkerij;100\n"
        "2026;OK-1;Dubbel;WK082801;;own;openbare-ruimte;100\n"
    )
    before = BudgetLine.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as exc:
        register_services.budget_lines_import(data=bad.encode(), source="fout.csv", actor=None, now=now)
    rows = {(p.row, p.field) for p in exc.value.problems}
    assert rows == {(3, "year"), (4, "area"), (5, "source"), (6, "amount"), (7, "department"), (8, "reference")}
    assert (BudgetLine.objects.count(), AuditEvent.objects.count()) == before


def test_import_needs_the_required_columns(now):
    with pytest.raises(ImportRejected) as exc:
        register_services.budget_lines_import(data=b"year;title\n2026;x\n", source="kort.csv", actor=None, now=now)
    assert "amount" in exc.value.problems[0].reason


def test_dry_run_stores_nothing(now):
    before = BudgetLine.objects.count()
    report = register_services.budget_lines_import(data=GOOD.encode(), source="b.csv", actor=None, now=now, dry_run=True)
    assert report.created == 3 and BudgetLine.objects.count() == before


def test_export_can_be_imported_again_unchanged(now):
    rows = register_selectors.register_export_rows(year=2026)
    assert rows[0] == register_services.CSV_COLUMNS and len(rows) > 90  # the demo register
    text = "\n".join(";".join(r) for r in rows)
    report = register_services.budget_lines_import(data=text.encode(), source="export.csv", actor=None, now=now)
    assert report.created == 0 and report.updated == 0 and report.unchanged == len(rows) - 1


def test_overview_splits_wijken_clusters_and_citywide(now):
    before = register_selectors.register_overview(year=2026)
    BudgetLineFactory(amount=Decimal("1000"))
    BudgetLineFactory(in_buurt=True, amount=Decimal("500"))  # a buurt of Schadewijk counts for Schadewijk
    BudgetLineFactory(citywide=True, amount=Decimal("2000"))
    BudgetLineFactory(area=Area.objects.get(code="GM0828"), amount=Decimal("3000"))  # the municipality is city-wide
    after = register_selectors.register_overview(year=2026)
    wijk = {b.area.code: b for b in after.wijken}["WK082801"]
    wijk_before = {b.area.code: b for b in before.wijken}["WK082801"]
    assert wijk.amount - wijk_before.amount == Decimal("1500")
    assert after.citywide.amount - before.citywide.amount == Decimal("5000")
    assert after.total == after.area_total + after.citywide.amount
    assert len(after.wijken) == Area.objects.current().filter(level="WK").count()
    assert abs(sum(b.share for b in [*after.wijken, *after.clusters, after.citywide]) - 1.0) < 1e-9


def test_department_is_required_to_exist():
    assert Department.objects.filter(slug="openbare-ruimte").exists()

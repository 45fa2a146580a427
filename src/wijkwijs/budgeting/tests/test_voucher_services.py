from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from wijkwijs.audit.models import AuditEvent
from wijkwijs.budgeting import voucher_selectors, voucher_services
from wijkwijs.budgeting.register_models import AppendOnlyError, Initiative, Voucher, VoucherLedgerEntry
from wijkwijs.budgeting.tests.register_factories import InitiativeFactory, VoucherPeriodFactory, issue
from wijkwijs.conftest import NOW
from wijkwijs.core.errors import DomainError

pytestmark = pytest.mark.django_db
IN_2025 = datetime(2025, 1, 2, 9, 0, tzinfo=NOW.tzinfo)


def test_issue_stores_only_hashes_and_nothing_about_households():
    period = VoucherPeriodFactory()
    codes = issue(period, households=4)
    assert len(codes) == 8 and len(set(codes)) == 8
    assert all(len(voucher_services.normalise_code(c)) == voucher_services.CODE_LENGTH for c in codes)
    stored = list(Voucher.objects.filter(period=period).values_list("code_hash", flat=True))
    assert len(stored) == 8
    raw = {voucher_services.normalise_code(c) for c in codes} | set(codes)
    with connection.cursor() as cursor:  # no code appears anywhere in the voucher or ledger tables
        for table in (Voucher._meta.db_table, VoucherLedgerEntry._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            cells = {str(c) for row in cursor.fetchall() for c in row}
            assert not raw & cells
    assert {f.name for f in Voucher._meta.get_fields()} <= {"id", "period", "code_hash", "value", "issued_at", "redeemed_at", "expired_at", "ledger"}
    summary = voucher_selectors.period_summary(period)
    assert (summary.issued, summary.issued_value) == (8, Decimal("60.00"))


def test_pledge_moves_a_cheque_to_an_initiative_once():
    initiative = InitiativeFactory()
    codes = issue(initiative.period, households=2)
    voucher_services.voucher_pledge(code=codes[0].lower().replace("-", " "), initiative=initiative, now=NOW)  # typed loosely
    with pytest.raises(DomainError) as exc:
        voucher_services.voucher_pledge(code=codes[0], initiative=initiative, now=NOW)
    assert "al gebruikt" in exc.value.problems[0].reason
    got = voucher_selectors.initiative_get(initiative.pk)
    assert (got.pledged, got.cheques) == (Decimal("7.50"), 1)
    event = AuditEvent.objects.filter(action="voucher.pledged", object_id=str(initiative.pk)).get()
    assert event.actor is None and event.actor_label == voucher_services.RESIDENT
    assert codes[0] not in str(event.data)


@pytest.mark.parametrize(
    ("code", "reason"),
    [("AAAA-AAAA-AAAA", "onbekend"), ("ABC", "12 letters"), ("", "12 letters")],
)
def test_unknown_or_malformed_codes_are_refused(code, reason):
    initiative = InitiativeFactory()
    issue(initiative.period)
    with pytest.raises(DomainError) as exc:
        voucher_services.voucher_pledge(code=code, initiative=initiative, now=NOW)
    assert reason in exc.value.problems[0].reason
    assert not VoucherLedgerEntry.objects.filter(initiative=initiative).exists()


def test_a_cheque_outside_its_period_cannot_be_used():
    initiative = InitiativeFactory()
    codes = issue(initiative.period)
    with pytest.raises(DomainError) as exc:
        voucher_services.voucher_pledge(code=codes[0], initiative=initiative, now=datetime(2027, 1, 2, 10, 0, tzinfo=NOW.tzinfo))
    assert "vervallen" in exc.value.problems[0].reason


def test_a_cheque_of_another_period_is_refused():
    initiative = InitiativeFactory()
    other = VoucherPeriodFactory()
    codes = issue(other, seed=7)
    with pytest.raises(DomainError) as exc:
        voucher_services.voucher_pledge(code=codes[0], initiative=initiative, now=NOW)
    assert "andere periode" in exc.value.problems[0].reason


def test_reaching_the_target_funds_the_initiative_and_it_takes_no_more(now):
    initiative = InitiativeFactory(target=Decimal("15.00"))
    codes = issue(initiative.period, households=2)
    for code in codes[:2]:
        voucher_services.voucher_pledge(code=code, initiative=initiative, now=NOW)
    initiative.refresh_from_db()
    assert initiative.status == "funded"
    with pytest.raises(DomainError):
        voucher_services.voucher_pledge(code=codes[2], initiative=initiative, now=NOW)
    assert Voucher.objects.filter(period=initiative.period, redeemed_at__isnull=True).count() == 2  # the third stays usable


def test_pay_out_only_of_a_funded_initiative(now):
    initiative = InitiativeFactory(target=Decimal("15.00"))
    with pytest.raises(DomainError):
        voucher_services.initiative_pay_out(initiative=initiative, reference="B-1", actor=None, now=now)
    codes = issue(initiative.period, households=1)
    for code in codes:
        voucher_services.voucher_pledge(code=code, initiative=initiative, now=NOW)
    with pytest.raises(DomainError):
        voucher_services.initiative_pay_out(initiative=initiative, reference=" ", actor=None, now=now)
    entry = voucher_services.initiative_pay_out(initiative=initiative, reference="B-1", actor=None, now=now)
    assert entry.amount == Decimal("15.00")
    got = voucher_selectors.initiative_get(initiative.pk)
    assert (got.status, got.paid_out) == ("paid_out", Decimal("15.00"))
    with pytest.raises(DomainError):  # not twice
        voucher_services.initiative_pay_out(initiative=initiative, reference="B-2", actor=None, now=now)
    summary = voucher_selectors.period_summary(initiative.period)
    assert (summary.pledged_value, summary.paid_out_value, summary.held_value) == (Decimal("15.00"), Decimal("15.00"), Decimal("0"))


def test_withdraw_only_without_pledges(now):
    initiative = InitiativeFactory()
    voucher_services.initiative_withdraw(initiative=initiative, actor=None, now=now)
    assert Initiative.objects.get(pk=initiative.pk).status == "withdrawn"


def test_expiry_is_idempotent_and_leaves_pledged_cheques_alone(now):
    period = VoucherPeriodFactory(ended=True)
    initiative = InitiativeFactory(period=period)
    codes = issue(period, households=3, seed=3, now=IN_2025)
    voucher_services.voucher_pledge(code=codes[0], initiative=initiative, now=datetime(2025, 6, 1, 12, 0, tzinfo=NOW.tzinfo))
    first = voucher_services.vouchers_expire(now=now)
    assert first["expired"] >= 5  # (other ended periods may exist)
    assert voucher_services.vouchers_expire(now=now) == {"expired": 0, "periods": 0}
    summary = voucher_selectors.period_summary(period)
    assert (summary.issued, summary.pledged, summary.expired, summary.outstanding) == (6, 1, 5, 0)
    assert summary.expired_value == Decimal("37.50")
    with pytest.raises(DomainError) as exc:
        voucher_services.voucher_pledge(code=codes[1], initiative=initiative, now=now)
    assert exc.value.problems  # expired and the initiative's period is over


def test_expiry_does_not_touch_running_periods(now):
    period = VoucherPeriodFactory()
    issue(period, households=2, seed=5)
    voucher_services.vouchers_expire(now=now)
    assert voucher_selectors.period_summary(period).expired == 0


def test_the_ledger_is_append_only():
    period = VoucherPeriodFactory()
    issue(period, households=1, seed=9)
    entry = VoucherLedgerEntry.objects.filter(period=period).first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        VoucherLedgerEntry.objects.filter(period=period).update(amount=Decimal("1"))
    with pytest.raises(AppendOnlyError):
        VoucherLedgerEntry.objects.filter(period=period).delete()


def test_period_validation():
    with pytest.raises(DomainError):
        VoucherPeriodFactory(ends_on=NOW.date() - timedelta(days=400))


def test_the_expire_command_and_task(now):
    from django.core.management import call_command

    from wijkwijs.budgeting.tasks_register import expire_vouchers

    period = VoucherPeriodFactory(ended=True)
    issue(period, households=1, seed=11, now=IN_2025)
    call_command("vouchers_expire", "--json")
    assert voucher_selectors.period_summary(period).expired == 2
    assert expire_vouchers.call()["expired"] == 0  # run twice: nothing left


def test_demo_period_has_pledges_and_a_payout():
    demo = [s for s in voucher_selectors.periods_list() if s.period.is_demo]
    assert len(demo) == 1
    s = demo[0]
    assert s.issued == 600 and s.pledged > 0 and s.paid_out_value > 0

"""Writes on household vouchers (B5, Ede Doet): periods, single-use codes, pledges, pay-outs, expiry.

No double spending: a code is spent by one conditional UPDATE (``redeemed_at IS NULL AND
expired_at IS NULL``) whose row count says whether this request won. Two requests with the same
code cannot both see a count of one, on SQLite or PostgreSQL. The initiative row is locked
(``select_for_update``) so that pledges towards one initiative are counted one after the other.
"""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Q, Sum
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from wijkwijs.areas.models import Area
from wijkwijs.audit.services import record
from wijkwijs.budgeting.register_models import (
    Initiative,
    InitiativeStatus,
    LedgerKind,
    Voucher,
    VoucherLedgerEntry,
    VoucherPeriod,
)
from wijkwijs.core.errors import DomainError, NotFound, Problem

#: No 0/O, 1/I/L: codes are read from paper and typed in.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12: about 59 bits
RESIDENT = "inwoner (anoniem)"
_HASH_SALT = "wijkwijs.budgeting.voucher"
F = TypeVar("F", bound=Callable[..., Any])


def retry_when_locked(func: F) -> F:
    """On SQLite a second writer gets "database is locked" (after the busy timeout, or at once
    with a shared-cache database); wait and run the whole transaction again, for up to 20 s.
    Only at the outermost level: inside someone else's transaction the error propagates."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            return func(*args, **kwargs)
        deadline = time.monotonic() + 20
        pause = 0.005
        while True:
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(pause + secrets.randbelow(10) / 1000)
                pause = min(pause * 2, 0.1)

    return wrapper  # type: ignore[return-value]


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_hashes(code: str) -> list[str]:
    """Keyed hashes of a code under the current secret key and its fallbacks (key rotation)."""
    normal = normalise_code(code)
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [salted_hmac(_HASH_SALT, normal, secret=key, algorithm="sha256").hexdigest() for key in keys]


def _new_code(rng: Any) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def voucher_period_create(
    *, name: str, starts_on: date, ends_on: date, cheque_value: Decimal = Decimal("7.50"), cheques_per_household: int = 2,
    is_demo: bool = False, actor: Any, now: datetime,
) -> VoucherPeriod:
    problems = []
    if ends_on < starts_on:
        problems.append(Problem(field="ends_on", reason=_("the period ends before it starts")))
    if cheque_value <= 0:
        problems.append(Problem(field="cheque_value", reason=_("the value must be more than zero")))
    if not 1 <= cheques_per_household <= 20:
        problems.append(Problem(field="cheques_per_household", reason=_("between 1 and 20 cheques per household")))
    if problems:
        raise DomainError(_("The period was not saved."), problems=problems)
    period = VoucherPeriod.objects.create(name=name, starts_on=starts_on, ends_on=ends_on, cheque_value=cheque_value,
                                          cheques_per_household=cheques_per_household, is_demo=is_demo, created_at=now)
    record(actor=actor, action="voucher_period.created", obj=period, now=now,
           data={"value": str(cheque_value), "per_household": cheques_per_household})
    return period


@transaction.atomic
def vouchers_issue(*, period: VoucherPeriod, households: int, actor: Any, now: datetime, rng: Any = None) -> list[list[str]]:
    """Issue ``cheques_per_household`` codes to each of ``households`` households.

    Returns the codes (one list per household, for printing the letters); they are shown this
    once and only their hashes are stored. Nothing about the household is stored."""
    if not 1 <= households <= 200_000:
        raise DomainError(_("Codes were not issued."), problems=[Problem(field="households", reason=_("between 1 and 200,000 households"))])
    if now.date() > period.ends_on:
        raise DomainError(_("Codes were not issued: the period has ended."))
    rng = rng or secrets.SystemRandom()
    letters: list[list[str]] = []
    vouchers: list[Voucher] = []
    seen: set[str] = set()
    for _h in range(households):
        letter = []
        for _c in range(period.cheques_per_household):
            code = _new_code(rng)
            while code in seen:
                code = _new_code(rng)
            seen.add(code)
            letter.append(format_code(code))
            vouchers.append(Voucher(period=period, code_hash=code_hashes(code)[0], value=period.cheque_value, issued_at=now))
        letters.append(letter)
    created = Voucher.objects.bulk_create(vouchers, batch_size=1000)
    if created and created[0].pk is None:  # backends without RETURNING: read the ids back
        created = list(Voucher.objects.filter(code_hash__in=[v.code_hash for v in vouchers]))
    VoucherLedgerEntry.objects.bulk_create(
        [VoucherLedgerEntry(period=period, kind=LedgerKind.ISSUE, voucher=v, amount=v.value, at=now) for v in created], batch_size=1000
    )
    record(actor=actor, action="vouchers.issued", obj=period, now=now,
           data={"households": households, "cheques": len(created), "value": str(period.cheque_value * len(created))})
    return letters


@transaction.atomic
def initiative_create(
    *, period: VoucherPeriod, title: str, area: Area, target: Decimal, description: str = "", actor: Any, now: datetime
) -> Initiative:
    problems = []
    if not title.strip():
        problems.append(Problem(field="title", reason=_("a title is required")))
    if target <= 0:
        problems.append(Problem(field="target", reason=_("the target must be more than zero")))
    if problems:
        raise DomainError(_("The initiative was not saved."), problems=problems)
    initiative = Initiative.objects.create(period=period, title=title.strip(), description=description, area=area,
                                           target=target, created_at=now)
    record(actor=actor, action="voucher_initiative.created", obj=initiative, now=now, data={"target": str(target), "area": area.code})
    return initiative


def _pledged(initiative: Initiative) -> Decimal:
    sums = VoucherLedgerEntry.objects.filter(initiative=initiative).aggregate(
        pledged=Sum("amount", filter=Q(kind=LedgerKind.PLEDGE)), paid=Sum("amount", filter=Q(kind=LedgerKind.PAYOUT))
    )
    return (sums["pledged"] or Decimal(0)) - (sums["paid"] or Decimal(0))


def _why_not(hashes: list[str], today: date) -> str:
    voucher = Voucher.objects.select_related("period").filter(code_hash__in=hashes).first()
    if voucher is None:
        return _("This code is unknown. Check the letters and digits on your cheque.")
    if voucher.redeemed_at is not None:
        return _("This cheque has already been used.")
    if voucher.expired_at is not None or today > voucher.period.ends_on:
        return _("This cheque has expired.")
    if today < voucher.period.starts_on:
        return _("This cheque cannot be used yet.")
    return _("This cheque cannot be used.")


@retry_when_locked
@transaction.atomic
def voucher_pledge(*, code: str, initiative: Initiative, now: datetime, actor: Any = None) -> VoucherLedgerEntry:
    """Spend one cheque on an initiative. Raises DomainError (and changes nothing) for an
    unknown, used or expired code, or an initiative that takes no more cheques."""
    if len(normalise_code(code)) != CODE_LENGTH:
        raise DomainError(_("The cheque was not used."), problems=[
            Problem(field="code", reason=_("A code has %(n)s letters and digits.") % {"n": CODE_LENGTH})])
    initiative = Initiative.objects.select_for_update().filter(pk=initiative.pk).first()  # type: ignore[assignment]
    if initiative is None:
        raise NotFound(_("This initiative does not exist."))
    if initiative.status != InitiativeStatus.OPEN:
        raise DomainError(_("The cheque was not used."), problems=[
            Problem(field="initiative", reason=_("This initiative takes no more cheques (%(s)s).") % {"s": initiative.get_status_display()})])
    hashes = code_hashes(code)
    today = now.date()
    period = initiative.period
    # The WHERE clause names only columns of the voucher row itself (no join): PostgreSQL then
    # re-checks it against the committed row when a concurrent UPDATE held the row, so the
    # loser updates nothing. A join would turn it into a subquery on a stale snapshot.
    in_period = period.starts_on <= today <= period.ends_on
    won = Voucher.objects.filter(
        code_hash__in=hashes, period_id=period.pk, redeemed_at__isnull=True, expired_at__isnull=True,
    ).update(redeemed_at=now) if in_period else 0
    if won != 1:
        voucher = Voucher.objects.filter(code_hash__in=hashes).first()
        if voucher is not None and voucher.period_id != period.pk and voucher.redeemed_at is None and voucher.expired_at is None:
            reason = _("This cheque belongs to another period than this initiative.")
        else:
            reason = _why_not(hashes, today)
        raise DomainError(_("The cheque was not used."), problems=[Problem(field="code", reason=reason)])
    voucher = Voucher.objects.get(code_hash__in=hashes)
    entry = VoucherLedgerEntry.objects.create(period=period, kind=LedgerKind.PLEDGE, voucher=voucher, initiative=initiative,
                                              amount=voucher.value, at=now)
    funded = False
    if _pledged(initiative) >= initiative.target:
        initiative.status = InitiativeStatus.FUNDED
        initiative.save(update_fields=["status"])
        funded = True
    label = "" if getattr(actor, "is_authenticated", False) else RESIDENT
    record(actor=actor, action="voucher.pledged", obj=initiative, now=now, label=label,
           data={"voucher": voucher.pk, "amount": str(voucher.value), "funded": funded})
    return entry


@transaction.atomic
def initiative_pay_out(*, initiative: Initiative, reference: str, actor: Any, now: datetime) -> VoucherLedgerEntry:
    """Pay the pledged money of a funded initiative out (the transfer itself happens in the
    financial system; ``reference`` is its payment reference)."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.status != InitiativeStatus.FUNDED:
        raise DomainError(_("Only a funded initiative can be paid out (this one is: %(s)s).") % {"s": initiative.get_status_display()})
    if not reference.strip():
        raise DomainError(_("Nothing was paid out."), problems=[Problem(field="reference", reason=_("a payment reference is required"))])
    amount = _pledged(initiative)
    entry = VoucherLedgerEntry.objects.create(period=initiative.period, kind=LedgerKind.PAYOUT, initiative=initiative,
                                              amount=amount, at=now, reference=reference.strip()[:100])
    initiative.status = InitiativeStatus.PAID_OUT
    initiative.save(update_fields=["status"])
    record(actor=actor, action="voucher_initiative.paid_out", obj=initiative, now=now, data={"amount": str(amount), "reference": reference})
    return entry


@transaction.atomic
def initiative_withdraw(*, initiative: Initiative, actor: Any, now: datetime) -> Initiative:
    """Stop collecting for an initiative that has no pledges yet."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.status != InitiativeStatus.OPEN or _pledged(initiative) > 0:
        raise DomainError(_("Only an open initiative without pledges can be withdrawn."))
    initiative.status = InitiativeStatus.WITHDRAWN
    initiative.save(update_fields=["status"])
    record(actor=actor, action="voucher_initiative.withdrawn", obj=initiative, now=now)
    return initiative


@transaction.atomic
def vouchers_expire(*, now: datetime, actor: Any = None) -> dict[str, Any]:
    """Expire every unused cheque of every period that has ended. Safe to run twice: the
    second run finds nothing left to expire."""
    today = now.date()
    candidates = Voucher.objects.select_for_update().filter(period__ends_on__lt=today, redeemed_at__isnull=True, expired_at__isnull=True)
    rows = list(candidates.values_list("pk", "period_id", "value"))
    ids = [pk for pk, _p, _v in rows]
    expired = 0
    for start in range(0, len(ids), 900):  # stay under SQLite's parameter limit
        chunk = ids[start : start + 900]
        expired += Voucher.objects.filter(pk__in=chunk, redeemed_at__isnull=True, expired_at__isnull=True).update(expired_at=now)
    if expired != len(ids):  # pragma: no cover - the rows are locked above
        raise DomainError("concurrent change while expiring vouchers; run again")
    VoucherLedgerEntry.objects.bulk_create(
        [VoucherLedgerEntry(period_id=p, kind=LedgerKind.EXPIRY, voucher_id=pk, amount=v, at=now) for pk, p, v in rows], batch_size=1000
    )
    per_period: dict[int, int] = {}
    for _pk, p, _v in rows:
        per_period[p] = per_period.get(p, 0) + 1
    for period in VoucherPeriod.objects.filter(pk__in=list(per_period)):
        record(actor=actor, action="vouchers.expired", obj=period, now=now, label="" if actor else "systeem: vervallen cheques",
               data={"cheques": per_period[period.pk], "value": str(sum(v for _pk, p, v in rows if p == period.pk))})
    return {"expired": expired, "periods": len(per_period)}

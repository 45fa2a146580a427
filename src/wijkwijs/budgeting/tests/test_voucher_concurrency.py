"""Parallel redemption of one code: exactly one request wins, on SQLite and PostgreSQL.

These tests commit for real (threads need to see each other's rows), so pytest-django empties
the database afterwards; the module fixture loads the demo again for the tests that follow."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from wijkwijs.areas.models import Area
from wijkwijs.budgeting import voucher_selectors, voucher_services
from wijkwijs.budgeting.register_models import Voucher, VoucherLedgerEntry
from wijkwijs.conftest import NOW
from wijkwijs.core.errors import DomainError

THREADS = 6


@pytest.fixture(scope="module")
def _demo_back_afterwards(django_db_blocker):  # type: ignore[no-untyped-def]
    yield
    from wijkwijs.demo.services import demo_load

    with django_db_blocker.unblock():
        demo_load(now=NOW, activity=False)


def _setup(n_initiatives: int):  # type: ignore[no-untyped-def]
    area, _ = Area.objects.get_or_create(code="WK082801", defaults={"name": "Schadewijk", "level": "WK"})
    period = voucher_services.voucher_period_create(name="Parallel", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                                                   actor=None, now=NOW)
    initiatives = [
        voucher_services.initiative_create(period=period, title=f"Initiatief {i}", area=area, target=Decimal("1000"), actor=None, now=NOW)
        for i in range(n_initiatives)
    ]
    codes = [c for letter in voucher_services.vouchers_issue(period=period, households=1, actor=None, now=NOW) for c in letter]
    return period, initiatives, codes


def _race(code: str, initiatives: list) -> list[str]:  # type: ignore[type-arg]
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            voucher_services.voucher_pledge(code=code, initiative=initiatives[i % len(initiatives)], now=NOW)
            outcome = "pledged"
        except DomainError as exc:
            outcome = "refused: " + str(exc.problems[0].reason if exc.problems else exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("n_initiatives", [1, THREADS], ids=["same-initiative", "different-initiatives"])
def test_parallel_redemption_spends_a_code_once(_demo_back_afterwards, n_initiatives):  # type: ignore[no-untyped-def]
    period, initiatives, codes = _setup(n_initiatives)
    results = _race(codes[0], initiatives)
    assert len(results) == THREADS
    assert results.count("pledged") == 1, results
    assert all("al gebruikt" in r for r in results if r != "pledged"), results
    assert VoucherLedgerEntry.objects.filter(period=period, kind="pledge").count() == 1
    assert Voucher.objects.filter(period=period, redeemed_at__isnull=False).count() == 1
    assert sum(i.pledged for i in voucher_selectors.initiatives_with_balance(period)) == Decimal("7.50")
    # the other code of the household is untouched and still works
    voucher_services.voucher_pledge(code=codes[1], initiative=initiatives[0], now=NOW)

"""One voting code, many simultaneous requests: exactly one ballot. Real processes, each with its
own database connection, released at the same moment; on SQLite (a file copy of the test
database, WAL, BEGIN IMMEDIATE) and on PostgreSQL (the test database itself)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from wijkwijs.budgeting.tests.rounds_factories import make_round

pytestmark = pytest.mark.django_db

N = 6

CHILD = r"""
import json, os, sys, time
import django
django.setup()
from django.utils import timezone, translation
translation.activate("en")
from wijkwijs.budgeting import services
from wijkwijs.budgeting.models import Round
from wijkwijs.core.errors import DomainError
slug, code, ready, go = sys.argv[1:5]
rnd = Round.objects.get(slug=slug)
Round.objects.filter(pk=rnd.pk).exists()  # connection open before the start signal
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.002)
try:
    services.ballot_cast(round=rnd, code=code, choices=[("1", 1)], now=timezone.now())
    print(json.dumps({"ok": True}))
except DomainError as exc:
    print(json.dumps({"ok": False, "reason": "; ".join(p.reason for p in exc.problems) or exc.message}))
"""


def _run_voters(tmp_path: Path, database_url: str, slug: str, code: str) -> list[dict]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "wijkwijs.config.settings",
           "WIJKWIJS_VAR_DIR": str(tmp_path)}
    procs = []
    for i in range(N):
        procs.append(subprocess.Popen([sys.executable, "-c", CHILD, slug, code, str(tmp_path / f"ready{i}"),
                                       str(tmp_path / "go")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready{i}").exists() for i in range(N)):
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            errors = [p.communicate()[1][-2000:] for p in procs if p.poll() is not None]
            pytest.fail(f"voter processes did not start: {errors}")
        time.sleep(0.05)
    (tmp_path / "go").touch()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr[-2000:]
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def _in_thread(fn):  # type: ignore[no-untyped-def]
    """Run ``fn`` on its own connection (autocommit, outside the test transaction)."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 (re-raised below)
            box["error"] = exc
        finally:
            connection.close()

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def test_a_code_used_by_parallel_processes_gives_exactly_one_ballot(tmp_path):
    if connection.vendor == "sqlite":
        made = make_round(phase="voting", slug="parallel", n_codes=3)
        target = tmp_path / "copy.sqlite3"
        connection.ensure_connection()
        dest = sqlite3.connect(target)  # a file copy of the test database, with this test's rows
        dest.executescript("\n".join(connection.connection.iterdump()))
        dest.close()
        results = _run_voters(tmp_path, f"sqlite:///{target}", made.round.slug, made.codes[0])
        with sqlite3.connect(target) as db:
            rid = made.round.pk
            ballots = db.execute("select count(*) from budgeting_ballot where round_id = ?", (rid,)).fetchone()[0]
            used = db.execute("select count(*) from budgeting_votingcode where round_id = ? and used_at is not null",
                              (rid,)).fetchone()[0]
    elif connection.vendor == "postgresql":
        from wijkwijs.budgeting.models import Ballot, BallotEntry, Round, VotingCode

        made = _in_thread(lambda: make_round(phase="voting", slug=f"parallel-{os.getpid()}", n_codes=3))
        s = connection.settings_dict
        url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        try:
            results = _run_voters(tmp_path, url, made.round.slug, made.codes[0])
            ballots, used = _in_thread(lambda: (Ballot.objects.filter(round_id=made.round.pk).count(),
                                                VotingCode.objects.filter(round_id=made.round.pk, used_at__isnull=False).count()))
        finally:
            def cleanup() -> None:
                BallotEntry.objects.filter(ballot__round_id=made.round.pk).delete()
                Round.objects.filter(pk=made.round.pk).delete()
            _in_thread(cleanup)
    else:  # pragma: no cover
        pytest.skip(f"no concurrency set-up for {connection.vendor}")
    assert sum(r["ok"] for r in results) == 1, results
    assert all("used already" in r["reason"] for r in results if not r["ok"]), results
    assert (ballots, used) == (1, 1)

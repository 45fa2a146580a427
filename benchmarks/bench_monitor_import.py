"""CBS import and index speed on the national file (about 18,000 areas), SQLite and PostgreSQL.

    python benchmarks/bench_monitor_import.py [--backend sqlite|postgres|both] [--file PATH]
        [--postgres postgres://postgres@127.0.0.1:5432] [--repeat 3]

Each backend runs in its own process on a fresh database (a temporary SQLite file; for
PostgreSQL a database ``wijkwijs_bench_import_<pid>``, or ``--pg-db NAME``, created for the run
and dropped after it; a database that exists already is never touched, so runs that share a
server do not drop each other's).
Measured in the same run, best of ``--repeat``:

* baseline: a bare ``executemany`` of the same observation rows (area code, key, period,
  value, status) into a plain table, in one transaction;
* the real import service ``cbs_import`` (read, check, add areas, add indicators, insert
  observations, audit) into the empty database, as a ratio to the baseline (target: <= 3x);
* the re-import of the same file (a no-op), as a ratio to the baseline;
* the index (every wijk and every buurt of the country, each against its own municipality)
  plus the priority ranking, in seconds (target: < 2 s).

No target is asserted: the figures are printed (and go into docs/monitoring-index.md).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_FILE = Path("/work/shared/data/cbs/kwb_2024_nl_bevolking_herkomst.csv")
BENCH_DB = f"wijkwijs_bench_import_{os.getpid()}"


CPU: dict[str, float] = {}  # label -> best CPU seconds of this process (less sensitive to load)


def _best(fn, repeat: int, reset=None, label: str = "") -> float:  # type: ignore[no-untyped-def]
    times, cpu = [], []
    for _ in range(repeat):
        if reset is not None:
            reset()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[label] = min(cpu)
    return min(times)


def run_one(path: Path, repeat: int) -> None:
    os.environ["WIJKWIJS_LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwijs.config.settings")
    import django

    django.setup()
    from datetime import UTC, datetime

    from django.core.management import call_command
    from django.db import connection, transaction

    from wijkwijs.areas.models import Area
    from wijkwijs.audit.models import AuditEvent
    from wijkwijs.monitoring import index_selectors as isel
    from wijkwijs.monitoring.cbs_formats import read_cbs
    from wijkwijs.monitoring.index import IndexConfig, IndicatorSpec
    from wijkwijs.monitoring.index_services import index_definition_ensure
    from wijkwijs.monitoring.models import AreaAttribute, IndexDefinition, Indicator, Observation, Source
    from wijkwijs.monitoring.ranking import RankingConfig
    from wijkwijs.monitoring.services import cbs_import

    call_command("migrate", verbosity=0)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    vendor = connection.vendor

    rows = [r for r in read_cbs(path).rows if r.level in ("GM", "WK", "BU")]
    plain = [
        (r.code, key, r.period, None if v is None else float(v), r.flags.get(key, ""))
        for r in rows
        for key, v in r.values.items()
    ]
    ph = "?" if vendor == "sqlite" else "%s"

    def reset_plain() -> None:
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_plain")
            cur.execute("CREATE TABLE bench_plain (area VARCHAR(10), indicator VARCHAR(100), period VARCHAR(10), value DOUBLE PRECISION, status VARCHAR(20))")

    def baseline() -> None:
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(f"INSERT INTO bench_plain VALUES ({ph}, {ph}, {ph}, {ph}, {ph})", plain)

    base = _best(baseline, repeat, reset_plain, "base")

    def wipe() -> None:
        with transaction.atomic(), connection.cursor() as cur:
            # a fresh register: the audit table is append-only by design, so it is emptied in SQL
            if vendor == "postgresql":
                # DELETE of the areas would check every deleted area against the observations,
                # which have no index on the area alone (areas are never deleted in use)
                tables = ", ".join(t._meta.db_table for t in (Observation, AreaAttribute, Indicator, Source, AuditEvent, Area))
                cur.execute(f"TRUNCATE {tables} CASCADE")
                return
            for table in (Observation, AreaAttribute, Indicator, Source, AuditEvent):
                cur.execute(f"DELETE FROM {table._meta.db_table}")
            cur.execute(f"DELETE FROM {IndexDefinition._meta.db_table} WHERE slug = 'bench'")
            for level in ("BU", "WK", "GM"):
                Area.objects.filter(level=level).delete()

    def service() -> None:
        cbs_import(paths=[path], actor=None, now=now)

    first = _best(service, repeat, wipe, "first")
    n_obs = Observation.objects.count()
    n_areas = Area.objects.count()
    again = _best(service, repeat, label="again")
    assert Observation.objects.count() == n_obs  # re-import is a no-op

    spec = IndicatorSpec
    config = IndexConfig(
        name="Benchmark (population shares; not a meaningful index)",
        indicators=(
            spec("share_age_0_14", "bevolking", 1),
            spec("share_age_65_plus", "bevolking", -1),
            spec("share_age_15_24", "jeugd", 1),
            spec("share_origin_europe_excl_nl", "herkomst", 1),
            spec("share_origin_outside_europe", "herkomst", 1, "subjective"),
        ),
        min_population=250,
    )
    definition = index_definition_ensure(slug="bench", config=config, actor=None, now=now)
    definition = isel.definition_get("bench")

    def index_and_ranking() -> None:
        for level in ("WK", "BU"):
            run = isel.index_run(definition=definition, level=level)
            isel.ranking_for(run, RankingConfig())

    def with_rows() -> None:
        for level in ("WK", "BU"):
            run = isel.index_run(definition=definition, level=level)
            isel.ranking_for(run, RankingConfig()).rows()

    index_s = _best(index_and_ranking, repeat, label="index")
    rows_s = _best(with_rows, repeat, label="rows")
    wk = isel.index_run(definition=definition, level="WK")
    bu = isel.index_run(definition=definition, level="BU")
    print(f"backend {vendor}: {len(rows)} areas in the file, {n_areas} in the register, {n_obs} observations")
    print(f"  baseline: bare executemany of {len(plain)} rows       {base:7.2f} s")
    print(f"  cbs_import into an empty database                 {first:7.2f} s  = {first / base:4.2f} x baseline (target <= 3)")
    print(f"  cbs_import again (no-op)                          {again:7.2f} s  = {again / base:4.2f} x baseline")
    print(f"  index + ranking, {len(wk.result.codes)} wijken and {len(bu.result.codes)} buurten   {index_s:7.2f} s  (target < 2 s)")
    print(f"  the same plus every ranking row as for the CSV     {rows_s:7.2f} s")
    cpu = CPU
    print(
        f"  CPU time of this process (best): baseline {cpu['base']:.2f} s, import {cpu['first']:.2f} s"
        f" = {cpu['first'] / cpu['base']:.2f} x, again {cpu['again']:.2f} s = {cpu['again'] / cpu['base']:.2f} x,"
        f" index {cpu['index']:.2f} s"
    )
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _postgres_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--pg-db", default=BENCH_DB, help="name of the PostgreSQL database to create (must not exist)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"{args.file}: not found (the national KWB population file; see data/cbs/SOURCE.md)")
    if args.child:
        run_one(args.file, args.repeat)
        return
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for backend in backends:
        env = dict(os.environ)
        env["WIJKWIJS_VAR_DIR"] = tempfile.mkdtemp(prefix="ww-bench-import-")
        if backend == "sqlite":
            env.pop("DATABASE_URL", None)
        else:
            try:
                # CREATE fails if the name exists: then it is not ours, and it is left alone
                _postgres_admin(args.postgres, f'CREATE DATABASE "{args.pg_db}"')
            except Exception as exc:  # noqa: BLE001 - report and go on with the other backend
                print(f"backend postgresql: skipped ({exc})")
                continue
            env["DATABASE_URL"] = f"{args.postgres}/{args.pg_db}"
        cmd = [sys.executable, __file__, "--child", "--file", str(args.file), "--repeat", str(args.repeat)]
        try:
            subprocess.run(cmd, env=env, check=True)
        finally:
            if backend == "postgres":
                _postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{args.pg_db}" WITH (FORCE)')


if __name__ == "__main__":
    main()

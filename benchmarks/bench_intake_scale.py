"""Intake at scale: one million items in PostgreSQL; the overdue scan and the dashboard queries.

    python benchmarks/bench_intake_scale.py [--items 1000000] [--database postgres://...]

Creates a scratch database (default postgres://postgres@127.0.0.1:5432/ww_bench_intake_scale,
dropped and recreated), migrates, loads the Oss areas and departments, and bulk-inserts items
over five years with SQL (generate_series): 92% handled, the rest open, 3% of all overdue, and
escalation rows. Then times (median of 5 runs, warm cache):

* the escalation scan: the ids of items whose next rung is due (partial index on
  ``next_escalation_at``), and a full ``items_escalate_overdue`` run over the ~300 items due;
* the overdue count of the work queues (``overdue_q``);
* building the throughput roll-up from scratch (``intake_throughput_rebuild``), and a refresh
  after 100 items of the last year changed;
* the throughput dashboard for the last year per department, wijk, kind and month (from the
  roll-up; open and overdue from the open items), also with those 100 items' days dirty, and,
  for comparison, read from the items directly (``use_rollup=False``).

Target: each under 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ITEMS_SQL = """
WITH depts AS (SELECT array_agg(id ORDER BY id) a FROM accounts_department),
     buurten AS (SELECT array_agg(id ORDER BY id) b, array_agg(parent_id ORDER BY id) w FROM areas_area WHERE level = 'BU'),
     cats AS (SELECT ARRAY['container','wegdek','lantaarnpaal-defect','zwerfafval','boom','parkeeroverlast',
                           'geluidsoverlast','graffiti','stoep','hondenpoep','riool-verstopt','buurtactiviteit'] c)
INSERT INTO intake_item (tracking_code, kind, advice_type, subject, description, category, suggested_category,
    suggested_confidence, channel, lon, lat, location_text, buurt_id, wijk_id, state, owner_department_id, owner_id,
    submitted_by_id, council_name, received_at, clock_start, triage_due, first_response_due, resolution_due,
    first_response_at, routed_at, done_at, paused_since, pauses, escalation_cycle, escalation_level, escalation_kind,
    next_escalation_at, reply_token, processed_at, updated_at)
SELECT 'B-' || g, k.kind, '', '', 'bench item ' || g, cats.c[1 + g % 12], '', NULL, 'web', NULL, NULL, 'x',
    buurten.b[1 + (g * 7) % array_length(buurten.b, 1)], buurten.w[1 + (g * 7) % array_length(buurten.b, 1)],
    s.state, CASE WHEN g % 50 = 0 THEN NULL ELSE depts.a[1 + g % array_length(depts.a, 1)] END, NULL, NULL, '',
    r.received, r.received, r.received + interval '1 day', r.received + interval '3 days', r.received + interval '14 days',
    CASE WHEN s.done OR g % 3 = 0 THEN r.received + (g % 97) * interval '1 hour' END, r.received,
    CASE WHEN s.done THEN r.received + (g % 41) * interval '1 day' + (g % 13) * interval '1 hour' END,
    NULL, '[]'::jsonb, 0, 0, '',
    CASE WHEN NOT s.done THEN
        CASE WHEN g % 3333 = 0 THEN %(now)s::timestamptz - interval '1 hour'      -- due now: ~300 items
             ELSE r.received + interval '30 days' + (g % 200) * interval '1 day' END  -- due later or long past (level reached)
    END,
    '', r.received, r.received
FROM generate_series(1, %(n)s) g
CROSS JOIN depts CROSS JOIN buurten CROSS JOIN cats
CROSS JOIN LATERAL (SELECT %(now)s::timestamptz - ((g::float / %(n)s) * 5 * 365) * interval '1 day' AS received) r
CROSS JOIN LATERAL (SELECT (ARRAY['signal','signal','signal','question','initiative','advice'])[1 + g % 6] AS kind) k
CROSS JOIN LATERAL (SELECT CASE WHEN g % 100 < 92 THEN (ARRAY['answered','closed','rejected'])[1 + g % 3]
                                ELSE (ARRAY['routed','in_progress','waiting','new'])[1 + g % 4] END AS state,
                           g % 100 < 92 AS done) s
"""
# Items that passed a rung long ago keep next_escalation_at = NULL (ladder finished) in real data:
LADDER_DONE_SQL = "UPDATE intake_item SET next_escalation_at = NULL, escalation_level = 4 WHERE next_escalation_at < %(now)s::timestamptz - interval '2 days'"
ESCALATIONS_SQL = """
INSERT INTO intake_escalation (item_id, manual, deadline_kind, cycle, position, target, to_user_id, to_department_id, reason, at, actor_id)
SELECT id, false, 'resolution', 0, p, (ARRAY['owner','department_head','area_manager','alderman'])[p], NULL, owner_department_id,
       'bench', resolution_due + p * interval '2 days', NULL
FROM intake_item CROSS JOIN generate_series(1, 2) p WHERE id % 10 = 0
"""


def timed(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/ww_bench_intake_scale")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database (to EXPLAIN queries).")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ww-bench-scale-")
    env = {**os.environ, "DATABASE_URL": args.database, "WIJKWIJS_VAR_DIR": tmp, "WIJKWIJS_LOG_LEVEL": "ERROR",
           "DJANGO_SETTINGS_MODULE": "wijkwijs.config.settings"}
    import psycopg

    dbname = args.database.rsplit("/", 1)[1]
    admin = args.database.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    print("migrating and loading the Oss areas ...", flush=True)
    for cmd in (["migrate", "-v0"], ["demo_load", "--no-activity"]):
        subprocess.run([sys.executable, "-m", "wijkwijs.manage", *cmd], env=env, cwd=tmp, check=True, capture_output=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from wijkwijs.core.clock import now as clock_now
    from wijkwijs.intake import rollup, stats
    from wijkwijs.intake.escalation import items_escalate_overdue, ladder_ensure_default
    from wijkwijs.intake.models import Item
    from wijkwijs.intake.selectors import overdue_q

    now = clock_now()
    ladder_ensure_default(now=now)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        stamp = f"'{now.isoformat()}'"
        cursor.execute(ITEMS_SQL.replace("%(now)s", stamp).replace("%(n)s", str(args.items)))
        cursor.execute(LADDER_DONE_SQL.replace("%(now)s", stamp))
        cursor.execute(ESCALATIONS_SQL)
        cursor.execute("ANALYZE")
    print(f"inserted {Item.objects.count():,} items and escalations in {time.perf_counter() - t:.0f} s", flush=True)

    t = time.perf_counter()
    built = rollup.throughput_rebuild(now=now)
    print(f"built the roll-up ({built['days']} days, {built['months']} months) in {time.perf_counter() - t:.1f} s", flush=True)

    results = []
    results.append(("escalation scan (ids due now)", timed(
        lambda: list(Item.objects.filter(next_escalation_at__lte=now).values_list("pk", flat=True)))))
    results.append(("overdue count (work queues)", timed(lambda: Item.objects.filter(overdue_q(now)).count())))
    since = now - __import__("datetime").timedelta(days=365)
    for group in stats.GROUPS:
        results.append((f"dashboard, last year per {group}", timed(lambda g=group: stats.throughput(group=g, now=now, since=since))))
    # 100 items of the last year change (as a service would: their days become dirty)
    since_ids = Item.objects.filter(received_at__gte=since).order_by("?").values_list("pk", flat=True)[:100]
    for item in Item.objects.filter(pk__in=list(since_ids)):
        rollup.item_touched(item)
    results.append(("dashboard per department, 100 dirty items", timed(
        lambda: stats.throughput(group="department", now=now, since=since))))
    t = time.perf_counter()
    refreshed = rollup.throughput_refresh(now=now)
    refresh_ms = (time.perf_counter() - t) * 1000
    for group in stats.GROUPS:
        results.append((f"direct from the items, per {group}", timed(
            lambda g=group: stats.throughput(group=g, now=now, since=since, use_rollup=False), repeat=3)))
    due = Item.objects.filter(next_escalation_at__lte=now).count()
    t = time.perf_counter()
    summary = items_escalate_overdue(now=now)
    run_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    again = items_escalate_overdue(now=now)
    again_ms = (time.perf_counter() - t) * 1000
    print(f"PostgreSQL, {args.items:,} items (median of 5 runs; direct: of 3), load average {os.getloadavg()[0]:.2f}")
    print(f"  roll-up refresh after the 100 changes      {refresh_ms:8.1f} ms  ({refreshed['days']} days, {refreshed['months']} months)")
    for label, ms in results:
        print(f"  {label:42s} {ms:8.1f} ms  {'ok' if ms < 1000 else 'OVER 1 s'}")
    print(f"  full escalation run over {due} due items  {run_ms:8.1f} ms  ({summary['escalated']} escalations)")
    print(f"  second run (idempotent)                {again_ms:8.1f} ms  ({again['escalated']} escalations)")
    connection.close()
    if not args.keep:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
    Path(tmp).exists()


if __name__ == "__main__":
    main()

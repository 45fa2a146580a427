"""Intake API throughput: items created through POST /api/v1/intake/items under load.

    python benchmarks/bench_intake_api.py [--duration 10] [--connections 8] [--rounds 1] [--database postgres://...]
                                          [--no-worker] [--compare-src DIR]

Serves the app with gunicorn (2 sync workers) on loopback and loads it from a second process
with wrk (Debian package ``wrk``). The baseline, measured in the same run and the same server,
is a bare Django view that inserts one row. Prints requests per second of both and the ratio
(target >= 0.5); with ``--rounds N`` the two alternate N times and the ratio of every round
and their median are printed too (the last round's figures are the ones above). The API stores
the item and answers; classification, area look-up, routing and the e-mail run after commit in a task (INTAKE_DEFER_API_PROCESSING, default on), so the script
then runs one ``db_worker --batch`` (with a persistent connection, after an ``ANALYZE``) and prints how fast the
queued items were processed (``--no-worker`` skips that). ``--compare-src DIR`` serves a second copy of the app
from another source tree (``git archive main src | tar -x -C /tmp/main``; then ``--compare-src /tmp/main/src``) and
measures its API in every round next to this one's, against the same baseline: old and new code in turns, seconds
apart, which on a shared machine is the fair comparison. Uses a scratch PostgreSQL database (default
postgres://postgres@127.0.0.1:5432/ww_bench_intake_api, dropped and recreated) so that two
workers can write at the same time; the Oss demo areas are loaded for the point look-up.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BODY = {"kind": "signal", "description": "De lantaarnpaal bij de speeltuin is kapot, het is erg donker op straat.",
        "lon": 5.5334, "lat": 51.7775, "email": "bench@example.org"}

SETTINGS = '''
from wijkwijs.config.settings import *  # noqa: F403
ROOT_URLCONF = "bench_urls"
INTAKE_RATE_LIMIT = ""
ALLOWED_HOSTS = ["*"]
DEBUG = False
'''
URLS = '''
from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (body) VALUES (%s)", [request.body.decode()])
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/insert", bare_insert), path("", include("wijkwijs.config.urls"))]
'''
LUA = '''
wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk(url: str, script: Path, duration: int, connections: int) -> tuple[float, str]:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(script), "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if "Non-2xx" in out:
        print(out)
        raise SystemExit("non-2xx answers: the benchmark is invalid")
    return rps, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1, help="alternate baseline and API this many times")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/ww_bench_intake_api")
    parser.add_argument("--no-worker", action="store_true", help="skip the db_worker run after the load (quicker turns)")
    parser.add_argument("--compare-src", type=Path, default=None,
                        help="a second server runs the wijkwijs package in this src directory (e.g. main's, from "
                             "`git archive main src`); every round measures its API too, right next to this code's")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install -y wrk")
    tmp = Path(tempfile.mkdtemp(prefix="ww-bench-api-"))
    (tmp / "bench_settings.py").write_text(SETTINGS)
    (tmp / "bench_urls.py").write_text(URLS)
    body = json.dumps(BODY)
    (tmp / "post.lua").write_text(LUA.format(body=body))
    dbname = args.database.rsplit("/", 1)[1]
    admin_url = args.database.rsplit("/", 1)[0] + "/postgres"
    env = {**os.environ, "PYTHONPATH": f"{tmp}:{os.environ.get('PYTHONPATH', '')}", "DJANGO_SETTINGS_MODULE": "bench_settings",
           "DATABASE_URL": args.database, "WIJKWIJS_VAR_DIR": str(tmp), "WIJKWIJS_LOG_LEVEL": "ERROR",
           "WIJKWIJS_TASK_BACKEND": "django_tasks_db.DatabaseBackend", "WIJKWIJS_SECRET_KEY": "bench-" + "x" * 50}
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    py = sys.executable
    run = lambda *a: subprocess.run([py, "-m", "wijkwijs.manage", *a], env=env, cwd=tmp, check=True, capture_output=True)  # noqa: E731
    print("migrating and loading the Oss areas ...", flush=True)
    run("migrate", "-v0")
    run("demo_load", "--no-activity")
    run("intake_train_classifier")  # the model file, so workers load it instead of training
    run("shell", "-c", textwrap.dedent('''
        from django.db import connection
        from wijkwijs.conftest import NOW
        from wijkwijs.intake.routing import routing_table_ensure_default
        from wijkwijs.intake.escalation import ladder_ensure_default
        routing_table_ensure_default(now=NOW); ladder_ensure_default(now=NOW)
        with connection.cursor() as c:
            c.execute("CREATE TABLE bench_row (id bigserial primary key, body text)")
    '''))
    port = free_port()
    server = subprocess.Popen([py, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                               "wijkwijs.config.wsgi:application"], env=env, cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    servers = [server]
    other = None
    if args.compare_src is not None:
        other_port = free_port()
        other_env = {**env, "PYTHONPATH": f"{tmp}:{args.compare_src.resolve()}:{os.environ.get('PYTHONPATH', '')}"}
        servers.append(subprocess.Popen([py, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{other_port}", "--log-level",
                                         "warning", "wijkwijs.config.wsgi:application"], env=other_env, cwd=tmp))
        other = f"http://127.0.0.1:{other_port}"
    try:
        for url in (base, other) if other else (base,):
            for _ in range(100):
                try:
                    urllib.request.urlopen(url + "/api/v1/intake/categories", timeout=2)  # noqa: S310 (loopback)
                    break
                except OSError:
                    time.sleep(0.2)
            for path in ("/bench/insert", "/api/v1/intake/items"):  # warm both workers
                wrk(url + path, tmp / "post.lua", 2, args.connections)
        pairs = []  # alternating rounds: a shared machine's load changes less within a pair than between runs
        compared = []  # (bare, API of --compare-src) per round
        for r in range(args.rounds):
            bare, _ = wrk(base + "/bench/insert", tmp / "post.lua", args.duration, args.connections)
            if other and r % 2:  # the two APIs take turns at going first after the baseline
                compared.append((bare, wrk(other + "/api/v1/intake/items", tmp / "post.lua", args.duration, args.connections)[0]))
            intake, out = wrk(base + "/api/v1/intake/items", tmp / "post.lua", args.duration, args.connections)
            if other and not r % 2:
                compared.append((bare, wrk(other + "/api/v1/intake/items", tmp / "post.lua", args.duration, args.connections)[0]))
            pairs.append((bare, intake))
            if args.rounds > 1 or other:
                line = f"round {len(pairs)}: bare {bare:.1f}, API {intake:.1f} req/s, ratio {intake / bare:.2f}"
                if other:
                    line += f"; --compare-src API {compared[-1][1]:.1f} req/s, ratio {compared[-1][1] / bare:.2f}"
                print(line, flush=True)
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            process.wait(timeout=20)
    count = lambda: int(subprocess.run(  # noqa: E731
        [py, "-m", "wijkwijs.manage", "shell", "-c",
         "from wijkwijs.intake.models import Item; print(Item.objects.filter(processed_at__isnull=True).count())"],
        env=env, cwd=tmp, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    worker_line = ""
    if not args.no_worker:
        # ANALYZE first: the task table grew from empty during the load, and with the statistics
        # of an empty table PostgreSQL sorts every ready task to pick the next one (20 ms with a
        # few thousand rows instead of 0.1 ms through the ordering index), which autovacuum would
        # only fix a minute later; a worker is a long-running process, so it keeps its
        # connection (WIJKWIJS_DB_CONN_MAX_AGE) instead of opening one per task
        run("shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
        pending = count()
        t = time.perf_counter()
        subprocess.run([py, "-m", "wijkwijs.manage", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
                       env={**env, "WIJKWIJS_DB_CONN_MAX_AGE": "600"}, cwd=tmp, check=True, capture_output=True)
        worker_s = time.perf_counter() - t
        left = count()
        worker_line = (f"then one db_worker processed {pending - left} queued items (classify, locate, route, mail) in {worker_s:.1f} s "
                       f"= {(pending - left) / worker_s:.0f} items/s including start-up; {left} left")
    latency = re.search(r"50%\s+(\S+).*?99%\s+(\S+)", out, re.S)
    print(f"gunicorn 2 workers, wrk {args.connections} connections, {args.duration} s each, PostgreSQL")
    print(f"baseline (bare view, one INSERT): {bare:8.1f} req/s")
    print(f"POST /api/v1/intake/items:        {intake:8.1f} req/s  (p50 {latency.group(1)}, p99 {latency.group(2)})")
    print(f"ratio: {intake / bare:.2f} (target >= 0.5)")
    if args.rounds > 1:
        ratios = sorted(i / b for b, i in pairs)
        print(f"ratios of {args.rounds} rounds: {', '.join(f'{r:.2f}' for r in ratios)}; median {ratios[len(ratios) // 2]:.2f}")
    if compared:
        ratios = sorted(i / b for b, i in compared)
        print(f"--compare-src {args.compare_src}: ratios {', '.join(f'{r:.2f}' for r in ratios)}; median {ratios[len(ratios) // 2]:.2f}")
    if worker_line:
        print(worker_line)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Page times with the Oss demo data, in-process (Django test client), on SQLite or DATABASE_URL.

    python benchmarks/bench_pages.py [--repeat 30]

Prints the median time per page and its ratio to a baseline measured in the same run: the
cheapest request through the full middleware stack (an unknown /api/ path answered with
problem+json). No target is asserted; the figures go into the README.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

PAGES = [
    ("home (23 wijken, 106 buurten)", "/", None),
    ("area page: wijk", "/gebieden/WK082801", None),
    ("area page: buurt", "/gebieden/BU08280402", None),
    ("clustering comparison", "/indelingen/vergelijken?a=wijkzaken&b=vth", "demo-coordinator"),
    ("API: buurt boundaries", "/api/v1/area-boundaries?level=BU", None),
    ("API: point look-up", "/api/v1/lookup?lon=5.53&lat=51.765", None),
    ("API: area detail", "/api/v1/areas/WK082801", None),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ww-bench-")
    os.environ["WIJKWIJS_VAR_DIR"] = os.environ.get("WIJKWIJS_VAR_DIR") or tmp
    os.environ["WIJKWIJS_LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwijs.config.settings")
    os.environ["WIJKWIJS_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("demo_load")
    from wijkwijs.accounts.models import User

    def median_ms(client: Client, path: str) -> float:
        client.get(path)  # warm caches (templates, look-up index)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - t)
            assert response.status_code in (200, 404), (path, response.status_code)
        return statistics.median(times) * 1000

    anonymous = Client()
    baseline = median_ms(anonymous, "/api/v1/__baseline__")
    print(f"database: {django.db.connection.vendor}; repeat {args.repeat}; baseline {baseline:.1f} ms")
    print(f"{'page':40} {'median ms':>10} {'x baseline':>11}")
    for label, path, user in PAGES:
        client = anonymous
        if user:
            client = Client()
            client.force_login(User.objects.get(username=user))
        ms = median_ms(client, path)
        print(f"{label:40} {ms:10.1f} {ms / baseline:11.1f}")


if __name__ == "__main__":
    main()

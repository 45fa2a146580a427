import json
import time

from django.core.management.base import BaseCommand

from wijkwijs.core import periodic
from wijkwijs.core.clock import now


class Command(BaseCommand):
    help = (
        "Enqueue the periodic background tasks (escalation scan, retention, ...) when they are due; "
        "the task worker (`wijkwijs db_worker`) runs them. --once enqueues every job once (for cron)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--once", action="store_true", help="Enqueue every job once and exit.")
        parser.add_argument("--json", action="store_true", help="Print what was enqueued as JSON (with --once).")
        parser.add_argument("--tick", type=float, default=30.0, help="Seconds between checks in the loop.")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        last: dict = {}
        while True:
            moment = now()
            enqueued = []
            for job in periodic.due(last, moment):
                result = job.task.enqueue()
                last[job.name] = moment
                enqueued.append({"job": job.name, "taskId": str(result.id)})
            if o["once"]:
                if o["json"]:
                    self.stdout.write(json.dumps({"enqueued": enqueued}))
                else:
                    for e in enqueued:
                        self.stdout.write(f"enqueued {e['job']} ({e['taskId']})")
                return
            for e in enqueued:
                self.stdout.write(f"{moment:%Y-%m-%d %H:%M:%S} enqueued {e['job']}")
            self.stdout.flush()
            time.sleep(o["tick"])

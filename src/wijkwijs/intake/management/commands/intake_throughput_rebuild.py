import json

from django.core.management.base import BaseCommand

from wijkwijs.core.clock import now
from wijkwijs.intake.rollup import throughput_rebuild, throughput_refresh


class Command(BaseCommand):
    help = "Build the throughput roll-up again from the items (or, with --refresh, only what changed)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--refresh", action="store_true", help="Only the dirty and missing days and months.")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        summary = (throughput_refresh if o["refresh"] else throughput_rebuild)(now=now())
        if o["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(f"built {summary['days']} day(s) and {summary['months']} month(s); "
                              f"{summary['escalations']} new escalation(s) seen")

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.core.clock import now
from wijkwijs.core.errors import ImportRejected
from wijkwijs.monitoring.services import observations_import_csv


class Command(BaseCommand):
    help = "Import own indicator values from CSV: area code, period, indicator key, value. All or nothing."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", required=True, help="Name of the source, e.g. 'GGD Gezondheidsmonitor'.")
        parser.add_argument("--credit", required=True, help="Credit line shown beside the figures.")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        path: Path = o["path"]
        if not path.is_file():
            raise CommandError(f"{path}: file not found")
        try:
            summary = observations_import_csv(
                data=path.read_bytes(), file_name=path.name, source_name=o["source"], source_credit=o["credit"],
                dry_run=o["dry_run"], actor=None, now=now(),
            )
        except ImportRejected as exc:
            rejected = [str(p) for p in exc.problems] or [exc.message]
            if o["json"]:
                self.stdout.write(json.dumps({"rejected": rejected, "stored": False}, ensure_ascii=False))
            for line in rejected:
                self.stderr.write(line)
            sys.exit(1)
        data = {"observations": summary.as_dict(), "dryRun": o["dry_run"]}
        self.stdout.write(json.dumps(data) if o["json"] else str(data))

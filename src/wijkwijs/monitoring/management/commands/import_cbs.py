import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.core.clock import now
from wijkwijs.core.errors import ImportRejected
from wijkwijs.monitoring.services import cbs_import


class Command(BaseCommand):
    help = (
        "Import CBS Kerncijfers wijken en buurten (StatLine CSV, OData JSON or CSV with OData keys). "
        "All or nothing; areas the register does not know are added."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--year", help="Period for files without a year column (e.g. 2024).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; store nothing.")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def _progress(self, stage: str, done: int, total: int) -> None:
        label = {"read": "files read", "areas": "areas added", "observations": "observations"}[stage]
        self.stderr.write(f"{label}: {done} of {total}" if stage != "areas" else f"{label}: {done}")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        for path in o["paths"]:
            if not path.is_file():
                raise CommandError(f"{path}: file not found")
        self.stderr.write(f"reading {len(o['paths'])} file(s)...")
        progress = None if o["json"] else self._progress
        try:
            summary = cbs_import(
                paths=o["paths"], period=o["year"], dry_run=o["dry_run"], actor=None, now=now(), progress=progress
            )
        except ImportRejected as exc:
            rejected = [str(p) for p in exc.problems]
            if o["json"]:
                self.stdout.write(json.dumps({"rejected": rejected, "stored": False}, ensure_ascii=False))
            for line in rejected:
                self.stderr.write(line)
            sys.exit(1)
        data = {**summary.as_dict(), "dryRun": o["dry_run"]}
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            obs = data["observations"]
            self.stdout.write(
                f"{'would add' if o['dry_run'] else 'added'} {data['areas']['added']} areas, "
                f"{data['indicators']['added']} indicators; observations: {obs['added']} added, "
                f"{obs['changed']} changed, {obs['unchanged']} unchanged"
            )

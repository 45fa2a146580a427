import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.areas import services
from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError


class Command(BaseCommand):
    help = "Load area boundaries from GeoJSON (WGS84 or RD New; CBS/PDOK wijk- and buurt files). All or nothing."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--create-missing", action="store_true", help="Add areas the register does not know yet.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        out = {}
        for path in opts["paths"]:
            if not path.is_file():
                raise CommandError(f"{path}: file not found")
            try:
                report = services.boundaries_import(
                    data=path.read_bytes(), source=path.name, create_missing=opts["create_missing"], actor=None, now=now()
                )
            except DomainError as exc:
                raise CommandError(str(exc)) from exc
            out[path.name] = {"updated": report.updated, "unchanged": report.unchanged}
        self.stdout.write(json.dumps(out) if opts["json"] else "\n".join(f"{k}: {v}" for k, v in out.items()))

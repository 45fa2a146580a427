import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.areas import selectors, services
from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError


class Command(BaseCommand):
    help = "Import a clustering (indeling) from CSV: unit code, cluster name. All or nothing."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path)
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", default="")
        parser.add_argument("--level", choices=["WK", "BU"], default="WK")
        parser.add_argument("--owner", default="")
        parser.add_argument("--description", default="")
        parser.add_argument("--example", action="store_true", help="Mark as an example, not an official division.")
        parser.add_argument("--allow-gaps", action="store_true")
        parser.add_argument("--replace", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        path: Path = o["path"]
        if not path.is_file():
            raise CommandError(f"{path}: file not found")
        try:
            clustering = services.clustering_import(
                data=path.read_bytes(), source=path.name, name=o["name"], slug=o["slug"], unit_level=o["level"],
                owner=o["owner"], description=o["description"], is_example=o["example"],
                allow_gaps=o["allow_gaps"], replace=o["replace"], actor=None, now=now(),
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        result = {
            "slug": clustering.slug,
            "clusters": clustering.clusters.count(),
            "units": clustering.members.count(),
            "gaps": [a.code for a in selectors.clustering_gaps(clustering)],
        }
        self.stdout.write(json.dumps(result) if o["json"] else f"imported {clustering.name}: {result}")

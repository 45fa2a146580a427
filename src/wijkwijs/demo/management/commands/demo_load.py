import json

from django.core.management.base import BaseCommand

from wijkwijs.core.clock import now
from wijkwijs.demo.services import demo_load


class Command(BaseCommand):
    help = (
        "Load the Oss demo (idempotent): CBS areas, boundaries and figures, example clusterings, demo people, "
        "and a year of generated activity (intake items, ...), marked as demo data."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
        parser.add_argument(
            "--no-activity", action="store_true",
            help="Only the register, CBS figures and demo people: no generated items, rounds or budgets.",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        summary = demo_load(now=now(), activity=not options["no_activity"])
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2, default=str))
        else:
            self.stdout.write(self.style.SUCCESS("Oss demo loaded."))

import json

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.monitoring import selectors


class Command(BaseCommand):
    help = "Print the stored observations of an area (all indicators and periods, or one indicator)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--area", required=True, help="Area code, e.g. GM0828 or WK082801.")
        parser.add_argument("--indicator", help="Catalogue key, e.g. AantalInwoners.")
        parser.add_argument("--period")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        try:
            rows = selectors.observations_for(area_code=o["area"], indicator=o["indicator"], period=o["period"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        if o["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
        else:
            for r in rows:
                self.stdout.write(f"{r['area']}\t{r['indicator']}\t{r['period']}\t{'.' if r['value'] is None else r['value']}")

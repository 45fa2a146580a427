import csv
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.areas.selectors import clustering_get
from wijkwijs.core.errors import NotFound
from wijkwijs.monitoring import index_selectors as isel
from wijkwijs.monitoring.ranking import RankingConfig


def _weights(pairs: list[str]) -> dict[str, float]:
    out = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            weight = float(value)
        except ValueError:
            raise CommandError(f"weight {pair!r}: expected KEY=NUMBER") from None
        if not weight >= 0:  # also NaN
            raise CommandError(f"weight {pair!r}: must be 0 or more")
        out[key] = weight
    if out and not any(out.values()):
        raise CommandError("at least one weight must be above 0")
    return out


class Command(BaseCommand):
    help = "Rank wijken, buurten or the clusters of a clustering by need (M6), each rank explained."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--index", help="Slug of the index definition (default: the default index).")
        parser.add_argument("--level", choices=isel.LEVELS, default="WK")
        parser.add_argument("--clustering", help="Rank the clusters of this clustering (slug).")
        parser.add_argument("--period")
        parser.add_argument("--mode", choices=["themes", "indicators"], default="themes")
        parser.add_argument("--weight", action="append", default=[], metavar="KEY=NUMBER",
                            help="A theme weight (or indicator weight with --mode indicators); repeat.")
        parser.add_argument("--min-population", type=float)
        fmt = parser.add_mutually_exclusive_group()
        fmt.add_argument("--json", action="store_true")
        fmt.add_argument("--csv", action="store_true")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        weights = _weights(o["weight"])
        try:
            definition = isel.definition_get(o["index"])
            clustering = clustering_get(o["clustering"]) if o["clustering"] else None
            level = clustering.unit_level if clustering else o["level"]
            run = isel.index_run(definition=definition, level=level, period=o["period"], clustering=clustering)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        known = set(run.config.themes if o["mode"] == "themes" else run.config.keys)
        unknown = sorted(set(weights) - known)
        if unknown:
            raise CommandError(f"unknown {'theme' if o['mode'] == 'themes' else 'indicator'}: {', '.join(unknown)}")
        config = RankingConfig(
            mode=o["mode"],
            theme_weights=weights if o["mode"] == "themes" else {},
            indicator_weights=weights if o["mode"] == "indicators" else {},
            min_population=o["min_population"] if o["min_population"] is not None else run.config.min_population,
        )
        ranking = isel.ranking_for(run, config)
        rows = ranking.rows()
        if o["csv"]:
            writer = csv.DictWriter(sys.stdout, fieldnames=ranking.fieldnames)
            writer.writeheader()
            writer.writerows(rows)
        elif o["json"]:
            self.stdout.write(json.dumps({"index": definition.slug, "version": definition.version, "period": run.period,
                                          "mode": config.mode, "rows": rows}, ensure_ascii=False))
        else:
            for r in rows:
                self.stdout.write(f"{r['rank'] or '-':>4}  {r['need'] if r['need'] != '' else '-':>7}  {r['name']}  {r['drivers']}")

import json
import math

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.core.errors import NotFound
from wijkwijs.monitoring import index_selectors as isel


def _f(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 4)


class Command(BaseCommand):
    help = "Compute the composite area index (M5) for every wijk or buurt; --area explains one area."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--index", help="Slug of the index definition (default: the default index).")
        parser.add_argument("--level", choices=isel.LEVELS, default="WK")
        parser.add_argument("--period", help="Period to score (default: the latest).")
        parser.add_argument("--area", help="Explain this area indicator by indicator.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        try:
            definition = isel.definition_get(o["index"])
            run = isel.index_run(definition=definition, level=o["level"], period=o["period"])
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        res = run.result
        head = {"index": definition.slug, "version": definition.version, "basePeriod": run.base_period,
                "period": run.period, "previousPeriod": run.previous_period, "level": run.level}
        if o["area"]:
            code = o["area"].strip().upper()
            if code not in res.codes:
                raise CommandError(f"unknown area {code} at level {run.level}")
            i = res.row(code)
            data = {**head, "area": code, "name": res.names[i], "total": _f(res.total[i]),
                    "themes": {t: _f(res.theme_scores[i, n]) for n, t in enumerate(run.config.themes)},
                    "indicators": res.explain(code)}
        else:
            data = {**head, "areas": [
                {"code": c, "name": res.names[i], "total": _f(res.total[i]), "band": res.bands[i],
                 "themes": {t: _f(res.theme_scores[i, n]) for n, t in enumerate(run.config.themes)}}
                for i, c in enumerate(res.codes)
            ]}
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        if o["area"]:
            self.stdout.write(f"{data['area']} {data['name']}: {data['total']}")
            for e in data["indicators"]:
                self.stdout.write(f"  {e['key']:<40} score {e['score']}  points {e['points_vs_100']}")
        else:
            for a in data["areas"]:
                self.stdout.write(f"{a['code']}  {a['total'] if a['total'] is not None else '-':>8}  {a['name']}")

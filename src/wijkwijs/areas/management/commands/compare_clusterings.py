import json

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.areas import selectors
from wijkwijs.core.errors import NotFound


class Command(BaseCommand):
    help = "Compare two clusterings: adjusted Rand index, overlap matrix and the units they disagree on."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("first")
        parser.add_argument("second")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        try:
            cmp = selectors.clusterings_compare(selectors.clustering_get(o["first"]), selectors.clustering_get(o["second"]))
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        r = cmp.result
        data = {
            "unitLevel": cmp.unit_level,
            "adjustedRandIndex": r.adjusted_rand_index,
            "rows": r.rows,
            "cols": r.cols,
            "matrix": r.matrix,
            "disagreements": [{"unit": u, "first": a, "second": b} for u, a, b in r.disagreements],
        }
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(f"ARI {r.adjusted_rand_index:.3f}; {len(r.disagreements)} of {r.common_units} units disagree")

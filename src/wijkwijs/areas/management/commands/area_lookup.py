import json

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.areas import geometry, selectors


class Command(BaseCommand):
    help = "Which gemeente, wijk and buurt contain a point (WGS84 lon/lat or RD New x/y)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--lon", type=float)
        parser.add_argument("--lat", type=float)
        parser.add_argument("--x", type=float, help="RD New x (metres)")
        parser.add_argument("--y", type=float, help="RD New y (metres)")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        if opts["lon"] is not None and opts["lat"] is not None:
            lon, lat = opts["lon"], opts["lat"]
        elif opts["x"] is not None and opts["y"] is not None:
            lon, lat = geometry.rd_to_wgs84(opts["x"], opts["y"])
        else:
            raise CommandError("give --lon and --lat, or --x and --y (RD New)")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise CommandError("coordinates out of range")
        found = selectors.area_lookup(lon=lon, lat=lat)

        def area(level: str) -> dict | None:
            a = found.get(level)
            return {"code": a.code, "name": a.name} if a else None

        result = {"lon": round(lon, 6), "lat": round(lat, 6), "gemeente": area("GM"), "wijk": area("WK"), "buurt": area("BU")}
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif not found:
            self.stdout.write("no area contains this point")
        else:
            for level in ("gemeente", "wijk", "buurt"):
                if result[level]:
                    self.stdout.write(f"{level}: {result[level]['name']} ({result[level]['code']})")

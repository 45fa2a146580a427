from django.urls import register_converter


class AreaCodeConverter:
    """A CBS area code in a URL: GM0828, WK082801, BU08280101 (case-insensitive)."""

    regex = "(?:[Gg][Mm][0-9]{4}|[Ww][Kk][0-9]{4}[0-9A-Za-z]{2}|[Bb][Uu][0-9]{4}[0-9A-Za-z]{4})"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(AreaCodeConverter, "areacode")

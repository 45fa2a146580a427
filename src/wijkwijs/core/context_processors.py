from django.conf import settings
from django.http import HttpRequest

from wijkwijs.core import nav


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "MUNICIPALITY_CODE": settings.MUNICIPALITY_CODE,
        "nav_items": nav.items_for(request),
    }

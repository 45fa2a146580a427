"""Root URL configuration: each domain app brings its own HTML and API URLs."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from wijkwijs.core.api import api_not_found

api_v1 = [
    path("", include("wijkwijs.core.api_urls")),
    path("", include("wijkwijs.areas.api_urls")),
    path("", include("wijkwijs.monitoring.api_urls")),
    path("", include("wijkwijs.intake.api_urls")),
    path("", include("wijkwijs.budgeting.api_urls")),
]

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("taal", set_language, name="set_language"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/<path:rest>", api_not_found),
    path("open311/v2/", include("wijkwijs.intake.open311_urls")),
    path("", include("wijkwijs.accounts.urls")),
    path("", include("wijkwijs.areas.urls")),
    path("", include("wijkwijs.monitoring.urls")),
    path("", include("wijkwijs.intake.urls")),
    path("", include("wijkwijs.budgeting.urls")),
]

handler404 = "wijkwijs.core.views.not_found"
handler500 = "wijkwijs.core.views.server_error"
handler403 = "wijkwijs.core.views.permission_denied"

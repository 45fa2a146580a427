"""Open311 GeoReport v2, mounted at /open311/v2/ by config/urls.py."""

from django.urls import path

from wijkwijs.intake import open311

urlpatterns = [
    path("services.json", open311.services_list, name="open311-services"),
    path("services/<str:code>.json", open311.service_definition, name="open311-service"),
    path("requests.json", open311.requests_view, name="open311-requests"),
    path("requests/<str:code>.json", open311.request_detail, name="open311-request"),
]

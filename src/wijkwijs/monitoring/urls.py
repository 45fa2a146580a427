from django.urls import path

from wijkwijs.areas import converters  # noqa: F401  (registers <areacode:>)
from wijkwijs.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("monitor/kaart", views.indicator_map, name="map"),
    path("monitor/kaart.geojson", views.indicator_map_geojson, name="map-geojson"),
    path("gebieden/<areacode:code>/indruk-toevoegen", views.impression_add, name="impression-add"),
]

from django.urls import path

from wijkwijs.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("monitor/kaart", views.indicator_map, name="map"),
    path("monitor/kaart.geojson", views.indicator_map_geojson, name="map-geojson"),
]

from django.urls import path

from wijkwijs.areas import converters, views  # noqa: F401  (registers <areacode:>)

app_name = "areas"
urlpatterns = [
    path("", views.home, name="home"),
    path("gebieden/<areacode:code>", views.area_detail, name="area-detail"),
    path("gebieden/<areacode:code>/kaart.geojson", views.area_geojson, name="area-geojson"),
    path("opzoeken", views.lookup, name="lookup"),
    path("gebieden/grenzen-inlezen", views.boundaries_import, name="boundaries-import"),
    path("indelingen", views.clustering_list, name="clustering-list"),
    path("indelingen/importeren", views.clustering_import, name="clustering-import"),
    path("indelingen/vergelijken", views.clustering_compare, name="clustering-compare"),
    path("indelingen/vergelijken/kaart.geojson", views.clustering_compare_geojson, name="clustering-compare-geojson"),
    path("indelingen/<slug:slug>", views.clustering_detail, name="clustering-detail"),
    path("indelingen/<slug:slug>/kaart.geojson", views.clustering_geojson, name="clustering-geojson"),
    path("indelingen/<slug:slug>/verplaatsen", views.clustering_move_unit, name="clustering-move"),
]

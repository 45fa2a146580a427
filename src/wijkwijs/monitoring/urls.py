from django.urls import path

from wijkwijs.areas import converters  # noqa: F401  (registers <areacode:>)
from wijkwijs.monitoring import views, views_index, views_upload, views_wijkfoto

app_name = "monitoring"
urlpatterns = [
    path("monitor/kaart", views.indicator_map, name="map"),
    path("monitor/kaart.geojson", views.indicator_map_geojson, name="map-geojson"),
    path("gebieden/<areacode:code>/indruk-toevoegen", views.impression_add, name="impression-add"),
    path("gebieden/<areacode:code>/wijkfoto", views_wijkfoto.wijkfoto, name="wijkfoto"),
    path("gebieden/<areacode:code>/wijkfoto.pdf", views_wijkfoto.wijkfoto_pdf, name="wijkfoto-pdf"),
    path("gebieden/<areacode:code>/wijkfoto.csv", views_wijkfoto.wijkfoto_csv, name="wijkfoto-csv"),
    path("monitor/inlezen", views_upload.upload_index, name="upload"),
    path("monitor/inlezen/cbs", views_upload.upload_cbs, name="upload-cbs"),
    path("monitor/inlezen/eigen-cijfers", views_upload.upload_observations, name="upload-observations"),
    path("monitor/index", views_index.index_overview, name="index"),
    path("monitor/index/<areacode:code>", views_index.index_area, name="index-area"),
    path("monitor/prioriteiten", views_index.ranking_page, name="ranking"),
    path("monitor/prioriteiten.csv", views_index.ranking_csv, name="ranking-csv"),
    path("monitor/veranderingen", views_index.changes_page, name="changes"),
    path("monitor/veranderingen.csv", views_index.changes_csv, name="changes-csv"),
]

from django.urls import path

from wijkwijs.areas import api, converters  # noqa: F401  (registers <areacode:>)

urlpatterns = [
    path("areas", api.AreaListView.as_view(), name="area-list"),
    path("areas/<areacode:code>", api.AreaDetailView.as_view(), name="area-detail"),
    path("area-boundaries", api.AreaBoundariesView.as_view(), name="area-boundaries"),
    path("lookup", api.LookupView.as_view(), name="area-lookup"),
    path("clusterings", api.ClusteringListView.as_view(), name="clustering-list"),
    path("clusterings/compare", api.ClusteringCompareView.as_view(), name="clustering-compare"),
    path("clusterings/<slug:slug>", api.ClusteringDetailView.as_view(), name="clustering-detail"),
]

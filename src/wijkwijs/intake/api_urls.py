from django.urls import path

from wijkwijs.intake import api

urlpatterns = [
    path("intake/categories", api.CategoriesView.as_view(), name="intake-categories"),
    path("intake/items", api.ItemListView.as_view(), name="intake-item-list"),
    path("intake/items/<int:pk>", api.ItemDetailView.as_view(), name="intake-item-detail"),
    path("intake/items/<int:pk>/<slug:action>", api.ItemActionView.as_view(), name="intake-item-action"),
    path("intake/status/<str:code>", api.StatusView.as_view(), name="intake-status"),
    path("intake/throughput", api.ThroughputView.as_view(), name="intake-throughput"),
    path("intake/routing", api.RoutingView.as_view(), name="intake-routing"),
]

from django.urls import path

from wijkwijs.monitoring import api

urlpatterns = [
    path("indicators", api.IndicatorListView.as_view(), name="monitoring-indicator-list"),
    path("observations", api.ObservationListView.as_view(), name="monitoring-observation-list"),
]

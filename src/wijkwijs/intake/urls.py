from django.urls import path

from wijkwijs.intake import views, views_dashboard, views_routing

app_name = "intake"
urlpatterns = [
    path("melden", views.submit, name="submit"),
    path("melden/advies", views.advice, name="advice"),
    path("melden/status", views.status_lookup, name="status-lookup"),
    path("melden/status/<str:code>", views.status, name="status"),
    path("melden/status/<str:code>/reageren/<str:token>", views.reply, name="reply"),
    path("werkvoorraad", views.queue, name="queue"),
    path("werkvoorraad/invoeren", views.enter, name="enter"),
    path("werkvoorraad/geescaleerd", views.escalated, name="escalated"),
    path("werkvoorraad/routering", views_routing.routing_page, name="routing"),
    path("werkvoorraad/<int:pk>", views.item_detail, name="item"),
    path("werkvoorraad/<int:pk>/bijlage/<int:attachment_pk>", views.attachment, name="attachment"),
    path("werkvoorraad/<int:pk>/<slug:action>", views.item_action, name="item-action"),
    path("doorlooptijden", views_dashboard.dashboard, name="dashboard"),
    path("doorlooptijden/openbaar", views_dashboard.dashboard_public, name="dashboard-public"),
    path("doorlooptijden.csv", views_dashboard.dashboard_csv, name="dashboard-csv"),
]

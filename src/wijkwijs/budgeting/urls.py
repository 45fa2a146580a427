from django.urls import path

from wijkwijs.budgeting import views

app_name = "budgeting"
urlpatterns = [
    path("buurtbudget", views.rounds, name="rounds"),
    path("buurtbudget/nieuw", views.round_new, name="round-new"),
    path("buurtbudget/<slug:slug>", views.round_detail, name="round"),
    path("buurtbudget/<slug:slug>/kaart.geojson", views.round_geojson, name="round-geojson"),
    path("buurtbudget/<slug:slug>/voorstel-indienen", views.proposal_submit, name="proposal-submit"),
    path("buurtbudget/<slug:slug>/voorstellen/<int:number>", views.proposal_detail, name="proposal"),
    path("buurtbudget/<slug:slug>/voorstellen/<int:number>/beoordelen", views.review, name="proposal-review"),
    path("buurtbudget/<slug:slug>/voorstellen/<int:number>/uitvoering", views.implementation, name="proposal-update"),
    path("buurtbudget/<slug:slug>/stemmen", views.vote, name="vote"),
    path("buurtbudget/<slug:slug>/ontvangstbewijs", views.receipt, name="receipt"),
    path("buurtbudget/<slug:slug>/uitslag", views.results, name="results"),
    path("buurtbudget/<slug:slug>/uitslag.pb", views.export_pb, name="export-pb"),
    path("buurtbudget/<slug:slug>/beheer", views.manage, name="manage"),
    path("buurtbudget/<slug:slug>/beheer/volgende-fase", views.advance, name="advance"),
    path("buurtbudget/<slug:slug>/stemcodes", views.codes_page, name="codes"),
]

from wijkwijs.budgeting.urls_register import urlpatterns as register_urlpatterns  # noqa: E402

urlpatterns += register_urlpatterns

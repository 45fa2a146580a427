from django.urls import path

from wijkwijs.budgeting import api

urlpatterns = [
    path("budgeting/rules", api.RuleListView.as_view(), name="pb-rules"),
    path("budgeting/rounds", api.RoundListView.as_view(), name="pb-round-list"),
    path("budgeting/rounds/<slug:slug>", api.RoundDetailView.as_view(), name="pb-round-detail"),
    path("budgeting/rounds/<slug:slug>/proposals", api.ProposalListView.as_view(), name="pb-proposal-list"),
    path("budgeting/rounds/<slug:slug>/proposals/<int:number>", api.ProposalDetailView.as_view(), name="pb-proposal-detail"),
    path("budgeting/rounds/<slug:slug>/ballots", api.BallotView.as_view(), name="pb-ballot"),
    path("budgeting/rounds/<slug:slug>/receipts", api.ReceiptView.as_view(), name="pb-receipt"),
    path("budgeting/rounds/<slug:slug>/results", api.ResultView.as_view(), name="pb-result"),
]

from wijkwijs.budgeting.api_urls_register import urlpatterns as register_urlpatterns  # noqa: E402

urlpatterns += register_urlpatterns

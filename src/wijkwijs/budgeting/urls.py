app_name = "budgeting"
urlpatterns: list = []
from wijkwijs.budgeting.urls_register import urlpatterns as register_urlpatterns  # noqa: E402

urlpatterns += register_urlpatterns

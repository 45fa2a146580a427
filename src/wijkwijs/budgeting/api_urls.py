urlpatterns: list = []
from wijkwijs.budgeting.api_urls_register import urlpatterns as register_urlpatterns  # noqa: E402

urlpatterns += register_urlpatterns

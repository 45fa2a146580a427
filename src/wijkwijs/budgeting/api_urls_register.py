from django.urls import path

from wijkwijs.areas import converters  # noqa: F401  (registers <areacode:>)
from wijkwijs.budgeting import api_register

urlpatterns = [
    path("budget-register", api_register.RegisterOverviewView.as_view(), name="budget-register"),
    path("budget-register/<areacode:code>", api_register.RegisterAreaView.as_view(), name="budget-register-area"),
]

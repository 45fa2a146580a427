from django.contrib.auth.views import LogoutView
from django.urls import path

from wijkwijs.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen", views.LoginView.as_view(), name="login"),
    path("uitloggen", LogoutView.as_view(), name="logout"),
    path("account", views.profile, name="profile"),
]

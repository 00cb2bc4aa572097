from django.contrib.auth import views as auth_views
from django.urls import path

from . import account_views, otp_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", account_views.account_settings, name="account_settings"),
    path("2fa/verify/", otp_views.verify, name="otp_verify"),
    path("2fa/setup/", otp_views.setup, name="otp_setup"),
]

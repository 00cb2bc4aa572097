from django.contrib.auth import views as auth_views
from django.urls import path

from xieshang.api import token_views

from . import account_views, otp_views

urlpatterns = [
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", account_views.account_settings, name="account_settings"),
    path("tokens/", token_views.tokens, name="account_tokens"),
    path("tokens/<int:pk>/revoke/", token_views.revoke_token, name="account_token_revoke"),
    path("password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("2fa/verify/", otp_views.verify, name="otp_verify"),
    path("2fa/setup/", otp_views.setup, name="otp_setup"),
    path("2fa/backup-codes/", otp_views.backup_codes, name="otp_backup_codes"),
    path("admin/users/", account_views.user_admin, name="account_user_admin"),
    path("admin/users/<int:pk>/unlock/", account_views.user_unlock, name="account_user_unlock"),
    path("admin/users/<int:pk>/reset-2fa/", account_views.user_reset_2fa, name="account_user_reset_2fa"),
]

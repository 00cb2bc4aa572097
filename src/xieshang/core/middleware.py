from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from . import audit


class AuditRequestMiddleware:
    """Tell the actions a request calls where it came from (IP, web or API) for their audit rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_request_info(audit.request_context(request))
        try:
            return self.get_response(request)
        finally:
            audit.reset_request_info(token)


class RequireSecondFactorMiddleware:
    """Staff who signed in with a password alone may only reach the pages that finish the second factor.

    Members sign in with a password; every role that works on others' data (see ``org.roles.STAFF_ROLES``)
    must enrol and verify a TOTP device first.
    """

    ALLOWED_PREFIXES = ("/account/2fa/", "/account/logout/", "/i18n/", "/static/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            getattr(settings, "XS_REQUIRE_STAFF_2FA", True)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            from xieshang.org.roles import needs_second_factor

            if needs_second_factor(user):
                return redirect(reverse("otp_verify") + "?next=" + request.get_full_path())
        return self.get_response(request)

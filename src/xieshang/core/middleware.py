from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

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
    must enrol and verify a TOTP device first. Any other page sends such a session to enrolment (no confirmed
    device yet) or verification, keeping the page it wanted as ``next``.

    The allow-list is exact paths, not prefixes, so that nothing mounted later under ``/account/`` slips
    through. ``/api/`` is left to the API's own authentication, which refuses unverified staff sessions itself
    (``xieshang.api.auth.SessionAuth``) and does not use sessions for token requests.
    """

    ALLOWED_PATHS = frozenset({"/account/2fa/setup/", "/account/2fa/verify/", "/account/logout/", "/i18n/setlang/"})
    ALLOWED_PREFIXES = ("/static/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            getattr(settings, "XS_REQUIRE_STAFF_2FA", True)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and path not in self.ALLOWED_PATHS
            and not path.startswith(self.ALLOWED_PREFIXES)
        ):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            from xieshang.org.roles import needs_second_factor

            if needs_second_factor(user):
                enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                target = reverse("otp_verify" if enrolled else "otp_setup")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)

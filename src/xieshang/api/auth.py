"""How an API request proves who it is: a bearer token, or the browser's own signed-in session.

A bearer token acts as its user. A session works too (for the docs page and the site's own scripts), with
Django's CSRF check on writes, and staff sessions must have passed the second factor, as on the pages.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from .models import TOKEN_PREFIX, ApiToken

# last_used_at is written at most this often per token, so that a busy client does not write on every call.
LAST_USED_RESOLUTION = 60


class TokenAuth(HttpBearer):
    """``Authorization: Bearer xs_<prefix>_<secret>``. A header that is present but wrong is a 401 at once."""

    def authenticate(self, request, token):
        token = (token or "").strip()
        # xs_<8 hex>_<secret>; the secret itself may contain "_".
        parts = token.split("_", 2)
        prefix = f"{parts[0]}_{parts[1]}" if len(parts) == 3 and token.startswith(TOKEN_PREFIX) else ""
        row = ApiToken.objects.usable().select_related("user").filter(prefix=prefix).first() if prefix else None
        if row is None or not row.matches(token):
            raise AuthenticationError(401, _("令牌无效、已过期或已撤销。"))
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.api_token = row
        return row.user


class SessionAuth(AuthBase):
    """The signed-in browser session. Unsafe methods need a valid CSRF token; staff need a verified second factor."""

    openapi_type = "apiKey"
    openapi_in = "cookie"

    def __init__(self):
        from django.conf import settings

        self.openapi_name = settings.SESSION_COOKIE_NAME
        # Tells ninja's docs page to send the CSRF token with "Try it out" requests.
        self.csrf = True
        super().__init__()

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, _("CSRF 校验失败，请刷新页面后重试。"))
        from xieshang.org.roles import needs_second_factor

        verified = getattr(user, "is_verified", lambda: False)()
        if not verified and needs_second_factor(user):
            raise HttpError(403, _("请先完成双因素验证。"))
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()

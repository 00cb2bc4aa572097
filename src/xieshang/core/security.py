"""Sign-in security glue: audit receivers for the auth signals, lockout state, and the account permissions.

:func:`connect` is called once from ``CoreConfig.ready``. The receivers only record what happened; django-axes
itself counts failures and refuses locked accounts (``axes.backends.AxesStandaloneBackend``).
"""

from datetime import timedelta

import rules
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.utils import timezone

from . import account_actions


def _from_a_client(request):
    """Whether ``request`` came over HTTP from a client.

    ``Client.force_login``, ``Client.logout`` and code run in a shell send the auth signals with a bare
    ``HttpRequest`` that has no address: those are not sign-ins by a person and are not audited.
    """
    return request is not None and bool(getattr(request, "META", {}).get("REMOTE_ADDR"))


def on_logged_in(sender, request, user, **kwargs):
    if _from_a_client(request):
        account_actions.do_record_login(user, actor=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None and _from_a_client(request):
        account_actions.do_record_logout(user, actor=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in ``credentials``; only the username is kept.
    username = credentials.get("username", "") if credentials else ""
    locked = bool(getattr(request, "axes_locked_out", False))
    account_actions.do_record_login_failure(username, locked=locked, actor=None)


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    account_actions.do_record_lockout(username or "", actor=None)


def connect():
    from axes.signals import user_locked_out

    user_logged_in.connect(on_logged_in, dispatch_uid="xieshang.security.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="xieshang.security.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="xieshang.security.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="xieshang.security.locked_out")


# Lockout state ---------------------------------------------------------------------------------------------


def cool_off():
    from axes.helpers import get_cool_off

    return get_cool_off() or timedelta(0)


def locked_usernames(usernames):
    """The subset of ``usernames`` that django-axes currently refuses (failure limit reached within cool-off)."""
    from axes.models import AccessAttempt
    from django.db.models import Sum

    usernames = list(usernames)
    if not usernames:
        return set()
    qs = AccessAttempt.objects.filter(username__in=usernames)
    window = cool_off()
    if window:
        qs = qs.filter(attempt_time__gte=timezone.now() - window)
    totals = qs.values("username").annotate(failures=Sum("failures_since_start"))
    return {row["username"] for row in totals if row["failures"] >= settings.AXES_FAILURE_LIMIT}


def is_locked(user):
    return user.get_username() in locked_usernames([user.get_username()])


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (``AXES_LOCKOUT_CALLABLE``): HTTP 429, no hint whether the password was right."""
    from django.shortcuts import render

    minutes = int(cool_off().total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


# Permissions -----------------------------------------------------------------------------------------------


@rules.predicate
def is_sysadmin(user):
    if not user.is_authenticated:
        return False
    # core knows no organisation models; the role lookup lives in org and is imported when asked.
    from xieshang.org.roles import is_sysadmin as _is_sysadmin

    return _is_sysadmin(user)


# Only the deployment-wide system administrator unlocks accounts and resets second factors.
rules.add_perm("core.manage_accounts", is_sysadmin)

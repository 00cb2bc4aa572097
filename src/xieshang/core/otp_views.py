"""The second factor for staff: enrol a TOTP device on first sign-in, then verify a code every sign-in.

Enrolment also issues one-time backup codes, shown once; each backup code can stand in for the
authenticator app a single time on the verify page.
"""

import base64

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import account_actions


def _next_url(request):
    """The local page to continue to after the second factor (never another host)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("workbench")


def _with_next(name, request):
    return reverse(name) + "?" + urlencode({"next": _next_url(request)})


def _normalise(token):
    """Codes are typed on phones: drop spaces and dashes, and compare backup codes in lower case."""
    return "".join(token.split()).replace("-", "").lower()


def _check(device, token):
    """(ok, error message) for one attempt at ``device``; refuses at once while the device is throttled."""
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return False, _("尝试次数过多，请稍候几秒再试。")
    if device.verify_token(token):
        return True, ""
    return False, ""


def _elevate(request, device):
    """Mark the session verified with ``device`` under a new session key (the old key had less privilege)."""
    request.session.cycle_key()
    otp_login(request, device)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Ask for the 6-digit code from the authenticator app, or one backup code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(_with_next("otp_setup", request))
    error = ""
    if request.method == "POST":
        token = _normalise(request.POST.get("token", ""))
        method = "totp" if token.isdigit() and len(token) == device.digits else "backup"
        if method == "totp":
            used = device
        else:
            used = StaticDevice.objects.filter(user=request.user, name=account_actions.BACKUP_DEVICE_NAME).first()
        ok, error = _check(used, token) if (used is not None and token) else (False, "")
        account_actions.do_record_second_factor(request.user, method=method, ok=ok, actor=request.user)
        if ok:
            _elevate(request, used)
            return redirect(_next_url(request))
        error = error or _("验证码不正确或已过期。备用码每个只能使用一次。")
    return render(request, "account/otp_verify.html", {"error": error, "next": _next_url(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrol an authenticator app: show the secret as a QR code, confirm with the first code it shows.

    On success the device is confirmed, the session counts as verified, and the backup codes are shown
    once on the response page (they are not stored anywhere the user can read them again).
    """
    import segno

    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_with_next("otp_verify", request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    error = ""
    if request.method == "POST":
        ok, error = _check(device, _normalise(request.POST.get("token", "")))
        if ok:
            codes = account_actions.do_enrol_second_factor(device, actor=request.user)
            _elevate(request, device)
            return render(request, "account/backup_codes.html", {"codes": codes, "next": _next_url(request), "first": True})
        error = error or _("验证码不正确，请核对手机时间后重试。")
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request, "account/otp_setup.html", {"qr": qr, "secret": secret, "error": error, "next": _next_url(request)}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """See how many backup codes are left and replace them with a new set (shown once)."""
    if not request.user.is_verified():
        return redirect(_with_next("otp_verify", request))
    if request.method == "POST":
        codes = account_actions.do_regenerate_backup_codes(request.user, actor=request.user)
        return render(request, "account/backup_codes.html", {"codes": codes, "next": reverse("account_settings")})
    device = StaticDevice.objects.filter(user=request.user, name=account_actions.BACKUP_DEVICE_NAME).first()
    remaining = device.token_set.count() if device else 0
    return render(request, "account/backup_codes_manage.html", {"remaining": remaining})

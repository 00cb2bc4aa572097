"""The second factor for staff: enrol a TOTP device on first sign-in, then verify a code every sign-in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return "/"


@login_required
def verify(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("otp_setup")
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip()
        if device.verify_token(token):
            otp_login(request, device)
            return redirect(_next_url(request))
        error = _("验证码不正确或已过期。")
    return render(request, "account/otp_verify.html", {"error": error, "next": _next_url(request)})


@login_required
def setup(request):
    """Enrol an authenticator app: show the secret as a QR code, confirm with the first code it shows."""
    import segno

    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    error = ""
    if request.method == "POST":
        if device.verify_token(request.POST.get("token", "").strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        error = _("验证码不正确，请核对手机时间后重试。")
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request, "account/otp_setup.html", {"qr": qr, "secret": secret, "error": error, "next": _next_url(request)}
    )

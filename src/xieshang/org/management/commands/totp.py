"""``xieshang totp <username>``: the current 6-digit code of a user's confirmed TOTP device (for the demo)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def current_code(device):
    """The code ``device`` accepts now (same arithmetic as django-otp's verification)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = _("打印某个用户已启用的双因素验证设备当前的 6 位验证码（用于演示和测试环境）。")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("用户 %(username)s 不存在。") % {"username": username})
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
        if device is None:
            raise CommandError(_("用户 %(username)s 没有已启用的双因素验证设备。") % {"username": username})
        self.stdout.write(current_code(device))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xieshang.core"
    label = "core"
    verbose_name = _("平台核心")

    def ready(self):
        from . import security

        # Audit receivers for sign-in, failed sign-in, lockout and sign-out (see core/security.py).
        security.connect()

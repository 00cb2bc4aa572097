from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public portal: published proposals and their replies, without login and without contact details."""

    name = "xieshang.portal"
    label = "portal"
    verbose_name = _("公开门户")

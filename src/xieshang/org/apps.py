from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "xieshang.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self):
        from . import verbs, workbench  # noqa: F401  (audit verb labels; the organisation's to-do providers)

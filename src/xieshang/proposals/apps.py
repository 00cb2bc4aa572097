from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "xieshang.proposals"
    label = "proposals"
    verbose_name = _("提案")

    def ready(self):
        from . import settings, workbench  # noqa: F401  (declares local rules and registers to-do providers)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "xieshang.search"
    label = "search"
    verbose_name = _("检索")

    def ready(self):
        # Permissions, local settings, audit verb labels, the indexed kinds and the on-commit index hooks.
        from . import providers, rules, settings, signals, verbs  # noqa: F401

        providers.load()
        signals.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "xieshang.proposals"
    label = "proposals"
    verbose_name = _("提案")

    def ready(self):
        from . import settings, verbs, workbench  # noqa: F401  (local rules, audit verb labels, to-do providers)
        from . import imports, reminders  # noqa: F401  (audit verb labels; the daily reminder job)
        from . import stats  # noqa: F401  (the view_stats rule; the statistics refresh job)

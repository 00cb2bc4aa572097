"""The topics app: topic tags (专题标签) for proposals and opinion reports; see models.py."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "xieshang.topics"
    label = "topics"
    verbose_name = _("专题标签")

    def ready(self):
        from . import rules, verbs  # noqa: F401  (permissions and audit verb labels)

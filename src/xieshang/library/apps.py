from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "xieshang.library"
    label = "library"
    verbose_name = _("文库")

    def ready(self):
        from . import rules, verbs  # noqa: F401  (permissions and audit verb labels)

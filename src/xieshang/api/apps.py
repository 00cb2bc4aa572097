from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xieshang.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from . import verbs  # noqa: F401  (audit verb labels)

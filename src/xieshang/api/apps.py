from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xieshang.api"
    label = "api"
    verbose_name = "API"

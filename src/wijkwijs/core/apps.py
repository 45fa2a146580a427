from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wijkwijs.core"
    label = "core"
    verbose_name = "Wijkwijs"

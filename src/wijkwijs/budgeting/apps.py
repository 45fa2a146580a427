from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "wijkwijs.budgeting"
    label = "budgeting"
    verbose_name = _("Neighbourhood budgets")

    def ready(self) -> None:
        from wijkwijs.budgeting import register_apps  # noqa: F401  (register rules, admin and menu items)

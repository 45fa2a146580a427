from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "wijkwijs.budgeting"
    label = "budgeting"
    verbose_name = _("Neighbourhood budgets")

    def ready(self) -> None:
        from datetime import timedelta

        from wijkwijs.budgeting import (
            permissions,  # noqa: F401  (registers the permissions)
            register_apps,  # noqa: F401  (register rules, admin and menu items)
            tasks_register,
        )
        from wijkwijs.core import nav, periodic

        periodic.register("budgeting.expire_vouchers", tasks_register.expire_vouchers, lambda: timedelta(days=1))
        periodic.register("budgeting.close_due_rounds", tasks_register.close_due_rounds, lambda: timedelta(hours=1))

        nav.register(nav.NavItem(label=_("Neighbourhood budget"), url_name="budgeting:rounds", order=40,
                                 sections=("budgeting:round", "budgeting:proposal", "budgeting:vote", "budgeting:results",
                                           "budgeting:receipt", "budgeting:manage", "budgeting:codes")))

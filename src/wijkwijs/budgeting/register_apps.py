"""Start-up of the register, voucher and handgeld part: rules, admin and main-menu items."""

from django.utils.translation import gettext_lazy as _

from wijkwijs.budgeting import admin_register, register_rules  # noqa: F401
from wijkwijs.core import nav

nav.register(nav.NavItem(label=_("Money per wijk"), url_name="budgeting:register", order=40,
                         sections=("budgeting:register", "budgeting:budget-line", "budgeting:register-", "budgeting:voucher")))
nav.register(nav.NavItem(label=_("Handgeld"), url_name="budgeting:handgeld", order=42, perm="budgeting.view_handgeld",
                         sections=("budgeting:handgeld",)))

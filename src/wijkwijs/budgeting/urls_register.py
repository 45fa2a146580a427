"""URLs of the budget register, household vouchers and handgeld (included from urls.py)."""

from django.urls import path

from wijkwijs.areas import converters  # noqa: F401  (registers <areacode:>)
from wijkwijs.budgeting import views_handgeld, views_register, views_vouchers

urlpatterns = [
    path("budgetten", views_register.register, name="register"),
    path("budgetten/export.csv", views_register.register_export, name="register-export"),
    path("budgetten/importeren", views_register.register_import, name="register-import"),
    path("budgetten/regels/nieuw", views_register.budget_line_new, name="budget-line-new"),
    path("budgetten/regels/<int:pk>", views_register.budget_line_detail, name="budget-line"),
    path("budgetten/regels/<int:pk>/wijzigen", views_register.budget_line_edit, name="budget-line-edit"),
    path("budgetten/<areacode:code>", views_register.register_area, name="register-area"),
    path("buurtcheques", views_vouchers.vouchers, name="vouchers"),
    path("buurtcheques/beheer", views_vouchers.voucher_admin, name="voucher-admin"),
    path("buurtcheques/perioden", views_vouchers.voucher_period_new, name="voucher-period-new"),
    path("buurtcheques/perioden/<int:pk>/codes", views_vouchers.vouchers_issue, name="voucher-issue"),
    path("buurtcheques/perioden/<int:pk>/initiatieven", views_vouchers.initiative_new, name="voucher-initiative-new"),
    path("buurtcheques/initiatieven/<int:pk>/uitbetalen", views_vouchers.initiative_pay_out, name="voucher-pay-out"),
    path("handgeld", views_handgeld.handgeld, name="handgeld"),
    path("handgeld/budget", views_handgeld.handgeld_budget_set, name="handgeld-budget-set"),
    path("handgeld/<int:pk>", views_handgeld.handgeld_budget, name="handgeld-budget"),
]

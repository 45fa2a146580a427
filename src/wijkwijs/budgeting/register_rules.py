"""Who may do what with the budget register, household vouchers and handgeld (django-rules).

The public sees the register overview, its CSV export and the voucher page. Staff of a
department enter and edit the lines of their own department; management, administrators and
area managers any line. The council reads everything and changes nothing. An area manager sees
their own handgeld; management, the council and administrators see all of it.
"""

import rules

from wijkwijs.accounts.roles import Role
from wijkwijs.accounts.rules import can_read_internal, has_role

is_register_admin = has_role(Role.AREA_MANAGER, Role.MANAGEMENT, Role.ADMINISTRATOR)
is_department_member = has_role(Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD)
is_voucher_staff = has_role(Role.COORDINATOR, Role.AREA_MANAGER, Role.MANAGEMENT, Role.ADMINISTRATOR)
is_finance = has_role(Role.MANAGEMENT, Role.ADMINISTRATOR)
sees_all_handgeld = has_role(Role.MANAGEMENT, Role.COUNCIL, Role.ADMINISTRATOR)


@rules.predicate
def in_line_department(user, line) -> bool:  # type: ignore[no-untyped-def]
    return line is not None and user.is_authenticated and user.department_id is not None and line.department_id == user.department_id


@rules.predicate
def is_budget_manager(user, budget) -> bool:  # type: ignore[no-untyped-def]
    return budget is not None and user.is_authenticated and budget.manager_id == user.pk


rules.add_perm("budgeting.view_register_log", can_read_internal)
rules.add_perm("budgeting.add_budget_line", is_register_admin | is_department_member)
rules.add_perm("budgeting.change_budget_line", is_register_admin | (is_department_member & in_line_department))
rules.add_perm("budgeting.import_register", is_finance)
rules.add_perm("budgeting.manage_vouchers", is_voucher_staff)
rules.add_perm("budgeting.view_vouchers_admin", is_voucher_staff | has_role(Role.COUNCIL))
rules.add_perm("budgeting.pay_out_initiative", is_finance)
rules.add_perm("budgeting.view_handgeld", has_role(Role.AREA_MANAGER) | sees_all_handgeld)
rules.add_perm("budgeting.view_all_handgeld", sees_all_handgeld)
rules.add_perm("budgeting.view_handgeld_budget", is_budget_manager | sees_all_handgeld)
rules.add_perm("budgeting.spend_handgeld", is_budget_manager)
rules.add_perm("budgeting.set_handgeld_budget", is_finance)

"""Who may do what with participatory-budgeting rounds (django-rules).

``budgeting/rules/`` is the allocation engine, so these predicates live here and are loaded in
``BudgetingConfig.ready``. Voting needs no account (a single-use code is the right to vote);
residents log in to submit proposals; staff review proposals and manage rounds; the
administrator generates voting codes.
"""

import rules

from wijkwijs.accounts.roles import Role
from wijkwijs.accounts.rules import has_role, is_administrator


@rules.predicate
def is_logged_in(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(user, "is_authenticated", False))


is_round_staff = has_role(Role.COORDINATOR, Role.AREA_MANAGER, Role.MANAGEMENT, Role.ADMINISTRATOR)
is_implementer = is_round_staff | has_role(Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD)

rules.add_perm("budgeting.submit_proposal", is_logged_in)
rules.add_perm("budgeting.manage_round", is_round_staff)
rules.add_perm("budgeting.review_proposal", is_round_staff)
rules.add_perm("budgeting.generate_codes", is_administrator)
rules.add_perm("budgeting.update_implementation", is_implementer)

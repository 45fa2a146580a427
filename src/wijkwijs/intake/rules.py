"""Who may do what in the intake (django-rules, loaded by AutodiscoverRulesConfig).

Residents never read another person's item or contact data: the public status page (by
tracking code) shows no personal data; items and contacts are for the people who handle them.
"""

import rules

from wijkwijs.accounts.roles import Role
from wijkwijs.accounts.rules import has_role, is_administrator, is_municipal_staff

is_triage = has_role(Role.COORDINATOR, Role.AREA_MANAGER, Role.MANAGEMENT, Role.ADMINISTRATOR)
is_council_member = has_role(Role.COUNCIL_MEMBER)
is_council = has_role(Role.COUNCIL)


@rules.predicate
def is_owner(user, item) -> bool:  # type: ignore[no-untyped-def]
    return item is not None and user.is_authenticated and item.owner_id == user.pk


@rules.predicate
def in_owner_department(user, item) -> bool:  # type: ignore[no-untyped-def]
    return (
        item is not None and user.is_authenticated and item.owner_department_id is not None
        and (user.department_id == item.owner_department_id or getattr(item.owner_department, "head_id", None) == user.pk)
    )


@rules.predicate
def has_no_owner(user, item) -> bool:  # type: ignore[no-untyped-def]
    return item is not None and item.owner_department_id is None


@rules.predicate
def is_submitter(user, item) -> bool:  # type: ignore[no-untyped-def]
    return item is not None and user.is_authenticated and item.submitted_by_id == user.pk


@rules.predicate
def escalated_to_user(user, item) -> bool:  # type: ignore[no-untyped-def]
    return item is not None and user.is_authenticated and item.escalations.filter(to_user=user).exists()


can_handle = is_owner | in_owner_department | is_administrator | (has_no_owner & is_triage) | escalated_to_user

rules.add_perm("intake.submit_advice", is_council_member | is_municipal_staff)
rules.add_perm("intake.enter_on_behalf", is_municipal_staff)
rules.add_perm("intake.view_queue", is_municipal_staff)
rules.add_perm("intake.view_item", is_municipal_staff | is_submitter)
rules.add_perm("intake.handle_item", can_handle)
rules.add_perm("intake.route_item", can_handle | is_triage)
rules.add_perm("intake.escalate_item", is_municipal_staff)
rules.add_perm("intake.view_contact", is_owner | in_owner_department | is_administrator | (has_no_owner & is_triage))
rules.add_perm("intake.manage_routing", is_administrator | has_role(Role.AREA_MANAGER, Role.MANAGEMENT))
rules.add_perm("intake.view_dashboard", is_municipal_staff | is_council)

"""Role predicates (django-rules). Apps combine these with object predicates of their own."""

from __future__ import annotations

import rules

from wijkwijs.accounts.roles import Role


def has_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def _pred(user) -> bool:  # type: ignore[no-untyped-def]
        return bool(getattr(user, "is_authenticated", False)) and (
            user.is_superuser or getattr(user, "role", None) in wanted
        )

    return _pred


@rules.predicate
def is_municipal_staff(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(user, "is_authenticated", False)) and user.is_municipal_staff


is_administrator = has_role(Role.ADMINISTRATOR)
is_area_manager = has_role(Role.AREA_MANAGER)
can_read_internal = is_municipal_staff | has_role(Role.COUNCIL)

rules.add_perm("accounts.view_internal", can_read_internal)

from __future__ import annotations

from wijkwijs.accounts.models import Department, User

#: The demo password of every demo account (demo mode only; see README).
DEMO_PASSWORD = "wijkwijs-demo"  # noqa: S105  (public demo credential, demo mode only)


def demo_accounts() -> list[User]:
    return list(User.objects.filter(username__startswith="demo-").order_by("role", "username"))


def department_by_slug(slug: str) -> Department | None:
    return Department.objects.filter(slug=slug).first()

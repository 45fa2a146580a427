"""Writes on accounts: demo users and departments."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from wijkwijs.accounts.models import Department, User
from wijkwijs.audit.services import record


@transaction.atomic
def department_ensure(*, slug: str, name: str, email: str = "", now: datetime) -> Department:
    dept, created = Department.objects.get_or_create(slug=slug, defaults={"name": name, "email": email})
    if created:
        record(actor=None, action="department.created", obj=dept, now=now)
    return dept


@transaction.atomic
def user_ensure(
    *,
    username: str,
    role: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    department: Department | None = None,
    now: datetime,
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        created = True
    else:
        created = False
    user.role = role
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.department = department
    user.is_staff = role == "administrator"
    user.is_superuser = role == "administrator"
    if created:
        user.set_password(password)
    user.save()
    record(actor=None, action="user.created" if created else "user.updated", obj=user, now=now,
           data={"role": role})
    return user

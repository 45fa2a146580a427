"""Shared fixtures. The Oss demo register (areas, boundaries, CBS figures, clusterings, demo
people) is loaded once per test database; each test runs in a transaction on top of it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from django.test import override_settings

    from wijkwijs.demo.services import demo_load

    # A fast hasher for the demo accounts' passwords: tests are not about hashing cost.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()
    with django_db_blocker.unblock():
        demo_load(now=NOW, activity=False)


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """Rate-limit counters and cached pages live in the (local-memory) cache: none leaks
    from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def user_with_role(db):  # type: ignore[no-untyped-def]
    """``user_with_role("coordinator")``: the demo user of that role."""
    from wijkwijs.accounts.models import User

    def get(role: str) -> User:
        return User.objects.filter(username__startswith="demo-", role=role).order_by("username").first()

    return get


@pytest.fixture
def client_as(client, user_with_role):  # type: ignore[no-untyped-def]
    """``client_as("coordinator")``: the test client logged in as the demo user of that role."""

    def login(role: str):  # type: ignore[no-untyped-def]
        client.force_login(user_with_role(role))
        return client

    return login

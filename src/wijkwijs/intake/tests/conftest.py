from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _intake_defaults(request):  # type: ignore[no-untyped-def]
    """The routing table and escalation ladder, for tests that use the database."""
    if "db" not in request.fixturenames and "django_db_setup" not in request.fixturenames:
        marker = request.node.get_closest_marker("django_db")
        if marker is None:
            return
    request.getfixturevalue("db")
    from wijkwijs.conftest import NOW
    from wijkwijs.intake.escalation import ladder_ensure_default
    from wijkwijs.intake.routing import routing_table_ensure_default

    routing_table_ensure_default(now=NOW)
    ladder_ensure_default(now=NOW)


@pytest.fixture(autouse=True)
def _immediate_settings(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.INTAKE_RATE_LIMIT = ""
    settings.INTAKE_DEFER_API_PROCESSING = False

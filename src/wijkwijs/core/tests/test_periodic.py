"""Periodic jobs: the registry and `wijkwijs periodic --once`."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from wijkwijs.conftest import NOW
from wijkwijs.core import periodic


def test_due_jobs_follow_their_interval(settings):
    names = {j.name for j in periodic.jobs()}
    assert {"intake.escalate_overdue", "intake.anonymise_expired_contacts"} <= names
    assert {j.name for j in periodic.due({}, NOW)} == names  # never run: all due
    last = dict.fromkeys(names, NOW)
    assert periodic.due(last, NOW + timedelta(minutes=4)) == []
    assert [j.name for j in periodic.due(last, NOW + timedelta(minutes=14))] == ["intake.refresh_throughput"]  # every 5 min
    settings.INTAKE_ESCALATION_EVERY_MINUTES = 15
    assert [j.name for j in periodic.due(last, NOW + timedelta(minutes=15))] == ["intake.escalate_overdue", "intake.refresh_throughput"]
    assert "intake.anonymise_expired_contacts" in {j.name for j in periodic.due(last, NOW + timedelta(days=1))}


@pytest.mark.django_db
def test_periodic_once_enqueues_every_job(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = StringIO()
    call_command("periodic", "--once", "--json", stdout=out)
    enqueued = {e["job"] for e in json.loads(out.getvalue())["enqueued"]}
    assert enqueued == {j.name for j in periodic.jobs()}

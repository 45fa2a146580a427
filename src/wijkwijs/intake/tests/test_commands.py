"""Commands: intake_escalate --json and intake_train_classifier (held-out accuracy)."""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from wijkwijs.intake.models import Escalation
from wijkwijs.intake.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_escalate_command_prints_json_and_is_idempotent():
    item = ItemFactory(now=datetime(2025, 1, 6, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))  # long overdue
    out = StringIO()
    call_command("intake_escalate", "--json", stdout=out)
    first = json.loads(out.getvalue())
    assert first["escalated"] >= 4 and set(first) >= {"escalated", "items", "anonymised"}
    assert Escalation.objects.filter(item=item).count() == 4
    out = StringIO()
    call_command("intake_escalate", "--json", stdout=out)
    assert json.loads(out.getvalue())["escalated"] == 0


def test_train_classifier_reports_held_out_accuracy(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("intake_train_classifier", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["heldOut"] >= 150 and report["classes"] >= 40
    assert report["top1Accuracy"] >= 0.6, report  # measured 0.7-0.8 on the shipped set
    assert report["mainCategoryAccuracy"] >= report["top1Accuracy"]
    assert (tmp_path / "intake" / "classifier.joblib").exists()

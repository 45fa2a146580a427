from datetime import timedelta

import pytest

from wijkwijs.areas.models import Area
from wijkwijs.core.errors import DomainError
from wijkwijs.monitoring.models import Impression
from wijkwijs.monitoring.services import impression_add

pytestmark = pytest.mark.django_db


def test_impressions_are_internal_and_staff_can_add_them(client, client_as):
    assert "Verzetsheldenbuurt komen" not in client.get("/gebieden/WK082801").content.decode()
    html = client_as("council").get("/gebieden/WK082801").content.decode()
    assert "Verzetsheldenbuurt komen" in html and "Indruk toevoegen" not in html
    assert client_as("resident").get("/gebieden/WK082801/indruk-toevoegen").status_code == 403
    c = client_as("coordinator")
    assert "Indruk toevoegen" in c.get("/gebieden/WK082801").content.decode()
    r = c.post("/gebieden/WK082801/indruk-toevoegen", {"theme": "veiligheid", "observed_on": "2026-10-01", "text": "Donkere hoek bij het fietspad."})
    assert r.status_code == 302
    assert Impression.objects.filter(area__code="WK082801", theme="veiligheid").exists()


def test_bad_input_redisplays_with_messages_and_keeps_the_text(client_as):
    r = client_as("coordinator").post("/gebieden/WK082801/indruk-toevoegen", {"theme": "veiligheid", "observed_on": "gisteren", "text": "Mijn tekst"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Mijn tekst" in html and "utrecht-form-field-error-message" in html


def test_no_impressions_from_the_future(now):
    with pytest.raises(DomainError):
        impression_add(area=Area.objects.get(code="WK082801"), theme="wonen", text="x",
                       observed_on=(now + timedelta(days=2)).date(), actor=None, now=now)

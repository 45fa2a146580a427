import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEMO_MODE=True)
def test_demo_accounts_are_listed_in_demo_mode_only(client):
    html = client.get("/inloggen").content.decode()
    assert "demo-coordinator" in html and "wijkwijs-demo" in html
    with override_settings(DEMO_MODE=False):
        html = client.get("/inloggen").content.decode()
    assert "demo-coordinator" not in html and "wijkwijs-demo" not in html


def test_login_with_a_demo_account_and_see_the_profile(client):
    r = client.post("/inloggen", {"username": "demo-coordinator", "password": "wijkwijs-demo"})
    assert r.status_code == 302
    html = client.get("/account").content.decode()
    assert "Carla" in html


def test_wrong_password_shows_an_error_and_keeps_the_user_name(client):
    r = client.post("/inloggen", {"username": "demo-coordinator", "password": "fout"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'value="demo-coordinator"' in html and 'role="alert"' in html


def test_profile_requires_login(client):
    assert client.get("/account").status_code == 302

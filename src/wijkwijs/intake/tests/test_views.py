"""Pages: the public form and status page, advice, queues, the item page and its actions."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wijkwijs.audit.models import AuditEvent
from wijkwijs.intake.models import Item, State
from wijkwijs.intake.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_resident_submits_anonymously_and_follows_the_status(client):
    r = client.get("/melden")
    assert r.status_code == 200 and "ww-map--picker" in r.content.decode() and "map-picker.js" in r.content.decode()
    png = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, content_type="image/png")
    r = client.post("/melden", {"kind": "signal", "description": "Grote kuil in het fietspad bij de school",
                                "lon": "5.5334", "lat": "51.7775", "photo": png}, follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    code = re.search(r"M-[0-9A-Z]{4}-[0-9A-Z]{4}", html).group(0)
    item = Item.objects.get(tracking_code=code)
    assert item.attachments.count() == 1 and item.buurt is not None
    assert "Grote kuil" not in html  # the public page shows no description
    assert 'id="history"' in html


def test_form_errors_keep_the_input(client):
    r = client.post("/melden", {"kind": "signal", "description": "Er ligt glas op straat", "email": "geen-mail"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Er ligt glas op straat" in html
    assert "utrecht-form-field--invalid" in html and 'id="error-summary"' in html
    bad = SimpleUploadedFile("foto.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    r = client.post("/melden", {"kind": "signal", "description": "x", "location_text": "hier", "photo": bad})
    assert r.status_code == 422


def test_status_page_shows_no_personal_data(client):
    item = ItemFactory(with_contact=True)
    html = client.get(f"/melden/status/{item.tracking_code}").content.decode()
    assert "Jan Jansen" not in html and "jan@example.org" not in html
    assert client.get("/melden/status/M-0000-0000").status_code == 404


ROLES = ["resident", "council_member", "coordinator", "area_manager", "department_staff", "department_head",
         "management", "alderman", "council", "administrator"]
STAFF = {"coordinator", "area_manager", "department_staff", "department_head", "management", "alderman", "administrator"}


@pytest.mark.parametrize("role", ROLES)
def test_item_pages_and_contact_data_per_role(client_as, role):
    item = ItemFactory(with_contact=True)  # owned by Openbare Ruimte
    c = client_as(role)
    r = c.get(f"/werkvoorraad/{item.pk}")
    assert r.status_code == (200 if role in STAFF else 403)
    assert c.get("/werkvoorraad").status_code == (200 if role in STAFF else 403)
    html = r.content.decode()
    sees_contact = "jan@example.org" in html
    assert sees_contact == (role in {"department_staff", "department_head", "administrator"})
    looks = AuditEvent.objects.filter(action="intake.contact_viewed", object_id=str(item.pk)).count()
    assert looks == (1 if sees_contact else 0)  # every look at contact data is audited
    assert c.get("/doorlooptijden").status_code == (200 if role in STAFF | {"council"} else 403)


def test_anonymous_cannot_see_staff_pages(client):
    item = ItemFactory()
    assert client.get(f"/werkvoorraad/{item.pk}").status_code in (302, 403)
    assert client.get("/werkvoorraad").status_code in (302, 403)
    assert client.get("/doorlooptijden/openbaar").status_code == 200


def test_council_member_sees_only_own_items_and_submits_advice(client_as):
    other = ItemFactory()
    c = client_as("council_member")
    assert c.get(f"/werkvoorraad/{other.pk}").status_code == 403
    r = c.post("/melden/advies", {"council_name": "Wijkraad Schadewijk", "advice_type": "unasked", "subject": "Verkeer",
                                  "description": "De oversteek bij de school is onveilig.", "category": ""}, follow=True)
    assert r.status_code == 200
    item = Item.objects.filter(kind="advice").latest("pk")
    assert item.council_name == "Wijkraad Schadewijk" and item.advice_type == "unasked"
    assert client_as("resident").get("/melden/advies").status_code == 403


def test_staff_actions_on_the_item_page(client_as, user_with_role):
    item = ItemFactory(with_contact=True)
    c = client_as("department_staff")
    assert c.post(f"/werkvoorraad/{item.pk}/take").status_code == 302
    r = c.post(f"/werkvoorraad/{item.pk}/reject", {"reject-text": "  "})
    assert r.status_code == 422 and "utrecht-form-field--invalid" in r.content.decode()
    r = c.post(f"/werkvoorraad/{item.pk}/ask", {"ask-text": "Welke paal?"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.state == State.WAITING
    r = c.post(f"/werkvoorraad/{item.pk}/reopen", {"reopen-text": "waarom"})
    assert r.status_code == 422  # not allowed from waiting: shown, not a 500
    assert c.post(f"/werkvoorraad/{item.pk}/answer", {"answer-text": "Gerepareerd"}).status_code == 302
    item.refresh_from_db()
    assert item.state == State.ANSWERED
    # someone of another department may not handle it
    assert client_as("coordinator").post(f"/werkvoorraad/{item.pk}/reopen", {"reopen-text": "x"}).status_code == 403


def test_reply_link_of_the_submitter(client, user_with_role):
    staff = user_with_role("department_staff")
    from wijkwijs.conftest import NOW
    from wijkwijs.intake import services

    item = ItemFactory(with_contact=True, taken_by=staff)
    services.item_ask_submitter(item=item, question="Welke paal?", actor=staff, now=NOW)
    assert client.get(f"/melden/status/{item.tracking_code}/reageren/wrong").status_code == 404
    r = client.post(f"/melden/status/{item.tracking_code}/reageren/{item.reply_token}", {"text": "Bij nummer 12"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.state == State.IN_PROGRESS


def test_queues_filters_and_escalated_page(client_as):
    ItemFactory()
    ItemFactory(unowned=True)
    c = client_as("department_staff")
    html = c.get("/werkvoorraad?scope=department&kind=signal").content.decode()
    assert "werkvoorraad/" in html
    assert c.get("/werkvoorraad?scope=no_owner&overdue=1").status_code == 200
    assert c.get("/werkvoorraad?scope=area&area=WK082801&category=afval").status_code == 200
    assert c.get("/werkvoorraad/geescaleerd").status_code == 200
    assert c.get("/werkvoorraad/invoeren").status_code == 200


def test_staff_enters_an_item_on_behalf(client_as):
    c = client_as("coordinator")
    r = c.post("/werkvoorraad/invoeren", {"kind": "question", "description": "Wanneer komt de veegwagen?", "category": "",
                                         "name": "Mevrouw de Vries", "phone": "0412-123456", "location_text": ""})
    assert r.status_code == 302, r.content.decode()[:3000]
    item = Item.objects.latest("pk")
    assert item.channel == "staff" and item.contact.phone == "0412-123456"


def test_routing_page_publishes_a_new_version(client_as):
    c = client_as("administrator")
    html = c.get("/werkvoorraad/routering").content.decode()
    assert "rules-TOTAL_FORMS" in html
    data = {"rules-TOTAL_FORMS": "1", "rules-INITIAL_FORMS": "0", "rules-0-priority": "5", "rules-0-category": "afval",
            "rules-0-kind": "", "rules-0-area": "", "rules-0-department": "openbare-ruimte", "note": "alleen afval"}
    assert c.post("/werkvoorraad/routering", data).status_code == 302
    assert client_as("department_staff").post("/werkvoorraad/routering", data).status_code == 403


def test_dashboard_and_csv_without_personal_data(client_as, client):
    ItemFactory(with_contact=True)
    html = client_as("council").get("/doorlooptijden?group=area").content.decode()
    assert "<svg" in html and 'id="throughput"' in html
    csv = client.get("/doorlooptijden.csv?group=department").content.decode()
    assert csv.startswith("department,received") and "jan@example.org" not in csv
    assert "Jan" not in client.get("/doorlooptijden/openbaar?group=kind").content.decode()


def test_forms_need_the_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    before = Item.objects.count()
    r = strict.post("/melden", {"kind": "signal", "description": "Kapotte bank", "location_text": "bij de kerk"})
    assert r.status_code == 403 and Item.objects.count() == before
    page = strict.get("/melden")
    token = page.cookies["csrftoken"].value
    r = strict.post("/melden", {"kind": "signal", "description": "Kapotte bank", "location_text": "bij de kerk",
                                "csrfmiddlewaretoken": token})
    assert r.status_code == 302 and Item.objects.count() == before + 1


def test_items_cannot_be_deleted_in_the_admin(client):
    from wijkwijs.accounts.models import User

    item = ItemFactory()
    admin_user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("root-test", password="x")
    client.force_login(admin_user)
    assert client.get(f"/beheer/intake/item/{item.pk}/delete/").status_code == 403
    changelist = client.get("/beheer/intake/item/").content.decode()
    assert "delete_selected" not in changelist
    assert type(item).objects.filter(pk=item.pk).exists()

"""E-mail to the submitter at each public step: a Notification row, sent after commit by a task.

Bodies carry no personal data (no name, no e-mail address): the address is read from the
contact when the task sends, so an anonymised contact is never mailed.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wijkwijs.intake.models import Item, Message, Notification, State, SubmitterContact


def _base_url() -> str:
    return str(getattr(settings, "INTAKE_PUBLIC_URL", "")).rstrip("/")


def _compose(item: Item, event: str) -> tuple[str, str]:
    status_url = _base_url() + reverse("intake:status", args=[item.tracking_code])
    subject = _("Your report %(code)s: %(status)s") % {"code": item.tracking_code, "status": State(item.state).label}
    lines = [_("Hello,"), ""]
    if event == "received":
        lines.append(_("We have received your report. Your tracking code is %(code)s.") % {"code": item.tracking_code})
    else:
        lines.append(_("The status of your report %(code)s is now: %(status)s.") % {"code": item.tracking_code, "status": State(item.state).label})
    if event in ("answer", "reject", "ask_submitter"):
        last = Message.objects.filter(item=item, public=True).order_by("-at", "-id").first()
        if last is not None:
            lines += ["", last.text]
    if event == "ask_submitter":
        reply_url = _base_url() + reverse("intake:reply", args=[item.tracking_code, item.reply_token])
        lines += ["", _("You can reply here: %(url)s") % {"url": reply_url}]
    lines += ["", _("Follow your report: %(url)s") % {"url": status_url}, "", _("Municipality of %(m)s") % {"m": settings.MUNICIPALITY_NAME}]
    return subject, "\n".join(lines)


def queue(item: Item, *, now: datetime, event: str, contact: SubmitterContact | None = None) -> Notification | None:
    """Store a notification for the submitter and send it after commit (if they left an e-mail)."""
    contact = contact or SubmitterContact.objects.filter(item=item).first()
    if contact is None or not contact.email or not contact.wants_updates or contact.anonymised_at is not None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _compose(item, event)
    notification = Notification.objects.create(item=item, subject=subject[:200], body=body, created_at=now)
    from wijkwijs.intake.tasks import enqueue_on_commit, send_notification

    enqueue_on_commit(send_notification, notification.pk)
    return notification

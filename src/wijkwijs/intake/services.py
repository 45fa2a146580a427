"""Writes on the intake: submit, route, take, ask, answer, reject, close, reopen, escalate.

Every service takes ``actor`` and ``now``, runs in one transaction, appends history rows and an
audit event, and queues the e-mail to the submitter after commit. Escalation and retention
services live in :mod:`wijkwijs.intake.escalation` and are re-exported here.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from wijkwijs.accounts.models import Department
from wijkwijs.areas.selectors import area_lookup
from wijkwijs.audit.services import record
from wijkwijs.core.bulk import insert_one, insert_unreturned, pipelined
from wijkwijs.core.errors import DomainError, Problem
from wijkwijs.intake import clock, notify, rollup, routing, suggest, taxonomy, uploads, workflow
from wijkwijs.intake.escalation import contacts_anonymise_expired, item_escalate, items_escalate_overdue  # noqa: F401
from wijkwijs.intake.models import (
    AdviceType,
    Attachment,
    Channel,
    Item,
    Kind,
    Message,
    MessageKind,
    Routing,
    State,
    StatusChange,
    SubmitterContact,
)

_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def _tracking_code() -> str:
    """A random code of 40 bits (32^8): not guessable in practice; the unique constraint guards the rest."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"M-{raw[:4]}-{raw[4:]}"


def _label(actor: Any, fallback: str) -> str:
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return fallback


def _validate_submission(
    *, kind: str, description: str, category: str, advice_type: str, lon: float | None, lat: float | None,
    location_text: str, uploads_: Sequence[Upload],
) -> list[Problem]:
    problems: list[Problem] = []
    if kind not in Kind.values:
        problems.append(Problem(field="kind", reason=_("Choose a kind: signal, initiative, advice or question.")))
    if not description.strip():
        problems.append(Problem(field="description", reason=_("Describe what it is about.")))
    elif len(description) > MAX_DESCRIPTION:
        problems.append(Problem(field="description", reason=_("The description is longer than %(n)s characters.") % {"n": MAX_DESCRIPTION}))
    if category:
        try:
            allowed = taxonomy.kinds_for(category)
        except KeyError:
            problems.append(Problem(field="category", reason=_("Unknown category.")))
        else:
            if kind in Kind.values and taxonomy.Kind(kind) not in allowed:
                problems.append(Problem(field="category", reason=_("This category does not take this kind of item.")))
    if kind == Kind.ADVICE and advice_type not in (AdviceType.ASKED, AdviceType.UNASKED):
        problems.append(Problem(field="advice_type", reason=_("Say whether the advice was asked for or not.")))
    if kind != Kind.ADVICE and advice_type:
        problems.append(Problem(field="advice_type", reason=_("Only advice is asked or unasked.")))
    if (lon is None) != (lat is None):
        problems.append(Problem(field="location", reason=_("Give both longitude and latitude.")))
    elif lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        problems.append(Problem(field="location", reason=_("The coordinates are not valid.")))
    if kind == Kind.SIGNAL and lon is None and not location_text.strip():
        problems.append(Problem(field="location", reason=_("Pick the place on the map or describe where it is.")))
    if len(location_text) > 300:
        problems.append(Problem(field="location_text", reason=_("The location description is too long.")))
    limit = uploads.max_upload_bytes()
    for upload in uploads_:
        if len(upload.data) > limit:
            problems.append(Problem(field="photo", reason=_("%(name)s is larger than %(mb)s MB.") % {"name": upload.name, "mb": limit // (1024 * 1024)}))
        elif uploads.sniff(upload.data) is None:
            problems.append(Problem(field="photo", reason=_("%(name)s is not a JPEG, PNG or PDF file.") % {"name": upload.name}))
    return problems


@transaction.atomic
def item_submit(
    *,
    kind: str,
    description: str,
    actor: Any,
    now: datetime,
    category: str = "",
    subject: str = "",
    advice_type: str = "",
    lon: float | None = None,
    lat: float | None = None,
    location_text: str = "",
    name: str = "",
    email: str = "",
    phone: str = "",
    attachments: Sequence[Upload] = (),
    channel: str = Channel.WEB,
    submitted_by: Any = None,
    council_name: str = "",
    defer: bool = False,
) -> Item:
    """Receive an item, then process it (:func:`item_process`) now or, with ``defer``, in a task."""
    problems = _validate_submission(
        kind=kind, description=description, category=category, advice_type=advice_type, lon=lon, lat=lat,
        location_text=location_text, uploads_=attachments,
    )
    if problems:
        raise DomainError(_("The item was not received."), problems=problems)
    item = Item(
        tracking_code=_tracking_code(), kind=kind, advice_type=advice_type, subject=subject.strip()[:200],
        description=description.strip(), category=category, channel=channel, lon=lon, lat=lat,
        location_text=location_text.strip(), state=State.NEW,
        submitted_by=submitted_by if getattr(submitted_by, "is_authenticated", False) else None,
        council_name=council_name[:200], received_at=now, clock_start=now, updated_at=now,
        reply_token=secrets.token_urlsafe(24),
    )
    if defer:  # provisional deadlines from the taxonomy; processing sets the real ones and the ladder
        item._norm_cache = ((kind, category), clock.taxonomy_norm(kind, category))  # type: ignore[attr-defined]
    clock.recompute_deadlines(item, now=now)
    if not defer:
        clock.reschedule(item)
    insert_one(item)  # item.save() with the INSERT prepared once (Item has no save() override or signals)
    rollup.item_touched(item)
    # the rows that come with the item go to PostgreSQL in one flight (no answers to wait for
    # until the audit event's); the task row too when the backend is the database
    with pipelined():
        insert_unreturned(StatusChange(item_id=item.pk, from_state="", to_state=State.NEW, action="submit", at=now,
                                       actor=item.submitted_by, actor_label=_label(actor, "melder")))
        if name.strip() or email.strip() or phone.strip():
            insert_unreturned(SubmitterContact(item_id=item.pk, name=name.strip()[:200], email=email.strip()[:254], phone=phone.strip()[:40]))
        for upload in attachments:
            content_type, ext = uploads.sniff(upload.data) or ("", "bin")
            attachment = Attachment(item=item, content_type=content_type, size=len(upload.data), at=now)
            attachment.file.save(f"{item.tracking_code}-{secrets.token_hex(4)}.{ext}", ContentFile(upload.data), save=False)
            attachment.save()
        if defer:
            from wijkwijs.intake.tasks import enqueue_on_commit, process_item

            enqueue_on_commit(process_item, item.pk)  # in this transaction with the database backend
        record(actor=actor, action="intake.item_submitted", obj=item, now=now, label=_label(actor, "melder"),
               data={"kind": kind, "channel": channel, "category": category})
    if defer:
        return item
    return item_process(item=item, now=now)


@transaction.atomic
def item_process(*, item: Item, now: datetime) -> Item:
    """Classify, locate, set the deadlines and route a received item; tell the submitter.

    Runs within :func:`item_submit`, or after it in a task (API and Open311, ``defer``). Safe to
    run twice: an item that was processed already is returned unchanged.
    """
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.processed_at is not None:
        return item
    suggestion = suggest.suggest(f"{item.subject} {item.description}")
    if suggestion is not None:
        item.suggested_category, item.suggested_confidence = suggestion.category, suggestion.confidence
        if not item.category and suggestion.confident:
            try:
                if taxonomy.Kind(item.kind) in taxonomy.kinds_for(suggestion.category):
                    item.category = suggestion.category
            except KeyError:
                pass
    if item.lon is not None and item.lat is not None:
        areas = area_lookup(lon=item.lon, lat=item.lat)
        item.buurt, item.wijk = areas.get("BU"), areas.get("WK")
    item.processed_at = now
    clock.recompute_deadlines(item, now=now)
    clock.reschedule(item)
    item.save()
    rollup.item_touched(item)  # the wijk may have changed
    rule = routing.match(category=item.category, kind=item.kind, areas=[item.buurt, item.wijk]) if item.category else None
    if rule is not None:
        _route(item, department=rule.department, rule=rule, automatic=True, reason="", actor=None, now=now, notify_submitter=False)
    else:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("No rule in the routing table matches: no owner yet.")
        Routing.objects.create(item=item, department=None, automatic=True, at=now, reason=reason)
    notify.queue(item, now=now, event="received")
    return item


# -- state changes -------------------------------------------------------------------------


def _transition(
    item: Item, target: str, *, action_reason: str, actor: Any, now: datetime, public: bool = True, notify_submitter: bool = True
) -> StatusChange:
    try:
        transition = workflow.check_transition(item.state, target, action_reason)
    except workflow.TransitionError as exc:
        raise DomainError(
            _("This step is not possible from the status %(state)s.") % {"state": State(item.state).label},
            problems=[Problem(field="state", reason=str(exc))],
        ) from exc
    source = item.state
    if source == State.WAITING and item.paused_since is not None:
        item.pauses = [*item.pauses, [item.paused_since.isoformat(), now.isoformat()]]
        item.paused_since = None
    info = workflow.STATES[workflow.State(target)]
    if info.pauses_clock:
        item.paused_since = now
    if info.first_response and item.first_response_at is None:
        item.first_response_at = now
    item.done_at = (item.done_at or now) if info.open311 == "closed" else None
    item.state = target
    item.updated_at = now
    change = StatusChange.objects.create(
        item=item, from_state=source, to_state=target, action=transition.action, reason=action_reason.strip(),
        public=public and info.public, at=now, actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_label(actor, "systeem"),
    )
    clock.recompute_deadlines(item, now=now)
    clock.reschedule(item)
    item.save()
    rollup.item_touched(item)
    record(actor=actor, action=f"intake.{transition.action}", obj=item, now=now,
           data={"from": source, "to": target, "change": change.pk})
    if notify_submitter and change.public and workflow.is_public(target):
        notify.queue(item, now=now, event=transition.action)
    return change


def _route(
    item: Item, *, department: Department, rule: Any, automatic: bool, reason: str, actor: Any, now: datetime,
    notify_submitter: bool = True,
) -> None:
    Routing.objects.create(item=item, department=department, rule=rule, automatic=automatic, reason=reason.strip(), at=now,
                           actor=actor if getattr(actor, "is_authenticated", False) else None)
    item.owner_department = department
    item.owner = None
    item.routed_at = item.routed_at or now
    with translation.override(settings.LANGUAGE_CODE):
        action_reason = reason or (_("routing table rule %(p)s") % {"p": rule.priority} if rule is not None else "")
    _transition(item, State.ROUTED, action_reason=action_reason, actor=actor, now=now, notify_submitter=notify_submitter)


def _require_text(value: str, field: str, message: str) -> None:
    if not value or not value.strip():
        raise DomainError(message, problems=[Problem(field=field, reason=message)])


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def item_route(*, item: Item, department: Department, actor: Any, now: datetime, category: str = "", reason: str = "") -> Item:
    """Give an item from the no-owner queue an owner department (and, if needed, a category)."""
    item = _lock(item)
    if category:
        _set_category(item, category, actor=actor, now=now)
    _route(item, department=department, rule=None, automatic=False, reason=reason, actor=actor, now=now)
    return item


@transaction.atomic
def item_reroute(*, item: Item, department: Department, reason: str, actor: Any, now: datetime, category: str = "") -> Item:
    """Send an item to another department; the reason is required and shown in the history."""
    _require_text(reason, "reason", _("Give a reason for forwarding the item."))
    item = _lock(item)
    if item.owner_department_id == department.pk:
        raise DomainError(_("The item is already with this department."), problems=[Problem(field="department", reason=_("same department"))])
    if category:
        _set_category(item, category, actor=actor, now=now)
    _route(item, department=department, rule=None, automatic=False, reason=reason, actor=actor, now=now)
    return item


def _set_category(item: Item, category: str, *, actor: Any, now: datetime) -> None:
    try:
        allowed = taxonomy.kinds_for(category)
    except KeyError:
        raise DomainError(_("Unknown category."), problems=[Problem(field="category", reason=_("Unknown category."))]) from None
    if taxonomy.Kind(item.kind) not in allowed:
        raise DomainError(_("This category does not take this kind of item."),
                          problems=[Problem(field="category", reason=_("This category does not take this kind of item."))])
    if category != item.category:
        record(actor=actor, action="intake.category_set", obj=item, now=now, data={"from": item.category, "to": category})
        item.category = category


@transaction.atomic
def item_take(*, item: Item, actor: Any, now: datetime) -> Item:
    """The actor becomes the owner and starts work (first response)."""
    item = _lock(item)
    if item.owner_department_id is None:
        item.owner_department = getattr(actor, "department", None)
    item.owner = actor
    if item.state in (State.NEW, State.ROUTED, State.REOPENED):
        _transition(item, State.IN_PROGRESS, action_reason="", actor=actor, now=now)
    elif item.state in (State.IN_PROGRESS, State.WAITING):
        item.updated_at = now
        item.save(update_fields=["owner", "owner_department", "updated_at"])
        rollup.item_touched(item)  # the department may have changed
        record(actor=actor, action="intake.taken", obj=item, now=now)
    else:
        raise DomainError(_("A handled item cannot be taken; reopen it first."))
    return item


def _message(item: Item, kind: str, text: str, *, actor: Any, now: datetime, public: bool = True) -> Message:
    """A message on the item by a staff member (or the system when ``actor`` is not a logged-in user)."""
    return Message.objects.create(item=item, kind=kind, text=text.strip(), public=public, at=now,
                                  actor=actor if getattr(actor, "is_authenticated", False) else None)


@transaction.atomic
def item_ask_submitter(*, item: Item, question: str, actor: Any, now: datetime) -> Item:
    """Ask the submitter something; the clock stops until they reply."""
    _require_text(question, "question", _("Write the question to the submitter."))
    item = _lock(item)
    _message(item, MessageKind.QUESTION, question, actor=actor, now=now)
    _transition(item, State.WAITING, action_reason=question, actor=actor, now=now)
    return item


@transaction.atomic
def item_submitter_reply(*, item: Item, text: str, actor: Any, now: datetime) -> Item:
    """The submitter's reply to a question: the clock runs again."""
    _require_text(text, "text", _("Write your reply."))
    item = _lock(item)
    if item.state != State.WAITING:
        raise DomainError(_("No question is waiting for a reply."))
    Message.objects.create(item=item, kind=MessageKind.REPLY, text=text.strip()[:MAX_DESCRIPTION], public=False, at=now)
    _transition(item, State.IN_PROGRESS, action_reason="", actor=actor, now=now)
    return item


@transaction.atomic
def item_answer(*, item: Item, text: str, actor: Any, now: datetime) -> Item:
    """Answer or resolve the item; the answer is shown to the submitter."""
    _require_text(text, "text", _("Write the answer."))
    item = _lock(item)
    _message(item, MessageKind.ANSWER, text, actor=actor, now=now)
    _transition(item, State.ANSWERED, action_reason=text, actor=actor, now=now)
    return item


@transaction.atomic
def item_reject(*, item: Item, motivation: str, actor: Any, now: datetime) -> Item:
    """Reject the item; a motivation is required and shown to the submitter."""
    _require_text(motivation, "motivation", _("A rejection needs a motivation."))
    item = _lock(item)
    _message(item, MessageKind.MOTIVATION, motivation, actor=actor, now=now)
    _transition(item, State.REJECTED, action_reason=motivation, actor=actor, now=now)
    return item


@transaction.atomic
def item_close(*, item: Item, actor: Any, now: datetime, reason: str = "") -> Item:
    item = _lock(item)
    _transition(item, State.CLOSED, action_reason=reason, actor=actor, now=now)
    return item


@transaction.atomic
def item_reopen(*, item: Item, reason: str, actor: Any, now: datetime) -> Item:
    """Reopen a handled item: the resolution clock starts again, and the escalation ladder too."""
    _require_text(reason, "reason", _("Give a reason for reopening."))
    item = _lock(item)
    item.clock_start = now
    item.pauses = []
    item.escalation_cycle += 1
    item.escalation_level = 0
    item.escalation_kind = ""
    _transition(item, State.REOPENED, action_reason=reason, actor=actor, now=now)
    return item


@transaction.atomic
def item_note(*, item: Item, text: str, actor: Any, now: datetime) -> Message:
    """An internal note (never shown to the submitter)."""
    _require_text(text, "text", _("Write the note."))
    message = _message(item, MessageKind.NOTE, text, actor=actor, now=now, public=False)
    record(actor=actor, action="intake.note", obj=item, now=now, data={"message": message.pk})
    return message


@transaction.atomic
def contact_view(*, item: Item, actor: Any, now: datetime) -> SubmitterContact | None:
    """The submitter's contact data for someone allowed to see it; every look is an audit event."""
    contact = SubmitterContact.objects.filter(item=item).first()
    if contact is not None and (contact.name or contact.email):
        record(actor=actor, action="intake.contact_viewed", now=now, obj=item, label=item.tracking_code)
    return contact

"""S: intake of signals, initiatives, advice and questions.

History is append-only: every status change, routing, escalation and message is a new row.
Personal data of the submitter lives in :class:`SubmitterContact`, apart from the item.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwijs.intake import taxonomy, workflow

#: States in which the clock runs and deadlines can pass (open, not waiting for the submitter).
RUNNING_STATES = [s.value for s in workflow.State if workflow.STATES[s].open311 == "open" and not workflow.STATES[s].pauses_clock]
OPEN_STATES = [s.value for s in workflow.State if workflow.STATES[s].open311 == "open"]


class Kind(models.TextChoices):
    SIGNAL = taxonomy.Kind.SIGNAL.value, _("Signal")
    INITIATIVE = taxonomy.Kind.INITIATIVE.value, _("Initiative")
    ADVICE = taxonomy.Kind.ADVICE.value, _("Advice")
    QUESTION = taxonomy.Kind.QUESTION.value, _("Question")


class AdviceType(models.TextChoices):
    NONE = "", _("Not applicable")
    ASKED = "asked", _("Asked advice")
    UNASKED = "unasked", _("Unasked advice")


class State(models.TextChoices):
    NEW = "new", _("Reported")
    ROUTED = "routed", _("Forwarded")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the submitter")
    ANSWERED = "answered", _("Handled")
    REJECTED = "rejected", _("Rejected")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    STAFF = "staff", _("Entered by staff")
    COUNCIL = "council", _("Wijkraad or dorpsraad")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")


class DeadlineKind(models.TextChoices):
    TRIAGE = "triage", _("Routing (no owner)")
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


def category_choices() -> list[tuple[str, str]]:
    return [(sub.slug, f"{main.name_nl}: {sub.name_nl}") for main, sub in taxonomy.subcategories()]


class Item(models.Model):
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    advice_type = models.CharField(_("advice"), max_length=10, choices=AdviceType.choices, blank=True, default="")
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=60, blank=True, choices=category_choices)
    suggested_category = models.CharField(_("suggested category"), max_length=60, blank=True)
    suggested_confidence = models.FloatField(_("confidence of the suggestion"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    location_text = models.CharField(_("location description"), max_length=300, blank=True)
    buurt = models.ForeignKey("areas.Area", verbose_name=_("buurt"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    wijk = models.ForeignKey("areas.Area", verbose_name=_("wijk"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.NEW)
    owner_department = models.ForeignKey(
        "accounts.Department", verbose_name=_("owner department"), null=True, blank=True, on_delete=models.PROTECT, related_name="intake_items"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT, related_name="intake_owned"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by (account)"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="intake_submitted",
    )
    council_name = models.CharField(_("wijkraad or dorpsraad"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received"))
    #: Start of the clock: the receipt, or the last reopening.
    clock_start = models.DateTimeField()
    triage_due = models.DateTimeField(_("routing due"), null=True, blank=True)
    first_response_due = models.DateTimeField(_("first response due"))
    resolution_due = models.DateTimeField(_("resolution due"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    done_at = models.DateTimeField(_("handled"), null=True, blank=True)
    paused_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    #: Closed pauses [[start, end], ...] as ISO strings (derived from the history, kept for the clock).
    pauses = models.JSONField(default=list, blank=True)
    escalation_cycle = models.PositiveIntegerField(default=0)
    escalation_level = models.PositiveIntegerField(_("escalation level"), default=0)
    escalation_kind = models.CharField(max_length=20, blank=True)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    reply_token = models.CharField(max_length=40, blank=True)
    #: When classification, area look-up and routing ran (None: still queued).
    processed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        indexes = [
            models.Index(fields=["next_escalation_at"], name="intake_item_next_esc", condition=Q(next_escalation_at__isnull=False)),
            models.Index(fields=["received_at"], name="intake_item_received"),
            models.Index(fields=["owner_department", "state"], name="intake_item_dept_state"),
            models.Index(fields=["state", "resolution_due"], name="intake_item_state_due"),
            # the "now" figures of the throughput dashboard: open items by receipt (a small part of all items)
            models.Index(fields=["received_at"], name="intake_item_open_received", condition=Q(state__in=OPEN_STATES)),
        ]
        constraints = [
            models.CheckConstraint(condition=(Q(lon__isnull=True) & Q(lat__isnull=True)) | (Q(lon__isnull=False) & Q(lat__isnull=False)), name="intake_item_lonlat_both"),
            models.CheckConstraint(condition=Q(kind="advice") | Q(advice_type=""), name="intake_item_advice_type_only_advice"),
            models.CheckConstraint(condition=Q(resolution_due__gte=models.F("first_response_due")), name="intake_item_due_order"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def category_label(self) -> str:
        if not self.category:
            return ""
        try:
            return taxonomy.get_subcategory(self.category).name_nl
        except KeyError:
            return self.category

    @property
    def open311_status(self) -> str:
        return workflow.open311_status(self.state)

    @property
    def current_deadline(self) -> tuple[str, object]:
        if self.owner_department_id is None and self.state == State.NEW:
            return DeadlineKind.TRIAGE, self.triage_due
        if self.first_response_at is None:
            return DeadlineKind.FIRST_RESPONSE, self.first_response_due
        return DeadlineKind.RESOLUTION, self.resolution_due

    def is_overdue(self, now) -> bool:  # type: ignore[no-untyped-def]
        if self.state not in RUNNING_STATES:
            return False
        due = self.current_deadline[1]
        return due is not None and due < now


class StatusChange(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="status_changes")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    action = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


class RoutingVersion(models.Model):
    """One version of the routing table. A draft can be edited; activating it freezes it."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("routing table version")
        verbose_name_plural = _("routing table versions")
        constraints = [models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="intake_one_active_routing")]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.activated_at is None


class RoutingRule(models.Model):
    version = models.ForeignKey(RoutingVersion, on_delete=models.CASCADE, related_name="rules")
    priority = models.PositiveIntegerField(_("priority"), help_text=_("Lower numbers are tried first; the first match wins."))
    category = models.CharField(_("category"), max_length=60, blank=True, help_text=_("Subcategory or main category; empty: any."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Department", verbose_name=_("owner department"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["version", "priority", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.priority}: {self.category or '*'} / {self.kind or '*'} / {self.area or '*'} -> {self.department}"


class Routing(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="routings")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    automatic = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]


class EscalationTarget(models.TextChoices):
    OWNER = "owner", _("Owner")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    AREA_MANAGER = "area_manager", _("Area manager or management")
    ALDERMAN = "alderman", _("Alderman of the area")


class EscalationStep(models.Model):
    """A rung of the escalation ladder: ``delay_days`` working days after the deadline."""

    position = models.PositiveIntegerField(_("position"), unique=True)
    target = models.CharField(_("escalate to"), max_length=20, choices=EscalationTarget.choices)
    delay_days = models.PositiveIntegerField(_("working days after the deadline"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation ladder")

    def __str__(self) -> str:
        return f"{self.position}. {self.get_target_display()} (+{self.delay_days})"


class Escalation(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="escalations")
    manual = models.BooleanField(default=False)
    deadline_kind = models.CharField(max_length=20, choices=DeadlineKind.choices, blank=True)
    cycle = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    target = models.CharField(max_length=20, choices=EscalationTarget.choices)
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="intake_escalations")
    to_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "cycle", "deadline_kind", "position"], condition=Q(manual=False), name="intake_escalation_once"
            ),
        ]
        indexes = [models.Index(fields=["to_user", "at"], name="intake_esc_user")]


class MessageKind(models.TextChoices):
    QUESTION = "question", _("Question to the submitter")
    REPLY = "reply", _("Reply of the submitter")
    ANSWER = "answer", _("Answer")
    MOTIVATION = "motivation", _("Motivation of a rejection")
    NOTE = "note", _("Internal note")


class Message(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    text = models.TextField()
    public = models.BooleanField(default=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]


class Attachment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="intake/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class SubmitterContact(models.Model):
    """Personal data of the submitter, apart from the item; removed after the retention period."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    wants_updates = models.BooleanField(default=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("submitter contact")
        verbose_name_plural = _("submitter contacts")


class Notification(models.Model):
    """An e-mail to the submitter; the task sends it once (``sent_at``)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.CharField(max_length=100, blank=True)


class NormOverride(models.Model):
    """A municipality's own norm for a kind (and optionally a category), in working days."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=60, blank=True, choices=category_choices)
    first_response_days = models.PositiveIntegerField(_("first response (working days)"))
    resolution_days = models.PositiveIntegerField(_("resolution (working days)"))

    class Meta:
        verbose_name = _("norm")
        verbose_name_plural = _("norms")
        constraints = [
            models.UniqueConstraint(fields=["kind", "category"], name="intake_norm_unique"),
            models.CheckConstraint(condition=Q(resolution_days__gte=models.F("first_response_days")), name="intake_norm_order"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.category or '*'}: {self.first_response_days}/{self.resolution_days}"


class ApiKey(models.Model):
    """A key for Open311 POST; only its SHA-256 hash is stored."""

    name = models.CharField(_("name"), max_length=200)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# the throughput roll-up tables live in their own module (derived data, rebuilt from the items)
from wijkwijs.intake.models_throughput import (  # noqa: E402, F401
    ThroughputDirty,
    ThroughputPeriod,
    ThroughputRow,
    ThroughputState,
)

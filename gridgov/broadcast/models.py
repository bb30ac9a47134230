"""Broadcast terminals (the loudspeakers and stations) and the messages sent to them.

A message names its target as a set of region codes; the terminals it reaches are resolved from
the tree when it goes out. The message itself is scoped to the smallest region that holds its
whole target (`region_code`), so it is seen where it is sent.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.broadcast.states import State
from gridgov.core.models import RegionScoped


class TerminalKind(models.TextChoices):
    LOUDSPEAKER = "loudspeaker", _("Village loudspeaker")
    TOWN_STATION = "town_station", _("Town station")
    COUNTY_STATION = "county_station", _("County station")


class TerminalStatus(models.TextChoices):
    ONLINE = "online", _("Online")
    # No heartbeat within the terminal's interval (and a grace period).
    OFFLINE = "offline", _("Offline")
    # The terminal says it cannot play (amplifier, speaker), or an operator marked it so.
    FAULTY = "faulty", _("Faulty")


class Terminal(RegionScoped):
    """A broadcast terminal placed at a region (and, in a village, at one of its groups)."""

    code = models.CharField(_("terminal code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=TerminalKind.choices)
    # 村民小组: the village group the loudspeaker serves, as the village calls it.
    group_name = models.CharField(_("group"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    # The terminal's Ed25519 public key (raw, base64), for its heartbeats and acknowledgements.
    public_key = models.CharField(_("public key"), max_length=64, blank=True)
    heartbeat_interval_seconds = models.PositiveIntegerField(_("heartbeat interval"), default=60)
    last_heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=TerminalStatus.choices, default=TerminalStatus.OFFLINE
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("broadcast terminal")
        verbose_name_plural = _("broadcast terminals")
        ordering = ["region_code", "code"]
        indexes = [
            models.Index(fields=["county_code", "region_code"], name="terminal_county"),
            models.Index(fields=["town_code", "region_code"], name="terminal_town"),
            models.Index(fields=["village_code", "region_code"], name="terminal_village"),
            models.Index(fields=["grid_code", "region_code"], name="terminal_grid"),
            models.Index(fields=["status", "last_heartbeat_at"], name="terminal_status"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MessageKind(models.TextChoices):
    FLOOD = "flood", _("Flood")
    FIRE = "fire", _("Fire")
    EARTHQUAKE = "earthquake", _("Earthquake")
    EPIDEMIC = "epidemic", _("Epidemic")
    PUBLIC_SECURITY = "public_security", _("Public security")
    NOTICE = "notice", _("Notice")
    POLICY = "policy", _("Policy")


EMERGENCY_KINDS = frozenset(
    {
        MessageKind.FLOOD,
        MessageKind.FIRE,
        MessageKind.EARTHQUAKE,
        MessageKind.EPIDEMIC,
        MessageKind.PUBLIC_SECURITY,
    }
)


# The three CAP 1.2 scales, stored as CAP writes them.
class Severity(models.TextChoices):
    EXTREME = "Extreme", _("Extreme")
    SEVERE = "Severe", _("Severe")
    MODERATE = "Moderate", _("Moderate")
    MINOR = "Minor", _("Minor")
    UNKNOWN = "Unknown", _("Unknown")


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("Immediate")
    EXPECTED = "Expected", _("Expected")
    FUTURE = "Future", _("Future")
    PAST = "Past", _("Past")
    UNKNOWN = "Unknown", _("Unknown")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", _("Observed")
    LIKELY = "Likely", _("Likely")
    POSSIBLE = "Possible", _("Possible")
    UNLIKELY = "Unlikely", _("Unlikely")
    UNKNOWN = "Unknown", _("Unknown")


class AudioSource(models.TextChoices):
    UPLOAD = "upload", _("Uploaded recording")
    SPEECH = "speech", _("Speech made from the text")


STATE_LABELS = {
    State.DRAFT: _("Draft"),
    State.SUBMITTED: _("Submitted"),
    State.APPROVED: _("Approved"),
    State.DISPATCHED: _("Dispatched"),
    State.COMPLETED: _("Completed"),
    State.REJECTED: _("Rejected"),
    State.CANCELLED: _("Cancelled"),
}


class Broadcast(RegionScoped):
    """One message to the loudspeakers of a set of regions, approved by a second person."""

    # The CAP identifier: unique in time and space, never reused.
    identifier = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=16, choices=MessageKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    certainty = models.CharField(_("certainty"), max_length=10, choices=Certainty.choices)
    # The regions it is for, smallest cover first (a code and its descendant never both).
    target_codes = models.JSONField(_("target"), default=list)
    # None: as soon as it is approved.
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    repeats = models.PositiveSmallIntegerField(_("times played"), default=1)
    # A recording of the text (uploaded, or speech made on the server); empty: the terminals
    # receive the text alone. CAP lists it as the alert's resource.
    audio = models.FileField(_("audio"), upload_to="broadcast/audio/%Y/%m/", blank=True)
    audio_source = models.CharField(
        _("audio source"), max_length=8, choices=AudioSource.choices, blank=True
    )
    expires_at = models.DateTimeField(_("expires at"))
    # An update of an earlier message (CAP msgType Update, with references to it).
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("update of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="updates",
    )
    state = models.CharField(_("state"), max_length=12, choices=list(STATE_LABELS.items()))
    # Counts every edit; an approval is of one revision only.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    composer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("composer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Everyone who wrote any of its text or target: none of them may approve it.
    author_ids = models.JSONField(default=list)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_revision = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The CAP Cancel sent after a dispatched message was withdrawn: its own identifier.
    cancel_identifier = models.UUIDField(null=True, blank=True, editable=False)
    # Terminals' acknowledgements of its deliveries that the server refused, counted by why
    # (terminal_protocol.AckRefusal): a forged, tampered or replayed answer never counts.
    refused_acks = models.JSONField(_("refused acknowledgements"), default=dict, blank=True)

    class Meta:
        verbose_name = _("broadcast message")
        verbose_name_plural = _("broadcast messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["county_code", "created_at", "id"], name="broadcast_county"),
            models.Index(fields=["town_code", "created_at", "id"], name="broadcast_town"),
            models.Index(fields=["village_code", "created_at", "id"], name="broadcast_village"),
            models.Index(fields=["grid_code", "created_at", "id"], name="broadcast_grid"),
            models.Index(fields=["state", "scheduled_at"], name="broadcast_state"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.title}"

    @property
    def is_emergency(self) -> bool:
        return self.kind in EMERGENCY_KINDS

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(State(self.state), self.state))


class BroadcastEvent(models.Model):
    """One append-only row of a message's timeline."""

    broadcast = models.ForeignKey(
        Broadcast, verbose_name=_("message"), on_delete=models.CASCADE, related_name="events"
    )
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12, blank=True)
    revision = models.PositiveIntegerField(_("revision"))
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("broadcast event")
        verbose_name_plural = _("broadcast timeline")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["broadcast", "created_at", "id"], name="broadcast_event_time")
        ]

    def __str__(self) -> str:
        return f"{self.broadcast_id} {self.action}"


class DeliveryStatus(models.TextChoices):
    # In the "delivery" context: other apps' catalogues also have "Received" (cases received)
    # and "Failed" (a mediation that failed), which are other words in Chinese.
    PENDING = "pending", pgettext_lazy("delivery", "Waiting to be sent")
    # The broker took it (MQTT QoS 1): the terminal has not answered yet.
    SENT = "sent", pgettext_lazy("delivery", "Sent")
    RECEIVED = "received", pgettext_lazy("delivery", "Received")
    PLAYED = "played", pgettext_lazy("delivery", "Played")
    # The terminal could not play it, or never answered before the message expired.
    FAILED = "failed", pgettext_lazy("delivery", "Failed")
    # The message was withdrawn before the terminal played it: it is told not to.
    CANCELLED = "cancelled", pgettext_lazy("delivery", "Withdrawn")


# A terminal that played or failed has answered for good.
DELIVERY_FINAL = (DeliveryStatus.PLAYED, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED)
DELIVERY_OPEN = (DeliveryStatus.PENDING, DeliveryStatus.SENT, DeliveryStatus.RECEIVED)


class Delivery(models.Model):
    """One message to one terminal. Its signed payload is written once, when the message goes
    out: a resend carries the same bytes and nonce, so the terminal knows it and plays it once."""

    broadcast = models.ForeignKey(
        Broadcast, verbose_name=_("message"), on_delete=models.CASCADE, related_name="deliveries"
    )
    terminal = models.ForeignKey(
        Terminal, verbose_name=_("terminal"), on_delete=models.PROTECT, related_name="deliveries"
    )
    # The terminal's village (its town or county for a station), for progress by village.
    place_code = models.CharField(_("place"), max_length=12)
    nonce = models.CharField(_("nonce"), max_length=32, unique=True)
    payload = models.TextField(_("signed payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"))
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    played_at = models.DateTimeField(_("played at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    # Why it failed: what the terminal said, or that the message expired unanswered.
    detail = models.CharField(_("detail"), max_length=100, blank=True)
    # Once the message is withdrawn after it went out: the signed cancel sent to the terminal
    # (written with the withdrawal, resent the same until the terminal confirms or it expires).
    cancel_nonce = models.CharField(max_length=32, unique=True, null=True, blank=True)
    cancel_payload = models.TextField(_("signed cancel"), blank=True)
    cancel_sent_at = models.DateTimeField(_("cancel sent at"), null=True, blank=True)
    cancel_confirmed_at = models.DateTimeField(_("cancel confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["broadcast", "place_code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "terminal"], name="delivery_once")
        ]
        indexes = [
            models.Index(fields=["broadcast", "status", "id"], name="delivery_status"),
            models.Index(fields=["broadcast", "place_code"], name="delivery_place"),
        ]

    def __str__(self) -> str:
        return f"{self.broadcast_id} → {self.terminal_id} {self.status}"

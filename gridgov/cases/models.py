"""Cases: every demand, problem, dispute, hazard and alarm, from report to closure.

A case's history is its timeline (`CaseEvent`), append-only; figures such as "disputes transferred"
or "resolved at town level" are computed from it, never typed in.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.cases.states import Action, State
from gridgov.core.models import RegionScoped
from gridgov.core.pii import EncryptedField

# A case number: the county code, the day and the day's sequence (610324-20261204-000001).
CASE_NUMBER = re.compile(r"[0-9]{6}-[0-9]{8}-[0-9]{6,}")


class Channel(models.TextChoices):
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    RESIDENT_WEB = "resident_web", _("Resident web report")
    HOTLINE = "hotline", _("Hotline")
    GROUP_CHAT = "group_chat", _("Group-chat transcription")
    DEVICE_ALARM = "device_alarm", _("Device alarm")
    OPEN311 = "open311", _("Open311")
    WALK_IN = "walk_in", _("Walk-in at a centre")


# The channels a resident reports through themselves (the public form, an Open311 client, the
# hotline). Only their cases may be published, and only with the reporter's consent: a grid
# patrol, a group-chat transcription, a walk-in at a mediation centre or a device alarm is the
# administration's own record of someone's affairs, never published.
PUBLIC_CHANNELS: frozenset[str] = frozenset(
    {Channel.RESIDENT_WEB, Channel.OPEN311, Channel.HOTLINE}
)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class HandlingLevel(models.TextChoices):
    # "Small matters stay in the village, big ones in the town": a case starts at the village.
    VILLAGE = "village", _("Village/community")
    TOWN = "town", _("Town/street")
    COUNTY = "county", _("County")


# The states' labels (the state machine itself is pure Python in states.py).
STATE_LABELS: dict[str, Any] = {
    State.REPORTED: pgettext_lazy("case state", "Reported"),
    State.ACCEPTED: pgettext_lazy("case state", "Accepted"),
    State.NOT_ACCEPTED: pgettext_lazy("case state", "Not accepted"),
    State.DISPATCHED: pgettext_lazy("case state", "Dispatched"),
    State.IN_PROGRESS: pgettext_lazy("case state", "In progress"),
    State.RETURNED: pgettext_lazy("case state", "Returned for rework"),
    State.RESOLVED: pgettext_lazy("case state", "Resolved"),
    State.VERIFIED: pgettext_lazy("case state", "Verified"),
    State.CLOSED: pgettext_lazy("case state", "Closed"),
    State.TRANSFERRED: pgettext_lazy("case state", "Transferred"),
    State.SUSPENDED: pgettext_lazy("case state", "Suspended"),
    State.MERGED: pgettext_lazy("case state", "Merged"),
}


# What a button says for each action (the timeline uses models.ACTION_LABELS, in the past tense).
ACTION_VERBS: dict[str, Any] = {
    Action.ACCEPT: pgettext_lazy("case action", "Accept"),
    Action.REJECT: pgettext_lazy("case action", "Do not accept"),
    Action.DISPATCH: pgettext_lazy("case action", "Dispatch"),
    Action.START: pgettext_lazy("case action", "Start"),
    Action.RESOLVE: pgettext_lazy("case action", "Resolve"),
    Action.VERIFY: pgettext_lazy("case action", "Verify"),
    Action.RETURN: pgettext_lazy("case action", "Return for rework"),
    Action.CLOSE: pgettext_lazy("case action", "Close"),
    Action.ESCALATE: pgettext_lazy("case action", "Escalate"),
    Action.REFER_DOWN: pgettext_lazy("case action", "Refer down"),
    Action.TRANSFER: pgettext_lazy("case action", "Transfer"),
    Action.TAKE_BACK: pgettext_lazy("case action", "Take back"),
    Action.SUSPEND: pgettext_lazy("case action", "Suspend"),
    Action.RESUME: pgettext_lazy("case action", "Resume"),
    Action.REOPEN: pgettext_lazy("case action", "Reopen"),
    Action.MERGE: pgettext_lazy("case action", "Merge into another case"),
}


LEVEL_ORDER: list[str] = [HandlingLevel.VILLAGE, HandlingLevel.TOWN, HandlingLevel.COUNTY]
LEVEL_CODE_LENGTH: dict[str, int] = {
    HandlingLevel.VILLAGE: 12,
    HandlingLevel.TOWN: 9,
    HandlingLevel.COUNTY: 6,
}


class Category(models.Model):
    """A two-level classification; a case always has a second-level (leaf) category or a
    top-level one without children."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=96)
    description = models.TextField(_("description"), blank=True)
    is_dispute = models.BooleanField(_("is a dispute"), default=False)
    # Whether cases of this category may be published (Open311) at all. Off for disputes,
    # petitions, focus groups, public security and personal hardship: their cases are about
    # people, not places. Off by default, so a new category is private until someone decides.
    public = models.BooleanField(_("public"), default=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # Defaults of the SLA; SlaRule rows override them per handling level.
    accept_hours_urgent = models.PositiveIntegerField(_("accept within (hours, urgent)"), default=2)
    accept_hours = models.PositiveIntegerField(_("accept within (hours)"), default=24)
    resolve_days = models.PositiveIntegerField(_("resolve within (days)"), default=7)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class SlaRule(models.Model):
    """Deadlines for a category at a handling level (editable in the admin)."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="sla_rules"
    )
    level = models.CharField(_("level"), max_length=16, choices=HandlingLevel.choices)
    accept_hours_urgent = models.PositiveIntegerField(_("accept within (hours, urgent)"))
    accept_hours = models.PositiveIntegerField(_("accept within (hours)"))
    resolve_days = models.PositiveIntegerField(_("resolve within (days)"))

    class Meta:
        verbose_name = _("SLA rule")
        verbose_name_plural = _("SLA rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "level"], name="unique_sla_rule")
        ]

    def __str__(self) -> str:
        return f"{self.category} @ {self.level}"


class Case(RegionScoped):
    """One case. `region_code` is where it happened (a grid or micro-grid when located, else
    the chosen region); `handling_code` is the unit handling it now (village, town or county)."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # Indexed through case_category_time (category, created_at).
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=list(STATE_LABELS.items()),
        default=State.REPORTED,
    )
    # The state a suspended case returns to on resume.
    state_before_suspend = models.CharField(max_length=16, blank=True)
    level = models.CharField(
        _("handling level"),
        max_length=8,
        choices=HandlingLevel.choices,
        default=HandlingLevel.VILLAGE,
    )
    # Indexed through case_queue (handling_code, due_at, id).
    handling_code = models.CharField(_("handling unit"), max_length=12)
    # Indexed through case_assignee (assignee, due_at, id).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        db_index=False,
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transferred_to = models.CharField(_("transferred to"), max_length=128, blank=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    reporter_name = EncryptedField(_("reporter name"), kind="name")
    reporter_phone = EncryptedField(_("reporter phone"), kind="phone")
    reporter_phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # The reporter agreed that the case (redacted, placed to its grid) may be published.
    publication_consent = models.BooleanField(_("publication consent"), default=False)
    # An unguessable token for the public status page and Open311 (no personal data behind it).
    tracking_token = models.CharField(max_length=32, unique=True)
    # Read out on the phone with the number: see cases.tracking.
    tracking_code = models.CharField(_("tracking code"), max_length=6, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Indexed with each scope column: (county_code | town_code | ..., created_at, id).
    created_at = models.DateTimeField(_("reported at"))
    updated_at = models.DateTimeField(_("updated at"))
    accept_deadline_at = models.DateTimeField(_("accept by"), null=True, blank=True)
    resolve_deadline_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    # The deadline that applies now (accept or resolve), so queues sort and the sweep scans one column.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    rating_comment = models.TextField(_("satisfaction comment"), blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["county_code", "created_at", "id"], name="case_county_time"),
            models.Index(fields=["town_code", "created_at", "id"], name="case_town_time"),
            models.Index(fields=["village_code", "created_at", "id"], name="case_village_time"),
            models.Index(fields=["grid_code", "created_at", "id"], name="case_grid_time"),
            # Work queues: a unit's cases by deadline. due_at is set exactly while the case is
            # being worked (see sla.set_deadlines), so the queue is an index walk.
            models.Index(fields=["handling_code", "due_at", "id"], name="case_queue"),
            # The overdue sweep: open cases past their deadline.
            models.Index(fields=["due_at", "state"], name="case_due"),
            models.Index(fields=["assignee", "due_at", "id"], name="case_assignee"),
            models.Index(fields=["category", "created_at"], name="case_category_time"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseEvent(models.Model):
    """One append-only row of a case's timeline: who, when, what, from and to."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
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
    # "report", the state machine's actions, and non-transition events (assign, rate, merge_in, warn, photo).
    action = models.CharField(_("action"), max_length=24)
    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16, blank=True)
    level_before = models.CharField(_("level before"), max_length=8, blank=True)
    level_after = models.CharField(_("level after"), max_length=8, blank=True)
    handling_code_after = models.CharField(max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case timeline")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at", "id"], name="event_case_time"),
            models.Index(fields=["action", "created_at"], name="event_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


def _photo_path(instance: CasePhoto, filename: str) -> str:
    return f"cases/{instance.case.created_at:%Y/%m}/{instance.case.number}/{filename}"


class CasePhoto(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="photos"
    )
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=_photo_path)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case photo")
        verbose_name_plural = _("case photos")

    def __str__(self) -> str:
        return self.image.name or ""


class CaseSequence(models.Model):
    """The last number issued per county and day, so case numbers are gap-free and readable."""

    county_code = models.CharField(max_length=6)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county_code", "day"], name="unique_case_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.county_code}-{self.day:%Y%m%d}: {self.last}"


ACTION_LABELS = {
    "report": _("Reported"),
    Action.ACCEPT: _("Accepted"),
    Action.REJECT: _("Not accepted"),
    Action.DISPATCH: _("Dispatched"),
    Action.START: _("Started"),
    Action.RESOLVE: _("Resolved"),
    Action.VERIFY: _("Verified"),
    Action.RETURN: _("Returned for rework"),
    Action.CLOSE: _("Closed"),
    Action.ESCALATE: _("Escalated"),
    Action.REFER_DOWN: _("Referred down"),
    Action.TRANSFER: _("Transferred"),
    Action.TAKE_BACK: _("Taken back"),
    Action.SUSPEND: _("Suspended"),
    Action.RESUME: _("Resumed"),
    Action.REOPEN: _("Reopened"),
    Action.MERGE: _("Merged"),
}

"""Volunteer service: events a place holds (a festival, a clean-up) with volunteers signed up,
checked in and out, the hours each served; and residents' micro-wishes (微心愿) that volunteers
take up and fulfil. A volunteer is a member of a volunteer team (`teams.TeamMember`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.core.models import RegionScoped
from gridgov.core.pii import EncryptedField


class ServiceEvent(RegionScoped):
    """A service event at a place (town, village or grid), with room for `capacity` volunteers."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("where"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("volunteers wanted"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("service event")
        verbose_name_plural = _("service events")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["county_code", "starts_at"], name="vol_event_county"),
            models.Index(fields=["town_code", "starts_at"], name="vol_event_town"),
            models.Index(fields=["village_code", "starts_at"], name="vol_event_village"),
        ]

    def __str__(self) -> str:
        return self.title


class SignUp(models.Model):
    """A volunteer's place at an event: signed up, then checked in and out. `minutes` is what
    counts toward their hours: from the check-in and check-out (capped), or an organiser's
    correction."""

    event = models.ForeignKey(
        ServiceEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sign_ups"
    )
    member = models.ForeignKey(
        "teams.TeamMember",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="sign_ups",
    )
    signed_up_at = models.DateTimeField(_("signed up at"))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes served"), default=0)
    # An organiser's correction (a forgotten check-out, a phone that died): the minutes given
    # replace the computed ones, with the reason.
    corrected = models.BooleanField(_("corrected"), default=False)
    correction_note = models.CharField(_("reason for the correction"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["event", "signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="signup_once_per_event")
        ]
        indexes = [models.Index(fields=["member", "minutes"], name="signup_member_minutes")]

    def __str__(self) -> str:
        return f"{self.member} @ {self.event}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class WishState(models.TextChoices):
    # Recorded, waiting for a volunteer to take it up.
    POSTED = "posted", pgettext_lazy("micro-wish", "Waiting for a volunteer")
    # A volunteer took it up and is working on it.
    TAKEN = "taken", pgettext_lazy("micro-wish", "Taken up")
    # The volunteer says it is done; the organiser confirms with the resident.
    FULFILLED = "fulfilled", pgettext_lazy("micro-wish", "Fulfilled, to confirm")
    # The resident confirmed it (terminal).
    CONFIRMED = "confirmed", pgettext_lazy("micro-wish", "Confirmed")
    # No longer wanted, or not something volunteers can do (terminal).
    WITHDRAWN = "withdrawn", pgettext_lazy("micro-wish", "Withdrawn")


class MicroWish(RegionScoped):
    """A resident's small wish (a pair of school shoes, a lift to hospital, a repaired light),
    recorded by an organiser for them, taken up and fulfilled by a volunteer."""

    title = models.CharField(_("wish"), max_length=120)
    detail = models.TextField(_("detail"), blank=True)
    resident_name = models.CharField(_("resident"), max_length=64)
    resident_phone = EncryptedField(_("resident's phone"), kind="phone")
    state = models.CharField(
        _("state"), max_length=16, choices=WishState.choices, default=WishState.POSTED
    )
    posted_at = models.DateTimeField(_("posted at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_by = models.ForeignKey(
        "teams.TeamMember",
        verbose_name=_("volunteer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wishes",
    )
    taken_at = models.DateTimeField(_("taken up at"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    fulfilment_note = models.CharField(_("what was done"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-posted_at", "-id"]
        indexes = [
            models.Index(fields=["county_code", "state"], name="wish_county_state"),
            models.Index(fields=["town_code", "state"], name="wish_town_state"),
            models.Index(fields=["village_code", "state"], name="wish_village_state"),
        ]

    def __str__(self) -> str:
        return self.title

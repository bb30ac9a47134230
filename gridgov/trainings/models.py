"""Trainings of the teams and trained groups: courses by the kind of people they train, sessions
of a course (time, place, trainer, room), each trainee's attendance and result, and the
certificate a pass earns (numbered per county and year, valid for the course's months)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.core.models import RegionScoped
from gridgov.teams.models import TeamKind


class Course(RegionScoped):
    """A course that a place (county, town or village) runs for one kind of team."""

    kind = models.CharField(_("trains"), max_length=24, choices=TeamKind.choices)
    title = models.CharField(_("title"), max_length=120)
    hours = models.PositiveSmallIntegerField(_("hours"))
    # How long a certificate of this course stays valid, from the day of the session.
    validity_months = models.PositiveSmallIntegerField(_("certificate valid for (months)"))
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), default=60)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set up by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["region_code", "kind", "title", "id"]
        indexes = [
            models.Index(fields=["county_code", "kind"], name="course_county_kind"),
            models.Index(fields=["town_code", "kind"], name="course_town_kind"),
            models.Index(fields=["village_code", "kind"], name="course_village_kind"),
        ]

    def __str__(self) -> str:
        return self.title


class Session(RegionScoped):
    """One sitting of a course, held at a place at or below the course's."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    address = models.CharField(_("where"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=64)
    capacity = models.PositiveIntegerField(pgettext_lazy("training", "places"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["county_code", "starts_at"], name="tsession_county"),
            models.Index(fields=["town_code", "starts_at"], name="tsession_town"),
            models.Index(fields=["village_code", "starts_at"], name="tsession_village"),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d}"


class Attendance(RegionScoped):
    """A team member's place at a session and its result. Its region is the member's (where
    they serve), so "people trained in a village" counts that village's people wherever the
    session was held; `kind` and `held_at` copy the course's kind and the session's start so the
    counts by kind and period are read from this table alone."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "teams.TeamMember",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="training_attendances",
    )
    kind = models.CharField(_("trains"), max_length=24, choices=TeamKind.choices)
    held_at = models.DateTimeField(_("held at"))
    attended = models.BooleanField(pgettext_lazy("training", "attended"), default=False)
    passed = models.BooleanField(pgettext_lazy("training", "passed"), default=False)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once")
        ]
        indexes = [
            models.Index(fields=["county_code", "held_at", "kind"], name="attend_county"),
            models.Index(fields=["town_code", "held_at", "kind"], name="attend_town"),
            models.Index(fields=["village_code", "held_at", "kind"], name="attend_village"),
            models.Index(fields=["member", "held_at"], name="attend_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.session}"


class Certificate(RegionScoped):
    """What passing a session earns: a number unique in the installation, valid until
    `expires_on`; revoked (kept, not deleted) when the pass is taken back."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    attendance = models.OneToOneField(
        Attendance,
        verbose_name=_("attendance"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    member = models.ForeignKey(
        "teams.TeamMember",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="training_certificates",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="certificates"
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("training certificate")
        verbose_name_plural = _("training certificates")
        ordering = ["expires_on", "number"]
        indexes = [
            models.Index(fields=["county_code", "expires_on"], name="cert_county"),
            models.Index(fields=["town_code", "expires_on"], name="cert_town"),
            models.Index(fields=["village_code", "expires_on"], name="cert_village"),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateCounter(models.Model):
    """The last sequence number handed out for a county's certificates of a year; its row is
    locked while a number is taken, so two organisers never get the same one."""

    county_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county_code", "year"], name="cert_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.county_code}-{self.year}: {self.last}"

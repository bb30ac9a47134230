"""The six front lines' activities (六大阵地): patrols, safety publicity, dispute mediation,
public-security prevention, service management and law education, each logged where it happened,
with who took part, how many came, photos and what came of it. A patrol carries its check-ins
(time and GPS position) and the cases reported from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.core.models import RegionScoped


class ActivityKind(models.TextChoices):
    # In the order the county lists its six front lines.
    PATROL = "patrol", pgettext_lazy("activity kind", "Patrol")
    SAFETY_PUBLICITY = "safety_publicity", pgettext_lazy("activity kind", "Safety publicity")
    DISPUTE_MEDIATION = "dispute_mediation", pgettext_lazy("activity kind", "Dispute mediation")
    SECURITY_PREVENTION = (
        "security_prevention",
        pgettext_lazy("activity kind", "Public-security prevention"),
    )
    SERVICE_MANAGEMENT = "service_management", pgettext_lazy("activity kind", "Service management")
    LAW_EDUCATION = "law_education", pgettext_lazy("activity kind", "Law education")


class Activity(RegionScoped):
    """One piece of front-line work at a place (a grid, village, town or the county). A patrol is
    open (no `ended_at`) while the worker walks it, and is finished once."""

    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="activities_recorded",
    )
    # The accounts who took part (the recorder among them).
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants"),
        related_name="activities",
        blank=True,
    )
    # Team members without accounts who took part (volunteers, legal understanders, ...).
    team_members = models.ManyToManyField(
        "teams.TeamMember", verbose_name=_("team members"), related_name="activities", blank=True
    )
    audience = models.PositiveIntegerField(_("audience"), default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    # Dispute mediation: the mediation file worked (by its number; files are mediation's).
    mediation_file_number = models.CharField(_("mediation file"), max_length=32, blank=True)
    # Law education: the school and its vice-principal for the rule of law (法治副校长).
    school = models.CharField(_("school"), max_length=120, blank=True)
    lecturer = models.CharField(_("lecturer"), max_length=64, blank=True)
    # Service management: the household visit it records, when it records one.
    visit = models.OneToOneField(
        "people.HomeVisit",
        verbose_name=_("household visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity",
    )
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases reported"), related_name="activities", blank=True
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["county_code", "started_at", "id"], name="activity_county_time"),
            models.Index(fields=["town_code", "started_at", "id"], name="activity_town_time"),
            models.Index(fields=["village_code", "started_at", "id"], name="activity_village_time"),
            models.Index(fields=["grid_code", "started_at", "id"], name="activity_grid_time"),
            models.Index(fields=["recorded_by", "kind", "started_at"], name="activity_recorder"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.kind == ActivityKind.PATROL and self.ended_at is None


class CheckIn(RegionScoped):
    """A patrol's point: where the worker's phone placed them and when; `region_code` is the
    (micro-)grid the point lies in."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("patrol"), on_delete=models.CASCADE, related_name="check_ins"
    )
    at = models.DateTimeField(_("time"))
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    # How far off the phone says the point may be, in metres (absent when it does not say).
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["activity", "at", "id"]
        indexes = [
            models.Index(fields=["activity", "at"], name="checkin_activity_time"),
            models.Index(fields=["grid_code", "at"], name="checkin_grid_time"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.at:%H:%M}"


def _photo_path(instance: ActivityPhoto, filename: str) -> str:
    return f"activities/{instance.activity.started_at:%Y/%m}/{instance.activity_id}/{filename}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=_photo_path)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self) -> str:
        return self.image.name or ""

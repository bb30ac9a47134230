"""Mediation centres and mediation files.

A centre (调处中心) is a handling unit at a county, town/street or village/community. A mediation
file (调解卷宗) is attached to one dispute case: its parties, sessions, outcome, follow-up visit
and judicial confirmation. The case keeps the lifecycle and the timeline; the file keeps what
mediation adds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.core.models import RegionScoped
from gridgov.core.pii import EncryptedField

# Mediation is due within 30 days of registration unless the parties agree otherwise.
DUE_DAYS = 30
# A follow-up visit is due this many days after an agreement without a performance deadline.
FOLLOW_UP_DAYS = 15


class CentreLevel(models.TextChoices):
    COUNTY = "county", _("County centre")
    TOWN = "town", _("Town/street centre")
    VILLAGE = "village", _("Village/community centre")


class Centre(RegionScoped):
    """A mediation centre serving one region (its `region_code`): one per county, town/street and
    village/community. Its mediators are the holders of the mediator role at that region."""

    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=8, choices=CentreLevel.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The centre's office line (published on its notices; not a person's number).
    phone = models.CharField(_("office phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mediation centre")
        verbose_name_plural = _("mediation centres")
        ordering = ["region_code"]
        constraints = [
            models.UniqueConstraint(fields=["region_code"], name="unique_centre_region"),
        ]
        indexes = [
            models.Index(fields=["county_code", "region_code"], name="centre_county"),
            models.Index(fields=["town_code", "region_code"], name="centre_town"),
            models.Index(fields=["village_code", "region_code"], name="centre_village"),
        ]

    def __str__(self) -> str:
        return self.name


class PeopleBand(models.TextChoices):
    UNDER_10 = "lt10", _("Under 10")
    FROM_10 = "10-49", _("10 to 49")
    FROM_50 = "50-99", _("50 to 99")
    FROM_100 = "100-499", _("100 to 499")
    FROM_500 = "500+", _("500 and more")


class Outcome(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    PARTIAL = "partial", _("Partial agreement")
    FAILED = "failed", _("Failed")
    REFERRED = "referred", _("Failed and referred")


# Outcomes with an agreement to perform, follow up and (on request) confirm in court.
AGREED = frozenset({Outcome.AGREEMENT, Outcome.PARTIAL})


class Judicial(models.TextChoices):
    NONE = "", _("Not applied for")
    APPLIED = "applied", _("Applied for")
    CONFIRMED = "confirmed", _("Confirmed valid")
    REJECTED = "rejected", _("Not confirmed")


class Track(models.TextChoices):
    """The three kinds of mediation a dispute passes between (三调联动)."""

    PEOPLE = "people", _("People's mediation")
    ADMINISTRATIVE = "administrative", _("Administrative mediation")
    JUDICIAL = "judicial", _("Judicial mediation")


class MediationFile(RegionScoped):
    """A dispute's mediation file. `region_code` is the case's (where the dispute arose), so a
    file is scoped exactly as its case."""

    number = models.CharField(_("file number"), max_length=32, unique=True)
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="files"
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="mediation_file",
    )
    # The case's dispute category (dispute-neighbour, dispute-land, ...).
    dispute_kind = models.CharField(_("kind of dispute"), max_length=64)
    facts = models.TextField(_("facts and matters in dispute"))
    amount_involved = models.DecimalField(
        _("amount involved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    people_band = models.CharField(
        _("people involved"), max_length=8, choices=PeopleBand.choices, default=PeopleBand.UNDER_10
    )
    # Which kind of mediation has the dispute now (changed only by a referral).
    track = models.CharField(
        _("mediation by"), max_length=16, choices=Track.choices, default=Track.PEOPLE
    )
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mediators"), related_name="mediation_files"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"))
    due_at = models.DateTimeField(_("due"))
    updated_at = models.DateTimeField(_("updated at"))
    # The outcome, and for an agreement what the people's mediation agreement says.
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    agreed_terms = models.TextField(_("terms agreed"), blank=True)
    performance_method = models.CharField(_("how it is performed"), max_length=200, blank=True)
    performance_place = models.CharField(_("where it is performed"), max_length=200, blank=True)
    performance_deadline = models.DateField(_("performed by"), null=True, blank=True)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    # The follow-up visit (回访).
    follow_up_due_on = models.DateField(_("follow-up due"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up record"), blank=True)
    performed = models.BooleanField(_("agreement performed"), null=True, blank=True)
    # The application for judicial confirmation (司法确认) and its result.
    judicial_status = models.CharField(
        _("judicial confirmation"), max_length=12, choices=Judicial.choices, blank=True
    )
    judicial_court = models.CharField(_("court"), max_length=120, blank=True)
    judicial_applied_on = models.DateField(_("applied on"), null=True, blank=True)
    judicial_result_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("mediation file")
        verbose_name_plural = _("mediation files")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["county_code", "created_at", "id"], name="medfile_county_time"),
            models.Index(fields=["town_code", "created_at", "id"], name="medfile_town_time"),
            models.Index(fields=["village_code", "created_at", "id"], name="medfile_village_time"),
            models.Index(fields=["grid_code", "created_at", "id"], name="medfile_grid_time"),
            models.Index(fields=["follow_up_due_on"], name="medfile_follow_up"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return not self.outcome


class Side(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    ORGANISATION = "organisation", _("Organisation")


class Party(models.Model):
    """A party to the dispute: a natural person (name, ID number and phone encrypted, each
    searchable by a keyed hash where it is a number) or an organisation (its name and unified
    social credit code are public records); with an agent where one acts for them."""

    file = models.ForeignKey(
        MediationFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="parties"
    )
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=PartyKind.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = EncryptedField(_("name"), kind="name")
    id_number = EncryptedField(_("ID number"), kind="id_number")
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone = EncryptedField(_("phone"), kind="phone")
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    organisation_name = models.CharField(
        pgettext_lazy("party", "organisation"), max_length=120, blank=True
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    agent_name = EncryptedField(_("agent"), kind="name")
    agent_phone = EncryptedField(_("agent's phone"), kind="phone")

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["file", "position", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Masked for a person, in full for an organisation."""
        if self.kind == PartyKind.ORGANISATION:
            return self.organisation_name
        return str(self.name)


class MediationSession(models.Model):
    """A mediation session: scheduled (time, place or online, participants), then held with its
    record (笔录)."""

    file = models.ForeignKey(
        MediationFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    participants = models.TextField(_("participants"), blank=True)
    record = models.TextField(_("record"), blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["file", "starts_at", "id"]
        indexes = [models.Index(fields=["held_at", "starts_at"], name="medsession_due")]

    def __str__(self) -> str:
        return f"{self.file_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Referral(RegionScoped):
    """One referral of a dispute between people's, administrative and judicial mediation (to a
    government department, to the court's litigation-mediation desk, or back), with the reason
    and the receiving unit. The case's timeline carries the same step (transfer or take back)."""

    file = models.ForeignKey(
        MediationFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="referrals"
    )
    from_track = models.CharField(_("from"), max_length=16, choices=Track.choices)
    to_track = models.CharField(_("to"), max_length=16, choices=Track.choices)
    unit = models.CharField(_("receiving unit"), max_length=120)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("referred at"))

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["county_code", "created_at"], name="referral_county_time"),
            models.Index(fields=["town_code", "created_at"], name="referral_town_time"),
            models.Index(fields=["village_code", "created_at"], name="referral_village_time"),
        ]

    def __str__(self) -> str:
        return f"{self.file_id} {self.from_track}->{self.to_track}"


class RiskLevel(models.TextChoices):
    # Severity first: the order lists are read in.
    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    YELLOW = "yellow", _("Yellow")
    BLUE = "blue", _("Blue")


RISK_LEVEL_ORDER = {level: index for index, level in enumerate(RiskLevel.values)}
# Shown on the county's view as soon as they are raised.
URGENT_LEVELS = frozenset({RiskLevel.RED, RiskLevel.ORANGE})


class RiskKind(models.TextChoices):
    LAND = "land", _("Land, demolition and resettlement")
    LABOUR = "labour", _("Unpaid wages and labour")
    COLLECTIVE = "collective", _("Group petitions and collective action")
    FINANCE = "finance", _("Illegal fund-raising and finance")
    FAMILY = "family", _("Marriage, family and neighbours")
    SAFETY = "safety", _("Public safety")
    OTHER = "other", _("Other")


class RiskStatus(models.TextChoices):
    MONITORING = "monitoring", _("Monitoring")
    CONTROLLED = "controlled", _("Controlled")
    RESOLVED = "resolved", _("Resolved")


class Risk(RegionScoped):
    """A hidden danger of unstable problems (不稳定问题隐患): what could turn into a collective
    incident, with the official who answers for it (包抓) and its control measures."""

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=RiskKind.choices)
    level = models.CharField(_("level"), max_length=8, choices=RiskLevel.choices)
    people_involved = models.PositiveIntegerField(_("people involved"))
    description = models.TextField(_("description"))
    control_measures = models.TextField(_("control measures"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RiskStatus.choices, default=RiskStatus.MONITORING
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible official"),
        on_delete=models.PROTECT,
        related_name="risks",
    )
    cases = models.ManyToManyField("cases.Case", verbose_name=_("related cases"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("found at"))
    updated_at = models.DateTimeField(_("updated at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risk register")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["county_code", "created_at", "id"], name="risk_county_time"),
            models.Index(fields=["town_code", "created_at", "id"], name="risk_town_time"),
            models.Index(fields=["village_code", "created_at", "id"], name="risk_village_time"),
            models.Index(fields=["grid_code", "created_at", "id"], name="risk_grid_time"),
        ]

    def __str__(self) -> str:
        return self.title


class RiskFollowUp(models.Model):
    """A scheduled check on a risk, and what it found."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("risk follow-up")
        verbose_name_plural = _("risk follow-ups")
        ordering = ["risk", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.risk_id} {self.due_on}"


class JointMeeting(RegionScoped):
    """A joint meeting (联席会议) on an analysis report: the report's place (`region_code`) and
    period, who attended, the cases and risks discussed, what was decided, and the follow-up
    tasks, each with its owner and deadline."""

    since = models.DateField(_("period from"))
    until = models.DateField(_("period to"))
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"))
    decisions = models.TextField(_("decisions"))
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases discussed"), blank=True, related_name="+"
    )
    risks = models.ManyToManyField(
        Risk, verbose_name=_("risks discussed"), blank=True, related_name="meetings"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["county_code", "held_on", "id"], name="meeting_county_time"),
            models.Index(fields=["town_code", "held_on", "id"], name="meeting_town_time"),
            models.Index(fields=["village_code", "held_on", "id"], name="meeting_village_time"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.held_on}"


class MeetingTask(models.Model):
    """A follow-up task a joint meeting decided: what, who answers for it, by when; done when
    its owner says so."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="tasks"
    )
    description = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="meeting_tasks",
    )
    due_on = models.DateField(_("deadline"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting task")
        verbose_name_plural = _("meeting tasks")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"], name="meetingtask_owner")]

    def __str__(self) -> str:
        return self.description

"""The teams who do the grassroots work ("four teams": party members, grid workers, volunteers,
mediators) and the other trained groups, each a roster of a place; a member may hold an account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.core.models import RegionScoped


class TeamKind(models.TextChoices):
    # The four teams first, in the order the county names them.
    PARTY_MEMBERS = "party_members", pgettext_lazy("team kind", "Party members")
    GRID_WORKERS = (
        "grid_workers",
        pgettext_lazy("team kind", "Grid workers and information officers"),
    )
    VOLUNTEERS = "volunteers", pgettext_lazy("team kind", "Volunteers")
    MEDIATORS = "mediators", pgettext_lazy("team kind", "Mediators")
    LEGAL_UNDERSTANDERS = "legal_understanders", pgettext_lazy("team kind", "Legal understanders")
    LEGAL_SERVICE = "legal_service", pgettext_lazy("team kind", "Legal service workers")
    LECTURERS = "lecturers", pgettext_lazy("team kind", "Peace and rule-of-law lecture group")


# The order teams are listed in at a place: the four teams, then the trained groups.
KIND_ORDER = {kind: index for index, kind in enumerate(TeamKind.values)}
FOUR_TEAMS = frozenset(
    {TeamKind.PARTY_MEMBERS, TeamKind.GRID_WORKERS, TeamKind.VOLUNTEERS, TeamKind.MEDIATORS}
)


class Team(RegionScoped):
    """One roster: a kind of team at a county, town or village (a place has one of each kind)."""

    kind = models.CharField(_("kind"), max_length=24, choices=TeamKind.choices)
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["region_code", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "kind"], name="team_one_kind_per_place")
        ]
        indexes = [
            models.Index(fields=["county_code", "kind"], name="team_county_kind"),
            models.Index(fields=["town_code", "kind"], name="team_town_kind"),
            models.Index(fields=["village_code", "kind"], name="team_village_kind"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(RegionScoped):
    """A member of a team, serving at a place within the team's (their grid, say); linked to
    their account where they have one. Leaving keeps the row: the roster's history stays."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
    )
    duty = models.CharField(_("duty"), max_length=64, blank=True)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "region_code", "name", "id"]
        indexes = [
            models.Index(fields=["team", "left_on", "region_code"], name="member_team_roster"),
            models.Index(fields=["town_code", "team"], name="member_town_team"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.left_on is None

"""Every read of the teams' rosters, scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from gridgov.core.access import Perm
from gridgov.core.audit import audit_out_of_jurisdiction
from gridgov.core.errors import NotFound
from gridgov.core.scoping import Actor, jurisdiction_q, scope_queryset
from gridgov.teams import errors
from gridgov.teams.models import KIND_ORDER, Team, TeamMember


@dataclass(frozen=True)
class TeamFilters:
    kind: str = ""
    region_code: str = ""  # the teams of this place and the places below it


def team_list(*, actor: Actor, filters: TeamFilters | None = None) -> QuerySet[Team]:
    """The teams of the actor's jurisdiction, each with its count of serving members."""
    filters = filters or TeamFilters()
    teams = scope_queryset(Team.objects.all(), actor=actor, permission=Perm.TEAMS_VIEW)
    if filters.kind:
        teams = teams.filter(kind=filters.kind)
    if filters.region_code:
        teams = teams.filter(region_code__startswith=filters.region_code)
    kind_order = Case(
        *(When(kind=kind, then=Value(index)) for kind, index in KIND_ORDER.items()),
        output_field=IntegerField(),
    )
    return teams.annotate(
        serving=Count("members", filter=Q(members__left_on__isnull=True)), kind_order=kind_order
    ).order_by("region_code", "kind_order", "id")


def team_get(*, actor: Actor, team_id: int, manage: bool = False) -> Team:
    """The team, or NotFound when missing or outside the actor's jurisdiction (audited)."""
    permission = Perm.TEAMS_MANAGE if manage else Perm.TEAMS_VIEW
    found = scope_queryset(Team.objects.all(), actor=actor, permission=permission).filter(
        pk=team_id
    )
    team = found.first()
    if team is None:
        outside = Team.objects.filter(pk=team_id).values_list("region_code", flat=True).first()
        if outside is not None:
            audit_out_of_jurisdiction(
                actor=actor, object_type="team", object_id=str(team_id), region_code=outside
            )
        raise NotFound(errors.TEAM_NOT_FOUND)
    return team


def team_members(*, team: Team, include_left: bool = False) -> QuerySet[TeamMember]:
    """A team's roster (the caller has the team through `team_get`): those serving, by place."""
    members = team.members.select_related("user")
    if not include_left:
        members = members.filter(left_on__isnull=True)
    return members.order_by("region_code", "name", "id")


def member_get(*, team: Team, member_id: int) -> TeamMember:
    member = team.members.filter(pk=member_id).first()
    if member is None:
        raise NotFound(errors.MEMBER_NOT_FOUND)
    return member


def member_serving(*, member_id: int, kind: str, within: list[str]) -> TeamMember | None:
    """A member serving now on a team of `kind`, where they serve within one of the places
    `within` (the caller's jurisdiction); None otherwise. For other apps that name a member
    (a volunteer signed up for an event, a trainee)."""
    return (
        TeamMember.objects.filter(
            jurisdiction_q(within), pk=member_id, team__kind=kind, left_on__isnull=True
        )
        .select_related("team")
        .first()
    )


def memberships_of(*, user_id: int, kind: str) -> QuerySet[TeamMember]:
    """The account's places on teams of `kind`, serving now, nearest place first."""
    return (
        TeamMember.objects.filter(user_id=user_id, team__kind=kind, left_on__isnull=True)
        .select_related("team")
        .order_by("-region_code", "id")
    )


def members_serving_in(*, kind: str, within: list[str], limit: int = 500) -> list[TeamMember]:
    """Those serving now on teams of `kind` within the places `within`, by place and name."""
    return list(
        TeamMember.objects.filter(
            jurisdiction_q(within), team__kind=kind, left_on__isnull=True
        ).order_by("region_code", "name", "id")[:limit]
    )


def serving_members(*, actor: Actor, member_ids: list[int], town_code: str) -> list[TeamMember]:
    """Of the given members, those serving in the town on a team the actor may see (another
    app names who took part in its work by these)."""
    teams = scope_queryset(Team.objects.all(), actor=actor, permission=Perm.TEAMS_VIEW)
    return list(
        TeamMember.objects.filter(
            pk__in=member_ids,
            team__in=teams,
            left_on__isnull=True,
            town_code=town_code,
        ).order_by("id")
    )


def members_to_name(*, actor: Actor, within: list[str], limit: int = 300) -> list[TeamMember]:
    """Those serving now on teams the actor may see, in the places `within`, by place, team and
    name: whom another app's form offers as having taken part (`serving_members` checks them)."""
    visible = actor.jurisdiction_codes(Perm.TEAMS_VIEW) if within else []
    if not visible:  # a role that sees no rosters is offered nobody, not refused the form
        return []
    teams = Team.objects.filter(jurisdiction_q(visible))
    return list(
        TeamMember.objects.filter(jurisdiction_q(within), team__in=teams, left_on__isnull=True)
        .select_related("team")
        .order_by("region_code", "team__kind", "name", "id")[:limit]
    )

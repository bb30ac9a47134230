"""The demo's teams: at every town and village the four teams (party members, grid workers and
information officers, volunteers, mediators) and at every village its legal understanders; the
county's peace and rule-of-law lecture group. Grid workers, information officers and mediators
are the demo's own accounts, serving where their roles place them; the others are named people
without accounts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment
from gridgov.core.access import Role
from gridgov.demo import names
from gridgov.regions.models import Region
from gridgov.teams.models import Team, TeamKind, TeamMember

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild

# Named members (no accounts) of each kind at a village: at least, at most.
NAMED_MEMBERS: dict[str, tuple[int, int]] = {
    TeamKind.PARTY_MEMBERS: (8, 24),
    TeamKind.VOLUNTEERS: (10, 36),
    TeamKind.LEGAL_UNDERSTANDERS: (2, 5),
}
DUTIES: dict[str, tuple[str, ...]] = {
    TeamKind.PARTY_MEMBERS: ("党支部书记", "党支部委员", "党员中心户", "党员"),
    TeamKind.VOLUNTEERS: ("队长", "队员"),
    TeamKind.LEGAL_UNDERSTANDERS: ("法律明白人",),
}
TEAM_NAMES = {
    TeamKind.PARTY_MEMBERS: "{place}党员先锋队",
    TeamKind.GRID_WORKERS: "{place}网格员队伍",
    TeamKind.VOLUNTEERS: "{place}志愿服务队",
    TeamKind.MEDIATORS: "{place}调解员队伍",
    TeamKind.LEGAL_UNDERSTANDERS: "{place}法律明白人队伍",
    TeamKind.LECTURERS: "{place}平安法治宣讲团",
}
ACCOUNT_TEAMS: dict[str, str] = {
    Role.GRID_WORKER: TeamKind.GRID_WORKERS,
    Role.INFO_OFFICER: TeamKind.GRID_WORKERS,
    Role.MEDIATOR: TeamKind.MEDIATORS,
    # The demo volunteer serves on their community's team, so they can sign up and take wishes.
    Role.VOLUNTEER: TeamKind.VOLUNTEERS,
}
LECTURERS = 12
# Grid workers serve villages' grids; the county's own work is its lecture group's.
KINDS_BY_LEVEL = {
    "county": [TeamKind.LECTURERS],
    "town": [TeamKind.PARTY_MEMBERS, TeamKind.VOLUNTEERS, TeamKind.MEDIATORS],
    "village": [
        TeamKind.PARTY_MEMBERS,
        TeamKind.GRID_WORKERS,
        TeamKind.VOLUNTEERS,
        TeamKind.MEDIATORS,
        TeamKind.LEGAL_UNDERSTANDERS,
    ],
}


def _joined(rng: np.random.Generator, today: date) -> date:
    return today - timedelta(days=int(rng.integers(30, 365 * 6)))


def create_teams(build: DemoBuild) -> None:
    rng = np.random.default_rng([build.seed, 13])
    now = timezone.now()
    today = timezone.localdate(now)
    places = list(
        Region.objects.filter(
            county_code=names.COUNTY_CODE, level__in=["county", "town", "village"]
        )
        .order_by("region_code")
        .values_list("region_code", "name", "level")
    )
    teams: dict[tuple[str, str], Team] = {}
    kind: str
    for code, place, level in places:
        kinds = KINDS_BY_LEVEL[level]
        for kind in kinds:
            team = Team(kind=kind, name=TEAM_NAMES[kind].format(place=place), created_at=now)
            team.set_region_code(code)
            teams[(code, kind)] = team
    Team.objects.bulk_create(teams.values(), batch_size=1000)
    members: list[TeamMember] = []

    def add(team: Team, name: str, region_code: str, duty: str, user_id: int | None) -> None:
        member = TeamMember(
            team=team, name=name, user_id=user_id, duty=duty, joined_on=_joined(rng, today)
        )
        member.set_region_code(region_code)
        members.append(member)

    # The accounts: each serves on the team of the village (or town) their role places them in.
    assignments = (
        RoleAssignment.objects.filter(
            county_code=names.COUNTY_CODE, role__in=list(ACCOUNT_TEAMS), is_active=True
        )
        .select_related("user")
        .order_by("region_code", "user_id")
    )
    for assignment in assignments:
        home = assignment.village_code or assignment.town_code
        found = teams.get((home, ACCOUNT_TEAMS[assignment.role]))
        if found is None:
            continue  # the county's own mediator serves at the county centre, not on a roster
        user = assignment.user
        duty = str(Role(assignment.role).label)
        add(found, user.display_name or user.username, assignment.region_code, duty, user.pk)
    # The named members of the party members, volunteers, legal understanders and lecturers.
    for (code, kind), team in teams.items():
        if kind == TeamKind.LECTURERS:
            for index in range(LECTURERS):
                add(team, names.person_name(rng), code, "宣讲员" if index else "团长", None)
            continue
        if kind not in NAMED_MEMBERS:
            continue
        low, high = NAMED_MEMBERS[kind]
        duties = DUTIES[kind]
        for index in range(int(rng.integers(low, high + 1))):
            duty = duties[min(index, len(duties) - 1)]
            add(team, names.person_name(rng), code, duty, None)
    TeamMember.objects.bulk_create(members, batch_size=2000)
    build.summary.teams = len(teams)
    build.summary.team_members = len(members)

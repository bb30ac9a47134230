from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gridgov.core.access import Role
from gridgov.teams.models import Team, TeamKind, TeamMember
from gridgov.volunteers.models import MicroWish, ServiceEvent


def make_team(code: str, kind: str = TeamKind.VOLUNTEERS) -> Team:
    team = Team(kind=kind, name=f"{code}志愿服务队", created_at=timezone.now())
    team.set_region_code(code)
    team.save()
    return team


def make_member(team: Team, name: str, user: Any = None, code: str = "") -> TeamMember:
    member = TeamMember(team=team, name=name, user=user, joined_on=timezone.localdate())
    member.set_region_code(code or team.region_code)
    member.save()
    return member


def make_event(
    code: str, title: str, *, starts_in: timedelta, hours: int = 3, capacity: int = 10
) -> ServiceEvent:
    start = timezone.now() + starts_in
    event = ServiceEvent(
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        capacity=capacity,
        created_at=timezone.now(),
    )
    event.set_region_code(code)
    event.save()
    return event


def make_wish(code: str, title: str, resident: str = "王大爷") -> MicroWish:
    wish = MicroWish(title=title, resident_name=resident, posted_at=timezone.now())
    wish.set_region_code(code)
    wish.save()
    return wish


@pytest.fixture
def world(tree: Any, user_factory: Any) -> dict[str, Any]:
    town, other_town = tree.towns[0], tree.towns[1]
    village = next(code for code in tree.villages if code.startswith(town))
    other_village = next(code for code in tree.villages if code.startswith(other_town))
    volunteer = user_factory(Role.VOLUNTEER, village)
    team = make_team(village)
    theirs_team = make_team(other_village)
    return {
        "tree": tree,
        "town": town,
        "village": village,
        "other_village": other_village,
        "official": user_factory(Role.TOWN_OFFICIAL, town),
        "secretary": user_factory(Role.VILLAGE_SECRETARY, village),
        "leader": user_factory(Role.COUNTY_LEADER, tree.county),
        "worker": user_factory(Role.GRID_WORKER, tree.grids[0]),
        "volunteer": volunteer,
        "stranger": user_factory(Role.VOLUNTEER, village, username="stranger"),  # on no roster
        "team": team,
        "me": make_member(team, "李志愿", user=volunteer),
        "named": make_member(team, "张无机"),
        "outsider": make_member(theirs_team, "赵外镇"),
        "festival": make_event(village, "重阳节敬老志愿服务", starts_in=timedelta(minutes=30)),
        "theirs": make_event(other_village, "天度镇清洁家园", starts_in=timedelta(minutes=30)),
    }

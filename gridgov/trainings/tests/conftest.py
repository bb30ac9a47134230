from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gridgov.core.access import Role
from gridgov.teams.models import Team, TeamKind, TeamMember
from gridgov.trainings.models import Course, Session


def make_team(code: str, kind: str = TeamKind.LEGAL_UNDERSTANDERS) -> Team:
    team = Team(kind=kind, name=f"{code}法律明白人队伍", created_at=timezone.now())
    team.set_region_code(code)
    team.save()
    return team


def make_member(team: Team, name: str, user: Any = None, code: str = "") -> TeamMember:
    member = TeamMember(team=team, name=name, user=user, joined_on=timezone.localdate())
    member.set_region_code(code or team.region_code)
    member.save()
    return member


def make_course(
    code: str,
    title: str = "法律明白人培训",
    *,
    kind: str = TeamKind.LEGAL_UNDERSTANDERS,
    validity_months: int = 24,
    pass_mark: int = 60,
) -> Course:
    course = Course(
        kind=kind,
        title=title,
        hours=8,
        validity_months=validity_months,
        pass_mark=pass_mark,
        created_at=timezone.now(),
    )
    course.set_region_code(code)
    course.save()
    return course


def make_session(
    course: Course,
    code: str = "",
    *,
    starts_in: timedelta = timedelta(days=-2),
    capacity: int = 30,
    starts_at: Any = None,
) -> Session:
    start = starts_at or timezone.now() + starts_in
    session = Session(
        course=course,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        trainer="王律师",
        capacity=capacity,
        address="村委会会议室",
        created_at=timezone.now(),
    )
    session.set_region_code(code or course.region_code)
    session.save()
    return session


@pytest.fixture
def world(tree: Any, user_factory: Any) -> dict[str, Any]:
    town, other_town = tree.towns[0], tree.towns[1]
    village = next(code for code in tree.villages if code.startswith(town))
    other_village = next(code for code in tree.villages if code.startswith(other_town))
    secretary = user_factory(Role.VILLAGE_SECRETARY, village)
    team = make_team(village)
    theirs_team = make_team(other_village)
    course = make_course(town)
    theirs_course = make_course(other_town, "天度镇法律明白人培训")
    return {
        "tree": tree,
        "town": town,
        "village": village,
        "other_village": other_village,
        "official": user_factory(Role.TOWN_OFFICIAL, town),
        "secretary": secretary,
        "leader": user_factory(Role.COUNTY_LEADER, tree.county),
        "worker": user_factory(Role.GRID_WORKER, tree.grids[0]),
        "team": team,
        "ann": make_member(team, "李明白", user=secretary),
        "bo": make_member(team, "张学法"),
        "cy": make_member(team, "赵守法"),
        "outsider": make_member(theirs_team, "钱外镇"),
        "course": course,
        "session": make_session(course, village),
        "theirs": make_session(theirs_course, other_village),
    }

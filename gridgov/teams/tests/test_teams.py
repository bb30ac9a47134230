"""The teams' rosters: listed for the actor's places by kind with how many serve, a team's
roster by API and page, members added (with their account where they have one) and leaving;
bad input a form error with nothing saved, another town 404, a role without the teams 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.teams.models import Team, TeamKind, TeamMember

pytestmark = pytest.mark.django_db

TEAMS = "/api/v1/teams/"


def _team(code: str, kind: str = TeamKind.VOLUNTEERS, name: str = "") -> Team:
    team = Team(kind=kind, name=name or f"{code}{kind}", created_at=timezone.now())
    team.set_region_code(code)
    team.save()
    return team


def _member(team: Team, name: str, code: str = "", left: bool = False) -> TeamMember:
    member = TeamMember(
        team=team,
        name=name,
        joined_on=timezone.localdate(),
        left_on=timezone.localdate() if left else None,
    )
    member.set_region_code(code or team.region_code)
    member.save()
    return member


@pytest.fixture
def world(tree: Any, user_factory: Any) -> dict[str, Any]:
    town, other_town = tree.towns[0], tree.towns[1]
    village = next(code for code in tree.villages if code.startswith(town))
    grid = next(code for code in tree.grids if code.startswith(village))
    ours = _team(village, TeamKind.VOLUNTEERS, "东风村志愿者服务队")
    _member(ours, "王志愿", grid)
    _member(ours, "李离队", grid, left=True)
    party = _team(town, TeamKind.PARTY_MEMBERS, "城关党员先锋队")
    theirs = _team(other_town, TeamKind.VOLUNTEERS, "天度志愿者服务队")
    _member(theirs, "赵外镇")
    return {
        "tree": tree,
        "village": village,
        "grid": grid,
        "ours": ours,
        "party": party,
        "theirs": theirs,
        "official": user_factory(Role.TOWN_OFFICIAL, town),
        "secretary": user_factory(Role.VILLAGE_SECRETARY, village),
        "worker": user_factory(Role.GRID_WORKER, grid),
        "leader": user_factory(Role.COUNTY_LEADER, tree.county),
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_api_lists_the_teams_of_ones_places_with_those_serving(world, api_as):
    body = api_as(world["official"]).get(TEAMS).json()
    by_name = {row["name"]: row for row in body}
    # by place, the four teams in the county's order
    assert [row["name"] for row in body] == ["城关党员先锋队", "东风村志愿者服务队"]
    # the town's teams and its village's, not the other town's
    assert set(by_name) == {"东风村志愿者服务队", "城关党员先锋队"}
    # one serving: the member who left does not count
    assert by_name["东风村志愿者服务队"]["serving"] == 1
    assert by_name["城关党员先锋队"]["serving"] == 0
    only = api_as(world["official"]).get(TEAMS, {"kind": "party_members"}).json()
    assert [row["name"] for row in only] == ["城关党员先锋队"]
    # the county leader sees every town's
    assert len(api_as(world["leader"]).get(TEAMS).json()) == 3


def test_the_api_refuses_bad_filters_and_roles_without_the_teams(world, api_as):
    official = api_as(world["official"])
    assert official.get(TEAMS, {"kind": "astronauts"}).status_code == 400
    assert official.get(TEAMS, {"region": "12"}).status_code == 400
    assert api_as(world["worker"]).get(TEAMS).status_code == 403


def test_a_rosters_members_by_api_inside_only(world, api_as):
    official = api_as(world["official"])
    members = official.get(f"{TEAMS}{world['ours'].pk}/members/").json()
    assert [m["name"] for m in members] == ["王志愿"]
    everyone = official.get(f"{TEAMS}{world['ours'].pk}/members/", {"include_left": "true"})
    assert {m["name"] for m in everyone.json()} == {"王志愿", "李离队"}
    # another town's team answers as a missing one, and the look is audited
    assert official.get(f"{TEAMS}{world['theirs'].pk}/members/").status_code == 404
    assert official.get(f"{TEAMS}987654/members/").status_code == 404
    assert AuditEntry.objects.filter(action="team.view", outcome="denied").exists()
    assert api_as(world["worker"]).get(f"{TEAMS}{world['ours'].pk}/members/").status_code == 403


def test_the_pages_show_teams_by_name_and_place(world):
    client = client_for(world["official"])
    page = client.get("/teams/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "东风村志愿者服务队" in text
    assert world["tree"].names[world["village"]] in text
    assert "天度志愿者服务队" not in text
    assert client.get("/teams/", {"kind": "astronauts"}).status_code == 400
    roster = client.get(f"/teams/{world['ours'].pk}/").content.decode()
    assert "王志愿" in roster
    assert "李离队" not in roster
    assert world["tree"].names[world["grid"]] in roster
    assert client.get(f"/teams/{world['theirs'].pk}/").status_code == 404
    assert client_for(world["worker"]).get("/teams/").status_code == 403


def test_the_village_adds_a_member_with_their_account_and_records_one_leaving(world):
    client = client_for(world["secretary"])
    team, worker = world["ours"], world["worker"]
    response = client.post(
        f"/teams/{team.pk}/",
        {
            "name": "张网格",
            "region_code": world["grid"],
            "username": worker.username,
            "duty": "队员",
        },
    )
    assert response.status_code == 302
    added = TeamMember.objects.get(name="张网格")
    assert (added.user, added.region_code, added.duty) == (worker, world["grid"], "队员")
    assert AuditEntry.objects.filter(action="teams.member_add").count() == 1
    leaving = TeamMember.objects.get(name="王志愿")
    assert client.post(f"/teams/{team.pk}/members/{leaving.pk}/leave/").status_code == 302
    leaving.refresh_from_db()
    assert leaving.left_on == timezone.localdate()
    # leaving twice is refused
    assert client.post(f"/teams/{team.pk}/members/{leaving.pk}/leave/").status_code == 409


def test_bad_members_are_form_errors_and_nothing_is_saved(world, user_factory):
    client = client_for(world["secretary"])
    team = world["ours"]
    before = TeamMember.objects.count()
    stranger = user_factory(Role.GRID_WORKER, world["tree"].grids[-1])
    for data, field in [
        ({"name": ""}, "name"),
        ({"name": "张三", "region_code": world["tree"].towns[1]}, "region_code"),
        ({"name": "张三", "username": "nobody"}, "username"),
        ({"name": "张三", "username": stranger.username}, "username"),
    ]:
        response = client.post(f"/teams/{team.pk}/", data)
        assert response.status_code == 400, data
        assert field in response.context["form"].errors, data
    assert TeamMember.objects.count() == before


def test_only_those_keeping_the_place_may_change_its_roster(world):
    team = world["ours"]
    # the county leader reads the roster but keeps no team: no form, and a post is refused
    leader = client_for(world["leader"])
    roster = leader.get(f"/teams/{team.pk}/")
    assert roster.status_code == 200
    assert 'name="name"' not in roster.content.decode()
    assert leader.post(f"/teams/{team.pk}/", {"name": "张三"}).status_code == 403
    # another town's official cannot reach it at all
    member = TeamMember.objects.get(name="王志愿")
    theirs = client_for(world["official"])
    assert theirs.post(f"/teams/{world['theirs'].pk}/", {"name": "张三"}).status_code == 404
    assert theirs.post(f"/teams/{world['theirs'].pk}/members/{member.pk}/leave/").status_code == 404
    assert (
        client_for(world["worker"]).post(f"/teams/{team.pk}/", {"name": "张三"}).status_code == 403
    )
    assert not TeamMember.objects.filter(name="张三").exists()


def test_a_places_teams_are_listed_in_the_countys_order(world, api_as):
    _team(world["village"], TeamKind.LEGAL_UNDERSTANDERS, "东风村法律明白人")
    _team(world["village"], TeamKind.MEDIATORS, "东风村调解员队伍")
    _team(world["village"], TeamKind.PARTY_MEMBERS, "东风村党员先锋队")
    body = api_as(world["official"]).get(TEAMS, {"region": world["village"]}).json()
    # the four teams first (party members, grid workers, volunteers, mediators), then the rest
    assert [row["name"] for row in body] == [
        "东风村党员先锋队",
        "东风村志愿者服务队",
        "东风村调解员队伍",
        "东风村法律明白人",
    ]

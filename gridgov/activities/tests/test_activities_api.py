"""The front lines' log by API: listed for the actor's places (filtered by kind, place, person and
period, paged), logged where one works (bad input 400 with nothing saved), a patrol walked with
check-ins that must lie in the worker's grid, a problem found on it reported as a case in one
step, and finished; another jurisdiction 404, a role without the activities 403."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gridgov.activities.models import Activity, ActivityKind, CheckIn
from gridgov.activities.selectors import patrol_coverage
from gridgov.cases.models import Case, Category
from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.regions.geometry import to_shape
from gridgov.teams.models import Team, TeamKind, TeamMember

pytestmark = pytest.mark.django_db

LIST = "/api/v1/activities/"
PATROLS = "/api/v1/activities/patrols/"


def _point(tree: Any, code: str) -> tuple[float, float]:
    """(latitude, longitude) of a point inside the region."""
    point = to_shape(tree.region(code).boundary).representative_point()
    return point.y, point.x


def _activity(code: str, user: Any, kind: str = ActivityKind.SAFETY_PUBLICITY, **extra: Any):
    now = timezone.now()
    activity = Activity(
        kind=kind,
        started_at=extra.pop("started_at", now - timedelta(hours=2)),
        place=extra.pop("place", "村委会广场"),
        recorded_by=user,
        created_at=now,
        **extra,
    )
    activity.set_region_code(code)
    activity.save()
    activity.participants.add(user)
    return activity


@pytest.fixture
def world(tree: Any, user_factory: Any) -> dict[str, Any]:
    town, other_town = tree.towns[0], tree.towns[1]
    village = next(code for code in tree.villages if code.startswith(town))
    grid = next(code for code in tree.grids if code.startswith(village))
    other_grid = next(code for code in tree.grids if code.startswith(other_town))
    worker = user_factory(Role.GRID_WORKER, grid)
    stranger = user_factory(Role.GRID_WORKER, other_grid)
    return {
        "tree": tree,
        "town": town,
        "village": village,
        "grid": grid,
        "other_grid": other_grid,
        "worker": worker,
        "stranger": stranger,
        "official": user_factory(Role.TOWN_OFFICIAL, town),
        "secretary": user_factory(Role.VILLAGE_SECRETARY, village),
        "leader": user_factory(Role.COUNTY_LEADER, tree.county),
        "officer": user_factory(Role.INFO_OFFICER, grid),
        "ours": _activity(grid, worker, topic="防火宣传"),
        "theirs": _activity(other_grid, stranger, topic="防溺水宣传"),
    }


def _publicity(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "safety_publicity",
        "started_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "ended_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "place": "村文化广场",
        "topic": "冬季防火",
        "audience": 45,
        "outcome": "发放传单200份",
        **extra,
    }


# Listing


def test_the_list_shows_the_activities_of_ones_places_paged(world, api_as):
    body = api_as(world["official"]).get(LIST).json()
    assert body["count"] == 1
    assert [row["topic"] for row in body["results"]] == ["防火宣传"]
    row = body["results"][0]
    assert row["kind_name"]
    assert row["recorded_by"]["username"] == world["worker"].username
    assert row["participants"][0]["username"] == world["worker"].username
    # the county sees every town's
    assert api_as(world["leader"]).get(LIST).json()["count"] == 2
    # paged like the other lists
    page = api_as(world["leader"]).get(LIST, {"page_size": 1}).json()
    assert page["count"] == 2
    assert len(page["results"]) == 1
    assert page["next"]


def test_the_list_filters_by_kind_place_person_and_period(world, api_as):
    leader = api_as(world["leader"])
    old = _activity(
        world["grid"],
        world["worker"],
        ActivityKind.LAW_EDUCATION,
        topic="宪法进校园",
        started_at=timezone.now() - timedelta(days=40),
    )
    assert [r["id"] for r in leader.get(LIST, {"kind": "law_education"}).json()["results"]] == [
        old.pk
    ]
    by_place = leader.get(LIST, {"region": world["other_grid"]}).json()["results"]
    assert [r["id"] for r in by_place] == [world["theirs"].pk]
    by_person = leader.get(LIST, {"person": world["stranger"].username}).json()["results"]
    assert [r["id"] for r in by_person] == [world["theirs"].pk]
    today = timezone.localdate()
    recent = leader.get(LIST, {"since": str(today - timedelta(days=7))}).json()
    assert old.pk not in {r["id"] for r in recent["results"]}
    assert recent["count"] == 2
    earlier = leader.get(
        LIST, {"since": str(today - timedelta(days=60)), "until": str(today - timedelta(days=30))}
    ).json()
    assert [r["id"] for r in earlier["results"]] == [old.pk]


def test_the_list_refuses_bad_filters_and_roles_without_activities(world, api_as):
    official = api_as(world["official"])
    assert official.get(LIST, {"kind": "picnic"}).status_code == 400
    assert official.get(LIST, {"region": "12"}).status_code == 400
    assert official.get(LIST, {"since": "yesterday"}).status_code == 400
    assert official.get(LIST, {"since": "2026-03-02", "until": "2026-03-01"}).status_code == 400
    assert api_as(world["officer"]).get(LIST).status_code == 403


def test_one_activity_inside_only(world, api_as):
    official = api_as(world["official"])
    assert official.get(f"{LIST}{world['ours'].pk}/").json()["topic"] == "防火宣传"
    assert official.get(f"{LIST}{world['theirs'].pk}/").status_code == 404
    assert official.get(f"{LIST}987654/").status_code == 404
    assert AuditEntry.objects.filter(action="activity.view", outcome="denied").exists()
    assert api_as(world["officer"]).get(f"{LIST}{world['ours'].pk}/").status_code == 403


# Logging


def test_a_grid_worker_logs_safety_publicity_in_their_grid(world, api_as):
    response = api_as(world["worker"]).post(LIST, _publicity(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    activity = Activity.objects.get(pk=body["id"])
    # their own grid, without saying so; they are the first participant
    assert activity.region_code == world["grid"]
    assert (activity.audience, activity.place, activity.topic) == (45, "村文化广场", "冬季防火")
    assert list(activity.participants.all()) == [world["worker"]]
    assert response["Location"] == f"{LIST}{activity.pk}/"
    assert AuditEntry.objects.filter(action="activities.log", object_id=str(activity.pk)).exists()


def test_a_village_logs_a_school_lecture_with_colleagues_and_team_members(world, api_as):
    team = Team(kind=TeamKind.LEGAL_UNDERSTANDERS, name="法律明白人", created_at=timezone.now())
    team.set_region_code(world["village"])
    team.save()
    member = TeamMember(team=team, name="王明白", joined_on=timezone.localdate())
    member.set_region_code(world["village"])
    member.save()
    data = _publicity(
        kind="law_education",
        region_code=world["village"],
        place="城关小学",
        school="城关小学",
        lecturer="李法官（法治副校长）",
        audience=320,
        participants=[world["worker"].username],
        team_members=[member.pk],
    )
    response = api_as(world["secretary"]).post(LIST, data, format="json")
    assert response.status_code == 201, response.json()
    activity = Activity.objects.get(pk=response.json()["id"])
    assert (activity.school, activity.lecturer) == ("城关小学", "李法官（法治副校长）")
    assert set(activity.participants.all()) == {world["secretary"], world["worker"]}
    assert list(activity.team_members.all()) == [member]
    assert response.json()["team_members"] == ["王明白"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "picnic"}, "kind"),
        ({"kind": "patrol"}, "kind"),
        ({"place": ""}, "place"),
        ({"audience": -1}, "audience"),
        ({"started_at": "soon"}, "started_at"),
        ({"started_at": (timezone.now() + timedelta(days=1)).isoformat()}, "started_at"),
        ({"started_at": (timezone.now() - timedelta(days=400)).isoformat()}, "started_at"),
        ({"ended_at": (timezone.now() - timedelta(days=1)).isoformat()}, "ended_at"),
        ({"school": "城关小学"}, "school"),
        ({"mediation_file_number": "X-1"}, "mediation_file_number"),
        ({"participants": ["nobody-here"]}, "participants"),
        ({"team_members": [987654]}, "team_members"),
        ({"region_code": "610324100200001"}, "region_code"),
        ({"region_code": "610324001999001"}, "region_code"),
    ],
)
def test_bad_activities_are_400_with_nothing_saved(world, api_as, change, field):
    before = Activity.objects.count()
    response = api_as(world["worker"]).post(LIST, _publicity(**change), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json(), response.json()
    assert Activity.objects.count() == before


def test_a_mediation_file_is_linked_through_the_mediation_work_only_for_a_mediation(world, api_as):
    # a worker has no mediation files to see: the number is refused, not half-saved
    data = _publicity(kind="dispute_mediation", mediation_file_number="610324-TJ-0001")
    response = api_as(world["official"]).post(
        LIST, {**data, "region_code": world["village"]}, format="json"
    )
    assert response.status_code == 400
    assert "mediation_file_number" in response.json()


def test_roles_without_the_log_are_refused(world, api_as):
    assert api_as(world["leader"]).post(LIST, _publicity(), format="json").status_code == 403
    assert api_as(world["officer"]).post(LIST, _publicity(), format="json").status_code == 403
    assert not Activity.objects.filter(place="村文化广场").exists()


# The patrol


def test_a_worker_walks_a_patrol_checks_in_reports_a_problem_and_finishes(world, api_as):
    worker = api_as(world["worker"])
    started = worker.post(PATROLS, {}, format="json")
    assert started.status_code == 201, started.json()
    patrol_id = started.json()["id"]
    assert started.json()["ended_at"] is None
    # a second patrol waits until this one is finished
    assert worker.post(PATROLS, {}, format="json").status_code == 409
    lat, lng = _point(world["tree"], world["grid"])
    checked = worker.post(
        f"{LIST}{patrol_id}/check-ins/",
        {"latitude": lat, "longitude": lng, "accuracy_m": 12},
        format="json",
    )
    assert checked.status_code == 201, checked.json()
    assert checked.json()["region_code"].startswith(world["grid"])
    category = Category.objects.filter(is_active=True, is_dispute=False, children=None).first()
    assert category is not None
    reported = worker.post(
        f"{LIST}{patrol_id}/problems/",
        {"category": category.code, "description": "路灯不亮", "latitude": lat, "longitude": lng},
        format="json",
    )
    assert reported.status_code == 201, reported.json()
    case = Case.objects.get(number=reported.json()["number"])
    assert (case.channel, case.reporter) == ("grid_patrol", world["worker"])
    finished = worker.post(f"{LIST}{patrol_id}/finish/", {"outcome": "巡查正常"}, format="json")
    assert finished.status_code == 200, finished.json()
    body = finished.json()
    assert body["ended_at"]
    assert body["outcome"] == "巡查正常"
    assert body["cases"] == [case.number]
    # the check-in and the problem's place are the route
    assert len(body["check_ins"]) == 2
    # finished: no more check-ins, no second finish
    again = worker.post(
        f"{LIST}{patrol_id}/check-ins/", {"latitude": lat, "longitude": lng}, format="json"
    )
    assert again.status_code == 409
    assert worker.post(f"{LIST}{patrol_id}/finish/", {}, format="json").status_code == 409


def test_a_check_in_outside_the_workers_grid_is_refused(world, api_as):
    worker = api_as(world["worker"])
    patrol_id = worker.post(PATROLS, {}, format="json").json()["id"]
    path = f"{LIST}{patrol_id}/check-ins/"
    lat, lng = _point(world["tree"], world["other_grid"])
    outside = worker.post(path, {"latitude": lat, "longitude": lng}, format="json")
    assert outside.status_code == 400
    assert outside.json()["errors"]["location"][0]["code"] == "activities.point_outside_yours"
    sea = worker.post(path, {"latitude": 30.0, "longitude": 125.0}, format="json")
    assert sea.status_code == 400
    assert worker.post(path, {"latitude": 95, "longitude": 107}, format="json").status_code == 400
    assert worker.post(path, {"latitude": "north"}, format="json").status_code == 400
    assert not CheckIn.objects.exists()


def test_a_problem_that_fails_leaves_no_case_and_no_check_in(world, api_as):
    worker = api_as(world["worker"])
    patrol_id = worker.post(PATROLS, {}, format="json").json()["id"]
    lat, lng = _point(world["tree"], world["grid"])
    bad = worker.post(
        f"{LIST}{patrol_id}/problems/",
        {"category": "no-such", "description": "x", "latitude": lat, "longitude": lng},
        format="json",
    )
    assert bad.status_code == 400
    assert not Case.objects.exists()
    assert not CheckIn.objects.exists()


def test_another_persons_or_places_patrol_is_not_yours_to_walk(world, api_as):
    patrol_id = api_as(world["worker"]).post(PATROLS, {}, format="json").json()["id"]
    lat, lng = _point(world["tree"], world["grid"])
    body = {"latitude": lat, "longitude": lng}
    # another town's worker cannot reach it; the village sees it but does not walk it
    stranger = api_as(world["stranger"])
    assert stranger.post(f"{LIST}{patrol_id}/check-ins/", body, format="json").status_code == 404
    assert stranger.post(f"{LIST}{patrol_id}/finish/", {}, format="json").status_code == 404
    secretary = api_as(world["secretary"])
    assert secretary.post(f"{LIST}{patrol_id}/check-ins/", body, format="json").status_code == 403
    assert api_as(world["leader"]).post(f"{LIST}{patrol_id}/finish/", {}).status_code == 403
    assert api_as(world["officer"]).post(PATROLS, {}, format="json").status_code == 403
    # a logged activity is not a patrol
    ours = world["ours"].pk
    response = api_as(world["worker"]).post(f"{LIST}{ours}/check-ins/", body, format="json")
    assert response.status_code == 409
    assert not CheckIn.objects.exists()


def test_patrol_coverage_counts_finished_patrols_and_the_grids_checked_in(world, api_as):
    worker = api_as(world["worker"])
    lat, lng = _point(world["tree"], world["grid"])
    for _ in range(2):
        patrol_id = worker.post(PATROLS, {}, format="json").json()["id"]
        worker.post(
            f"{LIST}{patrol_id}/check-ins/", {"latitude": lat, "longitude": lng}, format="json"
        )
        worker.post(f"{LIST}{patrol_id}/finish/", {}, format="json")
    worker.post(PATROLS, {}, format="json")  # under way: not counted yet
    now = timezone.now()
    coverage = patrol_coverage(
        scope_code=world["town"], since=now - timedelta(days=1), until=now + timedelta(days=1)
    )
    assert set(coverage) == {world["worker"].pk}
    assert coverage[world["worker"].pk].patrols == 2
    assert coverage[world["worker"].pk].grids == {world["grid"]}
    # another town, another period: nothing
    other = patrol_coverage(
        scope_code=world["tree"].towns[1], since=now - timedelta(days=1), until=now
    )
    assert other == {}
    earlier = patrol_coverage(
        scope_code=world["town"], since=now - timedelta(days=9), until=now - timedelta(days=1)
    )
    assert earlier == {}
    # limited to what an actor may see
    seen = patrol_coverage(
        scope_code=world["tree"].county,
        since=now - timedelta(days=1),
        until=now + timedelta(days=1),
        actor=world["stranger"],
    )
    assert seen == {}

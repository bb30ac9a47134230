"""The activities' pages: the desk list filtered by kind and period with names of places, the
log form (form errors with nothing saved), one activity, and "my patrol" walked on a phone:
start, check in, report a problem as a case, finish; a household visit goes in the log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gridgov.activities.models import Activity, ActivityKind, CheckIn
from gridgov.activities.tests.test_activities_api import _activity, _point
from gridgov.cases.models import Case, Category
from gridgov.core.access import Role
from gridgov.people.models import Household

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(tree: Any, user_factory: Any) -> dict[str, Any]:
    town = tree.towns[0]
    village = next(code for code in tree.villages if code.startswith(town))
    grid = next(code for code in tree.grids if code.startswith(village))
    other_grid = next(code for code in tree.grids if code.startswith(tree.towns[1]))
    worker = user_factory(Role.GRID_WORKER, grid)
    stranger = user_factory(Role.GRID_WORKER, other_grid)
    return {
        "tree": tree,
        "town": town,
        "grid": grid,
        "other_grid": other_grid,
        "worker": worker,
        "stranger": stranger,
        "official": user_factory(Role.TOWN_OFFICIAL, town),
        "officer": user_factory(Role.INFO_OFFICER, grid),
        "ours": _activity(grid, worker, ActivityKind.LAW_EDUCATION, topic="宪法进校园"),
        "theirs": _activity(other_grid, stranger, topic="防溺水宣传"),
    }


def test_the_desk_list_shows_ones_places_by_name_filtered_by_kind_and_period(world):
    client = client_for(world["official"])
    page = client.get("/activities/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "宪法进校园" in text
    assert world["tree"].names[world["grid"]] in text
    assert "防溺水宣传" not in text
    only = client.get("/activities/", {"kind": "safety_publicity"}).content.decode()
    assert "宪法进校园" not in only
    today = timezone.localdate()
    old = client.get("/activities/", {"until": str(today - timedelta(days=3))}).content.decode()
    assert "宪法进校园" not in old
    assert client.get("/activities/", {"kind": "picnic"}).status_code == 400
    assert client.get(
        "/activities/", {"since": "2026-03-02", "until": "2026-03-01"}
    ).status_code == (400)
    assert client_for(world["officer"]).get("/activities/").status_code == 403


def test_a_worker_logs_an_activity_on_the_form(world):
    client = client_for(world["worker"])
    assert client.get("/activities/new/").status_code == 200
    started = timezone.localtime() - timedelta(hours=2)
    data = {
        "kind": "security_prevention",
        "topic": "夜间防盗提醒",
        "started_at": started.strftime("%Y-%m-%dT%H:%M"),
        "region_code": world["grid"],
        "place": "西街",
        "audience": "12",
    }
    response = client.post("/activities/new/", data)
    assert response.status_code == 302
    activity = Activity.objects.get(topic="夜间防盗提醒")
    assert (activity.kind, activity.region_code, activity.audience) == (
        "security_prevention",
        world["grid"],
        12,
    )
    assert response["Location"] == f"/activities/{activity.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "夜间防盗提醒" in detail
    assert world["tree"].names[world["grid"]] in detail


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"place": ""}, "place"),
        ({"kind": "patrol"}, "kind"),
        ({"school": "城关小学"}, "school"),
        ({"started_at": "2020-01-01T08:00"}, "started_at"),
    ],
)
def test_bad_activities_are_form_errors_with_nothing_saved(world, change, field):
    before = Activity.objects.count()
    started = timezone.localtime() - timedelta(hours=2)
    data = {
        "kind": "safety_publicity",
        "started_at": started.strftime("%Y-%m-%dT%H:%M"),
        "place": "西街",
        **change,
    }
    response = client_for(world["worker"]).post("/activities/new/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Activity.objects.count() == before


def test_pages_answer_404_outside_and_403_to_roles_without_them(world):
    client = client_for(world["official"])
    assert client.get(f"/activities/{world['ours'].pk}/").status_code == 200
    assert client.get(f"/activities/{world['theirs'].pk}/").status_code == 404
    officer = client_for(world["officer"])
    assert officer.get(f"/activities/{world['ours'].pk}/").status_code == 403
    assert officer.get("/activities/patrol/").status_code == 403
    assert officer.post("/activities/patrol/start/").status_code == 403
    assert client_for(world["stranger"]).post(
        f"/activities/{world['ours'].pk}/finish/"
    ).status_code == (404)


def test_a_worker_walks_a_patrol_on_the_phone_pages(world):
    client = client_for(world["worker"])
    assert "start-button" in client.get("/activities/patrol/").content.decode()
    assert client.post("/activities/patrol/start/").status_code == 302
    patrol = Activity.objects.get(kind=ActivityKind.PATROL, recorded_by=world["worker"])
    # a second start is refused while it is under way
    assert client.post("/activities/patrol/start/").status_code == 409
    lat, lng = _point(world["tree"], world["grid"])
    checked = client.post(
        f"/activities/{patrol.pk}/check-in/", {"latitude": lat, "longitude": lng, "note": "村口"}
    )
    assert checked.status_code == 302
    # no position: the page says so, nothing saved
    assert client.post(f"/activities/{patrol.pk}/check-in/", {}).status_code == 400
    far_lat, far_lng = _point(world["tree"], world["other_grid"])
    outside = client.post(
        f"/activities/{patrol.pk}/check-in/", {"latitude": far_lat, "longitude": far_lng}
    )
    assert outside.status_code == 400
    assert CheckIn.objects.filter(activity=patrol).count() == 1
    page = client.get("/activities/patrol/").content.decode()
    assert "村口" in page
    assert world["tree"].names[world["grid"]] in page
    category = Category.objects.filter(is_active=True, is_dispute=False, children=None).first()
    assert category is not None
    assert client.get(f"/activities/{patrol.pk}/problem/").status_code == 200
    bad = client.post(f"/activities/{patrol.pk}/problem/", {"description": "井盖丢失"})
    assert bad.status_code == 400
    assert not Case.objects.exists()
    reported = client.post(
        f"/activities/{patrol.pk}/problem/",
        {"category": category.code, "description": "井盖丢失", "latitude": lat, "longitude": lng},
    )
    assert reported.status_code == 302
    case = Case.objects.get()
    assert list(patrol.cases.all()) == [case]
    finished = client.post(f"/activities/{patrol.pk}/finish/", {"outcome": "巡查完毕"})
    assert finished.status_code == 302
    patrol.refresh_from_db()
    assert patrol.ended_at is not None
    assert patrol.outcome == "巡查完毕"
    detail = client.get(finished["Location"]).content.decode()
    assert case.number in detail
    assert "村口" in detail


def test_a_household_visit_goes_in_the_workers_log(world):
    from gridgov.demo.people import write_register

    micro = next(code for code in world["tree"].micro_grids if code.startswith(world["grid"]))
    write_register(grid_codes=[micro], households_per_grid=1)
    household = Household.objects.filter(region_code=micro).first()
    assert household is not None
    client = client_for(world["worker"])
    response = client.post(
        f"/round/households/{household.pk}/visit/",
        {"visited_on": str(timezone.localdate()), "found": "老人身体好"},
    )
    assert response.status_code == 302
    activity = Activity.objects.get(kind=ActivityKind.SERVICE_MANAGEMENT)
    assert activity.visit is not None
    assert activity.visit.household == household
    assert (activity.recorded_by, activity.region_code) == (world["worker"], micro)
    assert activity.outcome == "老人身体好"
    log = client.get("/activities/", {"mine": "on"}).content.decode()
    assert f'data-activity="{activity.pk}"' in log


def test_the_form_names_the_team_members_who_took_part(world):
    # given the village's volunteers and a volunteer of another town
    from gridgov.volunteers.tests.conftest import make_member, make_team

    village = world["grid"][:9]
    ours = make_member(make_team(village), "陈志愿")
    theirs = make_member(make_team(world["other_grid"][:9]), "赵外镇")
    client = client_for(world["official"])
    page = client.get("/activities/new/").content.decode()
    # offered by name with their team, grouped by place, not those of another town
    assert "陈志愿 · 志愿者" in page
    assert world["tree"].names[village] in page
    assert "赵外镇" not in page
    started = timezone.localtime() - timedelta(hours=2)
    data = {
        "kind": "safety_publicity",
        "topic": "防火宣传",
        "started_at": started.strftime("%Y-%m-%dT%H:%M"),
        "region_code": village,
        "place": "村委会广场",
        "team_members": [str(ours.pk)],
    }
    response = client.post("/activities/new/", data)
    assert response.status_code == 302
    activity = Activity.objects.get(topic="防火宣传")
    assert list(activity.team_members.values_list("name", flat=True)) == ["陈志愿"]
    # one not offered is a form error, and nothing is saved
    refused = client.post(
        "/activities/new/", {**data, "topic": "另一次", "team_members": [str(theirs.pk)]}
    )
    assert refused.status_code == 400
    assert "team_members" in refused.context["form"].errors
    assert not Activity.objects.filter(topic="另一次").exists()

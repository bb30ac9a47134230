"""Service events by API: an organiser holds one; a volunteer signs up, checks in and out on a
phone and the minutes follow; an organiser does it for a volunteer without a phone and corrects
the minutes; hours and stars add up. Bad input 400 with nothing saved, another town's event 404,
a role without volunteer service 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gridgov.core.models import AuditEntry
from gridgov.volunteers.models import ServiceEvent, SignUp
from gridgov.volunteers.tests.conftest import make_event

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/volunteer-events/"


def _event_body(place: str, **changes):
    start = timezone.now() + timedelta(days=3)
    body = {
        "title": "端午节社区志愿服务",
        "region": place,
        "address": "村委会广场",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=4)).isoformat(),
        "capacity": 20,
    }
    return body | changes


def test_an_organiser_holds_an_event_and_lists_only_their_places(world, api_as):
    official = api_as(world["official"])
    response = official.post(EVENTS, _event_body(world["village"]), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["title"] == "端午节社区志愿服务"
    assert created["sign_ups"] == []
    assert response["Location"].endswith(f"{EVENTS}{created['id']}/")
    body = official.get(EVENTS).json()
    titles = [row["title"] for row in body["results"]]
    assert body["count"] == 2
    assert "端午节社区志愿服务" in titles
    assert "重阳节敬老志愿服务" in titles
    assert "天度镇清洁家园" not in titles
    assert AuditEntry.objects.filter(action="volunteers.event_create").count() == 1
    # the county leader reads every town's
    assert api_as(world["leader"]).get(EVENTS).json()["count"] == 3


def test_bad_events_are_400_with_nothing_saved(world, api_as):
    official = api_as(world["official"])
    before = ServiceEvent.objects.count()
    start = timezone.now() + timedelta(days=1)
    for changes, field in [
        ({"title": ""}, "title"),
        ({"region": world["other_village"]}, "region_code"),
        # well formed and inside the town, but no such village
        ({"region": world["town"] + "999"}, "region_code"),
        ({"capacity": 0}, "capacity"),
        (
            {"ends_at": (start - timedelta(hours=1)).isoformat(), "starts_at": start.isoformat()},
            "ends_at",
        ),
        (
            {"ends_at": (start + timedelta(days=30)).isoformat(), "starts_at": start.isoformat()},
            "ends_at",
        ),
        ({"starts_at": "tomorrow"}, "starts_at"),
    ]:
        response = official.post(EVENTS, _event_body(world["village"], **changes), format="json")
        assert response.status_code == 400, changes
        assert field in response.json(), (changes, response.json())
    assert official.get(EVENTS, {"region": "12"}).status_code == 400
    assert ServiceEvent.objects.count() == before


def test_roles_without_volunteer_service_are_refused(world, api_as):
    worker = api_as(world["worker"])
    assert worker.get(EVENTS).status_code == 403
    assert worker.post(EVENTS, _event_body(world["village"]), format="json").status_code == 403
    # a volunteer sees the events but holds none
    volunteer = api_as(world["volunteer"])
    assert volunteer.get(EVENTS).json()["count"] == 1
    assert volunteer.post(EVENTS, _event_body(world["village"]), format="json").status_code == 403
    assert ServiceEvent.objects.count() == 2


def test_a_volunteer_signs_up_checks_in_and_out_and_the_minutes_follow(world, api_as):
    volunteer = api_as(world["volunteer"])
    event = world["festival"]
    url = f"{EVENTS}{event.pk}/"
    signed = volunteer.post(f"{url}sign-up/", {}, format="json")
    assert signed.status_code == 200, signed.json()
    assert signed.json()["name"] == "李志愿"
    # twice is refused
    assert volunteer.post(f"{url}sign-up/", {}, format="json").status_code == 409
    # checking out before checking in is refused
    assert volunteer.post(f"{url}check-out/", {}, format="json").status_code == 409
    assert volunteer.post(f"{url}check-in/", {}, format="json").status_code == 200
    assert volunteer.post(f"{url}check-in/", {}, format="json").status_code == 409
    entry = SignUp.objects.get(event=event, member=world["me"])
    # a volunteer's own time is now, whatever they send
    entry.checked_in_at = timezone.now() - timedelta(hours=2)
    entry.save()
    out = volunteer.post(f"{url}check-out/", {"at": "2020-01-01T00:00:00Z"}, format="json")
    assert out.status_code == 200
    # in two hours ago, but setting up counts from an hour before the start (30 minutes ago)
    assert 29 <= out.json()["minutes"] <= 31
    detail = volunteer.get(url).json()
    assert [s["name"] for s in detail["sign_ups"]] == ["李志愿"]
    assert AuditEntry.objects.filter(action__startswith="volunteers.check_").count() == 2


def test_check_in_opens_an_hour_before_the_start(world, api_as):
    later = make_event(world["village"], "下周义诊", starts_in=timedelta(days=7))
    volunteer = api_as(world["volunteer"])
    assert volunteer.post(f"{EVENTS}{later.pk}/sign-up/", {}, format="json").status_code == 200
    response = volunteer.post(f"{EVENTS}{later.pk}/check-in/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "volunteers.too_early"


def test_a_full_or_finished_event_takes_nobody(world, api_as):
    official = api_as(world["official"])
    small = make_event(world["village"], "小型活动", starts_in=timedelta(hours=2), capacity=1)
    over = make_event(world["village"], "已结束", starts_in=timedelta(days=-2))
    url = f"{EVENTS}{small.pk}/sign-up/"
    assert official.post(url, {"member": world["named"].pk}, format="json").status_code == 200
    full = api_as(world["volunteer"]).post(url, {}, format="json")
    assert (full.status_code, full.json()["code"]) == (409, "volunteers.event_full")
    late = official.post(
        f"{EVENTS}{over.pk}/sign-up/", {"member": world["named"].pk}, format="json"
    )
    assert (late.status_code, late.json()["code"]) == (409, "volunteers.event_over")


def test_someone_on_no_roster_cannot_sign_up(world, api_as):
    url = f"{EVENTS}{world['festival'].pk}/sign-up/"
    response = api_as(world["stranger"]).post(url, {}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "volunteers.not_a_volunteer")
    assert not SignUp.objects.exists()


def test_an_organiser_acts_for_a_volunteer_without_a_phone_and_corrects_the_minutes(world, api_as):
    official = api_as(world["official"])
    event = world["festival"]
    url = f"{EVENTS}{event.pk}/"
    member = world["named"].pk
    assert official.post(f"{url}sign-up/", {"member": member}, format="json").status_code == 200
    start = event.starts_at
    checked = official.post(
        f"{url}check-in/",
        {"member": member, "at": (start - timedelta(minutes=10)).isoformat()},
        format="json",
    )
    # the event starts in 30 minutes: a check-in time in the future is refused
    assert checked.status_code == 400
    assert official.post(f"{url}check-in/", {"member": member}, format="json").status_code == 200
    assert official.post(f"{url}check-out/", {"member": member}, format="json").status_code == 200
    # the minutes are near nothing; the organiser corrects them, with a reason
    assert (
        official.post(
            f"{url}correct/", {"member": member, "minutes": 180}, format="json"
        ).status_code
        == 400
    )
    fixed = official.post(
        f"{url}correct/",
        {"member": member, "minutes": 180, "note": "手机没电，按签到表补录"},
        format="json",
    )
    assert fixed.status_code == 200
    assert (fixed.json()["minutes"], fixed.json()["corrected"]) == (180, True)
    # a volunteer may not correct, nor act for someone else
    volunteer = api_as(world["volunteer"])
    assert (
        volunteer.post(
            f"{url}correct/", {"member": member, "minutes": 600, "note": "x"}, format="json"
        ).status_code
        == 403
    )
    assert volunteer.post(f"{url}sign-up/", {"member": member}, format="json").status_code == 403
    # a member of another town cannot be signed up here
    outsider = official.post(f"{url}sign-up/", {"member": world["outsider"].pk}, format="json")
    assert outsider.status_code == 400
    assert SignUp.objects.get(member=world["named"]).minutes == 180


def test_another_towns_event_is_404_and_audited(world, api_as):
    theirs = world["theirs"].pk
    official = api_as(world["official"])
    assert official.get(f"{EVENTS}{theirs}/").status_code == 404
    assert official.get(f"{EVENTS}987654/").status_code == 404
    assert (
        official.post(
            f"{EVENTS}{theirs}/sign-up/", {"member": world["named"].pk}, format="json"
        ).status_code
        == 404
    )
    assert (
        api_as(world["volunteer"])
        .post(f"{EVENTS}{theirs}/check-in/", {}, format="json")
        .status_code
        == 404
    )
    assert AuditEntry.objects.filter(action="volunteer_event.view", outcome="denied").exists()
    assert not SignUp.objects.exists()


def test_hours_add_up_across_events_and_earn_stars(world, api_as):
    official = api_as(world["official"])
    # 101 hours over past events for the volunteer, 20 for the named member
    for index, (member, minutes) in enumerate(
        [("me", 101 * 60 - 700), ("me", 700), ("named", 1200)]
    ):
        past = make_event(
            world["village"], f"往期活动{index}", starts_in=timedelta(days=-10 - index)
        )
        SignUp.objects.create(
            event=past, member=world[member], signed_up_at=past.starts_at, minutes=minutes
        )
    rows = official.get("/api/v1/volunteer-hours/").json()["results"]
    assert [(r["name"], r["hours"], r["stars"], r["events"]) for r in rows] == [
        ("李志愿", 101.0, 1, 2),
        ("张无机", 20.0, 0, 1),
    ]
    assert rows[0]["to_next_star"] == 199.0
    starred = official.get("/api/v1/volunteer-hours/", {"min_stars": 1}).json()["results"]
    assert [r["name"] for r in starred] == ["李志愿"]
    assert official.get("/api/v1/volunteer-hours/", {"min_stars": 9}).status_code == 400
    assert api_as(world["worker"]).get("/api/v1/volunteer-hours/").status_code == 403


def test_a_volunteer_sees_and_joins_the_events_of_their_village_and_town(world, api_as, tree):
    # given events at the volunteer's town, at a village of it that is not theirs, and at the
    # county (the volunteer serves at their village)
    town_event = make_event(world["town"], "镇文明劝导", starts_in=timedelta(days=2))
    sibling = next(
        code
        for code in tree.villages
        if code.startswith(world["town"]) and code != world["village"]
    )
    sibling_event = make_event(sibling, "邻村义诊", starts_in=timedelta(days=2))
    county_event = make_event(tree.county, "全县志愿者大会", starts_in=timedelta(days=2))
    volunteer = api_as(world["volunteer"])
    # when they list the events
    listed = {row["title"] for row in volunteer.get(EVENTS).json()["results"]}
    # then they see their own village's and their town's, not a neighbour's or the county's
    assert {"重阳节敬老志愿服务", "镇文明劝导"} <= listed
    assert not listed & {"邻村义诊", "全县志愿者大会", "天度镇清洁家园"}
    # and may sign up for their town's event (a neighbour village's answers 404)
    response = volunteer.post(f"{EVENTS}{town_event.pk}/sign-up/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert SignUp.objects.get(event=town_event).member == world["me"]
    for other in (sibling_event, county_event):
        assert volunteer.get(f"{EVENTS}{other.pk}/").status_code == 404
        assert volunteer.post(f"{EVENTS}{other.pk}/sign-up/", {}, format="json").status_code == 404
    assert SignUp.objects.count() == 1
    # an organiser's reach is unchanged: the village's secretary does not see the town's event
    secretary = {row["title"] for row in api_as(world["secretary"]).get(EVENTS).json()["results"]}
    assert "镇文明劝导" not in secretary

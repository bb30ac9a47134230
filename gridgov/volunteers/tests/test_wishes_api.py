"""Micro-wishes by API: an organiser records a resident's wish (phone kept encrypted, answered
masked); a volunteer takes it up and fulfils it; the organiser confirms it; each list says whose
move it is. Illegal steps 409, bad input 400, another town 404, a role without it 403."""

from __future__ import annotations

import pytest

from gridgov.core.models import AuditEntry
from gridgov.volunteers.models import MicroWish, WishState
from gridgov.volunteers.tests.conftest import make_wish

pytestmark = pytest.mark.django_db

WISHES = "/api/v1/micro-wishes/"


def test_a_wish_from_record_to_confirmation(world, api_as):
    secretary, volunteer = api_as(world["secretary"]), api_as(world["volunteer"])
    recorded = secretary.post(
        WISHES,
        {
            "title": "想要一副老花镜",
            "region": world["village"],
            "resident_name": "王秀兰",
            "resident_phone": "13812345678",
        },
        format="json",
    )
    assert recorded.status_code == 201, recorded.json()
    wish = recorded.json()
    assert wish["resident_phone"] == "138****5678"
    assert MicroWish.objects.get(pk=wish["id"]).resident_phone.reveal() == "+8613812345678"
    assert wish["waiting_on"] == "志愿者认领"
    step = f"{WISHES}{wish['id']}/step/"
    # the volunteer sees it waiting on them, takes it up and fulfils it
    waiting = volunteer.get(WISHES, {"show": "waiting_on_me"}).json()["results"]
    assert [w["title"] for w in waiting] == ["想要一副老花镜"]
    assert volunteer.post(step, {"step": "take"}, format="json").json()["volunteer"] == "李志愿"
    assert volunteer.get(WISHES, {"show": "mine"}).json()["count"] == 1
    # confirming is the organiser's, and not before it is fulfilled
    assert volunteer.post(step, {"step": "confirm"}, format="json").status_code == 403
    assert secretary.post(step, {"step": "confirm"}, format="json").status_code == 409
    # fulfilling needs a note of what was done
    assert volunteer.post(step, {"step": "fulfil"}, format="json").status_code == 400
    done = volunteer.post(step, {"step": "fulfil", "note": "已送到家中"}, format="json").json()
    assert done["state"] == WishState.FULFILLED
    assert done["waiting_on"] == "组织者与王秀兰确认"
    assert volunteer.get(WISHES, {"show": "waiting_on_me"}).json()["count"] == 0
    assert secretary.get(WISHES, {"show": "waiting_on_me"}).json()["count"] == 1
    closed = secretary.post(step, {"step": "confirm"}, format="json").json()
    assert (closed["state"], closed["waiting_on"]) == (WishState.CONFIRMED, "")
    assert secretary.post(step, {"step": "withdraw", "note": "x"}, format="json").status_code == 409
    actions = list(
        AuditEntry.objects.filter(action__startswith="volunteers.wish_")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "volunteers.wish_record",
        "volunteers.wish_take",
        "volunteers.wish_fulfil",
        "volunteers.wish_confirm",
    ]


def test_an_organiser_gives_a_wish_to_a_volunteer_who_may_give_it_back(world, api_as):
    wish = make_wish(world["village"], "帮忙修水管")
    official, volunteer = api_as(world["official"]), api_as(world["volunteer"])
    step = f"{WISHES}{wish.pk}/step/"
    assert official.post(step, {"step": "take"}, format="json").status_code == 400
    given = official.post(step, {"step": "take", "member": world["me"].pk}, format="json")
    assert given.json()["volunteer"] == "李志愿"
    # another volunteer cannot move it
    other = api_as(world["stranger"])
    assert other.post(step, {"step": "fulfil", "note": "x"}, format="json").status_code == 409
    back = volunteer.post(step, {"step": "release"}, format="json").json()
    assert (back["state"], back["volunteer"]) == (WishState.POSTED, None)
    gone = official.post(step, {"step": "withdraw", "note": "已由家属解决"}, format="json").json()
    assert gone["state"] == WishState.WITHDRAWN


def test_bad_wishes_are_400_with_nothing_saved(world, api_as):
    secretary = api_as(world["secretary"])
    good = {"title": "想要书包", "region": world["village"], "resident_name": "刘小明"}
    for changes, field in [
        ({"title": ""}, "title"),
        ({"resident_name": ""}, "resident_name"),
        ({"resident_phone": "12"}, "resident_phone"),
        ({"region": world["other_village"]}, "region_code"),
    ]:
        response = secretary.post(WISHES, good | changes, format="json")
        assert response.status_code == 400, changes
        assert field in response.json()
    wish = make_wish(world["village"], "想要台灯")
    assert (
        secretary.post(f"{WISHES}{wish.pk}/step/", {"step": "fly"}, format="json").status_code
        == 400
    )
    assert secretary.get(WISHES, {"state": "lost"}).status_code == 400
    assert MicroWish.objects.count() == 1


def test_another_towns_wish_is_404_and_roles_without_it_403(world, api_as):
    theirs = make_wish(world["other_village"], "外镇心愿")
    make_wish(world["village"], "本村心愿")
    official = api_as(world["official"])
    assert [w["title"] for w in official.get(WISHES).json()["results"]] == ["本村心愿"]
    assert official.get(f"{WISHES}{theirs.pk}/").status_code == 404
    assert (
        official.post(
            f"{WISHES}{theirs.pk}/step/", {"step": "withdraw", "note": "x"}, format="json"
        ).status_code
        == 404
    )
    worker = api_as(world["worker"])
    assert worker.get(WISHES).status_code == 403
    assert worker.post(WISHES, {}, format="json").status_code == 403
    # a volunteer reads wishes but records none
    assert (
        api_as(world["volunteer"])
        .post(
            WISHES, {"title": "x", "region": world["village"], "resident_name": "x"}, format="json"
        )
        .status_code
        == 403
    )


def test_a_wish_at_a_place_that_does_not_exist_is_refused(world, api_as):
    answer = api_as(world["official"]).post(
        WISHES,
        {"title": "想要一副老花镜", "region": world["town"] + "999", "resident_name": "王秀兰"},
        format="json",
    )
    assert answer.status_code == 400
    assert "region_code" in answer.json()
    assert not MicroWish.objects.filter(title="想要一副老花镜").exists()

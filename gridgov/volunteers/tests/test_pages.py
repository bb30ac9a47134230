"""The volunteer pages: a volunteer signs up and checks in and out from the event's page on a
phone; the organiser holds an event, keeps its roster and corrects minutes; hours with stars;
micro-wishes with whose move it is. Names of places, never codes; another town 404, a role
without volunteer service 403, bad input a form error with nothing saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gridgov.volunteers.models import MicroWish, ServiceEvent, SignUp, WishState
from gridgov.volunteers.tests.conftest import make_wish

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_volunteer_signs_up_checks_in_and_out_on_the_events_page(world):
    client = client_for(world["volunteer"])
    event = world["festival"]
    listing = client.get("/volunteers/").content.decode()
    assert "重阳节敬老志愿服务" in listing
    assert world["tree"].names[world["village"]] in listing
    assert "天度镇清洁家园" not in listing
    page = client.get(f"/volunteers/{event.pk}/").content.decode()
    assert 'value="sign_up"' in page
    act = f"/volunteers/{event.pk}/act/"
    for action in ("sign_up", "check_in", "check_out"):
        response = client.post(act, {"action": action})
        assert response.status_code == 302, action
    entry = SignUp.objects.get(event=event, member=world["me"])
    assert entry.checked_in_at is not None
    assert entry.checked_out_at is not None
    done = client.get(f"/volunteers/{event.pk}/").content.decode()
    assert "You served" in done or "您在此服务了" in done
    # a refusal for the state (checking out twice) comes back as a message, nothing changes
    again = client.post(act, {"action": "check_out"}, follow=True)
    assert again.status_code == 200
    assert client.post(act, {"action": "dance"}).status_code == 400


def test_the_organiser_holds_an_event_and_keeps_its_roster(world):
    client = client_for(world["secretary"])
    start = timezone.localtime() + timedelta(days=2)
    form = {
        "title": "植树节志愿活动",
        "region_code": world["village"],
        "address": "村东头",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 15,
    }
    assert client.get("/volunteers/new/").status_code == 200
    bad = client.post("/volunteers/new/", form | {"ends_at": form["starts_at"]})
    assert bad.status_code == 400
    assert "ends_at" in bad.context["form"].errors
    outside = client.post("/volunteers/new/", form | {"region_code": world["other_village"]})
    assert outside.status_code == 400
    assert not ServiceEvent.objects.filter(title="植树节志愿活动").exists()
    created = client.post("/volunteers/new/", form)
    assert created.status_code == 302
    event = ServiceEvent.objects.get(title="植树节志愿活动")
    # sign up the volunteer without a phone, and see them on the roster
    named = world["named"]
    page = client.get(f"/volunteers/{event.pk}/").content.decode()
    assert "张无机" in page  # offered in the sign-up list
    assert (
        client.post(
            f"/volunteers/{event.pk}/act/", {"action": "sign_up", "member": named.pk}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/volunteers/{event.pk}/correct/", {"member": named.pk, "minutes": 90}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/volunteers/{event.pk}/correct/", {"member": named.pk, "minutes": 90, "note": "补录"}
        ).status_code
        == 302
    )
    assert SignUp.objects.get(event=event, member=named).minutes == 90
    roster = client.get(f"/volunteers/{event.pk}/").content.decode()
    assert 'data-sign-up="' in roster
    assert "张无机" in roster


def test_pages_refuse_other_towns_and_roles_without_volunteer_service(world):
    official = client_for(world["official"])
    assert official.get(f"/volunteers/{world['theirs'].pk}/").status_code == 404
    assert (
        official.post(
            f"/volunteers/{world['theirs'].pk}/act/",
            {"action": "sign_up", "member": world["named"].pk},
        ).status_code
        == 404
    )
    worker = client_for(world["worker"])
    for url in ("/volunteers/", "/volunteers/hours/", "/volunteers/wishes/", "/volunteers/new/"):
        assert worker.get(url).status_code == 403, url
    volunteer = client_for(world["volunteer"])
    assert volunteer.get("/volunteers/new/").status_code == 403
    assert volunteer.get("/volunteers/wishes/new/").status_code == 403


def test_hours_page_shows_stars_and_the_volunteers_own(world):
    past = world["festival"]
    SignUp.objects.create(
        event=past, member=world["me"], signed_up_at=past.starts_at, minutes=320 * 60
    )
    page = client_for(world["volunteer"]).get("/volunteers/hours/").content.decode()
    assert 'data-stars="2"' in page
    assert "320.0" in page
    assert 'id="my-hours"' in page
    assert (
        client_for(world["official"]).get("/volunteers/hours/", {"min_stars": "8"}).status_code
        == 400
    )


def test_wishes_pages_record_and_step(world):
    secretary = client_for(world["secretary"])
    bad = secretary.post(
        "/volunteers/wishes/new/",
        {"title": "", "resident_name": "王", "region_code": world["village"]},
    )
    assert bad.status_code == 400
    assert not MicroWish.objects.exists()
    created = secretary.post(
        "/volunteers/wishes/new/",
        {
            "title": "想要一台收音机",
            "resident_name": "陈奶奶",
            "resident_phone": "13912345678",
            "region_code": world["village"],
        },
    )
    assert created.status_code == 302
    wish = MicroWish.objects.get()
    page = secretary.get(f"/volunteers/wishes/{wish.pk}/").content.decode()
    assert "139****5678" in page
    assert "13912345678" not in page
    volunteer = client_for(world["volunteer"])
    listing = volunteer.get("/volunteers/wishes/", {"show": "waiting_on_me"}).content.decode()
    assert "想要一台收音机" in listing
    assert 'data-step="take"' in volunteer.get(f"/volunteers/wishes/{wish.pk}/").content.decode()
    assert volunteer.post(f"/volunteers/wishes/{wish.pk}/", {"step": "take"}).status_code == 302
    assert (
        volunteer.post(
            f"/volunteers/wishes/{wish.pk}/", {"step": "fulfil", "note": "已送达"}
        ).status_code
        == 302
    )
    wish.refresh_from_db()
    assert wish.state == WishState.FULFILLED
    assert 'data-step="confirm"' in secretary.get(f"/volunteers/wishes/{wish.pk}/").content.decode()
    theirs = make_wish(world["other_village"], "外镇心愿")
    assert secretary.get(f"/volunteers/wishes/{theirs.pk}/").status_code == 404
    assert secretary.get("/volunteers/wishes/", {"state": "lost"}).status_code == 400

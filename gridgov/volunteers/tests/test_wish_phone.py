"""A resident's phone on a micro-wish: masked everywhere, shown in full only to the volunteer
who took the wish up (while it is open) and to its organisers, for a written reason, and
audited either way; another volunteer or a reader who does not organise is refused (403,
audited), another town's wish is 404, a missing reason 400."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gridgov.core.models import AuditEntry
from gridgov.volunteers.models import MicroWish, WishState
from gridgov.volunteers.tests.conftest import make_member, make_wish

pytestmark = pytest.mark.django_db

PHONE = "+8613812345678"
REASON = "约定上门送老花镜的时间"


def _wish(code: str, **changes: Any) -> MicroWish:
    wish = make_wish(code, "想要一副老花镜", resident="王秀兰")
    wish.resident_phone = PHONE
    for name, value in changes.items():
        setattr(wish, name, value)
    wish.save()
    return wish


def _api(wish: MicroWish) -> str:
    return reverse("volunteers-api:wish-phone", args=[wish.pk])


def _reveals(wish: MicroWish) -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.filter(object_type="micro_wish", object_id=str(wish.pk))
        .order_by("sequence")
        .values_list("action", "outcome")
    )


def test_the_volunteer_who_took_it_up_sees_the_phone_for_a_reason(world, api_as):
    wish = _wish(world["village"], state=WishState.TAKEN, taken_by=world["me"])
    volunteer = api_as(world["volunteer"])
    # masked when read
    detail = volunteer.get(reverse("volunteers-api:wish-detail", args=[wish.pk])).json()
    assert detail["resident_phone"] == "138****5678"
    # without a reason: 400 and nothing audited
    assert volunteer.post(_api(wish), {}, format="json").status_code == 400
    assert volunteer.post(_api(wish), {"reason": "  "}, format="json").status_code == 400
    assert _reveals(wish) == []
    # with one: in full, audited with the reason
    shown = volunteer.post(_api(wish), {"reason": REASON}, format="json")
    assert shown.status_code == 200
    assert shown.json() == {"phone": PHONE}
    entry = AuditEntry.objects.get(action="volunteers.wish_reveal_phone")
    assert entry.actor_id == world["volunteer"].pk
    assert entry.detail == {"reason": REASON}


def test_an_organiser_sees_it_and_another_volunteer_or_a_reader_does_not(world, api_as):
    wish = _wish(world["village"], state=WishState.TAKEN, taken_by=world["me"])
    assert api_as(world["secretary"]).post(_api(wish), {"reason": REASON}).json()["phone"] == PHONE
    # another volunteer of the village, on the roster but not the one who took it up
    other = make_member(world["team"], "周另一位", user=world["stranger"])
    assert other.pk != world["me"].pk
    refused = api_as(world["stranger"]).post(_api(wish), {"reason": REASON}, format="json")
    assert refused.status_code == 403
    assert PHONE not in refused.content.decode()
    # the county leader reads wishes but organises none
    assert api_as(world["leader"]).post(_api(wish), {"reason": REASON}).status_code == 403
    outcomes = [outcome for _action, outcome in _reveals(wish)]
    assert outcomes.count(AuditEntry.Outcome.DENIED) == 2
    # a grid worker may not read wishes at all; another town's organiser does not find it
    assert api_as(world["worker"]).post(_api(wish), {"reason": REASON}).status_code == 403
    theirs = _wish(world["other_village"], state=WishState.TAKEN, taken_by=world["outsider"])
    assert api_as(world["official"]).post(_api(theirs), {"reason": REASON}).status_code == 404


def test_once_closed_or_given_back_the_volunteer_no_longer_sees_it(world, api_as):
    volunteer = api_as(world["volunteer"])
    confirmed = _wish(world["village"], state=WishState.CONFIRMED, taken_by=world["me"])
    assert volunteer.post(_api(confirmed), {"reason": REASON}).status_code == 403
    released = _wish(world["village"], state=WishState.POSTED, taken_by=None)
    assert volunteer.post(_api(released), {"reason": REASON}).status_code == 403


def test_a_wish_without_a_phone_says_so(world, api_as):
    wish = make_wish(world["village"], "帮忙修水管")
    answer = api_as(world["secretary"]).post(_api(wish), {"reason": REASON}, format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "volunteers.no_phone"


def test_the_page_offers_the_reveal_to_whoever_may_use_it(world, client: Client):
    wish = _wish(world["village"], state=WishState.TAKEN, taken_by=world["me"])
    page = reverse("volunteers:wish", args=[wish.pk])
    reveal = reverse("volunteers:wish-phone", args=[wish.pk])
    client.force_login(world["volunteer"])
    text = client.get(page).content.decode()
    assert "138****5678" in text
    assert "data-reveal-phone" in text
    # no reason: the form again with its error, 400
    assert client.post(reveal, {"reason": ""}).status_code == 400
    shown = client.post(reveal, {"reason": REASON})
    assert shown.status_code == 200
    assert f'href="tel:{PHONE}"' in shown.content.decode()
    # another volunteer sees no such form, and is refused if they post it
    client.force_login(world["stranger"])
    make_member(world["team"], "周另一位", user=world["stranger"])
    assert "data-reveal-phone" not in client.get(page).content.decode()
    assert client.post(reveal, {"reason": REASON}).status_code == 403

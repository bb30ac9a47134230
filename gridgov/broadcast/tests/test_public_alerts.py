"""The public alerts page and its Atom feed: no login, the installation county's approved and sent
messages only, nothing about the people behind them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gridgov.broadcast.models import Broadcast
from gridgov.broadcast.states import State

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def messages(tree, people, compose, api_as) -> dict[str, Broadcast]:
    """One message in each state that matters, each with a title saying which."""
    made = {
        "draft": compose(people["operator"], [tree.villages[0]], submit=False, title="草稿消息"),
        "submitted": compose(people["operator"], [tree.villages[0]], title="待审消息"),
        "approved": compose(people["operator"], [tree.villages[0]], title="已批消息"),
        "dispatched": compose(people["operator"], [tree.villages[1]], title="已发消息"),
        "rejected": compose(people["town"], [tree.villages[0]], title="驳回消息"),
        "other_county": compose(
            people["other_county_operator"], [tree.other_county], title="外县消息"
        ),
    }
    for name in ("approved", "dispatched"):
        response = api_as(people["leader"]).post(
            reverse("broadcast-api:approve", args=[made[name].pk]), {}, format="json"
        )
        assert response.status_code == 200
    Broadcast.objects.filter(pk=made["dispatched"].pk).update(
        state=State.DISPATCHED, dispatched_at=timezone.now()
    )
    Broadcast.objects.filter(pk=made["other_county"].pk).update(
        state=State.DISPATCHED, dispatched_at=timezone.now()
    )
    response = api_as(people["town_colleague"]).post(
        reverse("broadcast-api:reject", args=[made["rejected"].pk]), {"note": "重写"}, format="json"
    )
    assert response.status_code == 200
    return made


def test_the_feed_lists_only_the_countys_approved_and_sent_alerts(messages, people) -> None:
    # when anyone, not logged in, reads the feed
    response = Client().get(reverse("alerts:feed"))
    # then it is a well-formed Atom feed of the approved and sent messages of this county
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = feed.findall("atom:entry", ATOM)
    titles = {entry.findtext("atom:title", namespaces=ATOM) for entry in entries}
    assert titles == {messages["approved"].title, messages["dispatched"].title}
    ids = {entry.findtext("atom:id", namespaces=ATOM) for entry in entries}
    assert ids == {
        f"urn:uuid:{messages['approved'].identifier}",
        f"urn:uuid:{messages['dispatched'].identifier}",
    }
    for entry in entries:
        assert entry.find("atom:updated", ATOM) is not None
        assert entry.find("atom:link", ATOM) is not None
    # and nothing about the people who wrote or approved them
    body = response.content.decode()
    for person in people.values():
        assert person.username not in body
        if person.get_full_name():
            assert person.get_full_name() not in body


def test_the_page_lists_the_same_alerts_and_links_the_feed(messages) -> None:
    # when anyone, not logged in, opens the alerts page
    response = Client().get(reverse("alerts:list"))
    # then it shows the approved and sent messages, with their places by name, and the feed
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("approved", "dispatched"):
        assert f'id="alert-{messages[name].identifier}"' in body
        assert messages[name].title in body
    for name in ("draft", "submitted", "rejected", "other_county"):
        assert messages[name].title not in body
    assert reverse("alerts:feed") in body


def test_the_public_pages_link_the_alerts(client) -> None:
    # when a resident opens the report page
    response = client.get(reverse("public:track"))
    # then its menu leads to the alerts
    assert reverse("alerts:list") in response.content.decode()


def test_an_empty_feed_is_still_a_feed(db) -> None:
    # given no message at all
    # when the feed is read
    response = Client().get(reverse("alerts:feed"))
    # then it is a feed without entries
    feed = ET.fromstring(response.content)  # noqa: S314
    assert feed.findall("atom:entry", ATOM) == []
    assert Client().get(reverse("alerts:list")).status_code == 200


def test_the_feed_is_read_only(db) -> None:
    # when someone posts to the feed or the page
    # then they are refused, and nothing breaks
    assert Client().post(reverse("alerts:feed")).status_code == 405
    assert Client().post(reverse("alerts:list")).status_code == 405

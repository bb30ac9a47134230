"""Following a message's delivery: GET /api/v1/broadcasts/{id}/deliveries/ and the page linked
from the message (delivered / total, failures by village, refreshing itself while it goes out)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gridgov.accounts.models import User
from gridgov.broadcast.delivery import (
    Ack,
    deliveries_expire,
    deliveries_record_acks,
    deliveries_write,
)
from gridgov.broadcast.models import Broadcast, Delivery, DeliveryStatus, Terminal
from gridgov.broadcast.services import broadcast_transition
from gridgov.broadcast.states import Action
from gridgov.testing import Tree


@pytest.fixture
def sent(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
) -> Broadcast:
    """A message to two villages, out to their four loudspeakers: one played, one failed (a
    speaker fault), two offline when it went out (failed at once, still waited for)."""
    message = compose(people["operator"], [tree.villages[0], tree.villages[1]])
    broadcast_transition(actor=people["leader"], broadcast=message, action=Action.APPROVE)
    deliveries_write(broadcast_id=message.pk)
    rows = {row.terminal.code: row for row in Delivery.objects.filter(broadcast=message)}
    played, faulty = f"T{tree.villages[0]}1", f"T{tree.villages[1]}1"
    deliveries_record_acks(
        [
            Ack(terminal=played, nonce=rows[played].nonce, status="played"),
            Ack(terminal=faulty, nonce=rows[faulty].nonce, status="failed", detail="功放故障"),
        ]
    )
    message.refresh_from_db()
    return message


def _url(name: str, message: Broadcast) -> str:
    return reverse(name, kwargs={"broadcast_id": message.pk})


def test_the_api_lists_every_terminal_s_delivery_with_counts(
    sent: Broadcast, people: dict[str, User], tree: Tree, api_as: Callable[[User], Any]
) -> None:
    response = api_as(people["town"]).get(_url("broadcast-api:deliveries", sent))
    assert response.status_code == 200
    body = response.json()
    assert body["counts"]["total"] == 4
    assert body["counts"]["delivered"] == 1
    assert body["counts"]["failed"] == 3
    assert body["counts"]["by_status"] == {"played": 1, "failed": 3}
    rows = {row["terminal_code"]: row for row in body["results"]}
    failed = rows[f"T{tree.villages[1]}1"]
    assert failed["status"] == "failed"
    assert failed["detail"] == "功放故障"
    assert failed["place_code"] == tree.villages[1]
    assert failed["place_name"] == tree.names[tree.villages[1]]
    assert "payload" not in failed
    assert body["next"] is None


def test_the_api_pages_and_filters(
    sent: Broadcast, people: dict[str, User], tree: Tree, api_as: Callable[[User], Any]
) -> None:
    client = api_as(people["operator"])
    first = client.get(_url("broadcast-api:deliveries", sent), {"page_size": 3}).json()
    assert len(first["results"]) == 3
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    seen = {row["id"] for row in first["results"] + second["results"]}
    assert len(seen) == 4
    only_failed = client.get(_url("broadcast-api:deliveries", sent), {"status": "failed"}).json()
    assert [row["status"] for row in only_failed["results"]] == ["failed"] * 3
    one_village = client.get(
        _url("broadcast-api:deliveries", sent), {"place": tree.villages[0]}
    ).json()
    assert {row["place_code"] for row in one_village["results"]} == {tree.villages[0]}


@pytest.mark.parametrize(
    "query", [{"status": "exploded"}, {"page_size": 0}, {"page_size": "x"}, {"place": "abc"}]
)
def test_bad_query_is_400(
    sent: Broadcast, people: dict[str, User], api_as: Callable[[User], Any], query: dict[str, Any]
) -> None:
    assert (
        api_as(people["operator"]).get(_url("broadcast-api:deliveries", sent), query).status_code
        == 400
    )


def test_another_jurisdiction_gets_404(
    sent: Broadcast, people: dict[str, User], api_as: Callable[[User], Any], client: Client
) -> None:
    # the other town's official and the other county's operator do not see the message at all
    for outsider in (people["other_town"], people["other_county_operator"]):
        assert api_as(outsider).get(_url("broadcast-api:deliveries", sent)).status_code == 404
        client.force_login(outsider)
        assert client.get(_url("broadcast:deliveries", sent)).status_code == 404


def test_a_role_without_the_broadcast_gets_403(
    sent: Broadcast, people: dict[str, User], api_as: Callable[[User], Any], client: Client
) -> None:
    assert api_as(people["worker"]).get(_url("broadcast-api:deliveries", sent)).status_code == 403
    client.force_login(people["worker"])
    assert client.get(_url("broadcast:deliveries", sent)).status_code == 403


def test_the_page_shows_delivered_of_total_and_failures_by_village(
    sent: Broadcast, people: dict[str, User], tree: Tree, client: Client
) -> None:
    client.force_login(people["operator"])
    # the message's page leads to it
    detail = client.get(_url("broadcast:detail", sent)).content.decode()
    assert _url("broadcast:deliveries", sent) in detail
    # given
    response = client.get(_url("broadcast:deliveries", sent))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-delivered="1" data-total="4"' in page
    # the failing village first, by name, its failure counted; the faulty terminal with its fault
    assert page.index(f'data-place="{tree.villages[1]}"') < page.index(
        f'data-place="{tree.villages[0]}"'
    )
    assert tree.names[tree.villages[1]] in page
    assert f'data-place="{tree.villages[1]}" data-failed="2"' in page
    assert f'data-place="{tree.villages[0]}" data-failed="1"' in page
    assert f'data-failed-terminal="T{tree.villages[1]}1"' in page
    assert "功放故障" in page
    # the offline loudspeakers are listed as such
    assert f'data-failed-terminal="T{tree.villages[0]}2" data-detail="offline"' in page
    # and it refreshes itself while the message is on its way
    assert 'data-following="1"' in page
    assert f'hx-get="{_url("broadcast:deliveries", sent)}"' in page
    assert 'hx-trigger="every 3s"' in page


def test_the_page_names_delivery_states_in_the_words_of_a_delivery(
    sent: Broadcast, people: dict[str, User], client: Client
) -> None:
    # "Failed" and "Received" are other words in other apps (a failed mediation, cases received)
    client.force_login(people["operator"])
    page = client.get(_url("broadcast:deliveries", sent), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "播放失败" in text
    assert "已接收" in text
    assert "调解不成" not in text
    assert "受理总数" not in text


def test_the_page_stops_refreshing_once_the_message_is_complete(
    sent: Broadcast, people: dict[str, User], tree: Tree, client: Client
) -> None:
    deliveries_expire(now=sent.expires_at + timedelta(seconds=1))
    client.force_login(people["operator"])
    page = client.get(_url("broadcast:deliveries", sent)).content.decode()
    assert 'data-following="0"' in page
    assert "hx-trigger" not in page
    # the two offline terminals failed for want of an answer
    assert Delivery.objects.filter(broadcast=sent, status=DeliveryStatus.FAILED).count() == 3
    assert Delivery.objects.filter(broadcast=sent, detail="expired").count() == 2


def test_the_page_of_a_message_not_sent_yet(
    compose: Callable[..., Broadcast], people: dict[str, User], tree: Tree, client: Client
) -> None:
    message = compose(people["operator"], [tree.villages[0]])
    client.force_login(people["operator"])
    page = client.get(_url("broadcast:deliveries", message)).content.decode()
    assert "data-not-sent" in page


def test_places_every_terminal_of_which_has_it_are_folded_after_those_that_need_someone(
    sent: Broadcast, people: dict[str, User], tree: Tree, client: Client
) -> None:
    # given the first village's offline loudspeaker came back and played it: that village is done
    late = f"T{tree.villages[0]}2"
    row = Delivery.objects.get(broadcast=sent, terminal__code=late)
    deliveries_record_acks([Ack(terminal=late, nonce=row.nonce, status="played")])
    client.force_login(people["operator"])
    # when
    page = client.get(_url("broadcast:deliveries", sent)).content.decode()
    # then the village with failures is in the open table, the finished one folded after it
    folded = page.index('<details class="delivery-complete"')
    assert page.index(f'data-place="{tree.villages[1]}"') < folded
    assert page.index(f'data-place="{tree.villages[0]}"') > folded
    assert 'data-complete="1"' in page
    assert "1 个地点的终端全部收到" in page
    # and the folded list stays open across the page's refreshes (its script is served)
    assert 'data-keep-open="complete-places"' in page
    assert "gridgov/broadcast-deliveries.js" in page

"""Withdrawing a message that went out tells its terminals, signed: each stops it and never plays
it, confirms, and is sent the cancel again until it does (or the message would have expired);
the delivery page and API follow the withdrawal."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.broadcast.delivery import (
    broadcast_dispatch,
    cancels_publish,
    deliveries_retry,
    deliveries_write,
)
from gridgov.broadcast.listener import DeliveryListener
from gridgov.broadcast.models import Broadcast, Delivery, DeliveryStatus, Terminal, TerminalStatus
from gridgov.broadcast.mqtt import Publisher
from gridgov.broadcast.services import broadcast_transition
from gridgov.broadcast.signing import server_public_key
from gridgov.broadcast.simulator import TerminalSimulator
from gridgov.broadcast.states import Action, State
from gridgov.broadcast.terminal_protocol import CANCEL, DELIVERY_TOPIC, TerminalVerifier
from gridgov.broadcast.terminal_services import terminal_keys_register
from gridgov.testing import Tree


@pytest.fixture
def listener(mqtt_broker: str) -> Iterator[DeliveryListener]:
    ear = DeliveryListener(mqtt_broker, client_id=f"test-listener-{time.monotonic_ns()}").start()
    yield ear
    ear.stop()


@pytest.fixture
def simulator(mqtt_broker: str, terminals: list[Terminal]) -> Iterator[TerminalSimulator]:
    sim = TerminalSimulator(
        url=mqtt_broker,
        codes=[terminal.code for terminal in terminals],
        server_key=server_public_key(),
        offline_codes=[t.code for t in terminals if t.status == TerminalStatus.OFFLINE],
    )
    terminal_keys_register(keys=sim.public_keys())
    sim.start()
    yield sim
    sim.stop()


def _until(listener: DeliveryListener, done: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the terminals did not answer in time"
        listener.run_once(wait=0.05)


def _approved(
    compose: Callable[..., Broadcast], people: dict[str, User], targets: list[str]
) -> Broadcast:
    message = compose(people["operator"], targets)
    return broadcast_transition(actor=people["leader"], broadcast=message, action=Action.APPROVE)


def _cancel(people: dict[str, User], message: Broadcast, capture: Callable[..., Any]) -> None:
    with capture(execute=True):
        broadcast_transition(actor=people["operator"], broadcast=message, action=Action.CANCEL)


def test_a_withdrawn_message_is_stopped_on_every_terminal_it_reached(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    simulator: TerminalSimulator,
    listener: DeliveryListener,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given a flood warning that went out to two villages and played on the online loudspeakers
    targets = [tree.villages[0], tree.villages[1]]
    message = _approved(compose, people, targets)
    broadcast_dispatch(broadcast_id=message.pk)
    reached = [t for t in terminals if t.village_code in targets]
    online = {t.code for t in reached if t.status == TerminalStatus.ONLINE}
    offline = {t.code for t in reached} - online
    _until(
        listener,
        lambda: (
            Delivery.objects.filter(broadcast=message, status=DeliveryStatus.PLAYED).count()
            == len(online)
        ),
    )
    # when the operator withdraws it
    _cancel(people, message, django_capture_on_commit_callbacks)
    # then every terminal it went to was sent a cancel signed by the server
    rows = list(Delivery.objects.filter(broadcast=message).select_related("terminal"))
    assert {row.terminal.code for row in rows if row.cancel_sent_at} == online | offline
    for row in rows:
        check = TerminalVerifier(terminal_code=row.terminal.code, server_key=server_public_key())
        verdict = check.verify(row.cancel_payload.encode())
        assert verdict.accepted
        assert verdict.payload is not None
        assert verdict.payload["type"] == CANCEL
        assert verdict.payload["message_id"] == str(message.identifier)
    # and the online ones stopped it and confirmed; the offline ones are withdrawn, unconfirmed
    _until(
        listener,
        lambda: (
            Delivery.objects.filter(broadcast=message, cancel_confirmed_at__isnull=False).count()
            == len(online)
        ),
    )
    assert {line.terminal for line in simulator.stop_log} == online
    assert all(line.was_playing for line in simulator.stop_log)
    statuses = dict(
        Delivery.objects.filter(broadcast=message).values_list("terminal__code", "status")
    )
    assert {code for code, status in statuses.items() if status == DeliveryStatus.PLAYED} == online
    assert {code for code, status in statuses.items() if status == "cancelled"} == offline
    # the minute's retry sends the cancel again to the unconfirmed only, never the message
    later = timezone.now() + timedelta(minutes=2)
    assert deliveries_retry(now=later) == len(offline)
    assert Delivery.objects.filter(broadcast=message, attempts__gt=1).count() == 0
    # and past the message's expiry, not at all
    message.refresh_from_db()
    assert deliveries_retry(now=message.expires_at + timedelta(minutes=2)) == 0


def test_a_terminal_told_of_the_withdrawal_never_plays_the_message(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    simulator: TerminalSimulator,
    listener: DeliveryListener,
    mqtt_broker: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given a message written out to its terminals but withdrawn before the broker took any
    message = _approved(compose, people, [tree.villages[0]])
    deliveries_write(broadcast_id=message.pk)
    payloads = list(
        Delivery.objects.filter(broadcast=message).values_list("terminal__code", "payload")
    )
    _cancel(people, message, django_capture_on_commit_callbacks)
    online = {code for code, _payload in payloads if not simulator.terminals[code].offline}
    _until(
        listener,
        lambda: (
            Delivery.objects.filter(broadcast=message, cancel_confirmed_at__isnull=False).count()
            == len(online)
        ),
    )
    # when the message itself still arrives (late, from a dispatcher that was on its way)
    with Publisher(mqtt_broker, client_id="late-dispatcher") as late:
        late.publish(
            [(DELIVERY_TOPIC.format(code=code), payload.encode()) for code, payload in payloads]
        )
    deadline = time.monotonic() + 5
    while simulator.skipped < len(online) and time.monotonic() < deadline:
        time.sleep(0.02)
    # then no terminal played it
    assert simulator.skipped == len(online)
    assert simulator.playback_log == []
    assert not any(line.was_playing for line in simulator.stop_log)
    # and the deliveries stay withdrawn
    assert set(Delivery.objects.filter(broadcast=message).values_list("status", flat=True)) == {
        DeliveryStatus.CANCELLED
    }
    # a cancel already confirmed everywhere is not sent again
    message.refresh_from_db()
    assert message.state == State.CANCELLED
    offline = len(payloads) - len(online)
    assert cancels_publish(broadcast_id=message.pk) == offline


def test_withdrawing_before_it_went_out_sends_nothing(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    message = _approved(compose, people, [tree.villages[0]])
    _cancel(people, message, django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(broadcast=message).exists()
    assert cancels_publish(broadcast_id=message.pk) == 0


def test_the_page_and_the_api_follow_the_withdrawal(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    client: Client,
    api_as: Callable[[User], Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given a message that went out and was withdrawn (no broker: no terminal confirmed yet)
    message = _approved(compose, people, [tree.villages[0]])
    deliveries_write(broadcast_id=message.pk)
    _cancel(people, message, django_capture_on_commit_callbacks)
    total = Delivery.objects.filter(broadcast=message).count()
    # the page shows how many confirmed, and keeps following
    client.force_login(people["operator"])
    url = reverse("broadcast:deliveries", kwargs={"broadcast_id": message.pk})
    page = client.get(url).content.decode()
    assert f'data-cancels="{total}" data-cancels-confirmed="0"' in page
    assert 'data-following="1"' in page
    # the API counts them
    body = (
        api_as(people["town"])
        .get(reverse("broadcast-api:deliveries", kwargs={"broadcast_id": message.pk}))
        .json()
    )
    assert body["counts"]["cancels"] == total
    assert body["counts"]["cancels_confirmed"] == 0
    assert body["counts"]["by_status"] == {"cancelled": total}
    assert json.loads(Delivery.objects.filter(broadcast=message)[0].cancel_payload)["type"] == (
        CANCEL
    )

"""A terminal signs its acknowledgements with its own key (the public half registered with the
terminal); the listener refuses one that does not verify, came on another terminal's topic, names
another message or another terminal's delivery, or is heard again, and counts it on the message:
the delivery page and API show how many were refused and why."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client
from django.urls import reverse

from gridgov.accounts.models import User
from gridgov.broadcast.delivery import deliveries_write
from gridgov.broadcast.keys import InvalidPublicKey
from gridgov.broadcast.listener import DeliveryListener
from gridgov.broadcast.models import Broadcast, Delivery, DeliveryStatus, Terminal
from gridgov.broadcast.mqtt import Publisher
from gridgov.broadcast.services import broadcast_transition
from gridgov.broadcast.simulator import public_key_text, simulated_terminal_key
from gridgov.broadcast.states import Action
from gridgov.broadcast.terminal_protocol import (
    ACK_TOPIC,
    AckRefusal,
    AckStatus,
    ack_bytes,
    read_ack,
    sign_payload,
    verify_ack,
)
from gridgov.broadcast.terminal_services import terminal_keys_register
from gridgov.testing import Tree


def _out(
    compose: Callable[..., Broadcast], people: dict[str, User], targets: list[str]
) -> Broadcast:
    message = compose(people["operator"], targets)
    broadcast_transition(actor=people["leader"], broadcast=message, action=Action.APPROVE)
    deliveries_write(broadcast_id=message.pk)
    message.refresh_from_db()
    return message


@pytest.fixture
def keyed(terminals: list[Terminal]) -> dict[str, Ed25519PrivateKey]:
    """Every fixture terminal with its own key, the public half registered."""
    keys = {terminal.code: simulated_terminal_key(terminal.code, "test") for terminal in terminals}
    terminal_keys_register(keys={code: public_key_text(key) for code, key in keys.items()})
    return keys


def _ack(
    delivery: Delivery,
    key: Ed25519PrivateKey,
    *,
    status: AckStatus = AckStatus.PLAYED,
    code: str = "",
    message_id: str = "",
    at: float | None = None,
) -> bytes:
    return ack_bytes(
        terminal_code=code or delivery.terminal.code,
        message_id=message_id or str(delivery.broadcast.identifier),
        nonce=delivery.nonce,
        status=status,
        at=time.time() if at is None else at,
        private_key=key,
    )


def _hear(listener: DeliveryListener, *heard: tuple[str, bytes]) -> None:
    """What the broker handed the listener, written as one batch."""
    for code, body in heard:
        listener._inbox.put((ACK_TOPIC.format(code=code), body))
    listener.run_once(wait=0.01)


def _status(delivery: Delivery) -> str:
    return Delivery.objects.get(pk=delivery.pk).status


def test_the_protocol_refuses_what_its_terminal_did_not_sign() -> None:
    key, other = simulated_terminal_key("T1"), simulated_terminal_key("T2")
    body = ack_bytes(
        terminal_code="T1",
        message_id="m",
        nonce="n",
        status=AckStatus.PLAYED,
        at=1.0,
        private_key=key,
    )
    assert verify_ack(read_ack(body, topic_terminal="T1"), public_key_text(key)).accepted
    # another terminal's key, a changed field, no signature, nonsense, another topic, no key
    assert (
        verify_ack(read_ack(body, topic_terminal="T1"), public_key_text(other)).refusal
        == AckRefusal.BAD_SIGNATURE
    )
    tampered = body.replace(b'"played"', b'"failed"')
    assert (
        verify_ack(read_ack(tampered, topic_terminal="T1"), public_key_text(key)).refusal
        == AckRefusal.BAD_SIGNATURE
    )
    unsigned = json.dumps({k: v for k, v in json.loads(body).items() if k != "signature"})
    assert read_ack(unsigned.encode(), topic_terminal="T1").refusal == AckRefusal.UNSIGNED
    assert read_ack(b"\xff{", topic_terminal="T1").refusal == AckRefusal.MALFORMED
    assert read_ack(b'{"nonce": 1}', topic_terminal="T1").refusal == AckRefusal.MALFORMED
    assert read_ack(body, topic_terminal="T2").refusal == AckRefusal.WRONG_TERMINAL
    assert verify_ack(read_ack(body, topic_terminal="T1"), None).refusal == AckRefusal.NO_KEY
    # a delivery signed by the server is no acknowledgement, even with the same fields
    as_delivery = sign_payload(json.loads(unsigned), key)
    assert (
        verify_ack(read_ack(as_delivery, topic_terminal="T1"), public_key_text(key)).refusal
        == AckRefusal.BAD_SIGNATURE
    )


def test_a_signed_acknowledgement_counts_and_a_forged_one_is_refused_and_counted(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    keyed: dict[str, Ed25519PrivateKey],
) -> None:
    message = _out(compose, people, [tree.villages[0]])
    first, second = Delivery.objects.filter(broadcast=message).select_related(
        "terminal", "broadcast"
    )
    listener = DeliveryListener("mqtt://127.0.0.1:1")
    # when one answer is signed by its terminal and the other by an intruder's key
    intruder = Ed25519PrivateKey.generate()
    _hear(
        listener,
        (first.terminal.code, _ack(first, keyed[first.terminal.code])),
        (second.terminal.code, _ack(second, intruder)),
    )
    # then only the genuine one moved its delivery
    assert _status(first) == DeliveryStatus.PLAYED
    assert _status(second) != DeliveryStatus.PLAYED
    assert listener.refused == {AckRefusal.BAD_SIGNATURE: 1}
    message.refresh_from_db()
    assert message.refused_acks == {"bad_signature": 1}


def test_replayed_and_misdirected_acknowledgements_are_refused(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    keyed: dict[str, Ed25519PrivateKey],
) -> None:
    message = _out(compose, people, [tree.villages[0]])
    other = _out(compose, people, [tree.villages[0]])
    deliveries = {
        row.terminal.code: row
        for row in Delivery.objects.filter(broadcast=message).select_related(
            "terminal", "broadcast"
        )
    }
    code, neighbour = sorted(deliveries)
    mine, theirs = deliveries[code], deliveries[neighbour]
    key = keyed[code]
    listener = DeliveryListener("mqtt://127.0.0.1:1")
    received = _ack(mine, key, status=AckStatus.RECEIVED)
    _hear(listener, (code, received))
    assert _status(mine) == DeliveryStatus.RECEIVED
    _hear(
        listener,
        # the very same acknowledgement again
        (code, received),
        # signed by the terminal, but naming another message than its delivery's
        (code, _ack(mine, key, message_id=str(other.identifier))),
        # its own signature on its neighbour's delivery
        (code, _ack(theirs, key, code=code)),
        # on its neighbour's topic
        (neighbour, _ack(mine, key)),
        # dated long before the delivery was made (a recording of an older answer)
        (code, _ack(mine, key, at=time.time() - 86_400)),
    )
    # then nothing moved: the delivery stays received, its neighbour's untouched
    assert _status(mine) == DeliveryStatus.RECEIVED
    assert _status(theirs) == Delivery.objects.get(pk=theirs.pk).status != DeliveryStatus.PLAYED
    assert listener.refused == {
        AckRefusal.REPLAYED: 2,
        AckRefusal.WRONG_MESSAGE: 1,
        AckRefusal.UNKNOWN_DELIVERY: 1,
        AckRefusal.WRONG_TERMINAL: 1,
    }
    message.refresh_from_db()
    assert message.refused_acks == {
        "replayed": 2,
        "unknown_delivery": 1,
        "wrong_message": 1,
        "wrong_terminal": 1,
    }
    assert Broadcast.objects.get(pk=other.pk).refused_acks == {}
    # and a fresh, genuine answer still counts
    _hear(listener, (code, _ack(mine, key)))
    assert _status(mine) == DeliveryStatus.PLAYED


def test_a_terminal_without_a_registered_key_is_not_believed(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
) -> None:
    message = _out(compose, people, [tree.villages[0]])
    row = Delivery.objects.filter(broadcast=message).select_related("terminal", "broadcast")[0]
    key = simulated_terminal_key(row.terminal.code)
    listener = DeliveryListener("mqtt://127.0.0.1:1")
    _hear(listener, (row.terminal.code, _ack(row, key)))
    assert _status(row) != DeliveryStatus.PLAYED
    assert listener.refused == {AckRefusal.NO_KEY: 1}
    # once its key is registered (re-keyed), its next answer counts
    terminal_keys_register(keys={row.terminal.code: public_key_text(key)})
    _hear(listener, (row.terminal.code, _ack(row, key)))
    assert _status(row) == DeliveryStatus.PLAYED


def test_registering_a_key_that_is_none_changes_nothing(terminals: list[Terminal]) -> None:
    code = terminals[0].code
    with pytest.raises(InvalidPublicKey):
        terminal_keys_register(keys={code: public_key_text(simulated_terminal_key("x")), "y": "no"})
    assert Terminal.objects.get(code=code).public_key == ""


def test_a_forged_acknowledgement_over_the_broker_is_refused(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    keyed: dict[str, Ed25519PrivateKey],
    mqtt_broker: str,
) -> None:
    message = _out(compose, people, [tree.villages[0]])
    row = Delivery.objects.filter(broadcast=message).select_related("terminal", "broadcast")[0]
    listener = DeliveryListener(mqtt_broker, client_id=f"test-listener-{time.monotonic_ns()}")
    listener.start()
    try:
        with Publisher(mqtt_broker, client_id="intruder") as intruder:
            forged = _ack(row, Ed25519PrivateKey.generate())
            assert intruder.publish([(ACK_TOPIC.format(code=row.terminal.code), forged)]) == [True]
        deadline = time.monotonic() + 10
        while not listener.refused and time.monotonic() < deadline:
            listener.run_once(wait=0.05)
    finally:
        listener.stop()
    assert listener.refused == {AckRefusal.BAD_SIGNATURE: 1}
    assert _status(row) != DeliveryStatus.PLAYED


def test_the_page_and_the_api_show_the_refused_acknowledgements(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    keyed: dict[str, Ed25519PrivateKey],
    client: Client,
    api_as: Callable[[User], Any],
) -> None:
    message = _out(compose, people, [tree.villages[0]])
    row = Delivery.objects.filter(broadcast=message).select_related("terminal", "broadcast")[0]
    listener = DeliveryListener("mqtt://127.0.0.1:1")
    _hear(listener, (row.terminal.code, _ack(row, Ed25519PrivateKey.generate())))
    url = reverse("broadcast:deliveries", kwargs={"broadcast_id": message.pk})
    client.force_login(people["operator"])
    page = client.get(url).content.decode()
    assert 'data-refused="bad_signature"' in page
    api = api_as(people["town"]).get(
        reverse("broadcast-api:deliveries", kwargs={"broadcast_id": message.pk})
    )
    assert api.json()["counts"]["refused_acks"] == {"bad_signature": 1}

"""Several acknowledgement listeners run side by side: each has a client id of its own, so none
takes the broker connection from another, and an acknowledgement heard by both moves its
delivery once and a refused one is counted once."""

from __future__ import annotations

import time
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gridgov.accounts.models import User
from gridgov.broadcast.delivery import broadcast_dispatch
from gridgov.broadcast.listener import DeliveryListener, unique_client_id
from gridgov.broadcast.models import Broadcast, Delivery, DeliveryStatus, Terminal, TerminalStatus
from gridgov.broadcast.mqtt import Publisher
from gridgov.broadcast.services import broadcast_transition
from gridgov.broadcast.signing import server_public_key
from gridgov.broadcast.simulator import TerminalSimulator
from gridgov.broadcast.states import Action, State
from gridgov.broadcast.terminal_protocol import ACK_TOPIC, AckStatus, ack_bytes
from gridgov.broadcast.terminal_services import terminal_keys_register
from gridgov.testing import Tree


def test_each_listener_has_a_client_id_of_its_own_unless_named() -> None:
    assert unique_client_id() != unique_client_id()
    first, second = DeliveryListener("mqtt://127.0.0.1:1"), DeliveryListener("mqtt://127.0.0.1:1")
    assert first.client_id != second.client_id
    assert not first.persistent
    named = DeliveryListener("mqtt://127.0.0.1:1", client_id="gridgov-delivery-listener-a")
    assert named.persistent
    assert named.client_id == "gridgov-delivery-listener-a"
    shared = DeliveryListener("mqtt://127.0.0.1:1", shared_group="gridgov")
    assert shared.subscriptions()[0] == ("$share/gridgov/gridgov/broadcast/ack/+", 1)


def test_two_listeners_at_once_record_each_acknowledgement_once(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    mqtt_broker: str,
) -> None:
    # given two listeners started side by side (as two `broadcast_listener` processes would be)
    first = DeliveryListener(mqtt_broker).start()
    second = DeliveryListener(mqtt_broker).start()
    codes = [t.code for t in terminals if t.village_code in tree.villages[:2]]
    offline = [t.code for t in terminals if t.code in codes and t.status == TerminalStatus.OFFLINE]
    simulator = TerminalSimulator(
        url=mqtt_broker, codes=codes, server_key=server_public_key(), offline_codes=offline
    )
    terminal_keys_register(keys=simulator.public_keys())
    simulator.start()
    online = set(codes) - set(offline)
    try:
        # when a message goes out and the terminals answer
        message = compose(people["operator"], tree.villages[:2])
        broadcast_transition(actor=people["leader"], broadcast=message, action=Action.APPROVE)
        broadcast_dispatch(broadcast_id=message.pk)
        played = Delivery.objects.filter(broadcast=message, status=DeliveryStatus.PLAYED)
        deadline = time.monotonic() + 10
        while played.count() < len(online) or first.recorded < 2 * len(online):
            assert time.monotonic() < deadline, "the terminals' answers were not recorded"
            # the two listeners take turns writing what they heard
            first.run_once(wait=0.02)
            second.run_once(wait=0.02)
        stamps = dict(played.values_list("terminal__code", "played_at"))
        # and a forged answer reaches both
        row = played.select_related("terminal").first()
        assert row is not None
        forged = ack_bytes(
            terminal_code=row.terminal.code,
            message_id=str(message.identifier),
            nonce=row.nonce,
            status=AckStatus.FAILED,
            at=time.time(),
            private_key=Ed25519PrivateKey.generate(),
        )
        with Publisher(mqtt_broker, client_id="intruder") as intruder:
            intruder.publish([(ACK_TOPIC.format(code=row.terminal.code), forged)])
        deadline = time.monotonic() + 10
        while not (first.refused and second.refused):
            assert time.monotonic() < deadline, "the forged answer did not reach both"
            first.run_once(wait=0.02)
            second.run_once(wait=0.02)
        while second.recorded < 2 * len(online):
            assert time.monotonic() < deadline, "the second listener did not hear everything"
            second.run_once(wait=0.02)
        # then both are still connected: neither took the connection from the other
        assert first.connected
        assert second.connected
    finally:
        first.stop()
        second.stop()
        simulator.stop()
    # both heard every answer, yet each delivery moved once (its time is the first listener's)
    assert dict(played.values_list("terminal__code", "played_at")) == stamps
    assert set(stamps) == online
    assert Broadcast.objects.get(pk=message.pk).state == State.DISPATCHED  # offline ones wait
    # and the forged answer, heard twice, is counted once
    assert first.refused == second.refused == {"bad_signature": 1}
    assert Broadcast.objects.get(pk=message.pk).refused_acks == {"bad_signature": 1}

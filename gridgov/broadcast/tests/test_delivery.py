"""An approved message goes to every terminal of its target over MQTT, signed; the terminals'
acknowledgements come back; a crashed dispatcher resumes without skipping a terminal or making
one play twice; unanswered terminals are sent again until the message expires."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.broadcast.delivery import (
    EXPIRED_DETAIL,
    OFFLINE_DETAIL,
    Ack,
    broadcast_dispatch,
    deliveries_expire,
    deliveries_record_acks,
    deliveries_retry,
    deliveries_write,
)
from gridgov.broadcast.listener import DeliveryListener
from gridgov.broadcast.models import (
    Broadcast,
    Delivery,
    DeliveryStatus,
    Terminal,
    TerminalStatus,
)
from gridgov.broadcast.mqtt import Publisher
from gridgov.broadcast.services import broadcast_transition
from gridgov.broadcast.signing import server_public_key
from gridgov.broadcast.simulator import FAULT_DETAIL, TerminalSimulator, public_key_text
from gridgov.broadcast.states import Action, State
from gridgov.broadcast.terminal_protocol import (
    DELIVERY_TOPIC,
    HEARTBEAT_TOPIC,
    Refusal,
    heartbeat_bytes,
)
from gridgov.broadcast.terminal_services import terminal_keys_register
from gridgov.core.audit import AuditEntry
from gridgov.testing import Tree


@pytest.fixture
def listener(mqtt_broker: str) -> Iterator[DeliveryListener]:
    ear = DeliveryListener(mqtt_broker, client_id=f"test-listener-{time.monotonic_ns()}").start()
    yield ear
    ear.stop()


@pytest.fixture
def simulator(
    mqtt_broker: str, terminals: list[Terminal], signing_key_file: object
) -> Iterator[TerminalSimulator]:
    """The fixture's terminals, simulated: the offline ones hear nothing."""
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


def _approved(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    targets: list[str],
    **changes: object,
) -> Broadcast:
    """A message composed by the operator and approved by the county leader (not dispatched:
    the approval's after-commit dispatch does not run inside a test's transaction)."""
    message = compose(people["operator"], targets, **changes)
    return broadcast_transition(actor=people["leader"], broadcast=message, action=Action.APPROVE)


def _listen_until(
    listener: DeliveryListener, done: Callable[[], bool], *, seconds: float = 10.0
) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the terminals did not answer in time"
        listener.run_once(wait=0.05)


def _statuses(message: Broadcast) -> dict[str, str]:
    return dict(Delivery.objects.filter(broadcast=message).values_list("terminal__code", "status"))


def test_deliveries_the_broker_took_are_marked_sent_with_the_time(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    mqtt_broker: str,
) -> None:
    # given a message for a village and no terminal listening (nobody answers)
    message = _approved(compose, people, [tree.villages[0]])
    # when it goes out
    before = timezone.now()
    assert broadcast_dispatch(broadcast_id=message.pk) == 2
    # then the online terminal's delivery is sent, the offline one's still failed, both stamped
    rows = {
        row.terminal.code: row
        for row in Delivery.objects.filter(broadcast=message).select_related("terminal")
    }
    by_status = {row.status for row in rows.values()}
    assert by_status == {DeliveryStatus.SENT, DeliveryStatus.FAILED}
    for row in rows.values():
        assert row.attempts == 1
        assert row.sent_at is not None
        assert row.sent_at >= before
        assert row.sent_at == row.last_attempt_at
    failed = next(row for row in rows.values() if row.status == DeliveryStatus.FAILED)
    assert failed.detail == OFFLINE_DETAIL


def test_approval_sends_to_every_terminal_of_the_target_and_they_answer(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    simulator: TerminalSimulator,
    listener: DeliveryListener,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    # given a flood warning for two villages, composed and submitted
    targets = [tree.villages[0], tree.villages[1]]
    message = compose(people["operator"], targets)
    reached = {t.code for t in terminals if t.village_code in targets}
    online = {t.code for t in terminals if t.code in reached and t.status == "online"}
    # when the county leader approves it
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        broadcast_transition(actor=people["leader"], broadcast=message, action=Action.APPROVE)
    message.refresh_from_db()
    # then it went out: one delivery per terminal of the two villages, none elsewhere
    assert message.state == State.DISPATCHED
    assert set(_statuses(message)) == reached
    # and every online terminal played it once and said so
    _listen_until(
        listener,
        lambda: all(_statuses(message)[code] == DeliveryStatus.PLAYED for code in online),
    )
    for code in online:
        assert len(simulator.plays_of(code)) == 1
    # the offline ones failed at once, yet were sent to; they never answered
    for code in reached - online:
        assert _statuses(message)[code] == DeliveryStatus.FAILED
        assert Delivery.objects.get(broadcast=message, terminal__code=code).attempts == 1
        assert simulator.plays_of(code) == []
    # and the message waits for them until it expires
    assert Broadcast.objects.get(pk=message.pk).state == State.DISPATCHED
    assert not simulator.refusals
    row = Delivery.objects.get(broadcast=message, terminal__code=sorted(online)[0])
    assert row.attempts == 1
    assert row.sent_at is not None
    assert row.received_at is not None
    assert row.played_at is not None
    # when the message expires, the silent terminals failed and the message is complete
    deliveries_expire(now=message.expires_at + timedelta(seconds=1))
    message.refresh_from_db()
    assert message.state == State.COMPLETED
    for code in reached - online:
        assert _statuses(message)[code] == DeliveryStatus.FAILED
    assert set(
        Delivery.objects.filter(broadcast=message, status=DeliveryStatus.FAILED).values_list(
            "detail", flat=True
        )
    ) == {EXPIRED_DETAIL}
    actions = list(message.events.values_list("action", flat=True))
    assert actions[-2:] == [Action.DISPATCH, Action.COMPLETE]
    assert AuditEntry.objects.filter(
        action="broadcast.dispatch", object_id=str(message.pk), actor_id=None
    ).exists()


def test_a_message_completes_once_every_terminal_answered(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    mqtt_broker: str,
    listener: DeliveryListener,
) -> None:
    # given a message to a village whose second loudspeaker is faulty (both online)
    codes = [t.code for t in terminals if t.village_code == tree.villages[0]]
    sim = TerminalSimulator(
        url=mqtt_broker, codes=codes, server_key=server_public_key(), faulty_codes=codes[1:]
    )
    terminal_keys_register(keys=sim.public_keys())
    sim.start()
    try:
        message = _approved(compose, people, [tree.villages[0]])
        broadcast_dispatch(broadcast_id=message.pk)
        # when both answered (played, and failed with the fault)
        _listen_until(
            listener,
            lambda: Broadcast.objects.get(pk=message.pk).state == State.COMPLETED,
        )
    finally:
        sim.stop()
    # then the message completed before its expiry, the fault recorded
    assert _statuses(message) == {
        codes[0]: DeliveryStatus.PLAYED,
        codes[1]: DeliveryStatus.FAILED,
    }
    assert Delivery.objects.get(terminal__code=codes[1]).detail == FAULT_DETAIL


def test_a_dispatcher_killed_mid_batch_resumes_without_skipping_or_playing_twice(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    simulator: TerminalSimulator,
    listener: DeliveryListener,
    mqtt_broker: str,
) -> None:
    # given a county-wide message whose deliveries were written, and a dispatcher that got half
    # of them to the broker before it died (none marked sent)
    message = _approved(compose, people, [tree.county])
    written = deliveries_write(broadcast_id=message.pk)
    assert written == len(terminals)
    rows = list(
        Delivery.objects.filter(broadcast=message)
        .order_by("id")
        .values_list("terminal__code", "payload")
    )
    first_half = rows[: len(rows) // 2]
    with Publisher(mqtt_broker, client_id="dying-dispatcher") as dying:
        assert all(
            dying.publish(
                [
                    (DELIVERY_TOPIC.format(code=code), payload.encode())
                    for code, payload in first_half
                ]
            )
        )
    assert not Delivery.objects.filter(broadcast=message, attempts__gt=0).exists()
    # when the dispatch runs again
    taken = broadcast_dispatch(broadcast_id=message.pk)
    # then every terminal was sent to, the first half twice with the same bytes
    assert taken == len(rows)
    online = [t.code for t in terminals if t.status == TerminalStatus.ONLINE]
    _listen_until(
        listener,
        lambda: all(_statuses(message)[code] == DeliveryStatus.PLAYED for code in online),
    )
    resent = {code for code, _payload in first_half} & set(online)
    assert resent
    for code in online:
        # every online terminal played it exactly once; the resent ones knew it as a replay
        assert len(simulator.plays_of(code)) == 1
        assert simulator.arrivals[code] == (2 if code in resent else 1)
    assert simulator.refusals == {}
    # a dispatch run once more sends nothing: nothing is pending
    assert broadcast_dispatch(broadcast_id=message.pk) == 0


def test_unanswered_terminals_are_sent_the_same_payload_again_until_expiry(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    simulator: TerminalSimulator,
    listener: DeliveryListener,
) -> None:
    # given a message sent while a loudspeaker was off the network
    message = _approved(compose, people, [tree.villages[0]])
    broadcast_dispatch(broadcast_id=message.pk)
    silent = next(
        t.code
        for t in terminals
        if t.village_code == tree.villages[0] and t.status == TerminalStatus.OFFLINE
    )
    # (the online one answered)
    _listen_until(
        listener,
        lambda: (
            Delivery.objects.filter(broadcast=message, status=DeliveryStatus.PLAYED).count() == 1
        ),
    )
    first = Delivery.objects.get(broadcast=message, terminal__code=silent)
    assert first.status == DeliveryStatus.FAILED
    assert first.detail == OFFLINE_DETAIL
    # when it comes back and the retry runs after the wait
    simulator.terminals[silent].offline = False
    assert deliveries_retry(now=timezone.now() + timedelta(seconds=61)) == 1
    _listen_until(
        listener,
        lambda: Delivery.objects.get(pk=first.pk).status == DeliveryStatus.PLAYED,
    )
    # then it played the same signed payload (the nonce written at dispatch), once
    again = Delivery.objects.get(pk=first.pk)
    assert again.payload == first.payload
    assert again.attempts == 2
    assert again.detail == ""
    assert again.failed_at is None
    # every terminal answered: the message is complete before its expiry
    assert Broadcast.objects.get(pk=message.pk).state == State.COMPLETED
    assert len(simulator.plays_of(silent)) == 1
    # and nothing is sent again
    assert deliveries_retry(now=timezone.now() + timedelta(minutes=5)) == 0


def test_a_scheduled_message_goes_out_when_its_time_comes(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    mqtt_broker: str,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    at = timezone.now() + timedelta(hours=1)
    message = compose(people["operator"], [tree.villages[0]], scheduled_at=at)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        broadcast_transition(actor=people["leader"], broadcast=message, action=Action.APPROVE)
    # nothing before its time
    assert deliveries_retry() == 0
    assert not Delivery.objects.filter(broadcast=message).exists()
    assert Broadcast.objects.get(pk=message.pk).state == State.APPROVED
    # at its time the minute's retry sends it
    assert deliveries_retry(now=at + timedelta(seconds=1)) == 2
    assert Broadcast.objects.get(pk=message.pk).state == State.DISPATCHED


def test_without_a_broker_the_deliveries_wait(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    # given no broker configured (MQTT_URL empty)
    message = compose(people["operator"], [tree.villages[0]])
    # when the message is approved, the approval stands and the deliveries wait, pending
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        broadcast_transition(actor=people["leader"], broadcast=message, action=Action.APPROVE)
    assert Broadcast.objects.get(pk=message.pk).state == State.DISPATCHED
    assert set(_statuses(message).values()) == {DeliveryStatus.PENDING, DeliveryStatus.FAILED}
    assert not Delivery.objects.filter(broadcast=message, attempts__gt=0).exists()


def test_a_cancelled_message_is_not_sent_again(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
) -> None:
    message = _approved(compose, people, [tree.villages[0]])
    deliveries_write(broadcast_id=message.pk)
    broadcast_transition(actor=people["operator"], broadcast=message, action=Action.CANCEL)
    assert deliveries_retry(now=timezone.now() + timedelta(minutes=2)) == 0


def test_acknowledgements_move_deliveries_forward_only_and_for_their_own_terminal(
    compose: Callable[..., Broadcast],
    people: dict[str, User],
    tree: Tree,
    terminals: list[Terminal],
) -> None:
    message = _approved(compose, people, [tree.villages[0]])
    deliveries_write(broadcast_id=message.pk)
    first, second = Delivery.objects.filter(broadcast=message).order_by("id")
    # an acknowledgement naming another terminal, and an unknown status, change nothing
    assert (
        deliveries_record_acks(
            [
                Ack(terminal=second.terminal.code, nonce=first.nonce, status="played"),
                Ack(terminal=first.terminal.code, nonce=first.nonce, status="exploded"),
                Ack(terminal=first.terminal.code, nonce="0" * 32, status="played"),
            ]
        )
        == 0
    )
    assert Delivery.objects.get(pk=first.pk).status == DeliveryStatus.PENDING
    # played arriving before received: played, and received later changes nothing
    code = first.terminal.code
    assert deliveries_record_acks([Ack(terminal=code, nonce=first.nonce, status="played")]) == 1
    assert deliveries_record_acks([Ack(terminal=code, nonce=first.nonce, status="received")]) == 0
    assert deliveries_record_acks([Ack(terminal=code, nonce=first.nonce, status="failed")]) == 0
    row = Delivery.objects.get(pk=first.pk)
    assert row.status == DeliveryStatus.PLAYED
    assert row.received_at is not None
    # the message waits for its other terminal
    assert Broadcast.objects.get(pk=message.pk).state == State.DISPATCHED


def test_the_listener_records_heartbeats(
    terminals: list[Terminal], mqtt_broker: str, listener: DeliveryListener
) -> None:
    offline = [t.code for t in terminals if t.status == TerminalStatus.OFFLINE][:2]
    sim = TerminalSimulator(
        url=mqtt_broker, codes=offline, server_key=server_public_key(), faulty_codes=offline[1:]
    )
    terminal_keys_register(keys=sim.public_keys())
    sim.start()
    try:
        sim.heartbeat_once()
        _listen_until(
            listener,
            lambda: (
                Terminal.objects.filter(code__in=offline, last_heartbeat_at__isnull=False).count()
                == 2
            ),
        )
    finally:
        sim.stop()
    assert Terminal.objects.get(code=offline[0]).status == TerminalStatus.ONLINE
    assert Terminal.objects.get(code=offline[1]).status == TerminalStatus.FAULTY


def test_a_forged_delivery_on_the_broker_is_refused_by_the_terminals(
    terminals: list[Terminal], simulator: TerminalSimulator, mqtt_broker: str
) -> None:
    code = next(t.code for t in terminals if t.status == TerminalStatus.ONLINE)
    with Publisher(mqtt_broker, client_id="intruder") as intruder:
        intruder.publish([(DELIVERY_TOPIC.format(code=code), b'{"text": "forged"}')])
    deadline = time.monotonic() + 5
    while not simulator.refusals and time.monotonic() < deadline:
        time.sleep(0.02)
    assert simulator.refusals == {Refusal.UNSIGNED: 1}
    assert simulator.plays_of(code) == []


def test_the_listener_refuses_heartbeats_their_terminal_did_not_sign_lately(
    terminals: list[Terminal], mqtt_broker: str, listener: DeliveryListener
) -> None:
    # given an offline loudspeaker with its key registered, and an intruder on the broker
    code, other = [t.code for t in terminals if t.status == TerminalStatus.OFFLINE][:2]
    own_key, intruder_key = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    terminal_keys_register(keys={code: public_key_text(own_key)})
    now = time.time()

    def beat(key: Ed25519PrivateKey, at: float, terminal: str = code) -> bytes:
        return heartbeat_bytes(terminal_code=terminal, faulty=False, at=at, private_key=key)

    topic = HEARTBEAT_TOPIC.format(code=code)
    old = beat(own_key, now - 10)
    forged = [
        (topic, json.dumps({"terminal": code, "faulty": False, "at": now}).encode()),  # unsigned
        (topic, beat(intruder_key, now)),  # another key
        (topic, beat(own_key, now - 3600)),  # an hour old
        (HEARTBEAT_TOPIC.format(code=other), beat(own_key, now)),  # on another's topic
        (topic, b"not json"),
    ]
    # when they are published, then nothing moves
    with Publisher(mqtt_broker, client_id="intruder") as intruder:
        intruder.publish(forged)
    _listen_until(listener, lambda: sum(listener.refused_heartbeats.values()) == 5)
    assert listener.refused_heartbeats == {
        "unsigned": 1,
        "bad_signature": 1,
        "replayed": 1,
        "wrong_terminal": 1,
        "malformed": 1,
    }
    assert Terminal.objects.get(code=code).status == TerminalStatus.OFFLINE
    assert Terminal.objects.get(code=code).last_heartbeat_at is None
    # a heartbeat it signed is heard; the very same one again is not
    with Publisher(mqtt_broker, client_id="intruder") as intruder:
        intruder.publish([(topic, old)])
    _listen_until(listener, lambda: Terminal.objects.get(code=code).last_heartbeat_at is not None)
    assert Terminal.objects.get(code=code).status == TerminalStatus.ONLINE
    with Publisher(mqtt_broker, client_id="intruder") as intruder:
        intruder.publish([(topic, old)])
    _listen_until(listener, lambda: listener.refused_heartbeats["replayed"] == 2)

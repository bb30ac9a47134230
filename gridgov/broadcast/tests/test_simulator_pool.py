"""The simulated terminals split across processes (`broadcast_terminals --processes N`): every
terminal is carried by exactly one process, a delivery to it is answered once, and the playback
log and counters of the processes add up in the parent."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections import Counter, defaultdict

import paho.mqtt.client as mqtt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gridgov.broadcast.mqtt import Publisher, connected_client
from gridgov.broadcast.simulator import TerminalSimulator
from gridgov.broadcast.simulator_pool import SimulatorPool, shares
from gridgov.broadcast.terminal_protocol import (
    ACK_SUBSCRIPTION,
    DELIVERY_TOPIC,
    sign_payload,
)

MESSAGE_ID = "6f1d2c3b-0000-4000-8000-000000000012"


@pytest.mark.parametrize(("count", "processes"), [(1, 1), (7, 1), (7, 2), (7, 3), (3, 5), (10, 10)])
def test_shares_carry_every_terminal_exactly_once(count: int, processes: int) -> None:
    codes = [f"T{number:03d}" for number in range(count)]
    dealt = shares(codes, processes)
    assert Counter(code for share in dealt for code in share) == Counter(codes)
    assert len(dealt) == min(processes, count)
    assert all(dealt)
    assert max(map(len, dealt)) - min(map(len, dealt)) <= 1


def test_the_pool_picks_the_same_offline_and_faulty_terminals_as_one_simulator() -> None:
    # given the same terminals, shares and seed
    codes = [f"T{number:03d}" for number in range(40)]
    key = _key_text(Ed25519PrivateKey.generate())
    one = TerminalSimulator(
        url="mqtt://127.0.0.1:1",
        codes=codes,
        server_key=key,
        offline_share=0.2,
        faulty_share=0.1,
        seed=5,
    )
    pool = SimulatorPool(
        processes=3,
        url="mqtt://127.0.0.1:1",
        codes=codes,
        server_key=key,
        offline_share=0.2,
        faulty_share=0.1,
        seed=5,
    )
    # then the pool marks the very terminals one simulator would, each in the share carrying it
    assert pool.offline == {code for code, t in one.terminals.items() if t.offline}
    assert pool.faulty == {code for code, t in one.terminals.items() if t.faulty}
    assert len(pool.offline) == 8
    assert len(pool.faulty) == 4
    for share in pool.shares:
        assert share.offline_codes == pool.offline.intersection(share.codes)
        assert share.faulty_codes == pool.faulty.intersection(share.codes)
    assert pool.public_keys() == one.public_keys()


def _key_text(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _signed_deliveries(key: Ed25519PrivateKey, codes: list[str]) -> list[tuple[str, bytes]]:
    now = int(time.time())
    return [
        (
            DELIVERY_TOPIC.format(code=code),
            sign_payload(
                {
                    "v": 1,
                    "message_id": MESSAGE_ID,
                    "terminal": code,
                    "issued_at": now,
                    "expires_at": now + 600,
                    "nonce": secrets.token_hex(16),
                    "title": "防汛紧急通知",
                    "text": "渭河水位上涨，沿河群众请立即向高处转移。",
                },
                key,
            ),
        )
        for code in codes
    ]


def test_three_processes_answer_each_delivery_once_and_log_one_play_per_terminal(
    mqtt_broker: str,
) -> None:
    # given 9 terminals (2 of them offline) split across 3 processes, and an ear on the answers
    server = Ed25519PrivateKey.generate()
    server_key = base64.b64encode(
        server.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ).decode()
    codes = [f"POOL{number:02d}" for number in range(9)]
    lines: list[str] = []
    pool = SimulatorPool(
        processes=3,
        url=mqtt_broker,
        codes=codes,
        server_key=server_key,
        offline_share=2 / 9,
        seed=1,
        on_line=lines.append,
    )
    online = [code for code in codes if code not in pool.offline]
    answers: dict[str, list[str]] = defaultdict(list)
    heard = threading.Condition()

    def on_answer(_client: object, _userdata: object, message: mqtt.MQTTMessage) -> None:
        body = json.loads(message.payload)
        with heard:
            answers[body["terminal"]].append(body["status"])
            heard.notify_all()

    ear = connected_client(mqtt_broker, client_id="pool-test-ear")
    ear.on_message = on_answer
    subscribed = threading.Event()
    ear.on_subscribe = lambda *_args: subscribed.set()
    ear.subscribe(ACK_SUBSCRIPTION, qos=1)
    assert subscribed.wait(10)
    pool.start()
    try:
        # when every terminal is sent a signed delivery, then the very same bytes again
        deliveries = _signed_deliveries(server, codes)
        with Publisher(mqtt_broker, client_id="pool-test-server") as server_side:
            assert all(server_side.publish(deliveries))
            with heard:
                assert heard.wait_for(
                    lambda: sum(map(len, answers.values())) >= 2 * len(online), 20
                ), dict(answers)
            assert all(server_side.publish(deliveries))
            with heard:
                assert heard.wait_for(
                    lambda: sum(map(len, answers.values())) >= 4 * len(online), 20
                ), dict(answers)
        time.sleep(0.3)
    finally:
        tally = pool.stop()
        ear.disconnect()
        ear.loop_stop()
    # then each online terminal answered by one process only: received and played for the
    # delivery, received and played again for the resend (known: not played twice)
    assert set(answers) == set(online)
    for code in online:
        assert answers[code] == ["received", "played", "received", "played"], code
    # and the parent's one playback log has one play per online terminal, none for the others
    plays = Counter(line.split(" ")[0] for line in lines if line.split(" ")[1] == "played")
    assert plays == Counter(online)
    assert all(line.split(" ")[2] == MESSAGE_ID for line in lines)
    # and the counters of the three processes add up
    assert tally.arrivals == 2 * len(online)
    assert tally.replays == len(online)
    assert sum(tally.refusals.values()) == 0


def test_a_pool_that_cannot_reach_the_broker_says_so() -> None:
    key = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    pool = SimulatorPool(
        processes=2,
        url="mqtt://127.0.0.1:1",
        codes=["A", "B"],
        server_key=base64.b64encode(key).decode(),
    )
    with pytest.raises(RuntimeError, match="could not start"):
        pool.start()

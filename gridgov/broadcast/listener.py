"""The server's ear on MQTT: terminals' acknowledgements and heartbeats, gathered from the
broker and written in batches (one write per batch, not per message).

Each acknowledgement must carry its terminal's signature (checked with the public key registered
with the terminal), come on that terminal's topic and not be one heard before: any other is
refused, counted on the message whose delivery it names and in the listener's own tally."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import queue
import secrets
import socket
import threading
import time
from collections import Counter, OrderedDict
from typing import Any

import paho.mqtt.client as mqtt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gridgov.broadcast.delivery import Ack, Refused, deliveries_record_answers
from gridgov.broadcast.mqtt import connected_client
from gridgov.broadcast.terminal_protocol import (
    ACK_SUBSCRIPTION,
    HEARTBEAT_SUBSCRIPTION,
    AckRefusal,
    AckVerdict,
    Heartbeat,
    read_ack,
    read_heartbeat,
    verify_ack,
)
from gridgov.broadcast.terminal_selectors import terminal_public_keys
from gridgov.broadcast.terminal_services import terminal_heartbeats

logger = logging.getLogger(__name__)


def unique_client_id() -> str:
    """A listener's MQTT client id, its own: the host, the process and a random part."""
    host = socket.gethostname().split(".")[0][:20] or "host"
    return f"gridgov-listener-{host}-{os.getpid()}-{secrets.token_hex(3)}"


FLUSH_SECONDS = 0.1
MAX_BATCH = 5_000
# Signatures of acknowledgements heard lately, to refuse the very same one again.
SEEN_SIGNATURES = 200_000


class DeliveryListener:
    """Subscribes to the acknowledgement and heartbeat topics; `run_once()` writes what arrived
    since, `run(stop)` does so until `stop` is set.

    Several listeners may run at once: each has a client id of its own (two with one id would
    take the connection from each other in turn). Given a stable `client_id` (an instance name)
    the broker keeps its subscription, and the acknowledgements at QoS 1, while it is away. With
    a `shared_group` (an MQTT shared subscription, which Mosquitto offers) each acknowledgement
    goes to one listener of the group; without one every listener hears every acknowledgement,
    and recording one twice changes nothing (a delivery only moves forward, each refusal is
    counted once)."""

    def __init__(self, url: str, *, client_id: str = "", shared_group: str = "") -> None:
        self.url = url
        self.persistent = bool(client_id)
        self.client_id = client_id or unique_client_id()
        self.shared_group = shared_group
        self._inbox: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self._client: mqtt.Client | None = None
        self.recorded = 0
        # Refused acknowledgements since the listener started, by why.
        self.refused: Counter[str] = Counter()
        # Refused heartbeats (unsigned, forged, stale, heard again), by why.
        self.refused_heartbeats: Counter[str] = Counter()
        self._last_beat: dict[str, float] = {}
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._key_texts: dict[str, str] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()

    def subscriptions(self) -> list[tuple[str, int]]:
        topics = [(ACK_SUBSCRIPTION, 1), (HEARTBEAT_SUBSCRIPTION, 0)]
        if self.shared_group:
            return [(f"$share/{self.shared_group}/{topic}", qos) for topic, qos in topics]
        return topics

    @property
    def connected(self) -> bool:
        return self._client is not None and self._client.is_connected()

    def start(self) -> DeliveryListener:
        subscribed = threading.Event()
        client = connected_client(
            self.url, client_id=self.client_id, clean_session=not self.persistent
        )
        client.on_message = self._on_message
        client.on_subscribe = lambda *_args: subscribed.set()
        client.subscribe(self.subscriptions())
        if not subscribed.wait(10):
            client.loop_stop()
            raise RuntimeError("the listener could not subscribe")
        self._client = client
        return self

    def stop(self) -> None:
        if self._client is not None:
            self._client.disconnect()
            self._client.loop_stop()
            self._client = None

    def _on_message(self, _client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        topic = message.topic
        if topic.startswith("$share/"):
            topic = topic.split("/", 2)[2]
        self._inbox.put((topic, bytes(message.payload)))

    def run_once(self, *, wait: float = FLUSH_SECONDS) -> int:
        """Write what arrived (waiting up to `wait` for the first message); how many acks."""
        arrived: list[tuple[str, bytes]] = []
        try:
            arrived.append(self._inbox.get(timeout=wait))
        except queue.Empty:
            return 0
        while len(arrived) < MAX_BATCH:
            try:
                arrived.append(self._inbox.get_nowait())
            except queue.Empty:
                break
        read: list[AckVerdict] = []
        digests: list[str] = []
        online: set[str] = set()
        faulty: set[str] = set()
        beats: list[tuple[str, bytes]] = []
        for topic, body in arrived:
            code = topic.rsplit("/", 1)[-1]
            if topic.startswith(ACK_SUBSCRIPTION[:-1]):
                read.append(read_ack(body, topic_terminal=code))
                digests.append(hashlib.sha256(topic.encode() + b"\n" + body).hexdigest())
                continue
            beats.append((code, body))
        for code, beat in self._heartbeats(beats):
            (faulty if beat.faulty else online).add(code)
        acks, refused = self._checked(read, digests)
        if acks or refused:
            answers = deliveries_record_answers(acks, refused=refused)
            self.refused.update(str(refusal.reason) for refusal in answers.refused)
            self.recorded += len(acks) - (len(answers.refused) - len(refused))
        if online or faulty:
            terminal_heartbeats(online=online, faulty=faulty)
        return len(acks)

    def _heartbeats(self, beats: list[tuple[str, bytes]]) -> list[tuple[str, Heartbeat]]:
        """The heartbeats signed by their terminal lately and newer than the last one heard from
        it (a heartbeat heard again cannot keep a silent terminal online); the others are
        counted in `refused_heartbeats` by why."""
        self._load_keys({code for code, _body in beats})
        now = time.time()
        accepted: list[tuple[str, Heartbeat]] = []
        for code, body in beats:
            verdict = read_heartbeat(
                body, topic_terminal=code, terminal_key=self._keys.get(code), now=now
            )
            if not isinstance(verdict, Heartbeat):
                self.refused_heartbeats[str(verdict)] += 1
                continue
            if verdict.at <= self._last_beat.get(code, 0.0):
                self.refused_heartbeats[str(AckRefusal.REPLAYED)] += 1
                continue
            self._last_beat[code] = verdict.at
            accepted.append((code, verdict))
        return accepted

    def _checked(
        self, read: list[AckVerdict], digests: list[str]
    ) -> tuple[list[Ack], list[Refused]]:
        """The acknowledgements whose signature verifies, and the refused ones."""
        self._load_keys(
            {verdict.body["terminal"] for verdict in read if verdict.accepted and verdict.body}
        )
        acks: list[Ack] = []
        refused: list[Refused] = []
        for verdict, digest in zip(read, digests, strict=True):
            body = verdict.body or {}
            if verdict.accepted:
                verdict = verify_ack(verdict, self._keys.get(body["terminal"]))
            if verdict.accepted and verdict.signature in self._seen:
                verdict = AckVerdict(body, AckRefusal.REPLAYED, verdict.signature)
            if not verdict.accepted:
                assert verdict.refusal is not None
                refused.append(
                    Refused(nonce=str(body.get("nonce", "")), reason=verdict.refusal, key=digest)
                )
                continue
            self._remember(verdict.signature)
            acks.append(
                Ack(
                    terminal=body["terminal"],
                    nonce=body["nonce"],
                    status=str(body["status"]),
                    detail=str(body.get("detail", "")),
                    message_id=body["message_id"],
                    at=float(body["at"]),
                    key=digest,
                )
            )
        return acks, refused

    def _load_keys(self, codes: set[str]) -> None:
        """The registered keys of these terminals, read again each batch for those that changed
        (a terminal re-keyed by its installer verifies with its new key at once)."""
        if not codes:
            return
        texts = terminal_public_keys(codes=codes)
        for code in codes:
            text = texts.get(code)
            if text is None:
                self._keys.pop(code, None)
                self._key_texts.pop(code, None)
            elif self._key_texts.get(code) != text:
                self._keys[code] = Ed25519PublicKey.from_public_bytes(base64.b64decode(text))
                self._key_texts[code] = text

    def _remember(self, signature: str) -> None:
        self._seen[signature] = None
        while len(self._seen) > SEEN_SIGNATURES:
            self._seen.popitem(last=False)

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:
                # A database hiccup must not stop the ear; what arrived is lost, the terminal
                # is resent to and answers again.
                logger.exception("the delivery listener could not record a batch")

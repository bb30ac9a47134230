"""The server's ear on MQTT: terminals' acknowledgements and heartbeats, gathered from the
broker and written in batches (one write per batch, not per message)."""

from __future__ import annotations

import json
import logging
import queue
import threading
from typing import Any

import paho.mqtt.client as mqtt

from gridgov.broadcast.delivery import Ack, deliveries_record_acks
from gridgov.broadcast.mqtt import connected_client
from gridgov.broadcast.terminal_protocol import ACK_SUBSCRIPTION, HEARTBEAT_SUBSCRIPTION
from gridgov.broadcast.terminal_services import terminal_heartbeats

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 0.1
MAX_BATCH = 5_000


class DeliveryListener:
    """Subscribes to the acknowledgement and heartbeat topics; `run_once()` writes what arrived
    since, `run(stop)` does so until `stop` is set. With a fixed `client_id` the broker keeps
    the subscription (and the acknowledgements at QoS 1) while the listener is away."""

    def __init__(self, url: str, *, client_id: str = "gridgov-delivery-listener") -> None:
        self.url = url
        self.client_id = client_id
        self._inbox: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self._client: mqtt.Client | None = None
        self.recorded = 0

    def start(self) -> DeliveryListener:
        subscribed = threading.Event()
        client = connected_client(self.url, client_id=self.client_id, clean_session=False)
        client.on_message = self._on_message
        client.on_subscribe = lambda *_args: subscribed.set()
        client.subscribe([(ACK_SUBSCRIPTION, 1), (HEARTBEAT_SUBSCRIPTION, 0)])
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
        self._inbox.put((message.topic, bytes(message.payload)))

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
        acks: list[Ack] = []
        online: set[str] = set()
        faulty: set[str] = set()
        for topic, body in arrived:
            try:
                data = json.loads(body)
            except ValueError:
                continue
            if not isinstance(data, dict):
                continue
            code = topic.rsplit("/", 1)[-1]
            if topic.startswith(ACK_SUBSCRIPTION[:-1]):
                acks.append(
                    Ack(
                        terminal=code,
                        nonce=str(data.get("nonce", "")),
                        status=str(data.get("status", "")),
                        detail=str(data.get("detail", "")),
                    )
                )
            elif data.get("faulty"):
                faulty.add(code)
            else:
                online.add(code)
        if acks:
            deliveries_record_acks(acks)
            self.recorded += len(acks)
        if online or faulty:
            terminal_heartbeats(online=online, faulty=faulty)
        return len(acks)

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:
                # A database hiccup must not stop the ear; what arrived is lost, the terminal
                # is resent to and answers again.
                logger.exception("the delivery listener could not record a batch")

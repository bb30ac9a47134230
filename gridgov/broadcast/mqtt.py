"""The MQTT connection of the broadcast (paho-mqtt): the broker's address from `MQTT_URL`
(mqtt://[user:password@]host:port), and publishing a batch at QoS 1 until the broker took each
message."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt

DEFAULT_PORT = 1883
# Messages on their way to the broker at once: no limit (0). With a limit, paho walks the
# messages in flight from the first on every PUBACK to find the next one to send, so each answer
# cost O(limit): with 1,000, the simulator's 20,000 answers spent ~3 s in that walk alone. The
# messages are kept until the broker took them either way.
MAX_INFLIGHT = 0
CONNECT_TIMEOUT_SECONDS = 5.0


class BrokerUnavailable(RuntimeError):
    """No broker is configured, or it cannot be reached."""


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    username: str = ""
    password: str = ""


def broker_address(url: str) -> BrokerAddress:
    """The broker named by an MQTT URL; BrokerUnavailable when there is none."""
    if not url:
        raise BrokerUnavailable("MQTT_URL is not set")
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "tcp") or not parts.hostname:
        raise BrokerUnavailable("MQTT_URL is mqtt://host:port")
    return BrokerAddress(
        host=parts.hostname,
        port=parts.port or DEFAULT_PORT,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def connected_client(url: str, *, client_id: str, clean_session: bool = True) -> mqtt.Client:
    """A client connected to the broker, its network loop running in a thread of its own."""
    address = broker_address(url)
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=clean_session
    )
    client.max_inflight_messages_set(MAX_INFLIGHT)
    client.max_queued_messages_set(0)
    if address.username:
        client.username_pw_set(address.username, address.password or None)
    try:
        client.connect(address.host, address.port, keepalive=30)
    except OSError as error:
        raise BrokerUnavailable(f"cannot reach the broker: {error}") from error
    client.loop_start()
    deadline = time.monotonic() + CONNECT_TIMEOUT_SECONDS
    while not client.is_connected():
        if time.monotonic() > deadline:
            client.loop_stop()
            raise BrokerUnavailable("the broker did not accept the connection")
        time.sleep(0.01)
    return client


class Publisher:
    """Publishes batches at QoS 1; `publish` returns which messages the broker acknowledged."""

    def __init__(self, url: str, *, client_id: str) -> None:
        self.client = connected_client(url, client_id=client_id)

    def publish(
        self, messages: Sequence[tuple[str, bytes]], *, timeout: float = 30.0
    ) -> list[bool]:
        infos = [self.client.publish(topic, body, qos=1) for topic, body in messages]
        deadline = time.monotonic() + timeout
        taken = []
        for info in infos:
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                taken.append(False)
                continue
            try:
                info.wait_for_publish(max(0.0, deadline - time.monotonic()))
            except (RuntimeError, ValueError):
                taken.append(False)
                continue
            taken.append(info.is_published())
        return taken

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def __enter__(self) -> Publisher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

"""An embedded MQTT broker (amqtt, pure Python) for the demo and the tests, so nothing else is
installed; production points MQTT_URL at Mosquitto instead."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

from amqtt.broker import Broker

from gridgov.broadcast.mqtt import broker_address

STARTUP_TIMEOUT_SECONDS = 15.0


def broker_config(host: str, port: int) -> dict[str, Any]:
    """One TCP listener; anonymous clients (it listens on the loopback interface only)."""
    return {
        "listeners": {"default": {"type": "tcp", "bind": f"{host}:{port}"}},
        "plugins": {"amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}},
    }


def quiet_broker_logs() -> None:
    # amqtt tells of every connection at INFO.
    for name in ("amqtt", "transitions"):
        logging.getLogger(name).setLevel(logging.WARNING)


async def serve(
    url: str, stop: asyncio.Event | None = None, on_ready: Callable[[], None] | None = None
) -> None:
    """Serve the broker of `url` until `stop` is set (or for ever)."""
    address = broker_address(url)
    quiet_broker_logs()
    broker = Broker(broker_config(address.host, address.port))
    await broker.start()
    if on_ready is not None:
        on_ready()
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await broker.shutdown()


class EmbeddedBroker:
    """The broker in a thread of this process (tests and benchmarks): `start()`, `stop()`."""

    def __init__(self, host: str, port: int) -> None:
        self.url = f"mqtt://{host}:{port}"
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="mqtt-broker", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._stop = asyncio.Event()
        try:
            self._loop.run_until_complete(serve(self.url, self._stop, self._ready.set))
        except BaseException as error:  # told to the starting thread
            self._error = error
            self._ready.set()

    def start(self) -> EmbeddedBroker:
        self._thread.start()
        if not self._ready.wait(STARTUP_TIMEOUT_SECONDS) or self._error is not None:
            raise RuntimeError(f"the embedded broker did not start: {self._error}")
        return self

    def stop(self) -> None:
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)

"""Records the terminals' acknowledgements and heartbeats from MQTT (`make run` starts it)."""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from gridgov.broadcast.listener import DeliveryListener
from gridgov.broadcast.mqtt import BrokerUnavailable

RECONNECT_SECONDS = 2.0


class Command(BaseCommand):
    help = "Listen on MQTT_URL for terminals' acknowledgements and heartbeats and record them."

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_args: stop.set())
        listener = None
        while listener is None and not stop.is_set():
            try:
                listener = DeliveryListener(settings.MQTT_URL).start()
            except (BrokerUnavailable, RuntimeError) as error:
                # The broker starting beside it may not listen yet.
                self.stderr.write(f"waiting for the broker: {error}")
                time.sleep(RECONNECT_SECONDS)
        if listener is None:
            return
        self.stdout.write("listening for broadcast acknowledgements")
        try:
            listener.run(stop)
        except KeyboardInterrupt:
            pass
        finally:
            listener.stop()

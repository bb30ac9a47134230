"""Records the terminals' acknowledgements and heartbeats from MQTT (`make run` starts it)."""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from gridgov.broadcast.listener import DeliveryListener
from gridgov.broadcast.mqtt import BrokerUnavailable

RECONNECT_SECONDS = 2.0


class Command(BaseCommand):
    help = "Listen on MQTT_URL for terminals' acknowledgements and heartbeats and record them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--instance",
            default="",
            help="a stable name for this listener: the broker keeps its subscription and the "
            "acknowledgements for it while it is away (without one each run has an id of its "
            "own, so several listeners run side by side)",
        )
        parser.add_argument(
            "--shared",
            default=settings.MQTT_SHARED_GROUP,
            help="an MQTT shared subscription group (Mosquitto): each acknowledgement goes to one "
            "listener of the group (default: GRIDGOV_MQTT_SHARED_GROUP; empty: every listener "
            "hears every acknowledgement, and recording one twice changes nothing)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_args: stop.set())
        listener = None
        while listener is None and not stop.is_set():
            try:
                listener = DeliveryListener(
                    settings.MQTT_URL,
                    client_id=f"gridgov-delivery-listener-{options['instance']}"
                    if options["instance"]
                    else "",
                    shared_group=options["shared"],
                ).start()
            except (BrokerUnavailable, RuntimeError) as error:
                # The broker starting beside it may not listen yet.
                self.stderr.write(f"waiting for the broker: {error}")
                time.sleep(RECONNECT_SECONDS)
        if listener is None:
            return
        self.stdout.write(f"listening for broadcast acknowledgements as {listener.client_id}")
        try:
            listener.run(stop)
        except KeyboardInterrupt:
            pass
        finally:
            listener.stop()

"""The embedded MQTT broker of the demo (`make run` starts it beside the worker)."""

from __future__ import annotations

import asyncio
from typing import Any

from amqtt.errors import BrokerError
from django.conf import settings
from django.core.management.base import BaseCommand

from gridgov.broadcast.broker import serve
from gridgov.broadcast.mqtt import broker_address


class Command(BaseCommand):
    help = "Serve an embedded MQTT broker at MQTT_URL until stopped (the demo's; production runs Mosquitto)."

    def handle(self, *args: Any, **options: Any) -> None:
        address = broker_address(settings.MQTT_URL)
        self.stdout.write(f"MQTT broker on {address.host}:{address.port}")
        try:
            asyncio.run(serve(settings.MQTT_URL))
        except BrokerError as error:
            if "address already in use" not in str(error):
                raise
            # Another broker (Mosquitto, say) serves this address already: that one is used.
            self.stdout.write(f"{address.host}:{address.port} is served already; using that broker")
        except KeyboardInterrupt:
            pass

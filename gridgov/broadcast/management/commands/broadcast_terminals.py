"""Simulated terminals for the demo: `python manage.py broadcast_terminals --count N`."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.broadcast.models import Terminal
from gridgov.broadcast.mqtt import BrokerUnavailable
from gridgov.broadcast.signing import server_public_key
from gridgov.broadcast.simulator import Played, Stopped, TerminalSimulator
from gridgov.broadcast.terminal_services import terminal_keys_register


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Run N simulated terminals (the first N registered ones): heartbeats, signature checks, "
        "a playback log on standard output and signed acknowledgements; a share offline or "
        "faulty. Each simulated terminal's public key is registered with it, as an installer "
        "registers a real one's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=100, help="how many terminals")
        parser.add_argument("--offline", type=_share, default=0.0, help="share offline (0-1)")
        parser.add_argument("--faulty", type=_share, default=0.0, help="share faulty (0-1)")
        parser.add_argument("--heartbeat", type=float, default=30.0, help="seconds between beats")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--server",
            default="",
            help="the server's address (http://host:port) the terminals fetch recordings from; "
            "without it they read out the text",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] < 1:
            raise CommandError("--count is at least 1")
        codes = list(
            Terminal.objects.order_by("id").values_list("code", flat=True)[: options["count"]]
        )
        if not codes:
            raise CommandError("no terminals are registered: load the demo or import some first")

        def played(line: Played) -> None:
            self.stdout.write(f"{line.terminal} played {line.message_id} {line.title}")

        def stopped(line: Stopped) -> None:
            self.stdout.write(f"{line.terminal} stopped {line.message_id}")

        simulator = TerminalSimulator(
            url=settings.MQTT_URL,
            codes=codes,
            server_key=server_public_key(),
            offline_share=options["offline"],
            faulty_share=options["faulty"],
            seed=options["seed"],
            heartbeat_seconds=options["heartbeat"],
            on_play=played,
            on_stop=stopped,
            server_url=options["server"],
        )
        registered = terminal_keys_register(keys=simulator.public_keys())
        self.stdout.write(f"registered the public keys of {registered} simulated terminals")
        try:
            simulator.start()
        except (BrokerUnavailable, RuntimeError) as error:
            raise CommandError(f"cannot reach the broker at MQTT_URL: {error}") from error
        offline = len(codes) - len(simulator.online_codes)
        faulty = sum(terminal.faulty for terminal in simulator.terminals.values())
        self.stdout.write(f"{len(codes)} terminals: {offline} offline, {faulty} faulty")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_args: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.stop()
            self.stdout.write(f"refused: {dict(simulator.refusals)}")
            self.stdout.write(f"replayed (acknowledged again, not played): {simulator.replays}")

"""Simulated terminals for the demo: `python manage.py broadcast_terminals --count N`."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from gridgov.broadcast.models import Terminal
from gridgov.broadcast.mqtt import BrokerUnavailable
from gridgov.broadcast.signing import server_public_key
from gridgov.broadcast.simulator import Tally, TerminalSimulator, playback_line, stop_line
from gridgov.broadcast.simulator_pool import SimulatorPool
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
            "--processes",
            type=int,
            default=1,
            help="split the terminals across this many processes, each with its own MQTT "
            "connection (one process verifies and signs for all of them otherwise)",
        )
        parser.add_argument(
            "--server",
            default="",
            help="the server's address (http://host:port) the terminals fetch recordings from; "
            "without it they read out the text",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] < 1:
            raise CommandError("--count is at least 1")
        if options["processes"] < 1:
            raise CommandError("--processes is at least 1")
        codes = list(
            Terminal.objects.order_by("id").values_list("code", flat=True)[: options["count"]]
        )
        if not codes:
            raise CommandError("no terminals are registered: load the demo or import some first")
        pool: SimulatorPool | None = None
        simulator: TerminalSimulator | None = None
        # What one simulator and a pool of them are both told.
        terminals: dict[str, Any] = {
            "url": settings.MQTT_URL,
            "codes": codes,
            "server_key": server_public_key(),
            "offline_share": options["offline"],
            "faulty_share": options["faulty"],
            "seed": options["seed"],
            "heartbeat_seconds": options["heartbeat"],
            "server_url": options["server"],
        }
        if options["processes"] == 1:
            simulator = TerminalSimulator(
                **terminals,
                on_play=lambda line: self.stdout.write(playback_line(line)),
                on_stop=lambda line: self.stdout.write(stop_line(line)),
            )
            keys = simulator.public_keys()
            offline = len(codes) - len(simulator.online_codes)
            faulty = sum(terminal.faulty for terminal in simulator.terminals.values())
            where = ""
        else:
            pool = SimulatorPool(
                processes=options["processes"],
                **terminals,
                on_line=self.stdout.write,
            )
            keys = pool.public_keys()
            offline, faulty = len(pool.offline), len(pool.faulty)
            where = f", in {pool.processes} processes"
        registered = terminal_keys_register(keys=keys)
        self.stdout.write(f"registered the public keys of {registered} simulated terminals")
        # The terminals need no database from here on.
        connections.close_all()
        try:
            if simulator is not None:
                simulator.start()
            elif pool is not None:
                pool.start()
        except (BrokerUnavailable, RuntimeError) as error:
            raise CommandError(f"cannot reach the broker at MQTT_URL: {error}") from error
        self.stdout.write(f"{len(codes)} terminals: {offline} offline, {faulty} faulty{where}")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_args: stop.set())
        tally = Tally()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            if simulator is not None:
                simulator.stop()
                tally = simulator.tally()
            elif pool is not None:
                tally = pool.stop()
            self.stdout.write(f"refused: {dict(tally.refusals)}")
            self.stdout.write(f"replayed (acknowledged again, not played): {tally.replays}")

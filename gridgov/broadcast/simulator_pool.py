"""Simulated terminals split across processes (`broadcast_terminals --processes N`).

One Python process verifying every delivery and signing every answer is what bounds a fan-out to
ten thousand simulated terminals; here each of N processes runs a `TerminalSimulator` for its
share of the terminals, on an MQTT connection of its own that subscribes to its terminals'
topics only, so every terminal is carried by exactly one process. The processes send what they
played and counted back to the parent, which writes the one playback log and sums the counters.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gridgov.broadcast.mqtt import BrokerUnavailable
from gridgov.broadcast.simulator import (
    DEFAULT_KEY_SEED,
    Tally,
    TerminalSimulator,
    offline_and_faulty,
    playback_line,
    public_key_text,
    simulated_terminal_key,
    stop_line,
)

START_SECONDS = 60.0
STOP_SECONDS = 15.0
# How often a process sends the playback lines it wrote since (one message, not one a line).
FORWARD_SECONDS = 0.1


def shares(codes: Sequence[str], processes: int) -> list[list[str]]:
    """The terminals each process carries: every one in exactly one share, dealt in turn (so
    each share has terminals of every place), no share empty."""
    count = max(1, min(processes, len(codes)))
    return [list(codes[index::count]) for index in range(count)]


@dataclass(frozen=True)
class Share:
    """What one process needs to run its terminals (sent to it, so plain data)."""

    url: str
    codes: list[str]
    server_key: str
    offline_codes: frozenset[str]
    faulty_codes: frozenset[str]
    key_seed: str
    heartbeat_seconds: float
    server_url: str


def _run_share(index: int, share: Share, events: Any, stop: Any, parent: int) -> None:
    """A process's life: its terminals subscribe, then play and answer until told to stop (or
    the parent is gone); its playback lines and, at the end, its counters go to the parent."""
    # Ctrl-C reaches the whole process group: the parent decides when its processes stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    written: list[str] = []
    lock = threading.Lock()

    def keep(text: str) -> None:
        with lock:
            written.append(text)

    def forward() -> None:
        with lock:
            lines = written[:]
            written.clear()
        if lines:
            events.put(("lines", index, lines))

    try:
        simulator = TerminalSimulator(
            url=share.url,
            codes=share.codes,
            server_key=share.server_key,
            offline_codes=share.offline_codes,
            faulty_codes=share.faulty_codes,
            key_seed=share.key_seed,
            heartbeat_seconds=share.heartbeat_seconds,
            on_play=lambda line: keep(playback_line(line)),
            on_stop=lambda line: keep(stop_line(line)),
            server_url=share.server_url,
        ).start()
    except (BrokerUnavailable, RuntimeError, ValueError) as error:
        events.put(("failed", index, str(error) or type(error).__name__))
        return
    events.put(("ready", index, None))
    while not stop.wait(FORWARD_SECONDS):
        forward()
        if os.getppid() != parent:
            break
    simulator.stop()
    forward()
    events.put(("done", index, simulator.tally()))


class SimulatorPool:
    """N simulators in N processes over one set of terminals. `start()` returns once every
    process has subscribed; `stop()` stops them and returns their counters summed. Each line of
    the playback log (`CODE played MESSAGE_ID TITLE`, `CODE stopped MESSAGE_ID`) is given to
    `on_line` in the parent, from one thread."""

    def __init__(
        self,
        *,
        processes: int,
        url: str,
        codes: Iterable[str],
        server_key: str,
        offline_share: float = 0.0,
        faulty_share: float = 0.0,
        seed: int = 0,
        key_seed: str = DEFAULT_KEY_SEED,
        heartbeat_seconds: float = 0.0,
        server_url: str = "",
        on_line: Callable[[str], None] | None = None,
    ) -> None:
        self.codes = list(codes)
        # Chosen once over all the terminals, as one simulator would.
        self.offline, self.faulty = offline_and_faulty(
            self.codes, offline_share=offline_share, faulty_share=faulty_share, seed=seed
        )
        self.key_seed = key_seed
        self.shares = [
            Share(
                url=url,
                codes=codes_of_share,
                server_key=server_key,
                offline_codes=frozenset(self.offline.intersection(codes_of_share)),
                faulty_codes=frozenset(self.faulty.intersection(codes_of_share)),
                key_seed=key_seed,
                heartbeat_seconds=heartbeat_seconds,
                server_url=server_url,
            )
            for codes_of_share in shares(self.codes, processes)
        ]
        self.on_line = on_line
        context = multiprocessing.get_context("spawn")
        self._context = context
        self._events: Any = context.Queue()
        self._stop: Any = context.Event()
        self._processes: list[Any] = []
        self._reader: threading.Thread | None = None
        self._tallies: dict[int, Tally] = {}

    @property
    def processes(self) -> int:
        return len(self.shares)

    def public_keys(self) -> dict[str, str]:
        """Each terminal's public key, to register with it so its acknowledgements verify."""
        return {
            code: public_key_text(simulated_terminal_key(code, self.key_seed))
            for code in self.codes
        }

    def start(self, timeout: float = START_SECONDS) -> SimulatorPool:
        for index, share in enumerate(self.shares):
            process = self._context.Process(
                target=_run_share,
                args=(index, share, self._events, self._stop, os.getpid()),
                name=f"gridgov-terminals-{index}",
                daemon=True,
            )
            process.start()
            self._processes.append(process)
        ready: set[int] = set()
        deadline = time.monotonic() + timeout
        while len(ready) < len(self.shares):
            try:
                kind, index, content = self._events.get(timeout=FORWARD_SECONDS)
            except queue.Empty:
                gone = [process.name for process in self._processes if process.exitcode is not None]
                if gone or time.monotonic() > deadline:
                    self._abort()
                    raise RuntimeError(
                        f"a simulator process could not start: {', '.join(gone) or 'too slow'}"
                    ) from None
                continue
            if kind == "failed":
                self._abort()
                raise RuntimeError(f"a simulator process could not start: {content}")
            self._handle(kind, index, content)
            if kind == "ready":
                ready.add(index)
        self._reader = threading.Thread(target=self._read, name="terminal-lines", daemon=True)
        self._reader.start()
        return self

    def stop(self, timeout: float = STOP_SECONDS) -> Tally:
        self._stop.set()
        if self._reader is not None:
            self._reader.join(timeout)
        for process in self._processes:
            process.join(timeout)
            if process.is_alive():
                process.terminate()
                process.join()
        total = Tally()
        for tally in self._tallies.values():
            total.add(tally)
        return total

    def _read(self) -> None:
        while len(self._tallies) < len(self.shares):
            try:
                kind, index, content = self._events.get(timeout=FORWARD_SECONDS)
            except queue.Empty:
                if self._stop.is_set() and not any(p.is_alive() for p in self._processes):
                    break
                continue
            self._handle(kind, index, content)

    def _handle(self, kind: str, index: int, content: Any) -> None:
        if kind == "lines" and self.on_line is not None:
            for line in content:
                self.on_line(line)
        elif kind == "done":
            self._tallies[index] = content

    def _abort(self) -> None:
        self._stop.set()
        for process in self._processes:
            process.join(STOP_SECONDS)
            if process.is_alive():
                process.terminate()
                process.join()

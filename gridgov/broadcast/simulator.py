"""Simulated broadcast terminals: each checks what arrives on its topic with the terminal-side
verifier, plays a genuine new message (a line in its playback log), and acknowledges it
(received, then played, or failed for a faulty one); offline ones hear nothing. Plain Python over
paho-mqtt, for the demo, the tests and the benchmark.

Each simulated terminal signs its acknowledgements with a key of its own, derived from its code
and the simulator's key seed (so a run and the register agree on it); `public_keys()` gives the
halves to register.

The terminals share one MQTT connection rather than one each, so ten thousand of them fit in one
process; the connection subscribes to each terminal's own topic, so several simulators
(`simulator_pool`, one per process) split the terminals between them, each hearing only its own.
"""

from __future__ import annotations

import base64
import hashlib
import os
import random
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gridgov.broadcast.mqtt import connected_client
from gridgov.broadcast.terminal_protocol import (
    ACK_TOPIC,
    CANCEL,
    DELIVERY_TOPIC,
    HEARTBEAT_TOPIC,
    AckStatus,
    Refusal,
    TerminalVerifier,
    ack_bytes,
    heartbeat_bytes,
    load_signing_key,
    signed_request_headers,
)

# What a simulated loudspeaker says when it fails, in its own words as the county's terminals
# report them (the delivery page shows a terminal's report as it came).
FAULT_DETAIL = "功放故障"
AUDIO_DETAIL = "音频与签名的大小或SHA-256不符"
FETCH_TIMEOUT_SECONDS = 10.0
DEFAULT_KEY_SEED = "gridgov-simulated-terminal"
SUBSCRIBE_TIMEOUT_SECONDS = 10.0
# Topics asked for in one SUBSCRIBE packet (one packet for ten thousand would be ~350 KB).
SUBSCRIBE_CHUNK = 500


@dataclass(frozen=True)
class Played:
    """One line of the playback log."""

    at: float
    terminal: str
    message_id: str
    title: str


def playback_line(line: Played) -> str:
    """A play as the playback log writes it: `CODE played MESSAGE_ID TITLE`."""
    return f"{line.terminal} played {line.message_id} {line.title}"


def simulated_terminal_key(code: str, seed: str = DEFAULT_KEY_SEED) -> Ed25519PrivateKey:
    """A simulated terminal's own signing key: the same for the same code and seed."""
    raw = hashlib.sha256(f"{seed}\n{code}".encode()).digest()
    key = Ed25519PrivateKey.from_private_bytes(raw)
    load_signing_key(key)
    return key


def public_key_text(key: Ed25519PrivateKey) -> str:
    """The public half of `key` as the register keeps it (its 32 raw bytes, base64)."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


@dataclass
class SimulatedTerminal:
    code: str
    verifier: TerminalVerifier
    key: Ed25519PrivateKey
    offline: bool = False
    faulty: bool = False
    # What it answered for each message it accepted, to answer a resend the same way.
    outcomes: dict[str, AckStatus] = field(default_factory=dict)
    # Messages withdrawn (a signed cancel arrived): never played, however late they arrive.
    withdrawn: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Stopped:
    """A withdrawal a terminal obeyed: it stopped the message (`was_playing`: it had played or
    was playing it) or will skip it should it still arrive."""

    at: float
    terminal: str
    message_id: str
    was_playing: bool


def stop_line(line: Stopped) -> str:
    """A withdrawal obeyed as the playback log writes it: `CODE stopped MESSAGE_ID`."""
    return f"{line.terminal} stopped {line.message_id}"


def offline_and_faulty(
    codes: list[str],
    *,
    offline_share: float = 0.0,
    faulty_share: float = 0.0,
    offline_codes: Iterable[str] = (),
    faulty_codes: Iterable[str] = (),
    seed: int = 0,
) -> tuple[set[str], set[str]]:
    """Which of `codes` are offline and which faulty: the given shares picked by `seed`, plus
    the ones named. The same for the same arguments, so processes that split the terminals
    agree."""
    chooser = random.Random(seed)
    shuffled = codes[:]
    chooser.shuffle(shuffled)
    offline = set(shuffled[: round(len(codes) * offline_share)]) | set(offline_codes)
    rest = [code for code in shuffled if code not in offline]
    faulty = set(rest[: round(len(codes) * faulty_share)]) | set(faulty_codes)
    return offline, faulty


@dataclass
class Tally:
    """What a simulator counted, to print (summed over the processes of a pool)."""

    refusals: Counter[str] = field(default_factory=Counter)
    replays: int = 0
    skipped: int = 0
    arrivals: int = 0
    audio_fetched: int = 0
    audio_refused: int = 0

    def add(self, other: Tally) -> None:
        self.refusals.update(other.refusals)
        self.replays += other.replays
        self.skipped += other.skipped
        self.arrivals += other.arrivals
        self.audio_fetched += other.audio_fetched
        self.audio_refused += other.audio_refused


class TerminalSimulator:
    """N terminals on one broker. `start()` subscribes (and sends heartbeats every
    `heartbeat_seconds`, if given); `stop()` disconnects. The playback log, the refusals and the
    count of deliveries seen are kept for whoever runs it."""

    def __init__(
        self,
        *,
        url: str,
        codes: Iterable[str],
        server_key: str | bytes,
        offline_share: float = 0.0,
        faulty_share: float = 0.0,
        offline_codes: Iterable[str] = (),
        faulty_codes: Iterable[str] = (),
        seed: int = 0,
        key_seed: str = DEFAULT_KEY_SEED,
        heartbeat_seconds: float = 0.0,
        clock: Callable[[], float] = time.time,
        on_play: Callable[[Played], None] | None = None,
        on_stop: Callable[[Stopped], None] | None = None,
        server_url: str = "",
    ) -> None:
        self.url = url
        codes = list(codes)
        offline, faulty = offline_and_faulty(
            codes,
            offline_share=offline_share,
            faulty_share=faulty_share,
            offline_codes=offline_codes,
            faulty_codes=faulty_codes,
            seed=seed,
        )
        self.terminals = {
            code: SimulatedTerminal(
                code=code,
                verifier=TerminalVerifier(terminal_code=code, server_key=server_key, clock=clock),
                key=simulated_terminal_key(code, key_seed),
                offline=code in offline,
                faulty=code in faulty,
            )
            for code in codes
        }
        self.heartbeat_seconds = heartbeat_seconds
        self.clock = clock
        self.on_play = on_play
        self.on_stop = on_stop
        self.playback_log: list[Played] = []
        self.stop_log: list[Stopped] = []
        # Deliveries of a withdrawn message that arrived after its cancel: not played.
        self.skipped = 0
        # Where the terminals fetch a message's recording (none: they read out the text).
        self.server_url = server_url.rstrip("/")
        # Recordings fetched and matching their signed digest, and those that did not.
        self.audio_fetched = 0
        self.audio_refused = 0
        self.refusals: Counter[str] = Counter()
        # Deliveries that arrived for each terminal, resends included.
        self.arrivals: Counter[str] = Counter()
        # Resends recognised (acknowledged again, not played).
        self.replays = 0
        self._lock = threading.Lock()
        self._clients: list[mqtt.Client] = []
        self._stopping = threading.Event()
        self._heartbeat: threading.Thread | None = None

    @property
    def online_codes(self) -> list[str]:
        return [code for code, terminal in self.terminals.items() if not terminal.offline]

    def public_keys(self) -> dict[str, str]:
        """Each terminal's public key, to register with it so its acknowledgements verify."""
        return {code: public_key_text(terminal.key) for code, terminal in self.terminals.items()}

    def tally(self) -> Tally:
        with self._lock:
            return Tally(
                refusals=Counter(self.refusals),
                replays=self.replays,
                skipped=self.skipped,
                arrivals=sum(self.arrivals.values()),
                audio_fetched=self.audio_fetched,
                audio_refused=self.audio_refused,
            )

    def plays_of(self, code: str) -> list[Played]:
        with self._lock:
            return [line for line in self.playback_log if line.terminal == code]

    def start(self) -> TerminalSimulator:
        client = connected_client(self.url, client_id=f"gridgov-sim-{os.getpid()}-{id(self)}")
        client.on_message = self._on_message
        # Every terminal it carries, offline ones too: one that comes back hears what is resent.
        topics = [DELIVERY_TOPIC.format(code=code) for code in self.terminals]
        answered: dict[int, bool] = {}
        changed = threading.Condition()

        def on_subscribe(
            _client: Any, _userdata: Any, mid: int, reasons: list[Any], *_args: Any
        ) -> None:
            with changed:
                answered[mid] = not any(reason.is_failure for reason in reasons)
                changed.notify_all()

        client.on_subscribe = on_subscribe
        asked: list[int] = []
        for start in range(0, len(topics), SUBSCRIBE_CHUNK):
            chunk = [(topic, 1) for topic in topics[start : start + SUBSCRIBE_CHUNK]]
            result, mid = client.subscribe(chunk)
            if result != mqtt.MQTT_ERR_SUCCESS or mid is None:
                break
            asked.append(mid)
        with changed:
            heard = changed.wait_for(
                lambda: all(mid in answered for mid in asked), SUBSCRIBE_TIMEOUT_SECONDS
            )
            granted = heard and len(asked) * SUBSCRIBE_CHUNK >= len(topics)
            granted = granted and all(answered[mid] for mid in asked)
        if not granted:
            client.disconnect()
            client.loop_stop()
            raise RuntimeError("the simulator could not subscribe")
        self._clients.append(client)
        if self.heartbeat_seconds > 0:
            self._heartbeat = threading.Thread(target=self._beat, daemon=True)
            self._heartbeat.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        for client in self._clients:
            client.disconnect()
            client.loop_stop()
        self._clients = []

    def heartbeat_once(self) -> None:
        client = self._clients[0]
        for terminal in self.terminals.values():
            if not terminal.offline:
                body = heartbeat_bytes(
                    terminal_code=terminal.code,
                    faulty=terminal.faulty,
                    at=time.time(),
                    private_key=terminal.key,
                )
                client.publish(HEARTBEAT_TOPIC.format(code=terminal.code), body, qos=0)

    def _beat(self) -> None:
        while not self._stopping.is_set():
            self.heartbeat_once()
            self._stopping.wait(self.heartbeat_seconds)

    def _audio_refused(self, terminal: SimulatedTerminal, payload: dict[str, Any]) -> bool:
        """Fetch the recording a delivery names (a request signed with the terminal's key) and
        check it against the signed size and SHA-256; True when it does not match."""
        audio = payload.get("audio")
        if not self.server_url or not isinstance(audio, dict) or not audio.get("path"):
            return False
        path = str(audio["path"])
        headers = signed_request_headers(
            method="GET",
            path=path,
            terminal_code=terminal.code,
            private_key=terminal.key,
            at=int(self.clock()),
        )
        request = urllib.request.Request(self.server_url + path, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
                body = response.read(int(audio.get("size", 0)) + 1)
        except (urllib.error.URLError, OSError, ValueError):
            body = b""
        matches = len(body) == audio.get("size") and hashlib.sha256(body).hexdigest() == audio.get(
            "sha256"
        )
        if matches:
            self.audio_fetched += 1
        else:
            self.audio_refused += 1
        return not matches

    def _on_message(self, client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        code = message.topic.rsplit("/", 1)[-1]
        terminal = self.terminals.get(code)
        if terminal is None or terminal.offline:
            return
        with self._lock:
            self.arrivals[code] += 1
            detail = FAULT_DETAIL
            verdict = terminal.verifier.verify(bytes(message.payload))
            payload = verdict.payload or {}
            if verdict.refusal is Refusal.REPLAYED:
                # Known already: answer as before, play nothing.
                self.replays += 1
                outcome = terminal.outcomes.get(str(payload.get("message_id")))
                answers = [AckStatus.RECEIVED] + ([outcome] if outcome else [])
            elif verdict.refusal is not None:
                self.refusals[verdict.refusal] += 1
                return
            elif payload.get("type") == CANCEL:
                message_id = str(payload["message_id"])
                terminal.withdrawn.add(message_id)
                stopped = Stopped(self.clock(), code, message_id, message_id in terminal.outcomes)
                self.stop_log.append(stopped)
                if self.on_stop is not None:
                    self.on_stop(stopped)
                answers = [AckStatus.RECEIVED]
            elif str(payload["message_id"]) in terminal.withdrawn:
                self.skipped += 1
                answers = [AckStatus.RECEIVED]
            else:
                message_id = str(payload["message_id"])
                outcome = AckStatus.FAILED if terminal.faulty else AckStatus.PLAYED
                if outcome == AckStatus.PLAYED and self._audio_refused(terminal, payload):
                    outcome, detail = AckStatus.FAILED, AUDIO_DETAIL
                terminal.outcomes[message_id] = outcome
                answers = [AckStatus.RECEIVED, outcome]
                if outcome == AckStatus.PLAYED:
                    line = Played(self.clock(), code, message_id, str(payload.get("title", "")))
                    self.playback_log.append(line)
                    if self.on_play is not None:
                        self.on_play(line)
        for status in answers:
            client.publish(
                ACK_TOPIC.format(code=code),
                ack_bytes(
                    terminal_code=code,
                    message_id=str(payload.get("message_id")),
                    nonce=str(payload.get("nonce")),
                    status=status,
                    at=self.clock(),
                    private_key=terminal.key,
                    detail=detail if status == AckStatus.FAILED else "",
                ),
                qos=1,
            )

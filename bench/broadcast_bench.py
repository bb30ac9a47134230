"""Emergency broadcast fan-out over MQTT, in one run on one embedded broker (amqtt, its own
process) with N simulated terminals (their own process) and the acknowledgement listener (its
own process):

- gridgov: from the county leader's approval (through the service, which dispatches after the
  commit: signing and writing a delivery per terminal, publishing at QoS 1) to 99% of terminals'
  acknowledgements recorded in the database;
- raw: the same signed payloads published by a plain paho-mqtt loop to the same broker, timed to
  99% of acknowledgements heard by a plain subscriber (no database at all);
- kill: a dispatcher process killed once half the terminals answered, then a fresh dispatch:
  terminals that never played the message and terminals that played it twice (both must be 0),
  from the simulator's playback log.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import settings

from bench.timing import Comparison
from gridgov.accounts.models import RoleAssignment, User
from gridgov.broadcast import tasks
from gridgov.broadcast.delivery import broadcast_dispatch
from gridgov.broadcast.models import (
    Broadcast,
    Delivery,
    DeliveryStatus,
    Terminal,
    TerminalKind,
    TerminalStatus,
)
from gridgov.broadcast.mqtt import Publisher, connected_client
from gridgov.broadcast.services import BroadcastInput, broadcast_create, broadcast_transition
from gridgov.broadcast.states import Action
from gridgov.broadcast.terminal_protocol import ACK_SUBSCRIPTION, DELIVERY_TOPIC
from gridgov.core.access import Role
from gridgov.regions.models import Level, Region

SHARE = 0.99
WAIT_SECONDS = 120.0
ANSWERED = (DeliveryStatus.RECEIVED, DeliveryStatus.PLAYED, DeliveryStatus.FAILED)
MANAGE = str(Path(__file__).resolve().parent.parent / "manage.py")
# `GRIDGOV_BENCH_BROKER=mosquitto python -m bench --only broadcast` measures on a Mosquitto of its
# own (as production runs), started from the machine's `mosquitto` program, instead of the
# embedded amqtt. Its queues are unbounded: the simulator carries thousands of terminals on a few
# connections, and Mosquitto's default of 1,000 queued messages a client dropped deliveries that
# real terminals, one connection each, would each have received.
BROKER_VARIABLE = "GRIDGOV_BENCH_BROKER"
# The simulated terminals run in this many processes (default: one a CPU), for gridgov's fan-out
# and the raw loop alike: one process verifying and answering for all of them bounds both.
PROCESSES_VARIABLE = "GRIDGOV_BENCH_TERMINAL_PROCESSES"
MOSQUITTO_CONFIG = """listener {port} 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
max_inflight_messages 0
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    """Whether something listens on the port (the broker has started)."""
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait(done: Callable[[], bool], what: str, seconds: float = WAIT_SECONDS) -> float:
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > seconds:
            raise RuntimeError(f"broadcast bench: {what} did not happen in {seconds:.0f} s")
        time.sleep(0.01)
    return time.perf_counter() - start


class Processes:
    """The broker, listener and simulator processes of the run (the demo's own commands)."""

    def __init__(self, work_dir: Path, environment: dict[str, str]) -> None:
        self.work_dir = work_dir
        self.environment = environment
        self.running: list[subprocess.Popen[bytes]] = []
        self.names: list[str] = []

    def cpu(self) -> dict[str, float]:
        """CPU seconds (user + system) each helper process has used so far, and this one's."""
        used = {"bench": time.process_time()}
        for name, process in zip(self.names, self.running, strict=True):
            used[name] = _cpu_seconds(process.pid)
        return used

    def start(self, name: str, *arguments: str) -> Path:
        return self.start_program(name, sys.executable, MANAGE, *arguments)

    def start_program(self, name: str, *command: str) -> Path:
        log = self.work_dir / f"{name}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603
                list(command),
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.running.append(process)
        self.names.append(name)
        return log

    def stop(self) -> None:
        for process in reversed(self.running):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.running = []
        self.names = []


def _load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes (others' work slows every figure)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a process and its children have used so far, from Linux's
    /proc (0 elsewhere, or once it is gone)."""
    used = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # ppid is the 4th field, utime and stime the 14th and 15th (2nd, 12th, 13th after the name).
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def _cpu_spent(before: dict[str, float], after: dict[str, float]) -> str:
    return ", ".join(f"{name} {after[name] - before.get(name, 0.0):.1f}" for name in after)


def _terminals(count: int, county: str) -> list[str]:
    """`count` online loudspeakers spread over the county's villages (the only ones there)."""
    Delivery.objects.all().delete()
    Terminal.objects.all().delete()
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, region_code__startswith=county)
        .order_by("region_code")
        .values_list("region_code", flat=True)
    )
    rows = []
    for number in range(count):
        terminal = Terminal(
            code=f"BENCH{number:05d}",
            name=f"bench loudspeaker {number}",
            kind=TerminalKind.LOUDSPEAKER,
            status=TerminalStatus.ONLINE,
        )
        terminal.set_region_code(villages[number % len(villages)])
        rows.append(terminal)
    Terminal.objects.bulk_create(rows, batch_size=1000)
    return [row.code for row in rows]


def _person(username: str, role: str, county: str) -> User:
    user = User.objects.create_user(username=username, password=None)
    assignment = RoleAssignment(user=user, role=role)
    assignment.set_region_code(county)
    assignment.save()
    return user


def _submitted(operator: User, county: str, title: str) -> Broadcast:
    data = BroadcastInput(
        title=title,
        text="渭河水位上涨，沿河群众请立即向高处转移。",
        kind="flood",
        severity="Severe",
        urgency="Immediate",
        certainty="Likely",
        target_codes=[county],
    )
    return broadcast_create(actor=operator, data=data, submit=True)


def _answered(broadcast_id: int) -> int:
    return Delivery.objects.filter(broadcast_id=broadcast_id, status__in=ANSWERED).count()


def _left_pending(broadcast_id: int) -> int:
    """Deliveries still pending (none before the dispatch wrote them: all of them then)."""
    if not Delivery.objects.filter(broadcast_id=broadcast_id).exists():
        return sys.maxsize
    return Delivery.objects.filter(broadcast_id=broadcast_id, status=DeliveryStatus.PENDING).count()


def _in_flight(broadcast_id: int) -> int:
    """Deliveries a dispatcher claimed whose sending it has not confirmed yet."""
    return Delivery.objects.filter(
        broadcast_id=broadcast_id, status=DeliveryStatus.PENDING, attempts__gt=0
    ).count()


def _played(broadcast_id: int) -> int:
    return Delivery.objects.filter(broadcast_id=broadcast_id, status=DeliveryStatus.PLAYED).count()


def _raw_fanout(url: str, payloads: list[tuple[str, bytes]], needed: int) -> float:
    """A plain paho loop: publish every payload at QoS 1, until `needed` terminals answered."""
    heard: set[str] = set()
    lock = threading.Lock()
    everyone = threading.Event()

    def on_message(_client: Any, _userdata: Any, message: Any) -> None:
        with lock:
            heard.add(message.topic)
            if len(heard) >= needed:
                everyone.set()

    subscribed = threading.Event()
    listener = connected_client(url, client_id="bench-raw-listener")
    listener.on_message = on_message
    listener.on_subscribe = lambda *_args: subscribed.set()
    listener.subscribe(ACK_SUBSCRIPTION, qos=1)
    subscribed.wait(10)
    try:
        with Publisher(url, client_id="bench-raw-publisher") as publisher:
            start = time.perf_counter()
            publisher.publish(payloads, timeout=WAIT_SECONDS)
            if not everyone.wait(WAIT_SECONDS):
                raise RuntimeError("broadcast bench: the raw loop's acknowledgements fell short")
            return time.perf_counter() - start
    finally:
        listener.disconnect()
        listener.loop_stop()


def _plays(log: Path, message_id: str) -> Counter[str]:
    plays: Counter[str] = Counter()
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split(" ", 3)
        if len(parts) >= 3 and parts[1] == "played" and parts[2] == message_id:
            plays[parts[0]] += 1
    return plays


def run(*, terminals: int, work_dir: Path) -> dict[str, Any]:
    load_before = _load_average()
    county = Region.objects.filter(level=Level.COUNTY).order_by("region_code").first()
    if county is None:
        raise RuntimeError("broadcast bench: no county loaded")
    codes = _terminals(terminals, county.region_code)
    operator = _person("bench_broadcast_operator", Role.COUNTY_OPERATOR, county.region_code)
    leader = _person("bench_broadcast_leader", Role.COUNTY_LEADER, county.region_code)
    port = _free_port()
    url = f"mqtt://127.0.0.1:{port}"
    # Debian installs the broker in /usr/sbin, which a user's PATH may not hold.
    mosquitto = shutil.which("mosquitto", path=f"{os.environ.get('PATH', '')}{os.pathsep}/usr/sbin")
    use_mosquitto = os.environ.get(BROKER_VARIABLE, "") == "mosquitto"
    if use_mosquitto and not mosquitto:
        raise RuntimeError("broadcast bench: GRIDGOV_BENCH_BROKER=mosquitto, but no mosquitto")
    settings.MQTT_URL = url
    terminal_processes = int(os.environ.get(PROCESSES_VARIABLE, "") or os.cpu_count() or 1)
    environment = {
        **os.environ,
        "MQTT_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "PYTHONUNBUFFERED": "1",
    }
    processes = Processes(work_dir, environment)
    try:
        if use_mosquitto and mosquitto:
            config = work_dir / "mosquitto.conf"
            config.write_text(MOSQUITTO_CONFIG.format(port=port))
            processes.start_program("broker", mosquitto, "-c", str(config))
            _wait(lambda: _answers(port), "Mosquitto's start", 30)
        else:
            broker_log = processes.start("broker", "broadcast_broker")
            _wait(lambda: b"MQTT broker" in broker_log.read_bytes(), "the broker's start", 30)
            time.sleep(0.5)
        listener_log = processes.start("listener", "broadcast_listener")
        simulator_log = processes.start(
            "terminals",
            "broadcast_terminals",
            f"--count={terminals}",
            "--heartbeat=0",
            f"--processes={terminal_processes}",
        )
        _wait(lambda: b"listening" in listener_log.read_bytes(), "the listener's start", 60)
        _wait(lambda: b"terminals:" in simulator_log.read_bytes(), "the terminals' start", 60)
        needed = int(terminals * SHARE)

        # gridgov: approval (dispatch after commit, in this process as the worker) to 99%.
        message = _submitted(operator, county.region_code, "gridgov fan-out")
        cpu_before = processes.cpu()
        start = time.perf_counter()
        broadcast_transition(actor=leader, broadcast=message, action=Action.APPROVE)
        dispatched = time.perf_counter() - start
        _wait(lambda: _answered(message.pk) >= needed, "99% of acknowledgements")
        gridgov_seconds = time.perf_counter() - start
        gridgov_cpu = _cpu_spent(cpu_before, processes.cpu())
        _wait(lambda: _played(message.pk) == terminals, "every terminal playing")
        all_played_seconds = time.perf_counter() - start

        # raw: the same signed bytes, a plain loop, acknowledgements counted in memory.
        payloads = [
            (DELIVERY_TOPIC.format(code=code), payload.encode("utf-8"))
            for code, payload in Delivery.objects.filter(broadcast=message)
            .order_by("id")
            .values_list("terminal__code", "payload")
        ]
        cpu_before = processes.cpu()
        raw_seconds = _raw_fanout(url, payloads, needed)
        raw_cpu = _cpu_spent(cpu_before, processes.cpu())

        # kill: a dispatcher process killed once half the terminals answered, then resumed.
        victim = _submitted(operator, county.region_code, "kill test")
        with mock.patch.object(tasks, "dispatch_broadcast", return_value=None):
            broadcast_transition(actor=leader, broadcast=victim, action=Action.APPROVE)
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "bench.broadcast_dispatcher", str(victim.pk)],
            env=environment,
        )
        # Halfway (half the deliveries out of pending) and inside a batch: some claimed (an
        # attempt counted), their sending unconfirmed. A run of one batch cannot be caught so:
        # it is killed once the batch is out.
        _wait(
            lambda: (
                (pending := _left_pending(victim.pk)) == 0
                or (pending <= terminals // 2 and _in_flight(victim.pk) > 0)
            ),
            "half the dispatch",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        answered_at_kill = _answered(victim.pk)
        in_flight_at_kill = _in_flight(victim.pk)
        pending_at_kill = Delivery.objects.filter(
            broadcast=victim, status=DeliveryStatus.PENDING
        ).count()
        resumed = broadcast_dispatch(broadcast_id=victim.pk)
        _wait(lambda: _played(victim.pk) == terminals, "every terminal playing after the kill")
        resent = Delivery.objects.filter(broadcast=victim, attempts__gt=1).count()
    except RuntimeError:
        # What the helper processes said, to see why.
        for log in sorted(work_dir.glob("*.log")):
            print(
                f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:])
            )
        raise
    finally:
        processes.stop()
    plays = _plays(simulator_log, str(victim.identifier))
    first_plays = _plays(simulator_log, str(message.identifier))
    missed = sum(1 for code in codes if plays[code] == 0)
    twice = sum(1 for code in codes if plays[code] > 1)
    replay_line = [
        line for line in simulator_log.read_text().splitlines() if line.startswith("replayed")
    ]
    comparison = Comparison(
        name=f"fan-out to {terminals:,} terminals (99%)",
        unit="terminals/s",
        gridgov=needed / gridgov_seconds,
        baseline=needed / raw_seconds,
        kind="throughput",
        target=0.5,
    )
    print(comparison.line())
    print(
        f"  broker: {'Mosquitto' if use_mosquitto else 'embedded amqtt'} at {url}; "
        f"{terminals:,} simulated terminals in {terminal_processes} processes; "
        f"load average before the run {load_before}, after {_load_average()}"
    )
    print(
        f"  gridgov: approval to 99% acknowledged {gridgov_seconds:.2f} s (dispatch call "
        f"{dispatched:.2f} s, every terminal played {all_played_seconds:.2f} s; target < 10 s); "
        f"raw loop {raw_seconds:.2f} s"
    )
    print(f"  CPU seconds to 99%: gridgov: {gridgov_cpu}; raw: {raw_cpu}")
    print(
        f"  kill: dispatcher killed with {answered_at_kill:,} answered, {pending_at_kill:,} "
        f"pending, {in_flight_at_kill:,} of them in flight; the resumed dispatch sent {resumed:,} ({resent:,} a second time); "
        f"missed {missed}, played twice {twice} (both must be 0); "
        f"{replay_line[0] if replay_line else ''}"
    )
    if any(count != 1 for count in first_plays.values()) or len(first_plays) != terminals:
        raise RuntimeError("broadcast bench: the fan-out did not play once on every terminal")
    return {
        "terminals": terminals,
        "gridgov_seconds": gridgov_seconds,
        "dispatch_call_seconds": dispatched,
        "all_played_seconds": all_played_seconds,
        "raw_seconds": raw_seconds,
        "terminal_processes": terminal_processes,
        "comparisons": [comparison.as_dict()],
        "under_10_s": gridgov_seconds < 10,
        "kill": {
            "answered_at_kill": answered_at_kill,
            "pending_at_kill": pending_at_kill,
            "in_flight_at_kill": in_flight_at_kill,
            "resumed_sent": resumed,
            "resent": resent,
            "missed": missed,
            "played_twice": twice,
        },
    }

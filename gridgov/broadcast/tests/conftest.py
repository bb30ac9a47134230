"""Fixtures of the broadcast tests: people at every level, and a way to compose a message."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gridgov.accounts.models import User
from gridgov.broadcast.broker import EmbeddedBroker
from gridgov.broadcast.models import Broadcast, Terminal, TerminalKind, TerminalStatus
from gridgov.broadcast.services import BroadcastInput, broadcast_create
from gridgov.core.access import Role
from gridgov.testing import Tree


@pytest.fixture(autouse=True)
def signing_key_file(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each test signs with a key of its own, made in a temporary folder on first use."""
    path = tmp_path_factory.mktemp("broadcast-key") / "signing.pem"
    settings.BROADCAST_SIGNING_KEY_FILE = str(path)
    return path


@pytest.fixture(scope="session")
def _session_broker() -> Iterator[EmbeddedBroker]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    broker = EmbeddedBroker("127.0.0.1", port).start()
    yield broker
    broker.stop()


@pytest.fixture
def mqtt_broker(_session_broker: EmbeddedBroker, settings: Any) -> str:
    """An embedded MQTT broker on a free port of this machine, as MQTT_URL; its URL."""
    settings.MQTT_URL = _session_broker.url
    return _session_broker.url


@pytest.fixture
def people(tree: Tree, user_factory: Callable[..., User]) -> dict[str, User]:
    return {
        "operator": user_factory(Role.COUNTY_OPERATOR, tree.county),
        "leader": user_factory(Role.COUNTY_LEADER, tree.county),
        "deputy": user_factory(Role.DEPUTY_COUNTY_LEADER, tree.county),
        "town": user_factory(Role.TOWN_OFFICIAL, tree.towns[0]),
        "town_colleague": user_factory(
            Role.TOWN_OFFICIAL, tree.towns[0], username="town_colleague"
        ),
        "other_town": user_factory(Role.TOWN_OFFICIAL, tree.towns[1]),
        "secretary": user_factory(Role.VILLAGE_SECRETARY, tree.villages[0]),
        "other_secretary": user_factory(Role.VILLAGE_SECRETARY, tree.villages[1]),
        "worker": user_factory(Role.GRID_WORKER, tree.grids[0]),
        "other_county_operator": user_factory(
            Role.COUNTY_OPERATOR, tree.other_county, username="other_operator"
        ),
    }


def message_input(targets: list[str], **changes: Any) -> BroadcastInput:
    values: dict[str, Any] = {
        "title": "防汛紧急通知",
        "text": "渭河水位上涨，沿河群众请立即向高处转移。",
        "kind": "flood",
        "severity": "Severe",
        "urgency": "Immediate",
        "certainty": "Likely",
        "target_codes": targets,
    }
    values.update(changes)
    return BroadcastInput(**values)


@pytest.fixture
def compose() -> Callable[..., Broadcast]:
    def make(actor: User, targets: list[str], *, submit: bool = True, **changes: Any) -> Broadcast:
        return broadcast_create(actor=actor, data=message_input(targets, **changes), submit=submit)

    return make


@pytest.fixture
def terminals(tree: Tree) -> list[Terminal]:
    """Two loudspeakers in every village of the county (one offline), a station per town."""
    made = []
    for village in tree.villages:
        for number, status in ((1, TerminalStatus.ONLINE), (2, TerminalStatus.OFFLINE)):
            terminal = Terminal(
                code=f"T{village}{number}",
                name=f"{tree.names[village]}{number}号喇叭",
                kind=TerminalKind.LOUDSPEAKER,
                group_name=f"{number}组",
                status=status,
                region_code=f"{village}00{number}",
            )
            terminal.save()
            made.append(terminal)
    for town in tree.towns:
        station = Terminal(
            code=f"S{town}",
            name=f"{tree.names[town]}广播站",
            kind=TerminalKind.TOWN_STATION,
            status=TerminalStatus.ONLINE,
            region_code=town,
        )
        station.save()
        made.append(station)
    return made

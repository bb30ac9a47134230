"""The demo county's broadcast terminals: two to four loudspeakers in every village and community
(each serving one of its grids, as a village group), a station in every town and one for the
county. Most answer their heartbeat; a few are offline or faulty, so the map has something to show."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import TYPE_CHECKING

import shapely
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from gridgov.broadcast.models import Terminal, TerminalKind, TerminalStatus

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild

LOUDSPEAKERS_PER_VILLAGE = (2, 4)
OFFLINE_SHARE = 0.05
FAULTY_SHARE = 0.02


def _public_key(seed: bytes) -> str:
    raw = (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode("ascii")


def create_terminals(build: DemoBuild) -> None:
    rng = build.rng
    now = timezone.now()
    regions = build.layout.regions
    grids_of: dict[str, list[shapely.Polygon]] = {}
    grid_codes: dict[str, list[str]] = {}
    for planned in build.layout.at_level("grid"):
        grids_of.setdefault(planned.code[:12], []).append(planned.geometry)
        grid_codes.setdefault(planned.code[:12], []).append(planned.code)
    terminals: list[Terminal] = []

    def add(
        code: str, name: str, kind: str, region_code: str, point: shapely.Point, group: str
    ) -> None:
        draw = rng.random()
        status = (
            TerminalStatus.OFFLINE
            if draw < OFFLINE_SHARE
            else TerminalStatus.FAULTY
            if draw < OFFLINE_SHARE + FAULTY_SHARE
            else TerminalStatus.ONLINE
        )
        beat_ago = int(rng.integers(5, 55)) if status != TerminalStatus.OFFLINE else 3_600
        terminal = Terminal(
            code=code,
            name=name,
            kind=kind,
            group_name=group,
            longitude=round(point.x, 6),
            latitude=round(point.y, 6),
            public_key=_public_key(rng.bytes(32)),
            last_heartbeat_at=now - timedelta(seconds=beat_ago),
            status=status,
            status_changed_at=now,
        )
        terminal.set_region_code(region_code)
        terminals.append(terminal)

    for planned in regions:
        if planned.level == "county":
            add(
                f"C{planned.code}",
                f"{planned.name}应急广播中心",
                TerminalKind.COUNTY_STATION,
                planned.code,
                planned.geometry.representative_point(),
                "",
            )
        elif planned.level == "town":
            add(
                f"S{planned.code}",
                f"{planned.name}广播站",
                TerminalKind.TOWN_STATION,
                planned.code,
                planned.geometry.representative_point(),
                "",
            )
        elif planned.level == "village":
            grids = grid_codes.get(planned.code, [])
            shapes = grids_of.get(planned.code, [])
            count = int(rng.integers(LOUDSPEAKERS_PER_VILLAGE[0], LOUDSPEAKERS_PER_VILLAGE[1] + 1))
            for number in range(1, count + 1):
                if grids:
                    index = (number - 1) % len(grids)
                    region_code, point = grids[index], shapes[index].representative_point()
                else:
                    region_code, point = planned.code, planned.geometry.representative_point()
                add(
                    f"L{planned.code}{number:02d}",
                    f"{planned.name}{number}号大喇叭",
                    TerminalKind.LOUDSPEAKER,
                    region_code,
                    point,
                    f"{number}组",
                )
    Terminal.objects.bulk_create(terminals, batch_size=1_000)
    build.summary.terminals = len(terminals)

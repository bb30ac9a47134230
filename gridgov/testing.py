"""Builders for tests: a small two-county region tree with nested rectangular boundaries, and
users holding a role at a region. Shared by every app's tests (see conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gridgov.accounts.models import RoleAssignment, User
from gridgov.regions.models import Level, Region
from gridgov.regions.services import bump_boundaries_version

TEST_PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105  (tests only)


def rectangle(minx: float, miny: float, maxx: float, maxy: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]],
    }


@dataclass
class Tree:
    """Codes of the small test tree, by what a test usually needs."""

    county: str = "610324"
    other_county: str = "610323"
    towns: list[str] = field(default_factory=list)
    villages: list[str] = field(default_factory=list)
    grids: list[str] = field(default_factory=list)
    micro_grids: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    def region(self, code: str) -> Region:
        return Region.objects.get(region_code=code)


def _split(bounds: tuple[float, ...], parts: int) -> list[tuple[float, ...]]:
    """Split a rectangle into `parts` vertical strips."""
    minx, miny, maxx, maxy = bounds
    width = (maxx - minx) / parts
    return [(minx + i * width, miny, minx + (i + 1) * width, maxy) for i in range(parts)]


def _add(
    code: str, name: str, parent: Region | None, bounds: tuple[float, ...], kind: str = ""
) -> Region:
    region = Region(
        level={
            6: Level.COUNTY,
            9: Level.TOWN,
            12: Level.VILLAGE,
            15: Level.GRID,
            18: Level.MICRO_GRID,
        }[len(code)],
        kind=kind,
        name=name,
        parent=parent,
        boundary=rectangle(*bounds),
        population=100 if len(code) >= 15 else 0,
        households=30 if len(code) >= 15 else 0,
    )
    region.set_region_code(code)
    region.save()
    return region


@transaction.atomic
def build_tree() -> Tree:
    """Two counties. 扶风县 610324: towns 610324001 and 610324100, two villages each, two grids per
    village, two micro-grids per grid. 岐山县 610323: one town, one village, one grid, one micro-grid."""
    tree = Tree()
    county = _add("610324", "扶风县", None, (107.0, 34.0, 108.0, 35.0))
    tree.names[county.region_code] = county.name
    town_names = {"610324001": "城关街道", "610324100": "天度镇"}
    for (town_code, town_name), town_bounds in zip(
        town_names.items(), _split((107.0, 34.0, 108.0, 35.0), 2), strict=True
    ):
        town = _add(town_code, town_name, county, town_bounds)
        tree.towns.append(town_code)
        tree.names[town_code] = town_name
        for v, village_bounds in enumerate(_split(town_bounds, 2)):
            village_code = f"{town_code}{200 + v:03d}"
            village_name = f"{town_name}第{v + 1}村"
            village = _add(village_code, village_name, town, village_bounds)
            tree.villages.append(village_code)
            tree.names[village_code] = village_name
            for g, grid_bounds in enumerate(_split(village_bounds, 2)):
                grid_code = f"{village_code}{g + 1:03d}"
                grid_name = f"{village_name}第{g + 1}网格"
                grid = _add(grid_code, grid_name, village, grid_bounds)
                tree.grids.append(grid_code)
                tree.names[grid_code] = grid_name
                minx, miny, maxx, maxy = grid_bounds
                halves = [
                    (minx, miny, maxx, (miny + maxy) / 2),
                    (minx, (miny + maxy) / 2, maxx, maxy),
                ]
                for m, micro_bounds in enumerate(halves):
                    micro_code = f"{grid_code}{m + 1:03d}"
                    micro_name = f"{grid_name}微网格{m + 1}"
                    _add(micro_code, micro_name, grid, micro_bounds)
                    tree.micro_grids.append(micro_code)
                    tree.names[micro_code] = micro_name
    other = _add("610323", "岐山县", None, (106.0, 34.0, 107.0, 35.0))
    tree.names["610323"] = other.name
    chain = [
        ("610323100", "蔡家坡镇"),
        ("610323100200", "岐山第1村"),
        ("610323100200001", "岐山第1网格"),
    ]
    parent = other
    for code, name in chain:
        parent = _add(code, name, parent, (106.1, 34.1, 106.9, 34.9))
        tree.names[code] = name
    micro = _add("610323100200001001", "岐山微网格1", parent, (106.1, 34.1, 106.9, 34.9))
    tree.names[micro.region_code] = micro.name
    bump_boundaries_version()
    return tree


def make_user(role: str, region_code: str, *, username: str | None = None) -> User:
    """A user holding `role` at `region_code`, with TEST_PASSWORD."""
    username = username or f"{role}_{region_code}"
    user = User.objects.create_user(
        username=username, password=TEST_PASSWORD, display_name=username
    )
    assignment = RoleAssignment(user=user, role=role)
    assignment.set_region_code(region_code)
    assignment.save()
    return user

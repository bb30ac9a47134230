"""The demo county's boundaries and figures, computed from a seed without touching the database.

Grids are Voronoi cells of seeded points over the whole county, grouped into villages and towns;
micro-grids are Voronoi cells within their grid. The finished linework is bent by one smooth warp
of the plane, so edges look like field and road lines rather than a checkerboard, and snap-rounded
to the 1e-7° grid that boundaries are stored on. Every polygon therefore shares its edges vertex for
vertex with its neighbours, and each parent is exactly the union of its children.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from gridgov.core import codes
from gridgov.demo import names
from gridgov.demo.tiling import (
    apportion,
    connected_groups,
    sample_points,
    snap_tiling,
    tile,
    union_on_grid,
)
from gridgov.regions.geometry import to_geojson

SEED = 20220721
GRID_TOTAL = 1264
POPULATION_TOTAL = 450_000


@dataclass(frozen=True)
class PlannedRegion:
    code: str
    name: str
    kind: str
    geometry: Polygon
    population: int
    households: int

    @property
    def level(self) -> str:
        return codes.level_of(self.code)


@dataclass(frozen=True)
class CountyLayout:
    """Every region of the demo county, parents before children (sorted by code)."""

    regions: list[PlannedRegion]

    def at_level(self, level: str) -> list[PlannedRegion]:
        return [region for region in self.regions if region.level == level]

    def boundaries_digest(self) -> str:
        """SHA-256 over codes, names and stored (rounded) boundaries: equal layouts, equal digests."""
        return digest_of(
            (region.code, region.name, to_geojson(region.geometry)) for region in self.regions
        )


def digest_of(rows: Iterable[Any]) -> str:
    """SHA-256 of rows such as (code, name, GeoJSON boundary), as stored or as computed."""
    payload = json.dumps(list(rows), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class _Node:
    code: str
    name: str
    kind: str
    shape: BaseGeometry
    children: list[_Node] = field(default_factory=list)
    population: int = 0
    households: int = 0

    @property
    def is_community(self) -> bool:
        return self.kind == "community"


def build_layout(seed: int = SEED) -> CountyLayout:
    """The whole county for `seed`: same seed, same codes, names, boundaries and figures.

    Grids are laid over the whole county first and grouped into villages, and villages into towns,
    so village and town borders follow grid edges the way real ones follow fields and roads.
    """
    rng = np.random.default_rng(seed)
    outline = _county_outline(rng)
    county = _Node(names.COUNTY_CODE, names.COUNTY_NAME, "", outline)
    # Each town's villages are placed around its seat, inside that seat's Voronoi cell.
    town_areas = tile(outline, np.array([town.seat for town in names.TOWNS]))
    taken = {
        name for town in names.TOWNS for name in (*town.fixed_villages, *town.fixed_communities)
    }
    seeds, movable, areas = [], [], []
    for spec, area in zip(names.TOWNS, town_areas, strict=True):
        town = _Node(spec.code, spec.name, spec.kind, area)
        town.children, points, fixed = _villages(spec, area, rng, taken)
        county.children.append(town)
        seeds.append(points)
        movable.append(np.arange(len(points)) >= fixed)
        areas += [area] * len(points)
    villages = [village for town in county.children for village in town.children]
    village_cells = tile(
        outline,
        np.vstack(seeds),
        relax=1,
        movable=np.concatenate(movable),
        within=np.array(areas, dtype=object),
    )
    grid_points, grid_village = [], []
    for index, (cell, count) in enumerate(
        zip(village_cells, _grid_counts(villages, village_cells, rng), strict=True)
    ):
        grid_points.append(sample_points(cell, count, rng))
        grid_village += [index] * count
    grid_cells = tile(
        outline,
        np.vstack(grid_points),
        relax=2,
        within=np.array([village_cells[i] for i in grid_village], dtype=object),
    )
    owners = connected_groups(grid_cells, np.array(grid_village))
    for index, village in enumerate(villages):
        cells = [grid_cells[i] for i in np.flatnonzero(owners == index)]
        # Numbered from the north-west, as a map is read.
        cells.sort(key=lambda cell: (-round(cell.centroid.y, 3), cell.centroid.x))
        village.children = [
            _Node(f"{village.code}{number:03d}", names.grid_name(village.name, number), "", cell)
            for number, cell in enumerate(cells, start=1)
        ]
        for number, grid in enumerate(village.children, start=1):
            count = int(rng.integers(3, 6))
            cells = tile(grid.shape, sample_points(grid.shape, count, rng), relax=1)
            grid.children = [
                _Node(
                    f"{grid.code}{micro:03d}",
                    names.micro_grid_name(village.name, number, micro),
                    "",
                    cell,
                )
                for micro, cell in enumerate(cells, start=1)
            ]
    _warp_and_snap(county, np.random.default_rng([seed, 1]))
    _spread_population(villages, rng)
    return CountyLayout(_flatten(county))


def _county_outline(rng: np.random.Generator) -> Polygon:
    """An irregular oval around Fufeng's real place, elongated north-south as the county is."""
    centre_lng, centre_lat, half_width, half_height = 107.90, 34.375, 0.135, 0.155
    angles = np.linspace(0, 2 * math.pi, 160, endpoint=False)
    radius = np.ones_like(angles)
    for harmonic in range(2, 8):
        radius += rng.uniform(0.008, 0.025) * np.cos(
            harmonic * angles + rng.uniform(0, 2 * math.pi)
        )
    return Polygon(
        zip(
            centre_lng + half_width * radius * np.cos(angles),
            centre_lat + half_height * radius * np.sin(angles),
            strict=True,
        )
    )


def _villages(
    spec: names.TownSpec, area: BaseGeometry, rng: np.random.Generator, taken: set[str]
) -> tuple[list[_Node], np.ndarray, int]:
    """A town's communities (codes 001..) and villages (codes 200..), each with the point it is
    placed around; the first `fixed` points stay where they are. Their shapes come later."""
    community_names = list(spec.fixed_communities[: spec.communities])
    village_names = list(spec.fixed_villages[: spec.villages])
    village_names += names.village_names(rng, spec.villages - len(village_names), taken)
    seat_lng, seat_lat = spec.seat
    fixed_points: list[tuple[float, float]] = []
    if spec.communities:
        # The street's seat is the county town: communities ring its centre, the old "gates"
        # (西关, 东关, 南关, 北关) lie just outside, farmland villages beyond.
        angles = np.linspace(0, 2 * math.pi, spec.communities, endpoint=False) + rng.uniform(0, 1)
        fixed_points += [
            (seat_lng + 0.007 * math.cos(angle), seat_lat + 0.006 * math.sin(angle))
            for angle in angles
        ]
        gates = ((-0.022, 0.0), (0.022, 0.0), (0.0, -0.02), (0.0, 0.02))
        fixed_points += [(seat_lng + dx, seat_lat + dy) for dx, dy in gates]
    else:
        fixed_points.append(spec.seat)
    free = spec.communities + spec.villages - len(fixed_points)
    points = np.vstack(
        [
            np.array(fixed_points),
            sample_points(area, free, rng, away_from=spec.seat, min_distance=0.03),
        ]
    )
    nodes = [
        _Node(f"{spec.code}{number:03d}", name, "community", area)
        for number, name in enumerate(community_names, start=1)
    ]
    nodes += [
        _Node(f"{spec.code}{number:03d}", name, "village", area)
        for number, name in enumerate(village_names, start=200)
    ]
    return nodes, points, len(fixed_points)


def _grid_counts(
    villages: list[_Node], cells: list[Polygon], rng: np.random.Generator
) -> list[int]:
    """Grids per village/community, GRID_TOTAL in all: dense communities, villages by size."""
    counts = [int(rng.integers(12, 21)) if v.is_community else 0 for v in villages]
    rural = [i for i, v in enumerate(villages) if not v.is_community]
    weights = np.array([cells[i].area ** 0.6 for i in rural])
    weights *= rng.lognormal(0.0, 0.3, len(rural))
    for i, count in zip(rural, apportion(GRID_TOTAL - sum(counts), weights, 4), strict=True):
        counts[i] = count
    return counts


def _warp_and_snap(county: _Node, rng: np.random.Generator) -> None:
    """Replace the micro-grids by their bent, snapped forms, then every parent by the union of
    its children (on the same grid, so no sliver opens between them)."""
    leaves = [
        micro
        for town in county.children
        for village in town.children
        for grid in village.children
        for micro in grid.children
    ]
    for leaf, shape in zip(leaves, snap_tiling([leaf.shape for leaf in leaves], rng), strict=True):
        leaf.shape = shape
    _union_upwards(county)


def _union_upwards(node: _Node) -> None:
    if not node.children:
        return
    for child in node.children:
        _union_upwards(child)
    node.shape = union_on_grid([child.shape for child in node.children])


def _spread_population(villages: list[_Node], rng: np.random.Generator) -> None:
    """POPULATION_TOTAL people over the grids (communities denser), split into micro-grids;
    every figure above a grid is the sum of its children."""
    grids = [(grid, village.is_community) for village in villages for grid in village.children]
    density = np.array([3.0 if urban else 1.0 for _, urban in grids])
    people = apportion(POPULATION_TOTAL, density * rng.lognormal(0.0, 0.25, len(grids)))
    for (grid, urban), grid_people in zip(grids, people, strict=True):
        # Town households are smaller than farming ones.
        size = rng.uniform(2.6, 3.1) if urban else rng.uniform(3.0, 3.8)
        grid_households = max(1, round(grid_people / size))
        weights = rng.uniform(0.6, 1.4, len(grid.children))
        for micro, micro_people, micro_households in zip(
            grid.children,
            apportion(grid_people, weights),
            apportion(grid_households, weights),
            strict=True,
        ):
            micro.population, micro.households = micro_people, micro_households
        grid.population, grid.households = grid_people, grid_households
    for village in villages:
        village.population = sum(grid.population for grid in village.children)
        village.households = sum(grid.households for grid in village.children)


def _flatten(county: _Node) -> list[PlannedRegion]:
    for town in county.children:
        town.population = sum(v.population for v in town.children)
        town.households = sum(v.households for v in town.children)
    county.population = sum(t.population for t in county.children)
    county.households = sum(t.households for t in county.children)
    planned: list[PlannedRegion] = []

    def visit(node: _Node) -> None:
        planned.append(
            PlannedRegion(
                node.code, node.name, node.kind, node.shape, node.population, node.households
            )
        )
        for child in node.children:
            visit(child)

    visit(county)
    return sorted(planned, key=lambda region: region.code)

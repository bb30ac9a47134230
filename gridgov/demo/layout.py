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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from gridgov.core import codes
from gridgov.demo import names
from gridgov.regions.geometry import to_geojson

SEED = 20220721
GRID_TOTAL = 1264
POPULATION_TOTAL = 450_000
# Boundaries are stored rounded to this (see regions.geometry.to_geojson).
PRECISION = 1e-7
# Spacing of the vertices the warp bends (degrees, ~70 m), fine enough for its shortest wave.
SEGMENT_LENGTH = 0.0007
# (wavelength°, amplitude°, waves per axis). Summing amplitude * 2π / wavelength gives 0.62 per axis,
# so the warp's derivative has norm below 0.9: it is one-to-one and a tiling stays a tiling.
_WARP_WAVES = ((0.10, 0.0015, 3), (0.03, 0.0004, 3), (0.012, 0.00008, 2))


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
    town_areas = _tile(outline, np.array([town.seat for town in names.TOWNS]))
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
    village_cells = _tile(
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
        grid_points.append(_sample(cell, count, rng))
        grid_village += [index] * count
    grid_cells = _tile(
        outline,
        np.vstack(grid_points),
        relax=2,
        within=np.array([village_cells[i] for i in grid_village], dtype=object),
    )
    owners = _connected_groups(grid_cells, np.array(grid_village))
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
            cells = _tile(grid.shape, _sample(grid.shape, count, rng), relax=1)
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
        [np.array(fixed_points), _sample(area, free, rng, away_from=spec.seat, min_distance=0.03)]
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


def _connected_groups(cells: list[Polygon], owners: np.ndarray) -> np.ndarray:
    """Owners of cells such that each owner's cells form one piece: a cut-off cluster joins the
    neighbouring owner it shares the longest border with."""
    owners = owners.copy()
    shapes = np.array(cells, dtype=object)
    neighbours = shapely.STRtree(shapes)
    changed = True
    while changed:
        changed = False
        for owner in np.unique(owners):
            members = np.flatnonzero(owners == owner)
            pieces = sorted(
                shapely.get_parts(shapely.union_all(shapes[members], grid_size=1e-9)),
                key=lambda piece: -piece.area,
            )
            for piece in pieces[1:]:
                stray = members[shapely.contains(piece, shapely.point_on_surface(shapes[members]))]
                border: dict[int, float] = {}
                for cell in stray:
                    for other in neighbours.query(shapes[cell], predicate="intersects"):
                        if owners[other] != owner:
                            shared = shapes[cell].boundary.intersection(shapes[other].boundary)
                            key = int(owners[other])
                            border[key] = border.get(key, 0.0) + shared.length
                owners[stray] = max(border, key=lambda key: (border[key], -key))
                changed = True
    return owners


def apportion(total: int, weights: np.ndarray, minimum: int = 0) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), each >= minimum."""
    rest = total - minimum * len(weights)
    shares = rest * weights / weights.sum()
    result = np.floor(shares).astype(int)
    # Ties broken by position, so the split is deterministic.
    order = np.lexsort((np.arange(len(weights)), -(shares - result)))
    result[order[: rest - int(result.sum())]] += 1
    return [int(value) + minimum for value in result]


def _sample(
    shape: BaseGeometry,
    count: int,
    rng: np.random.Generator,
    *,
    away_from: tuple[float, float] | None = None,
    min_distance: float = 0.0,
) -> np.ndarray:
    """`count` uniform random points inside `shape` (optionally not too near a given point)."""
    minx, miny, maxx, maxy = shape.bounds
    found = np.empty((0, 2))
    while len(found) < count:
        batch = rng.uniform((minx, miny), (maxx, maxy), size=(max(32, 4 * count), 2))
        keep = shapely.contains_xy(shape, batch[:, 0], batch[:, 1])
        if away_from is not None:
            keep &= np.hypot(*(batch - np.array(away_from)).T) >= min_distance
        found = np.vstack([found, batch[keep]])
    return found[:count]


def _tile(
    parent: BaseGeometry,
    points: np.ndarray,
    *,
    relax: int = 0,
    movable: np.ndarray | None = None,
    within: np.ndarray | BaseGeometry | None = None,
) -> list[Polygon]:
    """One single-part polygon per point, tiling `parent`: Voronoi cells clipped to it.

    `relax` rounds of Lloyd's algorithm (move each movable point to its cell's centroid, if that
    stays `within` the point's area) even out the cells' sizes, so no grid is a sliver.
    """
    movable = np.ones(len(points), dtype=bool) if movable is None else movable
    within = parent if within is None else within
    for _ in range(relax):
        centroids = shapely.centroid(_clipped_cells(parent, points))
        moved = movable & shapely.contains(within, centroids)
        points = np.where(moved[:, None], shapely.get_coordinates(centroids), points)
    return _single_parts(_clipped_cells(parent, points), points)


def _clipped_cells(parent: BaseGeometry, points: np.ndarray) -> np.ndarray:
    diagram = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=parent, ordered=True)
    return shapely.intersection(shapely.get_parts(diagram), parent)


def _single_parts(cells: np.ndarray, points: np.ndarray) -> list[BaseGeometry]:
    """Keep each cell's part around its point; give a cut-off part (where the parent is concave)
    to the sibling it shares the longest edge with, so every child is one polygon."""
    kept: list[BaseGeometry] = []
    stray: list[tuple[int, BaseGeometry]] = []
    for index, cell in enumerate(cells):
        parts = [
            part
            for part in shapely.get_parts(cell)
            if part.geom_type == "Polygon" and part.area > 0
        ]
        home = next(
            (part for part in parts if part.contains(shapely.points(points[index]))),
            max(parts, key=lambda part: part.area),
        )
        kept.append(home)
        stray += [(index, part) for part in parts if part is not home]
    for owner, part in stray:
        shared = [
            (-1.0 if i == owner else part.boundary.intersection(other.boundary).length, i)
            for i, other in enumerate(kept)
        ]
        _, neighbour = max(shared)
        kept[neighbour] = shapely.union(kept[neighbour], part)
    return kept


def _warp_function(rng: np.random.Generator) -> Callable[[np.ndarray], np.ndarray]:
    """A smooth, one-to-one displacement of the plane: a few sine waves per axis and scale."""
    waves = []
    for wavelength, amplitude, count in _WARP_WAVES:
        wavenumber = 2 * math.pi / wavelength
        for axis in (0, 1):
            for _ in range(count):
                angle = rng.uniform(0, 2 * math.pi)
                waves.append(
                    (
                        axis,
                        amplitude,
                        wavenumber * math.cos(angle),
                        wavenumber * math.sin(angle),
                        rng.uniform(0, 2 * math.pi),
                    )
                )

    def warp(xy: np.ndarray) -> np.ndarray:
        moved = xy.copy()
        for axis, amplitude, kx, ky, phase in waves:
            moved[:, axis] += amplitude * np.sin(kx * xy[:, 0] + ky * xy[:, 1] + phase)
        return moved

    return warp


def _warp_and_snap(county: _Node, rng: np.random.Generator) -> None:
    """Replace every shape by its warped, snapped form; parents become unions of their children.

    The micro-grids' linework is noded once (so an edge shared by two polygons is one line),
    bent, snap-rounded to PRECISION and polygonised; each face goes back to the micro-grid whose
    warped interior point it holds. Unions on the same grid then build each level above.
    """
    leaves = [
        micro
        for town in county.children
        for village in town.children
        for grid in village.children
        for micro in grid.children
    ]
    leaf_shapes = np.array([leaf.shape for leaf in leaves], dtype=object)
    warp = _warp_function(rng)
    noded = shapely.union_all(shapely.boundary(leaf_shapes), grid_size=1e-9)
    bent = shapely.transform(shapely.segmentize(noded, SEGMENT_LENGTH), warp)
    snapped = shapely.union_all(shapely.get_parts(bent), grid_size=PRECISION)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(snapped)))
    interior = shapely.transform(shapely.point_on_surface(leaf_shapes), warp)
    point_index, face_index = shapely.STRtree(faces).query(interior, predicate="within")
    owner = np.full(len(faces), -1)
    owner[face_index] = point_index
    if len(set(point_index.tolist())) != len(leaves) or len(set(face_index.tolist())) != len(
        face_index
    ):
        raise RuntimeError("a micro-grid lost its face while snapping")
    _adopt_orphan_faces(faces, owner)
    for index, leaf in enumerate(leaves):
        leaf.shape = _union(list(faces[owner == index]))
    _union_upwards(county)


def _adopt_orphan_faces(faces: np.ndarray, owner: np.ndarray) -> None:
    """Snap-rounding can leave a sliver face holding no interior point: it joins the neighbour
    it shares the longest edge with (its area is far below the containment tolerance)."""
    tree = shapely.STRtree(faces)
    while (orphans := np.flatnonzero(owner < 0)).size:
        adopted = 0
        for face in orphans:
            best, best_length = -1, 0.0
            for other in tree.query(faces[face], predicate="touches"):
                if owner[other] >= 0:
                    length = faces[face].boundary.intersection(faces[other].boundary).length
                    if length > best_length:
                        best, best_length = int(other), length
            if best >= 0:
                owner[face] = owner[best]
                adopted += 1
        if not adopted:
            raise RuntimeError("a sliver face touches no micro-grid")


def _union(shapes: list[BaseGeometry]) -> Polygon:
    merged = shapes[0] if len(shapes) == 1 else shapely.union_all(shapes, grid_size=PRECISION)
    if merged.geom_type != "Polygon":
        raise RuntimeError(f"a demo region came out as {merged.geom_type}")
    return merged


def _union_upwards(node: _Node) -> None:
    if not node.children:
        return
    for child in node.children:
        _union_upwards(child)
    node.shape = _union([child.shape for child in node.children])


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

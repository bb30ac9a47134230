"""Tiling a polygon with seeded Voronoi cells, and bending and snapping a finished tiling so
its pieces share every edge exactly on the grid boundaries are stored on."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

# Boundaries are stored rounded to this (see regions.geometry.to_geojson).
PRECISION = 1e-7
# Spacing of the vertices the warp bends (degrees, ~70 m), fine enough for its shortest wave.
SEGMENT_LENGTH = 0.0007
# (wavelength°, amplitude°, waves per axis). Summing amplitude * 2π / wavelength gives 0.62 per axis,
# so the warp's derivative has norm below 0.9: it is one-to-one and a tiling stays a tiling.
_WARP_WAVES = ((0.10, 0.0015, 3), (0.03, 0.0004, 3), (0.012, 0.00008, 2))


def apportion(total: int, weights: np.ndarray, minimum: int = 0) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), each >= minimum."""
    rest = total - minimum * len(weights)
    shares = rest * weights / weights.sum()
    result = np.floor(shares).astype(int)
    # Ties broken by position, so the split is deterministic.
    order = np.lexsort((np.arange(len(weights)), -(shares - result)))
    result[order[: rest - int(result.sum())]] += 1
    return [int(value) + minimum for value in result]


def sample_points(
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


def tile(
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


def warp_function(rng: np.random.Generator) -> Callable[[np.ndarray], np.ndarray]:
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


def snap_tiling(shapes: list[BaseGeometry], rng: np.random.Generator) -> list[Polygon]:
    """The pieces of a tiling, bent by one random warp and snapped to PRECISION, in the same order.

    The linework is noded once (so an edge shared by two pieces is one line), bent, snap-rounded
    and polygonised; each face goes back to the piece whose warped interior point it holds.
    """
    pieces = np.array(shapes, dtype=object)
    warp = warp_function(rng)
    noded = shapely.union_all(shapely.boundary(pieces), grid_size=1e-9)
    bent = shapely.transform(shapely.segmentize(noded, SEGMENT_LENGTH), warp)
    snapped = shapely.union_all(shapely.get_parts(bent), grid_size=PRECISION)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(snapped)))
    interior = shapely.transform(shapely.point_on_surface(pieces), warp)
    point_index, face_index = shapely.STRtree(faces).query(interior, predicate="within")
    if len(set(point_index.tolist())) != len(pieces) or len(set(face_index.tolist())) != len(
        face_index
    ):
        raise RuntimeError("a piece lost its face while snapping")
    owner = np.full(len(faces), -1)
    owner[face_index] = point_index
    _adopt_orphan_faces(faces, owner)
    return [union_on_grid(list(faces[owner == index])) for index in range(len(pieces))]


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


def union_on_grid(shapes: list[BaseGeometry]) -> Polygon:
    """The union of pieces snapped to PRECISION, which must be one polygon."""
    merged = shapes[0] if len(shapes) == 1 else shapely.union_all(shapes, grid_size=PRECISION)
    if merged.geom_type != "Polygon":
        raise RuntimeError(f"a demo region came out as {merged.geom_type}")
    return merged


def connected_groups(cells: list[Polygon], owners: np.ndarray) -> np.ndarray:
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

"""Point -> grid and micro-grid, with a shapely STRtree built once per boundaries version.

Each process keeps one locator; it checks TreeState's counter (one primary-key read) and rebuilds
only when a service changed a boundary, so the web server and the worker agree.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gridgov.core.codes import GRID_LEN
from gridgov.core.errors import NotFound
from gridgov.regions.geometry import to_shape
from gridgov.regions.models import Level, Region, TreeState


class PointOutsideGrids(NotFound):
    code = "outside_grids"


@dataclass(frozen=True)
class Location:
    grid_code: str
    micro_grid_code: str | None

    @property
    def region_code(self) -> str:
        """The smallest region the point lies in."""
        return self.micro_grid_code or self.grid_code


def _boundaries(level: str) -> tuple[list[str], list[BaseGeometry]]:
    """Codes and parsed boundaries of one level's regions that have a boundary, by code."""
    rows = (
        Region.objects.filter(level=level, boundary__isnull=False)
        .order_by("region_code")
        .values_list("region_code", "boundary")
    )
    codes: list[str] = []
    geometries: list[BaseGeometry] = []
    for code, boundary in rows:
        if boundary:
            codes.append(code)
            geometries.append(to_shape(boundary))
    return codes, geometries


class _LevelIndex:
    """An STRtree over one level's polygons, with their codes in the same order."""

    def __init__(self, codes: list[str], geometries: list[BaseGeometry]) -> None:
        self.codes = codes
        self.geometries = np.array(geometries, dtype=object)
        self.tree = shapely.STRtree(self.geometries)

    def first_match(self, points: np.ndarray) -> np.ndarray:
        """For each point the position of a polygon that contains or touches it, else -1."""
        result = np.full(len(points), -1, dtype=np.intp)
        if len(self.codes) == 0 or len(points) == 0:
            return result
        point_index, polygon_index = self.tree.query(points, predicate="intersects")
        # A point on a shared edge touches two polygons; the first match wins, deterministically.
        result[point_index[::-1]] = polygon_index[::-1]
        return result


class Locator:
    """Both levels' trees, and one shared Location per possible answer.

    A batch asks the micro-grid tree first: each micro-grid is clipped to its grid when the tree
    is built, so its code names the point's grid too, and only points in no micro-grid need the
    grid tree. Answers are picked from prebuilt Locations by index, because creating a million
    objects in a Python loop costs more than the tree queries themselves.
    """

    def __init__(self, version: int) -> None:
        self.version = version
        self.grids = _LevelIndex(*_boundaries(Level.GRID))
        grid_position = {code: position for position, code in enumerate(self.grids.codes)}
        micro_codes, micro_geometries = _boundaries(Level.MICRO_GRID)
        # A micro-grid whose grid has no boundary places no point: such a point is in no grid.
        kept = [
            (code, geometry, grid_position[code[:GRID_LEN]])
            for code, geometry in zip(micro_codes, micro_geometries, strict=True)
            if code[:GRID_LEN] in grid_position
        ]
        grid_of_micro = np.array([grid for _, _, grid in kept], dtype=np.intp)
        micro_array = np.array([geometry for _, geometry, _ in kept], dtype=object)
        parents = self.grids.geometries[grid_of_micro]
        # Clipped to its grid where it overshoots (imports allow rounding slack on shared edges),
        # so a point in a micro-grid is always in that micro-grid's grid too.
        clipped = micro_array.copy()
        overshoots = ~shapely.covers(parents, micro_array)
        clipped[overshoots] = shapely.intersection(micro_array[overshoots], parents[overshoots])
        nonempty = ~shapely.is_empty(clipped)
        self.micro_grids = _LevelIndex(
            [code for (code, _, _), keep in zip(kept, nonempty.tolist(), strict=True) if keep],
            list(clipped[nonempty]),
        )
        answers: list[Location | None] = [Location(code, None) for code in self.grids.codes]
        answers += [
            Location(self.grids.codes[grid], code)
            for code, grid in zip(
                self.micro_grids.codes, grid_of_micro[nonempty].tolist(), strict=True
            )
        ]
        answers.append(None)
        self._answers = np.array(answers, dtype=object)

    def locate_many(self, lngs: np.ndarray, lats: np.ndarray) -> list[Location | None]:
        points = shapely.points(np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float))
        answer = np.full(len(points), len(self._answers) - 1, dtype=np.intp)  # None
        micro = self.micro_grids.first_match(points)
        in_micro = micro >= 0
        answer[in_micro] = len(self.grids.codes) + micro[in_micro]
        rest = np.flatnonzero(~in_micro)
        if len(rest):
            grid = self.grids.first_match(points[rest])
            in_grid = grid >= 0
            answer[rest[in_grid]] = grid[in_grid]
        located: list[Location | None] = self._answers[answer].tolist()
        return located


_lock = threading.Lock()
_current: Locator | None = None


def current_version() -> int:
    state = TreeState.objects.filter(pk=1).values_list("boundaries_version", flat=True).first()
    return state or 0


def get_locator() -> Locator:
    global _current
    version = current_version()
    with _lock:
        if _current is None or _current.version != version:
            _current = Locator(version)
        return _current


def locate_point(*, lng: float, lat: float) -> Location:
    """The grid (and micro-grid) containing a point; PointOutsideGrids when it is in none."""
    location = get_locator().locate_many(np.array([lng]), np.array([lat]))[0]
    if location is None:
        raise PointOutsideGrids(f"point ({lng}, {lat}) is outside every grid")
    return location


def locate_points(lngs: np.ndarray, lats: np.ndarray) -> list[Location | None]:
    """Vectorised form for imports and benchmarks: one STRtree query for all points."""
    return get_locator().locate_many(lngs, lats)

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


class _LevelIndex:
    """An STRtree over one level's polygons, with their codes in the same order."""

    def __init__(self, level: str) -> None:
        rows = Region.objects.filter(level=level, boundary__isnull=False).values_list(
            "region_code", "boundary"
        )
        self.codes: list[str] = []
        geometries: list[BaseGeometry] = []
        for code, boundary in rows:
            if boundary:
                self.codes.append(code)
                geometries.append(to_shape(boundary))
        self.geometries = np.array(geometries, dtype=object)
        self.tree = shapely.STRtree(self.geometries)
        self.code_array = np.array(self.codes, dtype=object)

    def locate(self, points: np.ndarray) -> np.ndarray:
        """For each point the code of a polygon that contains or touches it, else None."""
        result = np.full(len(points), None, dtype=object)
        if len(self.codes) == 0 or len(points) == 0:
            return result
        point_index, polygon_index = self.tree.query(points, predicate="intersects")
        # A point on a shared edge touches two polygons; the first match wins, deterministically.
        result[point_index[::-1]] = self.code_array[polygon_index[::-1]]
        return result


class Locator:
    def __init__(self, version: int) -> None:
        self.version = version
        self.grids = _LevelIndex(Level.GRID)
        self.micro_grids = _LevelIndex(Level.MICRO_GRID)

    def locate_many(self, lngs: np.ndarray, lats: np.ndarray) -> list[Location | None]:
        points = shapely.points(lngs, lats)
        grid_codes = self.grids.locate(points)
        micro_codes = self.micro_grids.locate(points)
        located: list[Location | None] = []
        for grid_code, micro_code in zip(grid_codes.tolist(), micro_codes.tolist(), strict=True):
            if grid_code is None:
                located.append(None)
            else:
                # A micro-grid counts only when it lies in the same grid.
                inside = micro_code if micro_code and micro_code.startswith(grid_code) else None
                located.append(Location(grid_code, inside))
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

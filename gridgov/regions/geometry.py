"""GeoJSON <-> shapely, and the checks a boundary must pass. WGS-84 longitude/latitude throughout."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from gridgov.core.errors import ErrorCode, Problem
from gridgov.regions import errors

# Degrees² below which a difference or overlap is rounding noise (~0.01 m² at this latitude).
AREA_TOLERANCE = 1e-12
# Relative slack for "inside its parent": rounding on shared edges, not real overshoot.
CONTAINMENT_TOLERANCE = 1e-7


class InvalidBoundary(ValueError):
    """A refused boundary; `problem` says why, in the reader's language when shown."""

    def __init__(self, error: ErrorCode, **params: Any) -> None:
        self.problem = Problem(error, params)
        super().__init__(error.code)

    def __str__(self) -> str:
        return self.problem.message


def to_shape(geojson: dict[str, Any]) -> BaseGeometry:
    """Parse a GeoJSON Polygon/MultiPolygon and check it; InvalidBoundary says why it is refused."""
    if not isinstance(geojson, dict) or geojson.get("type") not in {"Polygon", "MultiPolygon"}:
        raise InvalidBoundary(errors.BOUNDARY_NOT_POLYGON)
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as error:
        raise InvalidBoundary(errors.BOUNDARY_MALFORMED, fault=str(error)) from error
    if geometry.is_empty:
        raise InvalidBoundary(errors.BOUNDARY_EMPTY)
    if not geometry.is_valid:
        # explain_validity names the fault, e.g. "Self-intersection[107.9 34.3]".
        raise InvalidBoundary(errors.BOUNDARY_INVALID, fault=explain_validity(geometry))
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidBoundary(errors.BOUNDARY_NOT_WGS84)
    return geometry


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    return dict(mapping(shapely.set_precision(geometry, 1e-7)))


def is_inside(child: BaseGeometry, parent: BaseGeometry) -> bool:
    outside = child.difference(parent).area
    return outside <= max(AREA_TOLERANCE, child.area * CONTAINMENT_TOLERANCE)


def overlap_area(a: BaseGeometry, b: BaseGeometry) -> float:
    return float(a.intersection(b).area)


def overlapping_pairs(geometries: list[BaseGeometry]) -> list[tuple[int, int]]:
    """Index pairs of geometries whose interiors overlap by more than rounding noise."""
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="intersects")
    pairs = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j:
            area = overlap_area(geometries[i], geometries[j])
            smaller = min(geometries[i].area, geometries[j].area)
            if area > max(AREA_TOLERANCE, smaller * CONTAINMENT_TOLERANCE):
                pairs.append((i, j))
    return pairs

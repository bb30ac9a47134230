"""GeoJSON <-> shapely, and the checks a boundary must pass. WGS-84 longitude/latitude throughout."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

# Degrees² below which a difference or overlap is rounding noise (~0.01 m² at this latitude).
AREA_TOLERANCE = 1e-12
# Relative slack for "inside its parent": rounding on shared edges, not real overshoot.
CONTAINMENT_TOLERANCE = 1e-7


class InvalidBoundary(ValueError):
    pass


def to_shape(geojson: dict[str, Any]) -> BaseGeometry:
    """Parse a GeoJSON Polygon/MultiPolygon and check it; InvalidBoundary says why it is refused."""
    if not isinstance(geojson, dict) or geojson.get("type") not in {"Polygon", "MultiPolygon"}:
        raise InvalidBoundary("boundary must be a GeoJSON Polygon or MultiPolygon")
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as error:
        raise InvalidBoundary(f"malformed GeoJSON geometry: {error}") from error
    if geometry.is_empty:
        raise InvalidBoundary("boundary is empty")
    if not geometry.is_valid:
        # explain_validity names the fault, e.g. "Self-intersection[107.9 34.3]".
        raise InvalidBoundary(f"invalid polygon: {explain_validity(geometry)}")
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidBoundary("coordinates are not WGS-84 longitude/latitude")
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

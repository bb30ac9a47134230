"""Selectors of the county's public geography: its towns' and villages' names and simplified
outlines, read without a login by the residents' report page, and the grids' centroids and region
names that Open311 publishes in place of a case's point and address (no one's data). Cached, keyed
by the boundaries' version, so a change of the tree shows at once."""

from __future__ import annotations

import json
from typing import Any

import shapely
from django.core.cache import cache
from shapely.geometry import mapping

from gridgov.regions.geometry import InvalidBoundary, to_shape
from gridgov.regions.locator import current_version
from gridgov.regions.selectors import public_boundaries, public_names, public_towns_and_villages

# About 50 m at this latitude: the outlines are a backdrop for placing a pin, not a survey.
OUTLINE_TOLERANCE = 0.0005
OUTLINE_PRECISION = 0.00001
OUTLINES_CACHE_SECONDS = 24 * 60 * 60
# About 0.1 m: a centroid is a published place, not a measurement.
CENTROID_DIGITS = 6
# Names can change without a boundary changing, so the list of places is kept for less long.
PLACES_CACHE_SECONDS = 10 * 60


def public_place_rows(*, county_code: str) -> list[tuple[str, str, str, str]]:
    """(code, name, level, town code) of the county's towns and villages, in code order."""
    key = f"gridgov:public:places:{county_code}:{current_version()}"
    cached = cache.get(key)
    if cached is not None:
        return [tuple(row) for row in cached]
    rows = [
        (code, name, level, code[:9])
        for code, name, level, _boundary in public_towns_and_villages(county_code=county_code)
    ]
    cache.set(key, rows, PLACES_CACHE_SECONDS)
    return rows


def _outline(boundary: Any) -> dict[str, Any] | None:
    try:
        geometry = to_shape(boundary)
    except InvalidBoundary:
        return None
    simple = shapely.simplify(geometry, OUTLINE_TOLERANCE, preserve_topology=True)
    rounded = shapely.set_precision(simple, OUTLINE_PRECISION)
    return dict(mapping(rounded if not rounded.is_empty else simple))


def public_outlines_json(*, county_code: str) -> bytes:
    """The towns' and villages' outlines, simplified, as a GeoJSON FeatureCollection."""
    key = f"gridgov:public:outlines:{county_code}:{current_version()}"
    cached = cache.get(key)
    if cached is not None:
        return bytes(cached)
    features = []
    for code, name, level, boundary in public_towns_and_villages(county_code=county_code):
        geometry = _outline(boundary) if boundary else None
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"code": code, "name": name, "level": level},
            }
        )
    body = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    cache.set(key, body, OUTLINES_CACHE_SECONDS)
    return body


def public_outlines_etag(*, county_code: str) -> str:
    """Changes whenever a boundary does."""
    return f"outlines-{county_code}-{current_version()}"


def _centroid(boundary: Any) -> tuple[float, float] | None:
    try:
        geometry = to_shape(boundary)
    except InvalidBoundary:
        return None
    point = geometry.centroid
    return round(point.y, CENTROID_DIGITS), round(point.x, CENTROID_DIGITS)


def grid_centroids(*, grid_codes: set[str]) -> dict[str, tuple[float, float]]:
    """(latitude, longitude) of the centroid of each given grid that has a valid boundary."""
    wanted = sorted(code for code in grid_codes if code)
    if not wanted:
        return {}
    version = current_version()
    keys = {f"gridgov:public:centroid:{version}:{code}": code for code in wanted}
    cached = cache.get_many(list(keys))
    found: dict[str, tuple[float, float]] = {
        keys[key]: (float(value[0]), float(value[1])) for key, value in cached.items() if value
    }
    missing = {code for code in wanted if code not in found}
    if missing:
        computed: dict[str, Any] = {}
        for code, boundary in public_boundaries(region_codes=missing):
            centroid = _centroid(boundary) if boundary else None
            computed[f"gridgov:public:centroid:{version}:{code}"] = centroid or ()
            if centroid is not None:
                found[code] = centroid
        cache.set_many(computed, OUTLINES_CACHE_SECONDS)
    return found


def region_names_public(*, region_codes: set[str]) -> dict[str, str]:
    """Names of the given regions (towns, villages and the like are public)."""
    wanted = {code for code in region_codes if code}
    return public_names(region_codes=wanted) if wanted else {}

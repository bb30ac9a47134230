"""Point -> grid location of many random points: gridgov's locator against raw shapely STRtree queries
over the same polygons, both with their trees already built (build times are reported apart)."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from bench.timing import Comparison, interleaved_medians, time_once
from gridgov.regions import locator as locator_module
from gridgov.regions.geometry import to_shape
from gridgov.regions.locator import Location
from gridgov.regions.models import Level, Region

# Throughput of gridgov's vectorised path must be at least this share of raw shapely's.
TARGET = 0.8
SEED = 20240610


def random_points(count: int) -> tuple[np.ndarray, np.ndarray]:
    """`count` uniform points over the county's bounding box (some fall outside every grid)."""
    county = Region.objects.get(level=Level.COUNTY)
    if county.boundary is None:
        raise RuntimeError("the county has no boundary")
    minx, miny, maxx, maxy = to_shape(county.boundary).bounds
    rng = np.random.default_rng(SEED)
    return rng.uniform(minx, maxx, count), rng.uniform(miny, maxy, count)


def run(*, points: int, repeat: int) -> dict[str, Any]:
    lngs, lats = random_points(points)

    # gridgov: read and parse the boundaries, build both trees; queries below reuse them.
    locator_module._current = None
    build_gridgov, locator = time_once(locator_module.get_locator)
    grid_geometries = list(locator.grids.geometries)
    micro_geometries = list(locator.micro_grids.geometries)

    # Raw shapely: trees over the very same polygon objects, queried with prebuilt points (gridgov
    # starts from the coordinate arrays, so its time includes making the points).
    build_raw_grids, grid_tree = time_once(lambda: shapely.STRtree(grid_geometries))
    build_raw_micro, micro_tree = time_once(lambda: shapely.STRtree(micro_geometries))
    make_points_s, point_array = time_once(lambda: shapely.points(lngs, lats))

    def gridgov_query() -> list[Location | None]:
        return locator_module.locate_points(lngs, lats)

    def raw_both_queries() -> tuple[np.ndarray, np.ndarray]:
        return (
            grid_tree.query(point_array, predicate="intersects"),
            micro_tree.query(point_array, predicate="intersects"),
        )

    def raw_grid_query() -> np.ndarray:
        return grid_tree.query(point_array, predicate="intersects")

    # Same answers, or the comparison means nothing.
    located = gridgov_query()
    inside = sum(1 for location in located if location is not None)
    in_micro = sum(1 for location in located if location is not None and location.micro_grid_code)
    raw_inside = len(np.unique(raw_grid_query()[0]))
    if raw_inside != inside:
        raise RuntimeError(f"gridgov placed {inside:,} points in grids, raw shapely {raw_inside:,}")

    gridgov_s, raw_both_s, raw_grid_s = interleaved_medians(
        gridgov_query, raw_both_queries, raw_grid_query, repeat=repeat
    )

    same_work = Comparison(
        "vs raw grid + micro-grid queries",
        "points/s",
        points / gridgov_s,
        points / raw_both_s,
        "throughput",
        TARGET,
    )
    grid_only = Comparison(
        "vs raw grid query only",
        "points/s",
        points / gridgov_s,
        points / raw_grid_s,
        "throughput",
        TARGET,
    )
    print(
        f"locator: {points:,} random points (seed {SEED}) over {len(grid_geometries):,} grids and "
        f"{len(micro_geometries):,} micro-grids; {inside:,} in a grid, {in_micro:,} in a micro-grid"
    )
    print(
        f"  build   gridgov {build_gridgov * 1000:.0f} ms (read, parse, clip, both trees, raster)   "
        f"raw {(build_raw_grids + build_raw_micro) * 1000:.0f} ms (both trees; "
        f"grid tree {build_raw_grids * 1000:.0f} ms)"
    )
    print(
        f"  query   median of {repeat}: gridgov locate_points {gridgov_s * 1000:.0f} ms "
        f"(grid and micro-grid of each point, from coordinates); raw grid + micro-grid queries "
        f"{raw_both_s * 1000:.0f} ms, raw grid query {raw_grid_s * 1000:.0f} ms "
        f"(points prebuilt; making them took {make_points_s * 1000:.0f} ms)"
    )
    raster = locator.raster
    if raster is not None:
        to_trees = float(np.mean(raster.lookup(lngs, lats) < 0))
        print(
            f"  raster  {raster.columns:,} x {raster.rows:,} cells, {raster.nbytes / 1e6:.1f} MB, "
            f"built in {raster.build_seconds * 1000:.0f} ms (of the build above); "
            f"{to_trees:.1%} of the points lie in cells an edge touches and go to the trees"
        )
    print(same_work.line())
    print(grid_only.line() + "  [reference: raw answers the grid only]")
    return {
        "points": points,
        "inside": inside,
        "grids": len(grid_geometries),
        "micro_grids": len(micro_geometries),
        "build_gridgov_s": build_gridgov,
        "build_raw_s": build_raw_grids + build_raw_micro,
        "make_points_s": make_points_s,
        "comparisons": [same_work.as_dict(), grid_only.as_dict()],
    }

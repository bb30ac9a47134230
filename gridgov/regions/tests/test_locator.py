"""The point locator: grid and micro-grid of a point, a clear error outside, rebuilt on changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry.base import BaseGeometry

from gridgov.accounts.models import User
from gridgov.core.access import Role
from gridgov.core.errors import NotFound
from gridgov.regions import locator
from gridgov.regions.locator import (
    Location,
    Locator,
    PointOutsideGrids,
    get_locator,
    locate_point,
    locate_points,
)
from gridgov.regions.models import Region
from gridgov.regions.selectors import region_locate
from gridgov.regions.services import bump_boundaries_version, region_set_boundary
from gridgov.testing import Tree, rectangle


@pytest.fixture(autouse=True)
def fresh_locator() -> Iterator[None]:
    # Each test's tree is rolled back afterwards, and a rolled-back boundaries version can be
    # handed out again; a locator cached by another test must not answer for this one.
    locator._current = None
    yield
    locator._current = None


def _centre(tree: Tree, code: str) -> tuple[float, float]:
    minx, miny, maxx, maxy = _bounds(tree, code)
    return (minx + maxx) / 2, (miny + maxy) / 2


def _bounds(tree: Tree, code: str) -> tuple[float, float, float, float]:
    boundary = tree.region(code).boundary
    assert boundary is not None
    ring = boundary["coordinates"][0]
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.django_db
def test_a_point_is_located_to_its_grid_and_micro_grid(tree: Tree) -> None:
    for micro_grid in tree.micro_grids:
        # given
        lng, lat = _centre(tree, micro_grid)
        # when
        location = locate_point(lng=lng, lat=lat)
        # then
        assert location == Location(micro_grid[:15], micro_grid)
        assert location.region_code == micro_grid


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lng", "lat"),
    [(120.0, 30.0), (106.05, 34.5), (107.5, 35.5), (-107.5, -34.5)],
    ids=["far away", "between the counties' grids", "north of the county", "other hemisphere"],
)
def test_a_point_outside_every_grid_is_a_clear_error(tree: Tree, lng: float, lat: float) -> None:
    with pytest.raises(PointOutsideGrids) as refused:
        locate_point(lng=lng, lat=lat)
    assert refused.value.code == "region.outside_grids"
    assert isinstance(refused.value, NotFound)


@pytest.mark.django_db
def test_a_point_on_the_edge_of_two_grids_is_placed_in_one_of_them_every_time(tree: Tree):
    # given: grids 1 and 2 of the first village meet at x = 107.125
    lng, lat = 107.125, 34.3
    # when
    answers = {locate_point(lng=lng, lat=lat) for _ in range(3)}
    # then
    [answer] = answers
    assert answer.grid_code in tree.grids[:2]


@pytest.mark.django_db
def test_the_vectorised_form_agrees_with_single_points(tree: Tree) -> None:
    # given
    rng = np.random.default_rng(610324)
    lngs, lats = rng.uniform(105.9, 108.1, 400), rng.uniform(33.9, 35.1, 400)
    # when
    many = locate_points(lngs, lats)
    # then
    for lng, lat, answer in zip(lngs, lats, many, strict=True):
        try:
            single: Location | None = locate_point(lng=float(lng), lat=float(lat))
        except PointOutsideGrids:
            single = None
        assert answer == single


@pytest.mark.django_db
def test_a_grid_without_a_boundary_places_no_point(tree: Tree) -> None:
    # given
    lng, lat = _centre(tree, tree.grids[0])
    Region.objects.filter(region_code__startswith=tree.grids[0]).update(boundary=None)
    # when / then
    with pytest.raises(PointOutsideGrids):
        locate_point(lng=lng, lat=lat)


@pytest.mark.django_db
def test_the_locator_is_built_once_until_a_boundary_changes(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    first = get_locator()
    # when
    unchanged = get_locator()
    region_set_boundary(
        actor=operator, code=tree.grids[0], boundary=rectangle(107.0, 34.0, 107.1, 34.5)
    )
    rebuilt = get_locator()
    # then
    assert unchanged is first
    assert rebuilt is not first


@pytest.mark.django_db
def test_a_changed_boundary_is_used_at_once(tree: Tree, user_factory: Callable[..., User]):
    # given: grid 1 shrinks to its southern half
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    minx, miny, maxx, maxy = _bounds(tree, tree.grids[0])
    north = ((minx + maxx) / 2, maxy - 0.01)
    south = ((minx + maxx) / 2, miny + 0.01)
    assert locate_point(lng=north[0], lat=north[1]).grid_code == tree.grids[0]
    # when
    region_set_boundary(
        actor=operator,
        code=tree.grids[0],
        boundary=rectangle(minx, miny, maxx, (miny + maxy) / 2),
    )
    # then
    assert locate_point(lng=south[0], lat=south[1]).grid_code == tree.grids[0]
    with pytest.raises(PointOutsideGrids):
        locate_point(lng=north[0], lat=north[1])


@pytest.mark.django_db
def test_locating_for_an_actor_answers_only_inside_the_jurisdiction(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    inside = _centre(tree, tree.micro_grids[0])
    outside = _centre(tree, tree.micro_grids[2])  # in the neighbouring grid
    # when
    location, region = region_locate(actor=worker, lng=inside[0], lat=inside[1])
    # then
    assert (location.grid_code, region.region_code) == (tree.grids[0], tree.micro_grids[0])
    with pytest.raises(NotFound) as refused:
        region_locate(actor=worker, lng=outside[0], lat=outside[1])
    assert not isinstance(refused.value, PointOutsideGrids)


@pytest.mark.django_db
def test_a_micro_grid_overshooting_its_grid_does_not_claim_the_neighbour(tree: Tree) -> None:
    # given the first grid's first micro-grid stretched 0.01 degrees into the second grid
    micro = Region.objects.get(region_code=tree.micro_grids[0])
    micro.boundary = rectangle(107.0, 34.0, 107.135, 34.5)
    micro.save()
    bump_boundaries_version()
    # when one point lies in the overshoot, inside the second grid, and one well inside the first
    located = locate_points(np.array([107.13, 107.06]), np.array([34.2, 34.2]))
    # then the second grid places the first point, and the other keeps its micro-grid
    assert located[0] is not None
    assert located[0].grid_code == tree.grids[1]
    assert located[0].micro_grid_code != tree.micro_grids[0]
    assert located[1] == Location(tree.grids[0], tree.micro_grids[0])


# The raster cache answers most points without the trees; these tests hold it to the trees'
# answers, on the test tree and on irregular polygons, for random points and for points on edges
# and corners (which the raster must leave to the trees).


def _probe_points(
    geometries: np.ndarray, rng: np.random.Generator, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """`count` points: random ones over and around the geometries, the corners of their extent;
    then points on their boundaries: every vertex, and random points along every edge."""
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    margin = 0.1 * max(maxx - minx, maxy - miny)
    corners = np.array([[minx, miny], [minx, maxy], [maxx, miny], [maxx, maxy]])
    free = np.concatenate(
        [
            rng.uniform(
                [minx - margin, miny - margin], [maxx + margin, maxy + margin], (count - 4, 2)
            ),
            corners,
        ]
    )
    boundaries = np.repeat(shapely.boundary(geometries), 20)
    fractions = rng.uniform(0, 1, len(boundaries))
    along = shapely.line_interpolate_point(boundaries, fractions, normalized=True)
    points = np.concatenate(
        [free, shapely.get_coordinates(geometries), shapely.get_coordinates(along)]
    )
    return points[:, 0], points[:, 1]


def _assert_raster_agrees_with_trees(
    with_raster: Locator, trees_only: Locator, seed: int, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Both locators answer the same for random points and for points on every boundary they
    hold; returns which of the random points, and which boundary points, the raster decided."""
    assert with_raster.raster is not None
    assert trees_only.raster is None
    rng = np.random.default_rng(seed)
    geometries = np.concatenate([with_raster.grids.geometries, with_raster.micro_grids.geometries])
    lngs, lats = _probe_points(geometries, rng, count)
    answers = with_raster.locate_many(lngs, lats)
    assert answers == trees_only.locate_many(lngs, lats)
    for answer in answers:
        if answer is not None and answer.micro_grid_code is not None:
            assert answer.micro_grid_code.startswith(answer.grid_code)
    decided = with_raster.raster.lookup(lngs, lats) >= 0
    return decided[:count], decided[count:]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raster_cells", "decided_share"), [(1000, 0.7), (1 << 16, 0.95), (locator.RASTER_CELLS, 0.99)]
)
def test_the_raster_answers_as_the_trees_do_over_the_test_tree(
    tree: Tree, raster_cells: int, decided_share: float
) -> None:
    # given
    with_raster = Locator.from_database(0, raster_cells=raster_cells)
    trees_only = Locator.from_database(0, raster_cells=0)
    # when / then
    random, on_boundaries = _assert_raster_agrees_with_trees(
        with_raster, trees_only, seed=raster_cells, count=20_000
    )
    assert random.mean() > decided_share  # most random points never reach a tree
    assert not on_boundaries.any()  # a point on an edge always does


def _voronoi(seeds: np.ndarray, within: BaseGeometry) -> list[BaseGeometry]:
    diagram = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=within)
    cells = shapely.intersection(shapely.get_parts(diagram), within)
    return [cell for cell in cells if cell.area > 0]


def _with_hole(polygon: BaseGeometry, scale: float) -> tuple[BaseGeometry, BaseGeometry]:
    """The polygon less a disc around a point inside it, and that disc."""
    disc = polygon.point_on_surface().buffer(scale * polygon.area**0.5).intersection(polygon)
    return polygon.difference(disc), disc


def _irregular_county(
    seed: int, grid_count: int
) -> tuple[list[tuple[str, BaseGeometry]], list[tuple[str, BaseGeometry]]]:
    """Voronoi grids, each cut into Voronoi micro-grids, with the awkward cases imports allow:
    a grid with a hole (and no micro-grids), a grid in two parts, a gap where a grid is missing,
    micro-grids with an enclave in a hole, and micro-grids that overshoot their grid."""
    rng = np.random.default_rng(seed)
    envelope = shapely.box(107.0, 34.0, 107.4, 34.3)
    cells = _voronoi(rng.uniform([107.0, 34.0], [107.4, 34.3], (grid_count, 2)), envelope)
    cells[0], _ = _with_hole(cells[0], 0.2)
    if len(cells) > 4:
        cells[1] = cells[1].union(cells.pop(3))  # in two parts, unless they are neighbours
        del cells[2]  # a gap
    grids, micro_grids = [], []
    for number, grid in enumerate(cells, start=1):
        grid_code = f"610324001200{number:03d}"
        grids.append((grid_code, grid))
        if number == 1:
            continue
        minx, miny, maxx, maxy = grid.bounds
        candidates = rng.uniform([minx, miny], [maxx, maxy], (200, 2))
        seeds = candidates[shapely.contains_xy(grid, candidates[:, 0], candidates[:, 1])][:5]
        micros = _voronoi(seeds, grid)
        micros[0], enclave = _with_hole(micros[0], 0.15)
        micros.append(enclave)
        if len(micros) > 2:
            micros[1] = micros[1].buffer(0.002)
        for part, micro in enumerate(micros, start=1):
            micro_grids.append((f"{grid_code}{part:03d}", micro))
    return grids, micro_grids


@pytest.mark.parametrize("raster_cells", [64, 4096, locator.RASTER_CELLS])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_raster_answers_as_the_trees_do_over_irregular_polygons(
    seed: int, raster_cells: int
) -> None:
    # given
    grids, micro_grids = _irregular_county(seed, grid_count=40)
    with_raster = Locator(0, grids, micro_grids, raster_cells=raster_cells)
    trees_only = Locator(0, grids, micro_grids, raster_cells=0)
    # when / then
    random, on_boundaries = _assert_raster_agrees_with_trees(
        with_raster, trees_only, seed=seed, count=20_000
    )
    assert random.any()
    assert not on_boundaries.any()


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    grid_count=st.integers(1, 30),
    raster_cells=st.integers(1, 20_000),
)
def test_the_raster_never_disagrees_with_the_trees(
    seed: int, grid_count: int, raster_cells: int
) -> None:
    # given
    grids, micro_grids = _irregular_county(seed, grid_count)
    with_raster = Locator(0, grids, micro_grids, raster_cells=raster_cells)
    trees_only = Locator(0, grids, micro_grids, raster_cells=0)
    # when / then
    _, on_boundaries = _assert_raster_agrees_with_trees(
        with_raster, trees_only, seed=seed, count=2_000
    )
    assert not on_boundaries.any()


@pytest.mark.django_db
def test_the_shared_locator_answers_inner_points_from_its_raster(tree: Tree) -> None:
    # given
    centres = np.array([_centre(tree, code) for code in tree.micro_grids])
    # when
    shared = get_locator()
    located = locate_points(centres[:, 0], centres[:, 1])
    # then
    assert shared.raster is not None
    assert (shared.raster.lookup(centres[:, 0], centres[:, 1]) >= 0).all()
    assert located == [Location(code[:15], code) for code in tree.micro_grids]

"""The point locator: grid and micro-grid of a point, a clear error outside, rebuilt on changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pytest

from gridgov.accounts.models import User
from gridgov.accounts.roles import Role
from gridgov.core.errors import NotFound
from gridgov.regions import locator
from gridgov.regions.locator import (
    Location,
    PointOutsideGrids,
    get_locator,
    locate_point,
    locate_points,
)
from gridgov.regions.models import Region
from gridgov.regions.selectors import region_locate
from gridgov.regions.services import region_set_boundary
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
    assert refused.value.code == "outside_grids"
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

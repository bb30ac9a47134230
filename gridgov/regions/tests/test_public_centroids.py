"""Grid centroids, the place Open311 publishes instead of a case's point: computed from the grid's
boundary, cached by the boundaries' version, and following a changed boundary at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache

from gridgov.accounts.models import User
from gridgov.core.access import Role
from gridgov.regions.public import grid_centroids, region_names_public
from gridgov.regions.services import region_set_boundary
from gridgov.testing import Tree, rectangle


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # Centroids are cached by the boundaries' version, which a rolled-back test hands out again.
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_the_centroid_of_each_grid_with_a_boundary(tree: Tree) -> None:
    # when
    centroids = grid_centroids(grid_codes={tree.grids[0], tree.grids[1], "610324999999999", ""})
    # then: the first grids are 107.0-107.125 and 107.125-107.25, from 34 to 35
    assert centroids == {tree.grids[0]: (34.5, 107.0625), tree.grids[1]: (34.5, 107.1875)}


@pytest.mark.django_db
def test_centroids_are_read_once_then_cached(tree: Tree, django_assert_num_queries) -> None:
    # given
    grid_centroids(grid_codes={tree.grids[0]})
    # when: only the boundaries' version is read again
    with django_assert_num_queries(1):
        again = grid_centroids(grid_codes={tree.grids[0]})
    # then
    assert again == {tree.grids[0]: (34.5, 107.0625)}


@pytest.mark.django_db
def test_a_changed_boundary_moves_the_centroid_at_once(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    grid_centroids(grid_codes={tree.grids[0]})
    # when: the grid shrinks to its southern half
    region_set_boundary(
        actor=operator, code=tree.grids[0], boundary=rectangle(107.0, 34.0, 107.125, 34.5)
    )
    # then
    assert grid_centroids(grid_codes={tree.grids[0]}) == {tree.grids[0]: (34.25, 107.0625)}


@pytest.mark.django_db
def test_public_names_of_regions(tree: Tree) -> None:
    # when
    names = region_names_public(region_codes={tree.villages[0], tree.towns[0], ""})
    # then
    assert names == {
        tree.villages[0]: tree.names[tree.villages[0]],
        tree.towns[0]: tree.names[tree.towns[0]],
    }

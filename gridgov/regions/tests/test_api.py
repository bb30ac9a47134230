"""API v1 for the region tree: list, detail, children, locate. Each has its 404 and 403 sibling."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from rest_framework.test import APIClient

from gridgov.accounts.models import User
from gridgov.core.access import Role
from gridgov.regions import locator
from gridgov.testing import Tree

Api = Callable[[User], APIClient]


@pytest.fixture(autouse=True)
def fresh_locator() -> Iterator[None]:
    locator._current = None
    yield
    locator._current = None


def _codes(rows: list[dict[str, object]]) -> list[object]:
    return [row["code"] for row in rows]


# GET /api/v1/regions/


@pytest.mark.django_db
def test_list_is_the_jurisdiction_in_code_order(
    tree: Tree, user_factory: Callable[..., User], api_as: Api
) -> None:
    # given
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[2])
    # when
    body = api_as(secretary).get("/api/v1/regions/").json()
    # then
    expected = sorted(code for code in tree.names if code.startswith(tree.villages[2]))
    assert _codes(body["results"]) == expected
    assert body["count"] == len(expected) == 7
    first = body["results"][0]
    assert first == {
        "code": tree.villages[2],
        "level": "village",
        "kind": "",
        "name": tree.names[tree.villages[2]],
        "parent_code": tree.towns[1],
        "population": 0,
        "households": 0,
    }


@pytest.mark.django_db
def test_list_filters_by_level_and_parent(
    tree: Tree, user_factory: Callable[..., User], api_as: Api
) -> None:
    # given
    leader = user_factory(Role.COUNTY_LEADER, tree.county)
    client = api_as(leader)
    # when
    towns = client.get("/api/v1/regions/", {"level": "town"}).json()
    in_village = client.get("/api/v1/regions/", {"parent": tree.villages[0]}).json()
    both = client.get("/api/v1/regions/", {"level": "grid", "parent": tree.towns[0]}).json()
    # then
    assert _codes(towns["results"]) == tree.towns
    assert _codes(in_village["results"]) == [
        g for g in tree.grids if g.startswith(tree.villages[0])
    ]
    assert both["results"] == []  # a town's children are villages, not grids


@pytest.mark.django_db
def test_list_pages(tree: Tree, user_factory: Callable[..., User], api_as: Api) -> None:
    # given
    leader = user_factory(Role.COUNTY_LEADER, tree.county)
    client = api_as(leader)
    # when
    first = client.get("/api/v1/regions/", {"page_size": 10}).json()
    second = client.get("/api/v1/regions/", {"page_size": 10, "page": 2}).json()
    # then
    assert first["count"] == 31
    assert len(first["results"]) == 10
    assert first["next"] is not None
    assert (
        _codes(first["results"]) + _codes(second["results"])
        == sorted(code for code in tree.names if code.startswith(tree.county))[:20]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "province"}, "level"),
        ({"parent": "61032"}, "parent_code"),
        ({"parent": "abcdef"}, "parent_code"),
    ],
)
def test_list_refuses_bad_filters_with_400(
    tree: Tree, user_factory: Callable[..., User], api_as: Api, params: dict[str, str], field: str
) -> None:
    leader = user_factory(Role.COUNTY_LEADER, tree.county)
    response = api_as(leader).get("/api/v1/regions/", params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_list_of_another_parent_is_empty_not_404(
    tree: Tree, user_factory: Callable[..., User], api_as: Api
) -> None:
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    response = api_as(official).get("/api/v1/regions/", {"parent": tree.towns[1]})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.RESIDENT])
def test_list_without_the_view_role_is_403(
    tree: Tree, user_factory: Callable[..., User], api_as: Api, role: str
) -> None:
    user = user_factory(role, tree.towns[0])
    assert api_as(user).get("/api/v1/regions/").status_code == 403


@pytest.mark.django_db
def test_anonymous_is_401(tree: Tree) -> None:
    for path in ("/api/v1/regions/", f"/api/v1/regions/{tree.county}/"):
        assert APIClient().get(path).status_code == 401


# GET /api/v1/regions/{code}/ and /children/


@pytest.mark.django_db
def test_detail_has_the_boundary(tree: Tree, user_factory: Callable[..., User], api_as: Api):
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    # when
    response = api_as(worker).get(f"/api/v1/regions/{tree.micro_grids[1]}/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == tree.micro_grids[1]
    assert body["parent_code"] == tree.grids[0]
    assert body["boundary"] == tree.region(tree.micro_grids[1]).boundary
    assert body["population"] == 100


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "children/"])
def test_detail_and_children_outside_or_missing_are_the_same_404(
    tree: Tree, user_factory: Callable[..., User], api_as: Api, suffix: str
) -> None:
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    client = api_as(worker)
    # when
    outside = client.get(f"/api/v1/regions/{tree.grids[1]}/{suffix}")
    missing = client.get(f"/api/v1/regions/610324001200009/{suffix}")
    malformed = client.get(f"/api/v1/regions/not-a-code/{suffix}")
    # then
    assert outside.status_code == missing.status_code == malformed.status_code == 404
    assert outside.json()["code"] == missing.json()["code"] == "region.not_found"
    assert outside.json()["detail"].replace(tree.grids[1], "X") == missing.json()["detail"].replace(
        "610324001200009", "X"
    )


@pytest.mark.django_db
def test_children_have_their_boundaries(
    tree: Tree, user_factory: Callable[..., User], api_as: Api
) -> None:
    # given
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    # when
    response = api_as(secretary).get(f"/api/v1/regions/{tree.villages[0]}/children/")
    # then
    assert response.status_code == 200
    rows = response.json()
    assert _codes(rows) == [g for g in tree.grids if g.startswith(tree.villages[0])]
    assert all(row["boundary"]["type"] == "Polygon" for row in rows)


@pytest.mark.django_db
def test_children_of_a_micro_grid_are_none(
    tree: Tree, user_factory: Callable[..., User], api_as: Api
) -> None:
    officer = user_factory(Role.INFO_OFFICER, tree.micro_grids[0])
    response = api_as(officer).get(f"/api/v1/regions/{tree.micro_grids[0]}/children/")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "children/"])
def test_detail_and_children_without_the_view_role_are_403(
    tree: Tree, user_factory: Callable[..., User], api_as: Api, suffix: str
) -> None:
    auditor = user_factory(Role.AUDITOR, tree.county)
    response = api_as(auditor).get(f"/api/v1/regions/{tree.county}/{suffix}")
    assert response.status_code == 403


# GET /api/v1/regions/locate/


@pytest.mark.django_db
def test_locate_inside_the_jurisdiction(
    tree: Tree, user_factory: Callable[..., User], api_as: Api
) -> None:
    # given: the second micro-grid of the first grid: x 107.0..107.125, y 34.5..35.0
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    # when
    response = api_as(official).get("/api/v1/regions/locate/", {"lng": 107.05, "lat": 34.8})
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["grid_code"] == tree.grids[0]
    assert body["micro_grid_code"] == tree.micro_grids[1]
    assert body["region"]["code"] == tree.micro_grids[1]
    assert body["region"]["name"] == tree.names[tree.micro_grids[1]]


@pytest.mark.django_db
def test_locate_in_a_grid_outside_the_jurisdiction_is_404_without_its_name(
    tree: Tree, user_factory: Callable[..., User], api_as: Api
) -> None:
    # given: a point in the other town
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    # when
    response = api_as(official).get("/api/v1/regions/locate/", {"lng": 107.8, "lat": 34.3})
    # then
    assert response.status_code == 404
    body = response.content.decode()
    assert tree.towns[1] not in body
    assert not [name for name in tree.names.values() if name in body]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, {"lng", "lat"}),
        ({"lng": "107.1"}, {"lat"}),
        ({"lng": 181, "lat": 34.5}, {"lng"}),
        ({"lng": 107.1, "lat": -91}, {"lat"}),
        ({"lng": "nan", "lat": 34.5}, {"lng"}),
        ({"lng": "107,1", "lat": 34.5}, {"lng"}),
    ],
)
def test_locate_refuses_bad_coordinates_with_400(
    tree: Tree, user_factory: Callable[..., User], api_as: Api, params: dict, fields: set[str]
) -> None:
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    response = api_as(operator).get("/api/v1/regions/locate/", params)
    assert response.status_code == 400
    assert fields <= set(response.json())


@pytest.mark.django_db
def test_locate_without_the_view_role_is_403(
    tree: Tree, user_factory: Callable[..., User], api_as: Api
) -> None:
    resident = user_factory(Role.RESIDENT, tree.grids[0])
    response = api_as(resident).get("/api/v1/regions/locate/", {"lng": 107.05, "lat": 34.8})
    assert response.status_code == 403

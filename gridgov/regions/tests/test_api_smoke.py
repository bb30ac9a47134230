"""A first slice of the regions API: happy path, 404 outside the jurisdiction, 403 without the role."""

from __future__ import annotations

import pytest

from gridgov.core.access import Role


@pytest.mark.django_db
def test_town_official_lists_only_their_town(tree, user_factory, api_as):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    # when
    response = api_as(official).get("/api/v1/regions/", {"level": "grid"})
    # then
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert codes == {code for code in tree.grids if code.startswith(tree.towns[0])}


@pytest.mark.django_db
def test_other_town_answers_404(tree, user_factory, api_as):
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    response = api_as(official).get(f"/api/v1/regions/{tree.towns[1]}/")
    assert response.status_code == 404
    assert tree.names[tree.towns[1]] not in response.content.decode()


@pytest.mark.django_db
def test_auditor_is_refused_regions(tree, user_factory, api_as):
    auditor = user_factory(Role.AUDITOR, tree.county)
    response = api_as(auditor).get("/api/v1/regions/")
    assert response.status_code == 403


@pytest.mark.django_db
def test_locate_point_to_grid_and_micro_grid(tree, user_factory, api_as):
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    # The first grid is the west quarter of the first village: x in [107.0, 107.125].
    response = api_as(operator).get("/api/v1/regions/locate/", {"lng": 107.06, "lat": 34.2})
    assert response.status_code == 200
    body = response.json()
    assert body["grid_code"] == tree.grids[0]
    assert body["micro_grid_code"] == tree.micro_grids[0]


@pytest.mark.django_db
def test_locate_outside_every_grid_is_a_clear_404(tree, user_factory, api_as):
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    response = api_as(operator).get("/api/v1/regions/locate/", {"lng": 120.0, "lat": 30.0})
    assert response.status_code == 404
    assert response.json()["code"] == "region.outside_grids"


@pytest.mark.django_db
def test_locate_bad_input_is_400(tree, user_factory, api_as):
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    response = api_as(operator).get("/api/v1/regions/locate/", {"lng": "east", "lat": 95})
    assert response.status_code == 400
    assert set(response.json()) >= {"lng", "lat"}

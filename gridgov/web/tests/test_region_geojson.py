"""The map's data: the region's boundary and its children's, only inside the jurisdiction."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gridgov.core.access import Role


def geojson_url(code: str) -> str:
    return reverse("web:region-geojson", kwargs={"code": code})


@pytest.mark.django_db
def test_town_map_holds_the_town_and_its_villages(tree, user_factory, client_as):
    # given
    town = tree.towns[0]
    official = user_factory(Role.TOWN_OFFICIAL, town)
    # when
    response = client_as(official).get(geojson_url(town))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["type"] == "FeatureCollection"
    by_role: dict[str, list[str]] = {}
    for feature in body["features"]:
        by_role.setdefault(feature["properties"]["role"], []).append(feature["properties"]["code"])
        assert feature["geometry"]["type"] == "Polygon"
    assert by_role == {
        "region": [town],
        "child": [code for code in tree.villages if code.startswith(town)],
    }
    child = next(f for f in body["features"] if f["properties"]["role"] == "child")
    assert child["properties"]["url"] == reverse(
        "web:region", kwargs={"code": child["properties"]["code"]}
    )
    assert child["geometry"] == tree.region(child["properties"]["code"]).boundary


@pytest.mark.django_db
def test_map_names_nothing_outside_the_jurisdiction(tree, user_factory, client_as):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    outside = [name for code, name in tree.names.items() if not code.startswith(tree.towns[0])]
    client = client_as(official)
    # when
    bodies = [
        client.get(geojson_url(code)).content.decode()
        for code in [tree.towns[0], *tree.villages[:2], *tree.grids[:2]]
    ]
    # then
    for body in bodies:
        assert not [name for name in outside if name in body]


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["other_town", "county", "other_county", "malformed"])
def test_map_outside_the_jurisdiction_is_404(tree, user_factory, client_as, target):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    code = {
        "other_town": tree.towns[1],
        "county": tree.county,
        "other_county": tree.other_county,
        "malformed": "abc",
    }[target]
    # when
    response = client_as(official).get(geojson_url(code))
    # then
    assert response.status_code == 404
    body = response.content.decode()
    assert tree.names.get(code, "@@") not in body
    assert response.json()["code"] == "region.not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.RESIDENT])
def test_map_refuses_roles_without_the_tree(tree, user_factory, client_as, role):
    # given
    user = user_factory(role, tree.county if role == Role.AUDITOR else tree.villages[0])
    # when
    response = client_as(user).get(geojson_url(tree.villages[0]))
    top = client_as(user).get(reverse("web:regions-geojson"))
    # then
    assert response.status_code == 403
    assert top.status_code == 403
    assert tree.names[tree.villages[0]] not in response.content.decode()


@pytest.mark.django_db
def test_map_is_not_served_to_the_anonymous(tree, client):
    # when
    response = client.get(geojson_url(tree.towns[0]))
    # then
    assert response.status_code == 302
    assert tree.names[tree.towns[0]] not in response.content.decode()


@pytest.mark.django_db
def test_top_map_holds_each_top_region(tree, user_factory, client_as):
    # given
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    secretary.role_assignments.create(role=Role.VILLAGE_SECRETARY, region_code=tree.villages[-1])
    # when
    response = client_as(secretary).get(reverse("web:regions-geojson"))
    # then
    assert response.status_code == 200
    codes = [f["properties"]["code"] for f in response.json()["features"]]
    assert codes == [tree.villages[0], tree.villages[-1]]

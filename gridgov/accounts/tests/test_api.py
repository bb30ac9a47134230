"""API: POST /api/v1/auth/token/ and GET /api/v1/me/."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from gridgov.accounts.models import ApiToken, RoleAssignment, User
from gridgov.core.access import Role
from gridgov.testing import TEST_PASSWORD, Tree

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"


@pytest.mark.django_db
def test_a_token_is_issued_for_the_right_password_and_authenticates(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    client = APIClient()
    # when
    response = client.post(
        TOKEN_URL, {"username": official.username, "password": TEST_PASSWORD}, format="json"
    )
    # then
    assert response.status_code == 200
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=official)
    assert stored.key_hash == ApiToken.hash_of(token)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(ME_URL).json()["username"] == official.username


@pytest.mark.django_db
def test_logging_in_again_replaces_the_token(tree: Tree, user_factory: Callable[..., User]):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    credentials = {"username": official.username, "password": TEST_PASSWORD}
    first = APIClient().post(TOKEN_URL, credentials, format="json").json()["token"]
    # when
    second = APIClient().post(TOKEN_URL, credentials, format="json").json()["token"]
    # then the old token no longer works, the new one does
    assert first != second
    old, new = APIClient(), APIClient()
    old.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    new.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert old.get(ME_URL).status_code == 401
    assert new.get(ME_URL).status_code == 200


@pytest.mark.django_db
def test_a_form_encoded_request_works_too(tree: Tree, user_factory: Callable[..., User]) -> None:
    # given
    official = user_factory(Role.GRID_WORKER, tree.grids[0])
    # when
    response = APIClient().post(
        TOKEN_URL, {"username": official.username, "password": TEST_PASSWORD}
    )
    # then
    assert response.status_code == 200
    assert "token" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"username", "password"}),
        ({"username": "someone"}, {"password"}),
        ({"password": "x"}, {"username"}),
        ({"username": "", "password": ""}, {"username", "password"}),
        ({"username": "u" * 151, "password": "x"}, {"username"}),
    ],
)
def test_missing_or_malformed_fields_are_400_with_field_messages(
    db: None, body: dict[str, str], fields: set[str]
) -> None:
    # when
    response = APIClient().post(TOKEN_URL, body, format="json")
    # then
    assert response.status_code == 400
    assert fields <= set(response.json())


@pytest.mark.django_db
def test_a_wrong_password_is_401_and_says_nothing_about_the_account(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    # when
    wrong = APIClient().post(
        TOKEN_URL, {"username": official.username, "password": "wrong-password"}, format="json"
    )
    unknown = APIClient().post(
        TOKEN_URL, {"username": "no.such.user", "password": "wrong-password"}, format="json"
    )
    # then
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["code"] == "invalid_credentials"
    assert wrong.json() == unknown.json()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_disabled_account_gets_no_token(tree: Tree, user_factory: Callable[..., User]) -> None:
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    official.is_active = False
    official.save(update_fields=["is_active"])
    # when
    response = APIClient().post(
        TOKEN_URL, {"username": official.username, "password": TEST_PASSWORD}, format="json"
    )
    # then
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_malformed_json_is_400(db: None) -> None:
    # when
    response = APIClient().post(TOKEN_URL, "{not json", content_type="application/json")
    # then
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_token_endpoint_takes_only_post(db: None) -> None:
    # when
    response = APIClient().get(TOKEN_URL)
    # then
    assert response.status_code == 405


@pytest.mark.django_db
def test_a_bad_token_is_401(db: None) -> None:
    # given
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    # when
    response = client.get(ME_URL)
    # then
    assert response.status_code == 401


# /me/


@pytest.mark.django_db
def test_me_shows_roles_with_their_regions_and_the_jurisdiction(
    tree: Tree, user_factory: Callable[..., User], api_as: Callable[[User], APIClient]
) -> None:
    # given: a town official who also volunteers in a grid of another town
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    volunteer_grid = tree.grids[-1]
    assignment = RoleAssignment(user=official, role=Role.VOLUNTEER)
    assignment.set_region_code(volunteer_grid)
    assignment.save()
    # when
    response = api_as(official).get(ME_URL)
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == official.username
    assert body["roles"] == [
        {
            "role": Role.TOWN_OFFICIAL,
            "role_label": str(Role.TOWN_OFFICIAL.label),
            "region_code": tree.towns[0],
            "region_name": tree.names[tree.towns[0]],
        },
        {
            "role": Role.VOLUNTEER,
            "role_label": str(Role.VOLUNTEER.label),
            "region_code": volunteer_grid,
            "region_name": tree.names[volunteer_grid],
        },
    ]
    assert body["jurisdiction"] == [tree.towns[0], volunteer_grid]


@pytest.mark.django_db
def test_me_folds_nested_assignments_into_the_larger_region(
    tree: Tree, user_factory: Callable[..., User], api_as: Callable[[User], APIClient]
) -> None:
    # given: a mediator in a town, also a volunteer in one of its grids
    mediator = user_factory(Role.MEDIATOR, tree.towns[1])
    assignment = RoleAssignment(user=mediator, role=Role.VOLUNTEER)
    assignment.set_region_code(tree.grids[-1])
    assignment.save()
    # when
    body = api_as(mediator).get(ME_URL).json()
    # then
    assert len(body["roles"]) == 2
    assert body["jurisdiction"] == [tree.towns[1]]


@pytest.mark.django_db
def test_me_leaves_out_revoked_roles(
    tree: Tree, user_factory: Callable[..., User], api_as: Callable[[User], APIClient]
) -> None:
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    RoleAssignment.objects.filter(user=worker).update(is_active=False)
    # when
    body = api_as(worker).get(ME_URL).json()
    # then
    assert body["roles"] == []
    assert body["jurisdiction"] == []


@pytest.mark.django_db
def test_me_needs_a_login(db: None) -> None:
    # when
    response = APIClient().get(ME_URL)
    # then
    assert response.status_code == 401

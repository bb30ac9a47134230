"""Roles over the API (三员分立 as on the pages): POST /api/v1/users/{id}/roles/ and
/api/v1/users/{id}/roles/{assignment_id}/revoke/."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gridgov.accounts import errors
from gridgov.accounts.models import User
from gridgov.accounts.tests.test_separation_of_powers import (
    OTHER_COUNTY_GRID,
    active_roles,
    refusals,
)
from gridgov.core.access import Role
from gridgov.testing import Tree


def api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


def api_assign_url(user_id: int) -> str:
    return reverse("api:user-role-assign", args=[user_id])


@pytest.mark.django_db
def test_api_the_system_administrator_giving_the_operator_role_is_403_and_audited_once(
    tree: Tree, sysadmin: User, created: User
) -> None:
    # when
    response = api(sysadmin).post(
        api_assign_url(created.pk),
        {"role": Role.COUNTY_OPERATOR, "region_code": tree.county},
        format="json",
    )
    # then
    assert response.status_code == 403
    assert response.json()["code"] == errors.GRANT_NEEDS_SECURITY_ADMIN.code
    assert active_roles(created) == {Role.VOLUNTEER}
    [refusal] = refusals()
    assert (refusal.actor_id, refusal.object_id) == (sysadmin.pk, str(created.pk))


@pytest.mark.django_db
@pytest.mark.parametrize("granter", ["security", "leader"])
def test_api_the_security_administrator_or_leader_gives_a_data_role(
    request: pytest.FixtureRequest, tree: Tree, created: User, granter: str
) -> None:
    # given
    actor = request.getfixturevalue(granter)
    # when
    response = api(actor).post(
        api_assign_url(created.pk),
        {"role": Role.COUNTY_OPERATOR, "region_code": tree.county},
        format="json",
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["user_id"], body["role"], body["region_code"], body["is_active"]) == (
        created.pk,
        Role.COUNTY_OPERATOR,
        tree.county,
        True,
    )
    assert active_roles(created) == {Role.VOLUNTEER, Role.COUNTY_OPERATOR}


@pytest.mark.django_db
def test_api_creator_and_two_powers_are_403(
    tree: Tree, security: User, user_factory: Callable[..., User]
) -> None:
    # given
    mine = user_factory(Role.VOLUNTEER, tree.grids[0], username="mine")
    mine.created_by = security
    mine.save(update_fields=["created_by"])
    auditor = user_factory(Role.AUDITOR, tree.county, username="auditor.two")
    client = api(security)
    # when
    by_creator = client.post(
        api_assign_url(mine.pk),
        {"role": Role.GRID_WORKER, "region_code": tree.grids[0]},
        format="json",
    )
    two_powers = client.post(
        api_assign_url(auditor.pk),
        {"role": Role.SYSADMIN, "region_code": tree.county},
        format="json",
    )
    # then
    assert (by_creator.status_code, by_creator.json()["code"]) == (
        403,
        errors.GRANT_BY_CREATOR.code,
    )
    assert (two_powers.status_code, two_powers.json()["code"]) == (403, errors.TWO_POWERS.code)
    assert len(refusals()) == 2
    assert active_roles(auditor) == {Role.AUDITOR}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"role": "emperor", "region_code": "610324"},
        {"role": Role.GRID_WORKER},
        {"role": Role.GRID_WORKER, "region_code": "61032400x"},
        {"role": Role.GRID_WORKER, "region_code": "610324001"},  # a grid worker's is a grid
        {"role": Role.GRID_WORKER, "region_code": "610324001299001"},  # no such grid
        {"role": Role.GRID_WORKER, "region_code": "1" * 19},
    ],
)
def test_api_bad_input_is_400(
    tree: Tree, security: User, created: User, body: dict[str, str]
) -> None:
    response = api(security).post(api_assign_url(created.pk), body, format="json")
    assert response.status_code == 400
    assert active_roles(created) == {Role.VOLUNTEER}


@pytest.mark.django_db
def test_api_another_jurisdiction_missing_wrong_role_and_anonymous(
    tree: Tree, security: User, user_factory: Callable[..., User], created: User
) -> None:
    # given
    outsider = user_factory(Role.GRID_WORKER, OTHER_COUNTY_GRID, username="qishan_grid")
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    body = {"role": Role.GRID_WORKER, "region_code": tree.grids[0]}
    # when / then
    assert api(security).post(api_assign_url(outsider.pk), body, format="json").status_code == 404
    assert api(security).post(api_assign_url(987654), body, format="json").status_code == 404
    # a county in the other county's code, for an account of ours: not ours to give
    other = {"role": Role.COUNTY_OPERATOR, "region_code": tree.other_county}
    assert api(security).post(api_assign_url(created.pk), other, format="json").status_code == 404
    assert api(worker).post(api_assign_url(created.pk), body, format="json").status_code == 403
    assert api(None).post(api_assign_url(created.pk), body, format="json").status_code == 401
    assert active_roles(created) == {Role.VOLUNTEER}
    assert active_roles(outsider) == {Role.GRID_WORKER}


@pytest.mark.django_db
def test_api_revoke(
    tree: Tree, sysadmin: User, security: User, user_factory: Callable[..., User]
) -> None:
    # given
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    assignment = operator.role_assignments.get()
    url = reverse("api:user-role-revoke", args=[operator.pk, assignment.pk])
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    # when / then
    assert api(worker).post(url).status_code == 403
    assert api(sysadmin).post(url).status_code == 403
    mismatched = reverse("api:user-role-revoke", args=[worker.pk, assignment.pk])
    assert api(security).post(mismatched).status_code == 404
    response = api(security).post(url)
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert active_roles(operator) == set()
    assert len(refusals("user.role_revoke")) == 1

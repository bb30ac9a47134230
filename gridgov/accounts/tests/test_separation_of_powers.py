"""三员分立: the system administrator manages accounts but gives no role that reads residents' or
cases' data; the security administrator (or the county leader) gives those, never to an account
they created; the auditor reads the log; nobody holds two of the three. Services and pages
(the API: test_api_roles)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from gridgov.accounts import errors
from gridgov.accounts.models import RoleAssignment, User
from gridgov.accounts.services import role_assign, role_revoke, user_create
from gridgov.core.access import (
    ADMINISTRATIVE_POWERS,
    ROLE_SPECS,
    Perm,
    Role,
    role_grants,
    role_needs_security_grant,
    role_reads_personal_data,
)
from gridgov.core.errors import NotFound, PermissionDenied
from gridgov.core.models import AuditEntry
from gridgov.testing import Tree

PASSWORD = "绛帐镇-grid-patrol-2024"
OTHER_COUNTY_GRID = "610323100200001"


def refusals(action: str = "user.role_assign") -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, outcome=AuditEntry.Outcome.DENIED))


def active_roles(user: User) -> set[str]:
    return set(
        RoleAssignment.objects.filter(user=user, is_active=True).values_list("role", flat=True)
    )


# The policy table


def test_what_reads_personal_data_is_said_in_one_place() -> None:
    # then: every role that sees, handles or routes cases reads personal data
    reading = {role for role in ROLE_SPECS if role_reads_personal_data(role)}
    assert reading == {
        Role.COUNTY_LEADER,
        Role.COUNTY_OPERATOR,
        Role.TOWN_OFFICIAL,
        Role.VILLAGE_SECRETARY,
        Role.GRID_WORKER,
        Role.INFO_OFFICER,
        Role.MEDIATOR,
    }
    # and the three powers read none of it
    assert not any(role_reads_personal_data(role) for role in ADMINISTRATIVE_POWERS)
    # and the system administrator gives only what needs no security grant
    assert {role for role in ROLE_SPECS if not role_needs_security_grant(role)} == {
        Role.VOLUNTEER,
        Role.RESIDENT,
    }
    assert not role_grants(Role.SYSADMIN, Perm.ROLES_GRANT)
    assert not role_grants(Role.SECURITY_ADMIN, Perm.ACCOUNTS_MANAGE)
    assert role_grants(Role.COUNTY_LEADER, Perm.ROLES_GRANT)


# Services


@pytest.mark.django_db
def test_the_creator_is_recorded(tree: Tree, sysadmin: User, created: User) -> None:
    assert User.objects.get(pk=created.pk).created_by_id == sysadmin.pk


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COUNTY_OPERATOR, Role.SECURITY_ADMIN, Role.AUDITOR])
def test_the_system_administrator_gives_no_role_that_reads_data_or_is_a_power(
    tree: Tree, sysadmin: User, created: User, role: str
) -> None:
    # when
    with pytest.raises(PermissionDenied) as refused:
        role_assign(actor=sysadmin, user=created, role=role, region_code=tree.county)
    # then
    assert refused.value.code == errors.GRANT_NEEDS_SECURITY_ADMIN.code
    assert refused.value.target is not None
    assert active_roles(created) == {Role.VOLUNTEER}
    assert not AuditEntry.objects.filter(action="role.assign", detail__role=role).exists()


@pytest.mark.django_db
def test_the_security_administrator_gives_a_data_role_to_an_account_they_did_not_create(
    tree: Tree, security: User, created: User
) -> None:
    # when
    assignment = role_assign(
        actor=security, user=created, role=Role.COUNTY_OPERATOR, region_code=tree.county
    )
    # then
    assert assignment.is_active
    assert created.pk in {
        a.user_id for a in RoleAssignment.objects.filter(role=Role.COUNTY_OPERATOR)
    }
    assert AuditEntry.objects.filter(
        actor=security, action="role.assign", object_id=str(created.pk)
    ).exists()


@pytest.mark.django_db
def test_the_county_leader_may_give_a_data_role(tree: Tree, leader: User, created: User) -> None:
    # when
    role_assign(actor=leader, user=created, role=Role.TOWN_OFFICIAL, region_code=tree.towns[0])
    # then
    assert active_roles(created) == {Role.VOLUNTEER, Role.TOWN_OFFICIAL}


@pytest.mark.django_db
def test_nobody_gives_a_data_role_to_an_account_they_created(
    tree: Tree, security: User, user_factory: Callable[..., User]
) -> None:
    # given: an account the security administrator created (when they were its administrator)
    mine = user_factory(Role.VOLUNTEER, tree.grids[0], username="mine")
    mine.created_by = security
    mine.save(update_fields=["created_by"])
    # when
    with pytest.raises(PermissionDenied) as refused:
        role_assign(actor=security, user=mine, role=Role.COUNTY_OPERATOR, region_code=tree.county)
    # then
    assert refused.value.code == errors.GRANT_BY_CREATOR.code
    assert active_roles(mine) == {Role.VOLUNTEER}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("held", "given"),
    [
        (Role.SYSADMIN, Role.AUDITOR),
        (Role.AUDITOR, Role.SYSADMIN),
        (Role.SYSADMIN, Role.SECURITY_ADMIN),
        (Role.SECURITY_ADMIN, Role.AUDITOR),
    ],
)
def test_nobody_holds_two_of_the_three_powers(
    tree: Tree, security: User, user_factory: Callable[..., User], held: str, given: str
) -> None:
    # given
    person = user_factory(held, tree.county, username="one.person")
    # when
    with pytest.raises(PermissionDenied) as refused:
        role_assign(actor=security, user=person, role=given, region_code=tree.county)
    # then
    assert refused.value.code == errors.TWO_POWERS.code
    assert active_roles(person) == {held}


@pytest.mark.django_db
def test_a_power_held_before_and_revoked_does_not_count(
    tree: Tree, security: User, user_factory: Callable[..., User]
) -> None:
    # given: a former system administrator
    person = user_factory(Role.SYSADMIN, tree.county, username="former.admin")
    RoleAssignment.objects.filter(user=person).update(is_active=False)
    # when
    role_assign(actor=security, user=person, role=Role.AUDITOR, region_code=tree.county)
    # then
    assert active_roles(person) == {Role.AUDITOR}


@pytest.mark.django_db
def test_the_security_administrator_may_not_create_accounts(tree: Tree, security: User) -> None:
    with pytest.raises(PermissionDenied):
        user_create(actor=security, username="x", password=PASSWORD, region_code=tree.villages[0])
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_only_the_security_administrator_takes_back_a_data_role(
    tree: Tree, sysadmin: User, security: User, user_factory: Callable[..., User]
) -> None:
    # given
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    assignment = operator.role_assignments.get()
    # when / then
    with pytest.raises(PermissionDenied) as refused:
        role_revoke(actor=sysadmin, assignment_id=assignment.pk)
    assert refused.value.code == errors.GRANT_NEEDS_SECURITY_ADMIN.code
    assert role_revoke(actor=security, assignment_id=assignment.pk).is_active is False


@pytest.mark.django_db
def test_the_security_administrator_of_another_county_finds_nobody(
    tree: Tree, user_factory: Callable[..., User], created: User
) -> None:
    other = user_factory(Role.SECURITY_ADMIN, tree.other_county, username="security_qishan")
    with pytest.raises(NotFound):
        role_assign(actor=other, user=created, role=Role.GRID_WORKER, region_code=tree.grids[0])


# Pages


def page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assign_url(user: User) -> str:
    return reverse("accounts:role-assign", args=[user.pk])


@pytest.mark.django_db
def test_page_the_system_administrator_giving_the_operator_role_is_403_and_audited_once(
    tree: Tree, sysadmin: User, created: User
) -> None:
    # when
    response = page_client(sysadmin).post(
        assign_url(created), {"role": Role.COUNTY_OPERATOR, "region_code": tree.county}
    )
    # then
    assert response.status_code == 403
    assert active_roles(created) == {Role.VOLUNTEER}
    [refusal] = refusals()
    assert refusal.actor_id == sysadmin.pk
    assert refusal.object_id == str(created.pk)
    assert refusal.detail["reason"] == errors.GRANT_NEEDS_SECURITY_ADMIN.code
    assert refusal.detail["role"] == Role.COUNTY_OPERATOR


@pytest.mark.django_db
def test_page_the_system_administrator_cannot_create_an_operator(
    tree: Tree, sysadmin: User
) -> None:
    password = "plum-river-lantern-1987"
    # when
    response = page_client(sysadmin).post(
        reverse("accounts:user-create"),
        {
            "username": "puppet",
            "password1": password,
            "password2": password,
            "role": Role.COUNTY_OPERATOR,
            "region_code": tree.county,
        },
    )
    # then: refused, and the account is not left behind without its role
    assert response.status_code == 403
    assert not User.objects.filter(username="puppet").exists()
    assert len(refusals()) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("granter", ["security", "leader"])
def test_page_the_security_administrator_or_leader_gives_a_data_role(
    request: pytest.FixtureRequest, tree: Tree, created: User, granter: str
) -> None:
    # given
    actor = request.getfixturevalue(granter)
    # when
    response = page_client(actor).post(
        assign_url(created), {"role": Role.COUNTY_OPERATOR, "region_code": tree.county}
    )
    # then
    assert response.status_code == 302
    assert active_roles(created) == {Role.VOLUNTEER, Role.COUNTY_OPERATOR}


@pytest.mark.django_db
def test_page_the_security_administrator_sees_accounts_but_neither_creates_nor_unlocks(
    tree: Tree, security: User, created: User
) -> None:
    client = page_client(security)
    assert client.get(reverse("accounts:users")).status_code == 200
    assert client.get(reverse("accounts:user", args=[created.pk])).status_code == 200
    assert client.get(reverse("accounts:user-create")).status_code == 403
    assert client.post(reverse("accounts:user-unlock", args=[created.pk])).status_code == 403


@pytest.mark.django_db
def test_page_creator_and_two_powers_are_403(
    tree: Tree, security: User, user_factory: Callable[..., User]
) -> None:
    # given
    mine = user_factory(Role.VOLUNTEER, tree.grids[0], username="mine")
    mine.created_by = security
    mine.save(update_fields=["created_by"])
    admin = user_factory(Role.SYSADMIN, tree.county, username="admin.two")
    client = page_client(security)
    # when
    by_creator = client.post(
        assign_url(mine), {"role": Role.GRID_WORKER, "region_code": tree.grids[0]}
    )
    two_powers = client.post(assign_url(admin), {"role": Role.AUDITOR, "region_code": tree.county})
    # then
    assert (by_creator.status_code, two_powers.status_code) == (403, 403)
    assert sorted(r.detail["reason"] for r in refusals()) == sorted(
        [errors.GRANT_BY_CREATOR.code, errors.TWO_POWERS.code]
    )
    assert active_roles(admin) == {Role.SYSADMIN}


@pytest.mark.django_db
def test_page_bad_input_other_county_and_wrong_role(
    tree: Tree, security: User, user_factory: Callable[..., User], created: User
) -> None:
    # given
    outsider = user_factory(Role.GRID_WORKER, OTHER_COUNTY_GRID, username="qishan_grid")
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    # when
    bad = page_client(security).post(
        assign_url(created), {"role": Role.GRID_WORKER, "region_code": tree.towns[0]}
    )
    elsewhere = page_client(security).post(
        assign_url(outsider), {"role": Role.GRID_WORKER, "region_code": tree.grids[0]}
    )
    wrong_role = page_client(worker).post(
        assign_url(created), {"role": Role.GRID_WORKER, "region_code": tree.grids[0]}
    )
    # then
    assert bad.status_code == 200
    assert 'class="errors"' in bad.content.decode()
    assert elsewhere.status_code == 404
    assert wrong_role.status_code == 403
    assert active_roles(created) == {Role.VOLUNTEER}
    assert active_roles(outsider) == {Role.GRID_WORKER}

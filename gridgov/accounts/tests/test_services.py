"""Writes to accounts: user_create and role_assign."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gridgov.accounts.models import RoleAssignment, User
from gridgov.accounts.services import role_assign, user_create
from gridgov.core.access import ROLE_SPECS, Perm, Role
from gridgov.core.errors import NotFound, PermissionDenied, ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.testing import Tree

STRONG_PASSWORD = "绛帐镇-grid-patrol-2024"


@pytest.fixture
def admin(tree: Tree, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.SYSADMIN, tree.county)


@pytest.fixture
def security(tree: Tree, user_factory: Callable[..., User]) -> User:
    """The security administrator, who gives the roles that read personal data."""
    return user_factory(Role.SECURITY_ADMIN, tree.county)


# user_create


@pytest.mark.django_db
def test_create_a_user_with_a_hashed_password(tree: Tree, admin: User) -> None:
    # when
    user = user_create(
        actor=admin,
        username="li.lei",
        password=STRONG_PASSWORD,
        display_name="李雷",
        region_code=tree.villages[0],
    )
    # then
    stored = User.objects.get(username="li.lei")
    assert stored.pk == user.pk
    assert stored.display_name == "李雷"
    assert stored.check_password(STRONG_PASSWORD)
    assert stored.password != STRONG_PASSWORD
    [entry] = AuditEntry.objects.filter(action="user.create")
    assert (entry.actor_id, entry.object_id, entry.region_code) == (
        admin.pk,
        str(user.pk),
        tree.villages[0],
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password", "region", "field"),
    [
        ("", STRONG_PASSWORD, "village", "username"),
        ("li lei!", STRONG_PASSWORD, "village", "username"),
        ("x" * 151, STRONG_PASSWORD, "village", "username"),
        ("taken", STRONG_PASSWORD, "village", "username"),
        ("li.lei", "short-pw1", "village", "password"),
        ("li.lei", "qwerty123456", "village", "password"),
        ("li.lei", STRONG_PASSWORD, "missing", "region_code"),
        ("li.lei", STRONG_PASSWORD, "malformed", "region_code"),
    ],
    ids=[
        "blank username",
        "bad characters",
        "long username",
        "username taken",
        "short password",
        "common password",
        "missing region",
        "malformed region",
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(
    tree: Tree,
    admin: User,
    user_factory: Callable[..., User],
    username: str,
    password: str,
    region: str,
    field: str,
) -> None:
    # given
    user_factory(Role.VOLUNTEER, tree.grids[0], username="taken")
    region_code = {
        "village": tree.villages[0],
        "missing": f"{tree.towns[0]}999",
        "malformed": f"{tree.towns[0]}abc",
    }[region]
    before = User.objects.count()
    # when
    with pytest.raises(ValidationFailed) as refused:
        user_create(actor=admin, username=username, password=password, region_code=region_code)
    # then
    assert field in refused.value.errors
    assert User.objects.count() == before
    assert not AuditEntry.objects.filter(action="user.create").exists()


@pytest.mark.django_db
def test_create_outside_the_jurisdiction_is_not_found(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given: an administrator of the other county
    other_admin = user_factory(Role.SYSADMIN, tree.other_county)
    # when / then
    with pytest.raises(NotFound):
        user_create(
            actor=other_admin,
            username="li.lei",
            password=STRONG_PASSWORD,
            region_code=tree.villages[0],
        )
    assert not User.objects.filter(username="li.lei").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COUNTY_OPERATOR, Role.COUNTY_LEADER, Role.AUDITOR])
def test_create_without_the_manage_role_is_refused(
    tree: Tree, user_factory: Callable[..., User], role: str
) -> None:
    actor = user_factory(role, tree.county)
    with pytest.raises(PermissionDenied):
        user_create(
            actor=actor, username="li.lei", password=STRONG_PASSWORD, region_code=tree.county
        )
    assert not User.objects.filter(username="li.lei").exists()


# role_assign


@pytest.mark.django_db
def test_assign_a_role_that_scopes_the_users_jurisdiction(
    tree: Tree, security: User, user_factory: Callable[..., User]
) -> None:
    # given
    user = user_factory(Role.VOLUNTEER, tree.grids[0], username="han.meimei")
    # when
    assignment = role_assign(
        actor=security, user=user, role=Role.VILLAGE_SECRETARY, region_code=tree.villages[2]
    )
    # then
    assert assignment.is_active
    assert (assignment.region_code, assignment.town_code) == (tree.villages[2], tree.towns[1])
    fresh = User.objects.get(pk=user.pk)
    assert fresh.jurisdiction_codes(Perm.REGIONS_STAFF_VIEW) == [tree.villages[2]]
    [entry] = AuditEntry.objects.filter(action="role.assign")
    assert entry.detail == {"role": Role.VILLAGE_SECRETARY}
    assert entry.region_code == tree.villages[2]


@pytest.mark.django_db
def test_assigning_a_held_role_again_keeps_one_row_and_reactivates_it(
    tree: Tree, security: User, user_factory: Callable[..., User]
) -> None:
    # given: a grid worker whose role was revoked
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    RoleAssignment.objects.filter(user=worker).update(is_active=False)
    # when
    role_assign(actor=security, user=worker, role=Role.GRID_WORKER, region_code=tree.grids[0])
    role_assign(actor=security, user=worker, role=Role.GRID_WORKER, region_code=tree.grids[0])
    # then
    rows = list(RoleAssignment.objects.filter(user=worker))
    assert len(rows) == 1
    assert rows[0].is_active


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLE_SPECS))
def test_every_role_is_refused_at_a_level_it_does_not_work_at(
    tree: Tree, security: User, user_factory: Callable[..., User], role: str
) -> None:
    # given
    user = user_factory(Role.RESIDENT, tree.grids[0], username="someone")
    levels = {
        "county": tree.county,
        "town": tree.towns[0],
        "village": tree.villages[0],
        "grid": tree.grids[0],
        "micro_grid": tree.micro_grids[0],
    }
    wrong = [code for level, code in levels.items() if level not in ROLE_SPECS[role].levels]
    right = [code for level, code in levels.items() if level in ROLE_SPECS[role].levels]
    # when / then
    for code in wrong:
        with pytest.raises(ValidationFailed) as refused:
            role_assign(actor=security, user=user, role=role, region_code=code)
        assert "region_code" in refused.value.errors
    for code in right:
        role_assign(actor=security, user=user, role=role, region_code=code)
    assert RoleAssignment.objects.filter(user=user, role=role).count() == len(right)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "region", "field"),
    [
        ("mayor", "town", "role"),
        (Role.TOWN_OFFICIAL, "missing town", "region_code"),
        (Role.TOWN_OFFICIAL, "malformed", "region_code"),
    ],
)
def test_assign_refuses_bad_input(
    tree: Tree,
    admin: User,
    user_factory: Callable[..., User],
    role: str,
    region: str,
    field: str,
) -> None:
    # given
    user = user_factory(Role.VOLUNTEER, tree.grids[0], username="someone")
    region_code = {
        "town": tree.towns[0],
        "missing town": f"{tree.county}999",
        "malformed": f"{tree.county}99x",
    }[region]
    # when
    with pytest.raises(ValidationFailed) as refused:
        role_assign(actor=admin, user=user, role=role, region_code=region_code)
    # then
    assert field in refused.value.errors
    assert RoleAssignment.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_assign_outside_the_jurisdiction_is_not_found(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    other_admin = user_factory(Role.SYSADMIN, tree.other_county)
    user = user_factory(Role.VOLUNTEER, "610323100200001", username="someone")
    # when / then
    with pytest.raises(NotFound):
        role_assign(
            actor=other_admin, user=user, role=Role.TOWN_OFFICIAL, region_code=tree.towns[0]
        )
    assert not RoleAssignment.objects.filter(user=user, role=Role.TOWN_OFFICIAL).exists()


@pytest.mark.django_db
def test_assign_without_the_manage_role_is_refused(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given: a town official trying to make someone an official of their own town
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    user = user_factory(Role.VOLUNTEER, tree.grids[0], username="someone")
    # when / then
    with pytest.raises(PermissionDenied):
        role_assign(actor=official, user=user, role=Role.TOWN_OFFICIAL, region_code=tree.towns[0])
    assert not AuditEntry.objects.filter(action="role.assign").exists()


@pytest.mark.django_db
def test_an_administrator_cannot_give_themselves_a_role(tree, user_factory):
    from gridgov.accounts.models import RoleAssignment
    from gridgov.accounts.services import role_assign
    from gridgov.core.errors import PermissionDenied

    # given a system administrator, who reads no cases
    admin = user_factory("sysadmin", tree.county)
    # when they try to make themselves the county's operator
    with pytest.raises(PermissionDenied):
        role_assign(actor=admin, user=admin, role="county_operator", region_code=tree.county)
    # then nothing was assigned
    assert list(RoleAssignment.objects.filter(user=admin).values_list("role", flat=True)) == [
        "sysadmin"
    ]

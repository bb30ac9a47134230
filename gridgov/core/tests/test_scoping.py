"""Scoping a queryset to an actor: exactly the union of their subtrees, by an equality, no join."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.accounts.models import RoleAssignment, User
from gridgov.core.access import Perm, Role
from gridgov.core.codes import is_within
from gridgov.core.errors import PermissionDenied
from gridgov.core.scoping import jurisdiction_q, require_permission, scope_queryset
from gridgov.regions.models import Region
from gridgov.testing import Tree


@dataclass
class FakeActor:
    """The Actor protocol, holding `codes` for one permission."""

    codes: list[str]
    permission: str = Perm.REGIONS_VIEW
    pk: int = 1
    is_authenticated: bool = True

    def jurisdiction_codes(self, permission: str) -> list[str]:
        return list(self.codes) if permission == self.permission else []


def _scoped(codes: list[str], permission: str = Perm.REGIONS_VIEW) -> set[str]:
    queryset = scope_queryset(
        Region.objects.all(), actor=FakeActor(codes, permission), permission=permission
    )
    return set(queryset.values_list("region_code", flat=True))


@pytest.mark.django_db
def test_each_region_scopes_to_exactly_its_subtree(tree: Tree) -> None:
    for code in tree.names:
        # when
        scoped = _scoped([code])
        # then
        assert scoped == {other for other in tree.names if is_within(other, code)}, code


@pytest.mark.django_db
def test_several_regions_scope_to_the_union_of_their_subtrees(tree: Tree) -> None:
    # given: a village, a grid of another town, the other county, and a grid inside the village
    codes = [tree.villages[0], tree.grids[-1], tree.other_county, tree.grids[0]]
    # when
    scoped = _scoped(codes)
    # then
    assert scoped == {
        other for other in tree.names if any(is_within(other, code) for code in codes)
    }


@pytest.mark.django_db
def test_a_sibling_sharing_digits_is_not_inside(tree: Tree) -> None:
    # given: 610324001 and 610324100 share the county's digits; grids 001 and 002 share theirs
    # when
    town = _scoped([tree.towns[0]])
    grid = _scoped([tree.grids[0]])
    # then
    assert tree.towns[1] not in town
    assert tree.grids[1] not in grid
    assert tree.county not in town


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "column"),
    [
        ("county", "county_code"),
        ("town", "town_code"),
        ("village", "village_code"),
        ("grid", "grid_code"),
        ("micro_grid", "region_code"),
    ],
)
def test_scoping_is_an_equality_on_the_ancestor_column_without_a_join(
    tree: Tree, level: str, column: str
) -> None:
    # given
    code = Region.objects.filter(level=level).values_list("region_code", flat=True).first()
    assert code is not None
    # when
    with CaptureQueriesContext(connection) as queries:
        list(
            scope_queryset(
                Region.objects.all(), actor=FakeActor([code]), permission=Perm.REGIONS_VIEW
            )
        )
    # then
    [query] = [captured["sql"] for captured in queries.captured_queries]
    assert "JOIN" not in query.upper()
    assert f'"{column}" = ' in query
    assert "LIKE" not in query.upper()


@pytest.mark.django_db
def test_an_empty_jurisdiction_matches_no_row(tree: Tree) -> None:
    assert not Region.objects.filter(jurisdiction_q([])).exists()


@pytest.mark.parametrize(
    "actor",
    [None, AnonymousUser(), FakeActor([]), FakeActor(["610324"], permission=Perm.AUDIT_VIEW)],
    ids=["none", "anonymous", "no roles", "other permission"],
)
def test_an_actor_without_the_permission_is_refused(actor: object) -> None:
    with pytest.raises(PermissionDenied):
        require_permission(actor, Perm.REGIONS_VIEW)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        scope_queryset(Region.objects.all(), actor=actor, permission=Perm.REGIONS_VIEW)  # type: ignore[arg-type]


# The users' side: jurisdiction_codes from role assignments


@pytest.mark.django_db
def test_a_users_jurisdiction_counts_only_roles_granting_the_permission(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given: an auditor of one town who volunteers in a grid of the other
    user = user_factory(Role.AUDITOR, tree.towns[0])
    volunteer = RoleAssignment(user=user, role=Role.VOLUNTEER)
    volunteer.set_region_code(tree.grids[-1])
    volunteer.save()
    # when
    user = User.objects.get(pk=user.pk)
    # then
    assert user.jurisdiction_codes(Perm.AUDIT_VIEW) == [tree.towns[0]]
    assert user.jurisdiction_codes(Perm.REGIONS_VIEW) == [tree.grids[-1]]
    assert user.jurisdiction_codes(Perm.REGIONS_STAFF_VIEW) == []


@pytest.mark.django_db
def test_inactive_assignments_and_users_have_no_jurisdiction(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    revoked = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    RoleAssignment.objects.filter(user=revoked).update(is_active=False)
    disabled = user_factory(Role.TOWN_OFFICIAL, tree.towns[1])
    disabled.is_active = False
    disabled.save(update_fields=["is_active"])
    # when
    revoked = User.objects.get(pk=revoked.pk)
    disabled = User.objects.get(pk=disabled.pk)
    # then
    assert revoked.jurisdiction_codes(Perm.REGIONS_VIEW) == []
    assert disabled.jurisdiction_codes(Perm.REGIONS_VIEW) == []
    with pytest.raises(PermissionDenied):
        scope_queryset(Region.objects.all(), actor=revoked, permission=Perm.REGIONS_VIEW)

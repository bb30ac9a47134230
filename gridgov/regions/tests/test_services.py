"""Writes to the region tree: create, rename, set a boundary, move."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gridgov.accounts.models import RoleAssignment, User
from gridgov.core.access import Role
from gridgov.core.codes import ancestor_codes
from gridgov.core.errors import NotFound, PermissionDenied, ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.regions.locator import current_version
from gridgov.regions.models import Level, Region
from gridgov.regions.services import (
    region_create,
    region_move,
    region_rename,
    region_set_boundary,
)
from gridgov.testing import Tree, rectangle

# The first village of the first town spans x 107.0..107.25, y 34.0..35.0.
INSIDE_FIRST_TOWN = rectangle(107.3, 34.1, 107.4, 34.2)
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[107.1, 34.1], [107.2, 34.2], [107.2, 34.1], [107.1, 34.2], [107.1, 34.1]]],
}


@pytest.fixture
def operator(tree: Tree, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.COUNTY_OPERATOR, tree.county)


def _audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("sequence"))


def _unchanged(tree: Tree) -> dict[str, str]:
    return dict(Region.objects.values_list("region_code", "name"))


# region_create


@pytest.mark.django_db
def test_create_a_village_under_its_town(tree: Tree, operator: User) -> None:
    # given
    version = current_version()
    code = f"{tree.towns[0]}250"
    # when
    village = region_create(
        actor=operator,
        code=code,
        name=" 新民村 ",
        boundary=INSIDE_FIRST_TOWN,
        population=820,
        households=240,
        kind=Region.Kind.VILLAGE,
    )
    # then
    stored = Region.objects.get(region_code=code)
    assert stored.pk == village.pk
    assert (stored.level, stored.name, stored.parent_id) == (
        Level.VILLAGE,
        "新民村",
        tree.region(tree.towns[0]).pk,
    )
    assert {column: getattr(stored, column) for column in ancestor_codes(code)} == (
        ancestor_codes(code)
    )
    assert current_version() > version
    [entry] = _audit("region.create")
    assert (entry.actor_id, entry.object_id, entry.region_code) == (operator.pk, code, code)
    assert entry.detail == {"name": "新民村"}


@pytest.mark.django_db
def test_create_a_county_held_by_its_operator(db: None, user_factory: Callable[..., User]):
    # given: an operator set up for a county that has no region yet
    operator = user_factory(Role.COUNTY_OPERATOR, "610330")
    # when
    county = region_create(actor=operator, code="610330", name="眉县")
    # then
    assert county.parent is None
    assert county.level == Level.COUNTY


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "61032400125"}, "code"),  # 11 digits
        ({"code": "61032400a250"}, "code"),
        ({"code": "{town}250", "name": "  "}, "name"),
        ({"code": "{town}250", "name": "村" * 65}, "name"),
        ({"code": "{town}250", "population": -1}, "population"),
        ({"code": "{town}250", "households": -5}, "households"),
        ({"code": "{town}250", "kind": "hamlet"}, "kind"),
        ({"code": "{village}"}, "code"),  # exists already
        ({"code": "{town}250", "boundary": BOW_TIE}, "boundary"),
        (
            {"code": "{town}250", "boundary": {"type": "Point", "coordinates": [107.3, 34.1]}},
            "boundary",
        ),
        ({"code": "{town}250", "boundary": rectangle(107.6, 34.1, 107.7, 34.2)}, "boundary"),
    ],
    ids=[
        "short code",
        "letter in code",
        "blank name",
        "long name",
        "negative population",
        "negative households",
        "unknown kind",
        "duplicate code",
        "self-intersecting boundary",
        "not a polygon",
        "boundary outside the parent",
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(
    tree: Tree, operator: User, fields: dict[str, Any], field: str
) -> None:
    # given
    before = _unchanged(tree)
    arguments: dict[str, Any] = {"name": "新民村", **fields}
    arguments["code"] = arguments["code"].format(town=tree.towns[0], village=tree.villages[0])
    # when
    with pytest.raises(ValidationFailed) as refused:
        region_create(actor=operator, **arguments)
    # then
    assert field in refused.value.errors
    assert _unchanged(tree) == before
    assert not _audit("region.create")


@pytest.mark.django_db
def test_create_outside_the_jurisdiction_is_not_found(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given: an operator of the other county
    other = user_factory(Role.COUNTY_OPERATOR, tree.other_county)
    # when / then
    with pytest.raises(NotFound):
        region_create(actor=other, code=f"{tree.towns[0]}250", name="新民村")
    with pytest.raises(NotFound):
        region_create(actor=other, code="610331", name="太白县")
    assert not Region.objects.filter(region_code__in=[f"{tree.towns[0]}250", "610331"]).exists()


@pytest.mark.django_db
def test_create_under_a_missing_parent_is_not_found(tree: Tree, operator: User) -> None:
    with pytest.raises(NotFound):
        region_create(actor=operator, code=f"{tree.county}999250", name="新民村")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.TOWN_OFFICIAL, Role.COUNTY_LEADER, Role.SYSADMIN, Role.AUDITOR]
)
def test_create_without_the_manage_role_is_refused(
    tree: Tree, user_factory: Callable[..., User], role: str
) -> None:
    # given
    actor = user_factory(role, tree.towns[0] if role != Role.COUNTY_LEADER else tree.county)
    # when / then
    with pytest.raises(PermissionDenied):
        region_create(actor=actor, code=f"{tree.towns[0]}250", name="新民村")


# region_rename


@pytest.mark.django_db
def test_rename_writes_the_old_and_new_name(tree: Tree, operator: User) -> None:
    # when
    region = region_rename(actor=operator, code=tree.villages[0], name="城关新村")
    # then
    assert tree.region(tree.villages[0]).name == region.name == "城关新村"
    [entry] = _audit("region.rename")
    assert entry.detail == {"from": tree.names[tree.villages[0]], "to": "城关新村"}
    assert entry.region_code == tree.villages[0]


@pytest.mark.django_db
def test_renaming_to_the_same_name_changes_and_records_nothing(tree: Tree, operator: User) -> None:
    # when
    region_rename(actor=operator, code=tree.villages[0], name=tree.names[tree.villages[0]])
    # then
    assert not _audit("region.rename")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   ", "名" * 65])
def test_rename_refuses_a_blank_or_long_name(tree: Tree, operator: User, name: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        region_rename(actor=operator, code=tree.villages[0], name=name)
    assert "name" in refused.value.errors
    assert tree.region(tree.villages[0]).name == tree.names[tree.villages[0]]


@pytest.mark.django_db
def test_rename_outside_the_jurisdiction_or_missing_is_not_found(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    other = user_factory(Role.COUNTY_OPERATOR, tree.other_county)
    # when / then
    for code in (tree.villages[0], f"{tree.towns[0]}999", "not-a-code"):
        with pytest.raises(NotFound):
            region_rename(actor=other, code=code, name="新村")
    assert tree.region(tree.villages[0]).name == tree.names[tree.villages[0]]


@pytest.mark.django_db
def test_rename_without_the_manage_role_is_refused(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    with pytest.raises(PermissionDenied):
        region_rename(actor=secretary, code=tree.villages[0], name="新村")


# region_set_boundary


@pytest.mark.django_db
def test_set_boundary_stores_it_and_tells_the_locator(tree: Tree, operator: User) -> None:
    # given
    version = current_version()
    smaller = rectangle(107.0, 34.0, 107.1, 34.5)
    # when
    region_set_boundary(actor=operator, code=tree.grids[0], boundary=smaller)
    # then
    assert tree.region(tree.grids[0]).boundary == smaller
    assert current_version() > version
    [entry] = _audit("region.set_boundary")
    assert (entry.object_id, entry.actor_id) == (tree.grids[0], operator.pk)


@pytest.mark.django_db
def test_set_boundary_may_clear_it(tree: Tree, operator: User) -> None:
    region_set_boundary(actor=operator, code=tree.grids[0], boundary=None)
    assert tree.region(tree.grids[0]).boundary is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "boundary",
    [
        BOW_TIE,
        rectangle(107.9, 34.0, 108.0, 34.5),  # in another village
        {
            "type": "Polygon",
            "coordinates": [[[200.0, 34.0], [201.0, 34.0], [201.0, 35.0], [200.0, 34.0]]],
        },
        {"type": "Polygon", "coordinates": "nonsense"},
        {"type": "FeatureCollection", "features": []},
    ],
    ids=["self-intersecting", "outside the parent", "not WGS-84", "malformed", "not a geometry"],
)
def test_set_boundary_refuses_a_bad_boundary(
    tree: Tree, operator: User, boundary: dict[str, Any]
) -> None:
    # given
    before = tree.region(tree.grids[0]).boundary
    # when
    with pytest.raises(ValidationFailed) as refused:
        region_set_boundary(actor=operator, code=tree.grids[0], boundary=boundary)
    # then
    assert "boundary" in refused.value.errors
    assert tree.region(tree.grids[0]).boundary == before
    assert not _audit("region.set_boundary")


@pytest.mark.django_db
def test_set_boundary_outside_the_jurisdiction_is_not_found(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    other = user_factory(Role.COUNTY_OPERATOR, tree.other_county)
    with pytest.raises(NotFound):
        region_set_boundary(actor=other, code=tree.grids[0], boundary=None)
    assert tree.region(tree.grids[0]).boundary is not None


@pytest.mark.django_db
def test_set_boundary_without_the_manage_role_is_refused(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    with pytest.raises(PermissionDenied):
        region_set_boundary(actor=worker, code=tree.grids[0], boundary=None)


# region_move


def _without_boundary(code: str) -> None:
    # The test tree's villages do not overlap, so a grid moves only when it has no boundary.
    Region.objects.filter(region_code__startswith=code).update(boundary=None)


@pytest.mark.django_db
def test_move_a_grid_with_its_micro_grids_and_staff(
    tree: Tree, operator: User, user_factory: Callable[..., User]
) -> None:
    # given: grid 1 of village 1 goes to village 2, whose 001 and 002 are taken
    grid, new_parent = tree.grids[0], tree.villages[1]
    _without_boundary(grid)
    worker = user_factory(Role.GRID_WORKER, grid)
    officer = user_factory(Role.INFO_OFFICER, f"{grid}002")
    version = current_version()
    # when
    moved = region_move(actor=operator, code=grid, new_parent_code=new_parent)
    # then
    new_code = f"{new_parent}003"
    assert moved.region_code == new_code
    assert moved.parent_id == tree.region(new_parent).pk
    assert not Region.objects.filter(region_code__startswith=grid).exists()
    micro_grids = Region.objects.filter(parent=moved).order_by("region_code")
    assert [m.region_code for m in micro_grids] == [f"{new_code}001", f"{new_code}002"]
    assert RoleAssignment.objects.get(user=worker).region_code == new_code
    assert RoleAssignment.objects.get(user=officer).region_code == f"{new_code}002"
    assert User.objects.get(pk=worker.pk).jurisdiction_codes("regions.view") == [new_code]
    assert current_version() > version
    [entry] = _audit("region.move")
    assert entry.detail["from"] == grid
    assert entry.detail["to"] == new_code
    assert entry.detail["rows"]["regions.Region"] == 3


@pytest.mark.django_db
def test_move_keeps_the_code_suffix_when_it_is_free(tree: Tree, operator: User) -> None:
    # given: a village without a boundary, numbered 250, which the other town has not used
    village = region_create(actor=operator, code=f"{tree.towns[0]}250", name="新民村")
    # when
    moved = region_move(actor=operator, code=village.region_code, new_parent_code=tree.towns[1])
    # then
    assert moved.region_code == f"{tree.towns[1]}250"


@pytest.mark.django_db
def test_move_to_a_chosen_code(tree: Tree, operator: User) -> None:
    # given
    _without_boundary(tree.grids[0])
    # when
    moved = region_move(
        actor=operator,
        code=tree.grids[0],
        new_parent_code=tree.villages[1],
        new_code=f"{tree.villages[1]}017",
    )
    # then
    assert moved.region_code == f"{tree.villages[1]}017"


@pytest.mark.django_db
def test_moving_under_the_same_parent_changes_nothing(tree: Tree, operator: User) -> None:
    # when
    moved = region_move(actor=operator, code=tree.grids[0], new_parent_code=tree.villages[0])
    # then
    assert moved.region_code == tree.grids[0]
    assert not _audit("region.move")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("county", "code"),
        ("wrong level", "new_parent_code"),
        ("outside the new parent", "new_parent_code"),
        ("code not under the new parent", "new_code"),
        ("code taken", "new_code"),
        ("code of another length", "new_code"),
    ],
)
def test_move_refuses_bad_input_and_changes_nothing(
    tree: Tree, operator: User, case: str, field: str
) -> None:
    # given
    grid = tree.grids[0]
    if case != "outside the new parent":
        _without_boundary(grid)
    arguments = {
        "county": {"code": tree.county, "new_parent_code": tree.towns[0]},
        "wrong level": {"code": grid, "new_parent_code": tree.towns[1]},
        "outside the new parent": {"code": grid, "new_parent_code": tree.villages[1]},
        "code not under the new parent": {
            "code": grid,
            "new_parent_code": tree.villages[1],
            "new_code": f"{tree.villages[2]}017",
        },
        "code taken": {
            "code": grid,
            "new_parent_code": tree.villages[1],
            "new_code": tree.grids[2],
        },
        "code of another length": {
            "code": grid,
            "new_parent_code": tree.villages[1],
            "new_code": f"{tree.villages[1]}017001",
        },
    }[case]
    before = set(Region.objects.values_list("region_code", flat=True))
    # when
    with pytest.raises(ValidationFailed) as refused:
        region_move(actor=operator, **arguments)
    # then
    assert field in refused.value.errors
    assert set(Region.objects.values_list("region_code", flat=True)) == before
    assert not _audit("region.move")


@pytest.mark.django_db
def test_move_needs_both_places_in_the_jurisdiction(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given: an operator of the other county, and one who holds both counties
    other = user_factory(Role.COUNTY_OPERATOR, tree.other_county)
    _without_boundary(tree.grids[0])
    # when / then
    with pytest.raises(NotFound):
        region_move(actor=other, code=tree.grids[0], new_parent_code="610323100200")
    with pytest.raises(NotFound):
        region_move(actor=other, code="610323100200001", new_parent_code=tree.villages[0])
    assert Region.objects.filter(region_code=tree.grids[0]).exists()


@pytest.mark.django_db
def test_move_across_counties_by_an_operator_of_both(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    assignment = RoleAssignment(user=operator, role=Role.COUNTY_OPERATOR)
    assignment.set_region_code(tree.other_county)
    assignment.save()
    operator = User.objects.get(pk=operator.pk)
    _without_boundary(tree.grids[0])
    # when
    moved = region_move(actor=operator, code=tree.grids[0], new_parent_code="610323100200")
    # then
    assert moved.county_code == tree.other_county
    assert moved.region_code == "610323100200002"


@pytest.mark.django_db
def test_move_without_the_manage_role_is_refused(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    with pytest.raises(PermissionDenied):
        region_move(actor=official, code=tree.grids[0], new_parent_code=tree.villages[1])


@pytest.mark.django_db
def test_versions_are_not_reused_after_a_rollback(tree):
    from django.db import transaction

    from gridgov.regions.locator import current_version
    from gridgov.regions.services import bump_boundaries_version

    # given a version handed out inside a transaction that rolls back
    class Rollback(Exception):
        pass

    def bump_then_fail() -> int:
        with transaction.atomic():
            bump_boundaries_version()
            seen = current_version()
            raise Rollback(seen)

    with pytest.raises(Rollback) as raised:
        bump_then_fail()
    rolled_back = raised.value.args[0]
    # when the boundaries change for real
    bump_boundaries_version()
    # then the new version differs from the rolled-back one
    assert current_version() != rolled_back

"""Rewriting region codes under a moved subtree, in every region-scoped table but the audit log."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gridgov.accounts.models import RoleAssignment, User
from gridgov.core.access import Role
from gridgov.core.audit import audit_record, verify_chain
from gridgov.core.codes import ancestor_codes
from gridgov.core.models import AuditEntry
from gridgov.core.rescope import rescope_subtree, rescoped_models
from gridgov.regions.models import Region
from gridgov.testing import Tree

COLUMNS = ["region_code", "county_code", "town_code", "village_code", "grid_code"]


def _columns(row: object) -> dict[str, str]:
    return {column: getattr(row, column) for column in COLUMNS}


def test_every_region_scoped_table_is_rewritten_except_the_audit_log() -> None:
    # when
    models = rescoped_models()
    # then
    assert Region in models
    assert RoleAssignment in models
    assert AuditEntry not in models


@pytest.mark.django_db
def test_a_village_moves_with_its_grids_and_their_staff(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given: village 610324001201 becomes 610324100209, staff at the village and a micro-grid
    old, new = tree.villages[1], f"{tree.towns[1]}209"
    secretary = user_factory(Role.VILLAGE_SECRETARY, old)
    officer = user_factory(Role.INFO_OFFICER, f"{old}001002")
    bystander = user_factory(Role.GRID_WORKER, tree.grids[0])
    audit_record(actor=None, action="test.before", region_code=f"{old}001")
    # when
    counts = rescope_subtree(old, new)
    # then
    assert counts[Region._meta.label] == 7  # the village, 2 grids, 4 micro-grids
    assert counts[RoleAssignment._meta.label] == 2
    assert AuditEntry._meta.label not in counts
    assert not Region.objects.filter(region_code__startswith=old).exists()
    for region in Region.objects.filter(region_code__startswith=new):
        assert _columns(region) == ancestor_codes(region.region_code)
    assignments = {a.user_id: a for a in RoleAssignment.objects.all()}
    assert _columns(assignments[secretary.pk]) == ancestor_codes(new)
    assert _columns(assignments[officer.pk]) == ancestor_codes(f"{new}001002")
    assert _columns(assignments[bystander.pk]) == ancestor_codes(tree.grids[0])
    assert AuditEntry.objects.get(action="test.before").region_code == f"{old}001"
    assert not list(verify_chain())


@pytest.mark.django_db
def test_a_move_to_another_county_rewrites_the_county_column(tree: Tree) -> None:
    # given
    old, new = tree.grids[0], "610323100200009"
    # when
    rescope_subtree(old, new)
    # then
    moved = Region.objects.get(region_code=new)
    assert moved.county_code == "610323"
    assert moved.town_code == "610323100"
    assert Region.objects.filter(county_code="610323", region_code__startswith=new).count() == 3


@pytest.mark.django_db
def test_rows_outside_the_moved_subtree_are_untouched(tree: Tree) -> None:
    # given
    before = {
        region.pk: _columns(region)
        for region in Region.objects.exclude(region_code__startswith=tree.villages[2])
    }
    # when
    rescope_subtree(tree.villages[2], f"{tree.towns[0]}299")
    # then
    after = {
        region.pk: _columns(region)
        for region in Region.objects.exclude(region_code__startswith=f"{tree.towns[0]}299")
    }
    assert after == before

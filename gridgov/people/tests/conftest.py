"""A small register on the two-county test tree: two households in every grid."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from gridgov.demo.people import write_register
from gridgov.people.models import Household, Resident
from gridgov.testing import Tree, build_tree


@dataclass
class Register:
    tree: Tree

    def resident_in(self, grid: str) -> Resident:
        found = Resident.objects.filter(grid_code=grid).order_by("id").first()
        assert found is not None
        return found

    def household_in(self, grid: str) -> Household:
        found = Household.objects.filter(grid_code=grid).order_by("id").first()
        assert found is not None
        return found


@pytest.fixture
def register(db: None) -> Register:
    tree = build_tree()
    grids = sorted(code for code in tree.names if len(code) == 15)
    write_register(grid_codes=grids, households_per_grid=2)
    return Register(tree=tree)

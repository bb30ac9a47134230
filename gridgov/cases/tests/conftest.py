"""Fixtures shared by the case pages' tests."""

from __future__ import annotations

import pytest

from gridgov.accounts.models import User
from gridgov.core.access import Role


@pytest.fixture
def people(tree, user_factory) -> dict[str, User]:
    return {
        "worker": user_factory(Role.GRID_WORKER, tree.grids[0]),
        "handler": user_factory(Role.GRID_WORKER, tree.grids[1], username="handler"),
        "secretary": user_factory(Role.VILLAGE_SECRETARY, tree.villages[0]),
        "other_secretary": user_factory(Role.VILLAGE_SECRETARY, tree.villages[1]),
        "town": user_factory(Role.TOWN_OFFICIAL, tree.towns[0]),
        "other_town": user_factory(Role.TOWN_OFFICIAL, tree.towns[1]),
        "operator": user_factory(Role.COUNTY_OPERATOR, tree.county),
        "leader": user_factory(Role.COUNTY_LEADER, tree.county),
        "auditor": user_factory(Role.AUDITOR, tree.county),
        "sysadmin": user_factory(Role.SYSADMIN, tree.county),
    }

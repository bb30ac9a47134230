"""Fixtures of the accounts tests: the three administrative powers and the county leader."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gridgov.accounts.models import User
from gridgov.accounts.services import role_assign, user_create
from gridgov.core.access import Role
from gridgov.testing import Tree

PASSWORD = "绛帐镇-grid-patrol-2024"


@pytest.fixture
def sysadmin(tree: Tree, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.SYSADMIN, tree.county, username="sysadmin_fufeng")


@pytest.fixture
def security(tree: Tree, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.SECURITY_ADMIN, tree.county, username="security_fufeng")


@pytest.fixture
def leader(tree: Tree, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.COUNTY_LEADER, tree.county, username="leader_fufeng")


@pytest.fixture
def created(tree: Tree, sysadmin: User) -> User:
    """A new account, made by the system administrator, placed as a volunteer."""
    user = user_create(
        actor=sysadmin, username="new.one", password=PASSWORD, region_code=tree.villages[0]
    )
    role_assign(actor=sysadmin, user=user, role=Role.VOLUNTEER, region_code=tree.villages[0])
    return user

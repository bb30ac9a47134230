"""Fixtures of the command centre's tests: cases reported in the small test tree."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gridgov.accounts.models import User
from gridgov.cases.models import Case, Channel
from gridgov.cases.services import CaseInput, case_report
from gridgov.core.access import Role
from gridgov.testing import Tree


@pytest.fixture
def reporter(tree: Tree, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.COUNTY_OPERATOR, tree.county, username="reporter")


@pytest.fixture
def report(reporter: User) -> Callable[..., Case]:
    def make(
        region_code: str,
        *,
        category: str = "environment-waste",
        channel: str = Channel.GRID_PATROL,
        urgency: str = "normal",
    ) -> Case:
        return case_report(
            actor=reporter,
            data=CaseInput(
                category_code=category,
                description="垃圾堆放多日无人清运",
                channel=channel,
                region_code=region_code,
                address="东大街12号",
                urgency=urgency,
            ),
        )

    return make

"""The API list's unfiltered first page runs SQL compiled once per scope shape (listing.
case_list_page); it must answer exactly what the ORM's page answers, for every kind of scope."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment, User
from gridgov.cases.models import Case
from gridgov.cases.selectors import listing
from gridgov.cases.selectors.cases import CaseFilters, case_list, case_list_values
from gridgov.cases.tests.test_views import report
from gridgov.core.access import Perm, Role
from gridgov.core.errors import PermissionDenied
from gridgov.core.scoping import jurisdiction_cover
from gridgov.testing import Tree

pytestmark = pytest.mark.django_db


def _spread(tree: Tree, template: Case, assignee: User) -> None:
    """Three cases at every micro-grid of both counties: reported at times that repeat (so the
    id breaks ties), one without a deadline, one dispatched."""
    start = timezone.now() - timedelta(days=30)
    copies = []
    for place, code in enumerate([*tree.micro_grids, "610323100200001001"]):
        for index in range(3):
            copy = Case.objects.get(pk=template.pk)
            copy.pk = None
            copy.number = f"{template.number}-{place}-{index}"
            copy.tracking_token = secrets.token_urlsafe(16)[:22]
            copy.set_region_code(code)
            copy.created_at = start + timedelta(hours=(place * 3 + index) // 2)
            copy.due_at = None if index == 0 else start + timedelta(days=place % 4, hours=index)
            copy.assignee = assignee if index == 2 else None
            copies.append(copy)
    Case.objects.bulk_create(copies)


def _user(username: str, *assignments: tuple[str, str]) -> User:
    user = User.objects.create_user(username=username, display_name=username)
    for role, code in assignments:
        assignment = RoleAssignment(user=user, role=role)
        assignment.set_region_code(code)
        assignment.save()
    return user


def _orm_page(actor: User, order: listing.Order, size: int) -> tuple[list[Any], str | None]:
    queryset = case_list_values(case_list(actor=actor, filters=CaseFilters()))
    return listing.PAGES[order](queryset, cursor=None, size=size)


@pytest.fixture
def actors(tree: Tree, people: dict[str, User]) -> dict[str, User]:
    _spread(tree, report(people["worker"]), people["handler"])
    return {
        "county": people["leader"],
        "town": people["town"],
        "village": people["secretary"],
        "grid": people["worker"],
        "micro-grid": _user("informant", (Role.INFO_OFFICER, tree.micro_grids[3])),
        # two places of different levels: two scope columns in one query
        "village and other town": _user(
            "two_places",
            (Role.VILLAGE_SECRETARY, tree.villages[0]),
            (Role.TOWN_OFFICIAL, tree.towns[1]),
        ),
        # a village inside a town already held: the cover is the town alone
        "town and its village": _user(
            "nested",
            (Role.TOWN_OFFICIAL, tree.towns[1]),
            (Role.VILLAGE_SECRETARY, tree.villages[2]),
        ),
        "other county": _user("stranger", (Role.VILLAGE_SECRETARY, "610323100200")),
    }


@pytest.mark.parametrize("order", list(listing.Order))
@pytest.mark.parametrize("size", [1, 4, 50])
def test_the_compiled_first_page_answers_what_the_orm_answers(actors, order, size):
    for kind, actor in actors.items():
        # given the ORM's first page for this actor
        expected = _orm_page(actor, order, size)
        # when the list's first page is asked for
        rows, next_cursor = listing.case_list_page(
            actor=actor, filters=CaseFilters(), order=order, cursor=None, size=size
        )
        # then it is the same rows (values converted alike) and the same cursor after them
        assert (rows, next_cursor) == expected, kind
        # and it was the compiled query that answered
        shape = tuple(len(code) for code in jurisdiction_cover(actor, Perm.CASES_VIEW))
        assert (shape, order, size) in listing._FIRST_PAGES, kind


def test_the_fixture_gives_each_kind_of_scope_rows_to_tell_apart(actors):
    counts = {
        kind: len(_orm_page(actor, listing.Order.NEWEST, 100)[0]) for kind, actor in actors.items()
    }
    assert counts == {
        "county": 49,  # 16 micro-grids x 3, and the report at the first grid
        "town": 25,
        "village": 13,
        "grid": 7,
        "micro-grid": 3,
        "village and other town": 37,
        "town and its village": 24,
        "other county": 3,
    }


def test_the_next_page_follows_the_compiled_one(actors):
    # given the compiled first page of a town's list
    rows, cursor = listing.case_list_page(
        actor=actors["town"], filters=CaseFilters(), order=listing.Order.NEWEST, cursor=None, size=5
    )
    # when the pages after it are read by their cursors
    numbers = [row["number"] for row in rows]
    while cursor is not None:
        rows, cursor = listing.case_list_page(
            actor=actors["town"],
            filters=CaseFilters(),
            order=listing.Order.NEWEST,
            cursor=cursor,
            size=5,
        )
        numbers += [row["number"] for row in rows]
    # then together they are the whole list once, in order
    everything, _cursor = _orm_page(actors["town"], listing.Order.NEWEST, 100)
    assert numbers == [row["number"] for row in everything]


def test_a_filtered_page_is_not_the_compiled_one(actors, tree):
    rows, _cursor = listing.case_list_page(
        actor=actors["town"],
        filters=CaseFilters(region_code=tree.villages[1]),
        order=listing.Order.NEWEST,
        cursor=None,
        size=50,
    )
    assert {row["number"] for row in rows} == {
        row["number"]
        for row in _orm_page(actors["town"], listing.Order.NEWEST, 50)[0]
        if row["region_code"].startswith(tree.villages[1])
    }
    assert len(rows) == 12


def test_without_a_role_that_sees_cases_it_is_refused(people):
    with pytest.raises(PermissionDenied):
        listing.case_list_page(
            actor=people["sysadmin"],
            filters=CaseFilters(),
            order=listing.Order.NEWEST,
            cursor=None,
            size=50,
        )

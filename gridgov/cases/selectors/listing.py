"""Every case in the actor's subtree, closed ones included: search and the all-cases list, one
page at a time or (for the spreadsheet) up to a bound."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet

from gridgov.cases.models import Case
from gridgov.cases.selectors.cases import (
    CaseFilters,
    case_list,
    case_list_values,
    cut_page,
    newest_page,
    newest_rows,
    oldest_page,
    oldest_rows,
    queue_page,
    queue_rows,
)
from gridgov.core.access import Perm
from gridgov.core.prepared import PreparedValues
from gridgov.core.scoping import Actor, StandInActor, jurisdiction_cover

PAGE_SIZE = 50
# A spreadsheet holds at most this many rows; a wider selection is narrowed first (the page says
# so). An export is one query, its rows built in memory: 10,000 rows are about 2 MB of xlsx.
EXPORT_LIMIT = 10_000


class Order(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"  # the longest waiting first
    DEADLINE = "deadline"  # soonest deadline first: only cases being worked have one


PAGES = {Order.NEWEST: newest_page, Order.OLDEST: oldest_page, Order.DEADLINE: queue_page}

_Ordering = Callable[..., QuerySet[Case, dict[str, Any]]]
# Each order's rows before they are cut to a page, and the time its cursor holds.
_ORDERED: dict[Order, tuple[_Ordering, str]] = {
    Order.NEWEST: (newest_rows, "created_at"),
    Order.OLDEST: (oldest_rows, "created_at"),
    Order.DEADLINE: (queue_rows, "due_at"),
}
# The API's unfiltered first pages, compiled once per (scope shape, order, size): see
# case_list_page. Bounded, so odd page sizes cannot grow it without end; beyond, the ORM builds it.
_FIRST_PAGES: dict[tuple[tuple[int, ...], Order, int], PreparedValues] = {}
_MAX_FIRST_PAGES = 512


def case_list_page(
    *, actor: Actor, filters: CaseFilters, order: Order, cursor: str | None, size: int
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the API's list: rows of `case_list_values`, and the cursor of the next page.

    The first page of the unfiltered list, which every client opens and refreshes, runs SQL that
    the ORM compiled once per scope shape (the lengths of the codes of the actor's jurisdiction,
    which decide its columns), order and size; the actor's codes are its parameters. Building
    that queryset and its SQL cost more than running it. Any other page goes through the ORM;
    a test checks the two give the same rows for every kind of scope."""
    ordering, key = _ORDERED[order]
    if cursor is None and filters == CaseFilters():
        codes = jurisdiction_cover(actor, Perm.CASES_VIEW)
        prepared = _first_page(tuple(len(code) for code in codes), order, size)
        if prepared is not None:
            rows = prepared.fetch(**{f"scope_{i}": code for i, code in enumerate(codes)})
            return cut_page(rows, size=size, key=key)
    queryset = case_list_values(case_list(actor=actor, filters=filters))
    return cut_page(list(ordering(queryset, cursor=cursor)[: size + 1]), size=size, key=key)


def _first_page(shape: tuple[int, ...], order: Order, size: int) -> PreparedValues | None:
    prepared = _FIRST_PAGES.get((shape, order, size))
    if prepared is None and len(_FIRST_PAGES) < _MAX_FIRST_PAGES:
        stand_in = StandInActor(shape)
        ordering, _key = _ORDERED[order]

        def build(**_codes: str) -> QuerySet[Case, dict[str, Any]]:
            queryset = case_list_values(case_list(actor=stand_in, filters=CaseFilters()))
            return ordering(queryset, cursor=None)[: size + 1]

        stand_ins = {f"scope_{i}": code for i, code in enumerate(stand_in.codes)}
        prepared = _FIRST_PAGES[(shape, order, size)] = PreparedValues(build, **stand_ins)
    return prepared


def case_search_page(
    *, actor: Actor, filters: CaseFilters, order: Order, cursor: str | None
) -> tuple[list[Case], str | None]:
    return PAGES[order](case_list(actor=actor, filters=filters), cursor=cursor, size=PAGE_SIZE)


def case_export_rows(
    *, actor: Actor, filters: CaseFilters, order: Order
) -> tuple[list[Case], bool]:
    """The selection's rows for a spreadsheet, with the reporter's phone (shown masked), and
    whether the selection was longer than EXPORT_LIMIT."""
    queryset = case_list(actor=actor, filters=filters).defer(None)
    queryset = queryset.select_related("category", "category__parent", "assignee")
    rows, _cursor = PAGES[order](queryset, cursor=None, size=EXPORT_LIMIT)
    return rows, _cursor is not None

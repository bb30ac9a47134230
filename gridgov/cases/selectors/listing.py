"""Every case in the actor's subtree, closed ones included: search and the all-cases list, one
page at a time or (for the spreadsheet) up to a bound."""

from __future__ import annotations

from enum import StrEnum

from gridgov.cases.models import Case
from gridgov.cases.selectors.cases import (
    CaseFilters,
    case_list,
    newest_page,
    oldest_page,
    queue_page,
)
from gridgov.core.scoping import Actor

PAGE_SIZE = 50
# A spreadsheet holds at most this many rows; a wider selection is narrowed first (the page says
# so). An export is one query, its rows built in memory: 10,000 rows are about 2 MB of xlsx.
EXPORT_LIMIT = 10_000


class Order(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"  # the longest waiting first
    DEADLINE = "deadline"  # soonest deadline first: only cases being worked have one


PAGES = {Order.NEWEST: newest_page, Order.OLDEST: oldest_page, Order.DEADLINE: queue_page}


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

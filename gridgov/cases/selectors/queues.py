"""The work pages' listings: a unit's queue, the overdue and escalated views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from gridgov.cases.models import Case
from gridgov.cases.selectors.cases import (
    CaseFilters,
    case_list,
    newest_page,
    queue_page,
    unit_queue,
)
from gridgov.cases.states import WORKING_STATES
from gridgov.core.access import Perm
from gridgov.core.scoping import Actor

PAGE_SIZE = 50


def default_unit(*, actor: Any) -> str | None:
    """The actor's own routing unit; for someone who routes nowhere, none."""
    routes = actor.jurisdiction_codes(Perm.CASES_ROUTE)
    return routes[0] if routes else None


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    category: str = ""
    urgency: str = ""
    overdue: bool = False


def queue_rows(
    *, actor: Actor, unit: str, filters: QueueFilters, cursor: str | None
) -> tuple[list[Case], str | None]:
    """A page of the unit's queue, soonest deadline first."""
    queryset = unit_queue(actor=actor, handling_code=unit)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.category:
        queryset = queryset.filter(
            Q(category__code=filters.category) | Q(category__parent__code=filters.category)
        )
    if filters.urgency:
        queryset = queryset.filter(urgency=filters.urgency)
    if filters.overdue:
        queryset = queryset.filter(
            due_at__lt=timezone.now(), state__in=[s.value for s in WORKING_STATES]
        )
    return queue_page(queryset, cursor=cursor, size=PAGE_SIZE)


def _overdue_filters(show: str, town: str, level: str) -> CaseFilters:
    return CaseFilters(
        overdue_only=show == "overdue",
        escalated_only=show == "escalated",
        open_only=show == "escalated",
        region_code=town or None,
        level=level or None,
    )


def overdue_counts(
    *, actor: Actor, show: str, town: str = "", level: str = ""
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(cases per town, cases per handling level), each counted by one grouped query."""
    queryset = case_list(actor=actor, filters=_overdue_filters(show, town, level)).order_by()
    per_town = [
        (row["town_code"], row["count"])
        for row in queryset.values("town_code").annotate(count=Count("id")).order_by("town_code")
    ]
    per_level = [
        (row["level"], row["count"])
        for row in queryset.values("level").annotate(count=Count("id")).order_by("level")
    ]
    return per_town, per_level


def overdue_rows(
    *, actor: Actor, show: str, town: str = "", level: str = "", cursor: str | None
) -> tuple[list[Case], str | None]:
    """Overdue cases by deadline (most overdue first); escalated open cases newest first."""
    queryset = case_list(actor=actor, filters=_overdue_filters(show, town, level))
    if show == "overdue":
        return queue_page(queryset, cursor=cursor, size=PAGE_SIZE)
    return newest_page(queryset, cursor=cursor, size=PAGE_SIZE)

"""Reads the staff case pages need besides `gridgov.cases.selectors`: names of regions the actor
may see, who can be dispatched a unit's cases, queue and overdue listings, the inbox.

Every read starts from a scoped queryset (or, for the inbox, the actor's own rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment, User
from gridgov.cases.models import Case, Notification
from gridgov.cases.selectors import (
    CaseFilters,
    case_list,
    newest_page,
    queue_page,
    unit_queue,
)
from gridgov.cases.states import WORKING_STATES
from gridgov.core import codes
from gridgov.core.access import Perm, Role, roles_granting
from gridgov.core.errors import NotFound, PermissionDenied
from gridgov.core.scoping import Actor, require_permission, scope_queryset
from gridgov.regions.models import Level, Region

PAGE_SIZE = 50
# A county has ~1,300 handlers; the select lists the unit's own people and those above first.
MAX_CANDIDATES = 400
_UNIT_LEVELS = [Level.COUNTY, Level.TOWN, Level.VILLAGE]


def region_names(*, actor: Actor, region_codes: set[str]) -> dict[str, str]:
    """Names of the given regions that the actor may see (others are shown by code only)."""
    wanted = {code for code in region_codes if code}
    if not wanted:
        return {}
    try:
        regions = scope_queryset(Region.objects.all(), actor=actor, permission=Perm.REGIONS_VIEW)
    except PermissionDenied:
        return {}
    return dict(regions.filter(region_code__in=wanted).values_list("region_code", "name"))


def report_regions(*, actor: Actor) -> list[tuple[str, str]]:
    """Where the actor may place a report by address: their report jurisdiction, down to grids."""
    regions = scope_queryset(Region.objects.all(), actor=actor, permission=Perm.CASES_REPORT)
    rows = regions.exclude(level=Level.MICRO_GRID).order_by("region_code")
    return [(code, name) for code, name in rows.values_list("region_code", "name")[:2000]]


def handler_candidates(*, handling_code: str) -> list[tuple[int, str]]:
    """People who may be dispatched the unit's cases (policy.may_handle): handlers whose
    jurisdiction lies in the unit, or holds it. Each as (user id, label)."""
    ancestors = [handling_code[:n] for n in codes.CODE_LENGTHS if n < len(handling_code)]
    assignments = (
        RoleAssignment.objects.filter(
            is_active=True,
            user__is_active=True,
            role__in=roles_granting(Perm.CASES_HANDLE),
        )
        .filter(Q(region_code__startswith=handling_code) | Q(region_code__in=ancestors))
        .select_related("user")
        .order_by("region_code", "user__username")
    )
    labels: dict[int, str] = {}
    role_names = dict(Role.choices)
    for assignment in assignments[:MAX_CANDIDATES]:
        if assignment.user_id in labels:
            continue
        labels[assignment.user_id] = (
            f"{assignment.user} · {role_names.get(assignment.role, assignment.role)}"
            f" · {assignment.region_code}"
        )
    return list(labels.items())


def candidate_users(*, handling_code: str, user_ids: set[int]) -> dict[int, User]:
    allowed = {user_id for user_id, _ in handler_candidates(handling_code=handling_code)}
    return {user.pk: user for user in User.objects.filter(pk__in=user_ids & allowed)}


def queue_units(*, actor: Actor) -> list[Region]:
    """The handling units (county, towns, villages) whose queues the actor may open."""
    regions = scope_queryset(Region.objects.all(), actor=actor, permission=Perm.CASES_VIEW)
    return list(regions.filter(level__in=_UNIT_LEVELS).order_by("region_code")[:500])


def default_unit(*, actor: Any) -> str | None:
    """The actor's own routing unit; for someone who routes nowhere, none."""
    routes = actor.jurisdiction_codes(Perm.CASES_ROUTE)
    return routes[0] if routes else None


def unit_region(*, actor: Actor, code: str) -> Region:
    """A region in the actor's case jurisdiction, or NotFound (outside answers like missing)."""
    if not codes.is_valid_code(code):
        raise NotFound("no such unit")
    regions = scope_queryset(Region.objects.all(), actor=actor, permission=Perm.CASES_VIEW)
    region = regions.filter(region_code=code).first()
    if region is None:
        raise NotFound("no such unit")
    return region


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


def inbox_queryset(*, actor: Actor) -> QuerySet[Notification]:
    require_permission(actor, Perm.CASES_VIEW)
    return Notification.objects.filter(recipient_id=cast(int, actor.pk))


def inbox_page(
    *, actor: Actor, unread_only: bool, before_id: int | None
) -> tuple[list[Notification], int | None]:
    """The actor's notifications, newest first, a page at a time (keyset on id)."""
    queryset = inbox_queryset(actor=actor).select_related("case")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    if before_id:
        queryset = queryset.filter(id__lt=before_id)
    rows = list(queryset.order_by("-id")[: PAGE_SIZE + 1])
    if len(rows) > PAGE_SIZE:
        return rows[:PAGE_SIZE], rows[PAGE_SIZE - 1].pk
    return rows, None


def inbox_unread_count(*, actor: Any) -> int:
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).count()

"""Every read of cases, scoped to the actor: lists, work queues (keyset-paginated), one case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from gridgov.cases import errors
from gridgov.cases.models import CASE_NUMBER, Case, CaseEvent, Category
from gridgov.cases.states import OPEN_STATES, WORKING_STATES, State
from gridgov.cases.tracking import codes_match, is_phone_tail, normalize_code
from gridgov.core.access import Perm
from gridgov.core.audit import audit_out_of_jurisdiction
from gridgov.core.codes import is_valid_code, is_within
from gridgov.core.errors import NotFound
from gridgov.core.keyset import decode_cursor, encode_cursor, parse_cursor_time
from gridgov.core.scoping import Actor, jurisdiction_q, scope_queryset

# Not work a unit did: refused at intake, or a duplicate folded into another case. The
# assessment's handling figures leave these out, and so does the list's "handled only".
NOT_HANDLED = (State.NOT_ACCEPTED, State.MERGED)

# A page's rows: cases, or their `.values()` dicts.
_Row = TypeVar("_Row")


def case_queryset(*, actor: Actor) -> QuerySet[Case]:
    return scope_queryset(Case.objects.all(), actor=actor, permission=Perm.CASES_VIEW)


def case_get(*, actor: Actor, number: str) -> Case:
    """The case, or NotFound when it is missing or outside the actor's jurisdiction (audited)."""
    case = (
        case_queryset(actor=actor)
        .select_related("category", "category__parent", "assignee", "reporter", "merged_into")
        .filter(number=number)
        .first()
    )
    if case is None:
        outside = Case.objects.filter(number=number).values_list("region_code", flat=True).first()
        if outside is not None:
            audit_out_of_jurisdiction(
                actor=actor, object_type="case", object_id=number, region_code=outside
            )
        raise NotFound(errors.CASE_NOT_FOUND, number=number)
    return case


def case_timeline(*, actor: Actor, number: str) -> QuerySet[CaseEvent]:
    case = case_get(actor=actor, number=number)
    return case.events.select_related("actor").order_by("created_at", "id")


def case_by_tracking_token(*, token: str) -> Case:
    """For the public status page and Open311: the token is the only key; no jurisdiction."""
    case = Case.objects.select_related("category").filter(tracking_token=token).first()
    if case is None:
        raise NotFound(errors.TRACKING_NOT_FOUND)
    return case


def case_by_number_and_code(*, number: str, code: str) -> Case:
    """For residents following a report by phone: the case number with its short code, or with
    the last four digits of the phone given; NotFound for anything else (alike, whichever part
    was wrong)."""
    case = Case.objects.select_related("category").filter(number=number.strip()).first()
    if case is not None:
        short = normalize_code(code)
        if short is not None and codes_match(case.tracking_code, short):
            return case
        phone = case.reporter_phone
        # Compared, never shown: the phone stays where it is kept, so nothing here reveals it.
        if is_phone_tail(code) and phone and codes_match(phone.reveal()[-4:], code.strip()):
            return case
    raise NotFound(errors.TRACKING_NOT_FOUND)


@dataclass(frozen=True)
class CaseFilters:
    state: str | None = None
    open_only: bool = False
    overdue_only: bool = False
    escalated_only: bool = False
    category: str | None = None
    level: str | None = None
    handling_code: str | None = None
    assignee_id: int | None = None
    # The account that reported it (a grid worker's own reports, from their score).
    reporter_id: int | None = None
    # Leaving out cases refused at intake and duplicates merged into another (NOT_HANDLED).
    handled_only: bool = False
    region_code: str | None = None
    q: str | None = None
    channel: str | None = None
    # The keyed hash of a reporter's phone (exact match: the number itself is never searched).
    phone_hash: str | None = None
    reported_from: datetime | None = None
    reported_before: datetime | None = None
    rated: bool | None = None


def _keyword(q: str) -> Q:
    """A case number matches exactly; any other text is looked for in the title, the
    description and the address."""
    if CASE_NUMBER.fullmatch(q):
        return Q(number=q)
    return Q(title__icontains=q) | Q(description__icontains=q) | Q(address__icontains=q)


def _filtered(queryset: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.open_only:
        queryset = queryset.filter(state__in=[s.value for s in OPEN_STATES])
    if filters.overdue_only:
        queryset = queryset.filter(
            due_at__lt=timezone.now(), state__in=[s.value for s in WORKING_STATES]
        )
    if filters.escalated_only:
        queryset = queryset.filter(
            pk__in=CaseEvent.objects.filter(action="escalate").values("case_id")
        )
    if filters.category:
        queryset = queryset.filter(
            Q(category__code=filters.category) | Q(category__parent__code=filters.category)
        )
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.handling_code:
        queryset = queryset.filter(handling_code=filters.handling_code)
    if filters.assignee_id:
        queryset = queryset.filter(assignee_id=filters.assignee_id)
    if filters.reporter_id:
        queryset = queryset.filter(reporter_id=filters.reporter_id)
    if filters.handled_only:
        queryset = queryset.exclude(state__in=NOT_HANDLED)
    if filters.region_code:
        # The place's own scope column (its town, village, grid...): an equality, not a LIKE.
        # A code of no level's length names no place: nothing is there.
        if not is_valid_code(filters.region_code):
            return queryset.none()
        queryset = queryset.filter(jurisdiction_q([filters.region_code]))
    if filters.q:
        queryset = queryset.filter(_keyword(filters.q.strip()))
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.phone_hash:
        queryset = queryset.filter(reporter_phone_hash=filters.phone_hash)
    if filters.reported_from:
        queryset = queryset.filter(created_at__gte=filters.reported_from)
    if filters.reported_before:
        queryset = queryset.filter(created_at__lt=filters.reported_before)
    if filters.rated is not None:
        queryset = queryset.filter(rating__isnull=not filters.rated)
    return queryset


# What lists (work queues, the overdue view, the API's list) show and check: loading only these
# spares decrypting the reporter's contact and the assignee's phone, and building 60 columns a
# row. A template that reads another field still works, at one query a row: the queue's test
# counts queries so that cannot creep in.
LIST_COLUMNS = (
    "number",
    "title",
    "channel",
    "urgency",
    "state",
    "state_before_suspend",
    "level",
    "handling_code",
    "region_code",
    "county_code",
    "town_code",
    "village_code",
    "grid_code",
    "created_at",
    "due_at",
    "resolved_by",
    "category",
    "category__code",
    "category__name",
    "category__name_en",
    "assignee",
    "assignee__username",
    "assignee__display_name",
)


# The API list's row as plain values: building 50 cases, each with its category and assignee, as
# model instances was a third of the list's cost. `case_list_item` turns a row into the answer.
LIST_VALUES = (
    "id",
    "number",
    "title",
    "state",
    "level",
    "urgency",
    "channel",
    "category__code",
    "category__name",
    "region_code",
    "handling_code",
    "assignee__username",
    "assignee__display_name",
    "created_at",
    "due_at",
)


def case_list_values(queryset: QuerySet[Case]) -> QuerySet[Case, dict[str, Any]]:
    """`queryset`'s rows as the API's list reads them (LIST_VALUES), for the page functions."""
    return queryset.values(*LIST_VALUES)


def case_list(*, actor: Actor, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The actor's cases, newest first."""
    return (
        _filtered(case_queryset(actor=actor), filters or CaseFilters())
        .select_related("category", "assignee")
        .only(*LIST_COLUMNS)
        .order_by("-created_at", "-id")
    )


def _key_of(row: Any, field: str) -> Any:
    """A field of a page's row: a model instance, or a dict of `case_list_values`."""
    return row[field] if isinstance(row, dict) else getattr(row, field)


def _created_rows(
    queryset: QuerySet[Case, _Row], *, cursor: str | None, newest_first: bool
) -> QuerySet[Case, _Row]:
    """`queryset` in reporting-time order, after `cursor` (not yet cut to a page)."""
    after, bound = ("lt", "lte") if newest_first else ("gt", "gte")
    if cursor:
        key = decode_cursor(cursor)
        created = parse_cursor_time(key.get("created_at"))
        # The plain bound lets the database seek in the index; the OR alone makes SQLite and
        # PostgreSQL walk every row before the key (60-700 ms at page 10,000 of a million).
        queryset = queryset.filter(
            Q(**{f"created_at__{after}": created})
            | Q(created_at=created, **{f"id__{after}": key["id"]}),
            **{f"created_at__{bound}": created},
        )
    order = ("-created_at", "-id") if newest_first else ("created_at", "id")
    return queryset.order_by(*order)


def newest_rows(queryset: QuerySet[Case, _Row], *, cursor: str | None) -> QuerySet[Case, _Row]:
    """`queryset` newest first, after `cursor`."""
    return _created_rows(queryset, cursor=cursor, newest_first=True)


def oldest_rows(queryset: QuerySet[Case, _Row], *, cursor: str | None) -> QuerySet[Case, _Row]:
    """`queryset` oldest first (the longest waiting), after `cursor`."""
    return _created_rows(queryset, cursor=cursor, newest_first=False)


def queue_rows(queryset: QuerySet[Case, _Row], *, cursor: str | None) -> QuerySet[Case, _Row]:
    """`queryset` in work-queue order: soonest deadline first (cases without one left out),
    then by id, after `cursor`."""
    queryset = queryset.filter(due_at__isnull=False)
    if cursor:
        key = decode_cursor(cursor)
        due = parse_cursor_time(key.get("due_at"))
        # See _created_rows: the plain bound is what makes the page an index seek.
        queryset = queryset.filter(
            Q(due_at__gt=due) | Q(due_at=due, id__gt=key["id"]), due_at__gte=due
        )
    return queryset.order_by("due_at", "id")


def cut_page(rows: list[_Row], *, size: int, key: str) -> tuple[list[_Row], str | None]:
    """The first `size` of `rows` (read one further) and the cursor after them, which holds the
    last row's `key` (its time) and id; None when nothing follows."""
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    last = rows[-1]
    value = _key_of(last, key)
    assert value is not None
    return rows, encode_cursor({key: value.isoformat(), "id": _key_of(last, "id")})


def newest_page(
    queryset: QuerySet[Case, _Row], *, cursor: str | None, size: int
) -> tuple[list[_Row], str | None]:
    """A page of `queryset` ordered newest first, after `cursor`; returns rows and next cursor."""
    rows = list(newest_rows(queryset, cursor=cursor)[: size + 1])
    return cut_page(rows, size=size, key="created_at")


def oldest_page(
    queryset: QuerySet[Case, _Row], *, cursor: str | None, size: int
) -> tuple[list[_Row], str | None]:
    """A page of `queryset` ordered oldest first (the longest waiting), after `cursor`."""
    rows = list(oldest_rows(queryset, cursor=cursor)[: size + 1])
    return cut_page(rows, size=size, key="created_at")


def queue_page(
    queryset: QuerySet[Case, _Row], *, cursor: str | None, size: int
) -> tuple[list[_Row], str | None]:
    """A work-queue page: soonest deadline first (cases without one last), then by id."""
    rows = list(queue_rows(queryset, cursor=cursor)[: size + 1])
    return cut_page(rows, size=size, key="due_at")


def unit_queue(*, actor: Actor, handling_code: str) -> QuerySet[Case]:
    """Cases a unit is working on (for its queue), scoped to the actor. A case has a deadline
    (due_at) exactly while it is being worked, which keeps the queue an index walk."""
    return (
        case_queryset(actor=actor)
        .filter(handling_code=handling_code, due_at__isnull=False)
        .select_related("category", "assignee")
        .only(*LIST_COLUMNS)
    )


def my_tasks(*, actor: Any) -> QuerySet[Case]:
    """Cases dispatched to the actor and not yet resolved (the grid worker's task list), within
    their jurisdiction: a worker moved to another grid no longer sees the old grid's cases."""
    return (
        case_queryset(actor=actor)
        .filter(assignee=actor, due_at__isnull=False)
        .select_related("category")
        .order_by("due_at", "id")
    )


def category_list() -> QuerySet[Category]:
    return (
        Category.objects.filter(is_active=True)
        .select_related("parent")
        .order_by("sort_order", "code")
    )


def visible_linked_case(*, actor: Actor, linked: Case | None) -> Case | None:
    """A case linked from another (its possible duplicate, the case it was merged into), or None
    when the actor may not see it: a link must not name a case outside the jurisdiction."""
    if linked is None:
        return None
    jurisdiction = actor.jurisdiction_codes(Perm.CASES_VIEW)
    if any(is_within(linked.region_code, top) for top in jurisdiction):
        return linked
    return None

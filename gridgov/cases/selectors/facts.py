"""What the command centre counts, read for the system (no actor: a worker keeps the rollups):
each case's dimensions and measures, the cases whose timeline moved since a time, and those that
became overdue since then without a move. Figures are grouped by these and nothing else, so the
all-cases list's filters find exactly the cases behind each figure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.utils import timezone

from gridgov.cases.models import Case, CaseEvent
from gridgov.cases.states import WORKING_STATES, Action, State

_BATCH = 1000
_RESOLVED_STATES = frozenset({State.RESOLVED, State.VERIFIED, State.CLOSED})


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    # Still being worked and past its deadline now (the all-cases list's "overdue only").
    OVERDUE = "overdue"
    # Resolved (resolved, verified or closed) after the deadline that applied when it was.
    LATE = "late"


@dataclass(frozen=True)
class CaseFact:
    case_id: int
    county_code: str
    town_code: str
    village_code: str
    grid_code: str
    # The day it was reported, in the local time zone (the list's reporting period).
    day: date
    category_id: int
    channel: str
    state: str
    level: str
    timeliness: str
    escalated: bool
    rating: int | None
    # Seconds from the report to the (last) resolution; None while never resolved.
    resolve_seconds: int | None


def timeliness_of(
    *,
    state: str,
    due_at: datetime | None,
    resolved_at: datetime | None,
    resolve_deadline_at: datetime | None,
    now: datetime,
) -> Timeliness:
    if state in WORKING_STATES and due_at is not None and due_at < now:
        return Timeliness.OVERDUE
    if (
        state in _RESOLVED_STATES
        and resolved_at is not None
        and resolve_deadline_at is not None
        and resolved_at > resolve_deadline_at
    ):
        return Timeliness.LATE
    return Timeliness.ON_TIME


_FIELDS = (
    "pk",
    "county_code",
    "town_code",
    "village_code",
    "grid_code",
    "created_at",
    "category_id",
    "channel",
    "state",
    "level",
    "due_at",
    "resolved_at",
    "resolve_deadline_at",
    "rating",
)


def _fact(row: dict[str, Any], *, escalated: bool, now: datetime) -> CaseFact:
    resolved_at = row["resolved_at"]
    return CaseFact(
        case_id=row["pk"],
        county_code=row["county_code"],
        town_code=row["town_code"],
        village_code=row["village_code"],
        grid_code=row["grid_code"],
        day=timezone.localtime(row["created_at"]).date(),
        category_id=row["category_id"],
        channel=row["channel"],
        state=row["state"],
        level=row["level"],
        timeliness=timeliness_of(
            state=row["state"],
            due_at=row["due_at"],
            resolved_at=resolved_at,
            resolve_deadline_at=row["resolve_deadline_at"],
            now=now,
        ),
        escalated=escalated,
        rating=row["rating"],
        resolve_seconds=int((resolved_at - row["created_at"]).total_seconds())
        if resolved_at is not None
        else None,
    )


def _facts_of_rows(rows: list[dict[str, Any]], *, now: datetime) -> list[CaseFact]:
    ids = [row["pk"] for row in rows]
    escalated = set(
        CaseEvent.objects.filter(case_id__in=ids, action=Action.ESCALATE).values_list(
            "case_id", flat=True
        )
    )
    return [_fact(row, escalated=row["pk"] in escalated, now=now) for row in rows]


def case_facts(*, case_ids: Iterable[int], now: datetime) -> list[CaseFact]:
    """The facts of these cases as they stand at `now` (missing ids are left out)."""
    ids = sorted(set(case_ids))
    facts: list[CaseFact] = []
    for start in range(0, len(ids), _BATCH):
        rows = list(Case.objects.filter(pk__in=ids[start : start + _BATCH]).values(*_FIELDS))
        facts.extend(_facts_of_rows(rows, now=now))
    return facts


def case_facts_reported(
    *, reported_from: datetime | None, reported_before: datetime | None, now: datetime
) -> Iterator[CaseFact]:
    """The facts of every case reported in [reported_from, reported_before) (open bounds when
    None), a batch at a time in id order."""
    queryset = Case.objects.all()
    if reported_from is not None:
        queryset = queryset.filter(created_at__gte=reported_from)
    if reported_before is not None:
        queryset = queryset.filter(created_at__lt=reported_before)
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values(*_FIELDS)[:_BATCH])
        if not rows:
            return
        yield from _facts_of_rows(rows, now=now)
        last = rows[-1]["pk"]


# The timeline rows that change what a case is counted under: its report, every move of the
# state machine (state, level; an escalation), a rating. Named, so the query walks the timeline's
# (action, created_at) index once per action instead of scanning every row ever written.
_COUNTED_ACTIONS = ["report", "rate", *(action.value for action in Action)]


def cases_changed_since(*, since: datetime) -> set[int]:
    """The cases with a timeline row written at or after `since` (a report, a move, a rating)."""
    return set(
        CaseEvent.objects.filter(action__in=_COUNTED_ACTIONS, created_at__gte=since).values_list(
            "case_id", flat=True
        )
    )


def cases_turning_overdue(*, since: datetime, now: datetime) -> set[int]:
    """The cases still being worked whose deadline passed in [since, now): overdue now without
    a timeline row saying so."""
    return set(
        Case.objects.filter(
            due_at__gte=since, due_at__lt=now, state__in=[s.value for s in WORKING_STATES]
        ).values_list("pk", flat=True)
    )

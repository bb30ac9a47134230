"""What the supervision-and-assessment scores count from cases, read for the system (no actor: a
worker recomputes the scores): per grid worker, village or town, the cases reported in a period
and how they were handled. Each count is one the all-cases list can show with its filters (the
period, the place, the reporter or the handler), so a score links to the cases behind it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import Count, F, Q, Sum

from gridgov.cases.models import STATE_LABELS, Case, Channel
from gridgov.cases.selectors.cases import NOT_HANDLED
from gridgov.cases.states import OPEN_STATES, WORKING_STATES, State
from gridgov.core.scoping import jurisdiction_q

_RESOLVED = [State.RESOLVED, State.VERIFIED, State.CLOSED]
# Verified by somebody other than the handler (a closed case was verified first).
_VERIFIED = [State.VERIFIED, State.CLOSED]


class TallyBy(StrEnum):
    HANDLER = "assignee_id"
    VILLAGE = "village_code"
    TOWN = "town_code"


@dataclass(frozen=True)
class CaseTally:
    """The cases of a unit reported in a period (refused and merged ones left out), and how
    they stand at `now`."""

    handled: int = 0
    # Still being worked past their deadline, or resolved after it.
    overdue: int = 0
    late: int = 0
    resolved: int = 0
    verified: int = 0
    rated: int = 0
    rating_sum: int = 0

    @property
    def on_time(self) -> int:
        return self.handled - self.overdue - self.late


def case_tallies(
    *, by: TallyBy, reported_from: datetime, reported_before: datetime, now: datetime
) -> dict[object, CaseTally]:
    """Each unit's tally (a handler's id, or a village's or town's code) of the cases reported
    in [reported_from, reported_before)."""
    cases = Case.objects.filter(
        created_at__gte=reported_from, created_at__lt=reported_before
    ).exclude(state__in=NOT_HANDLED)
    if by is TallyBy.HANDLER:
        cases = cases.filter(assignee__isnull=False)
    rows = (
        cases.values(by.value)
        .order_by()
        .annotate(
            handled=Count("pk"),
            overdue=Count(
                "pk", filter=Q(state__in=[s.value for s in WORKING_STATES], due_at__lt=now)
            ),
            late=Count(
                "pk", filter=Q(state__in=_RESOLVED, resolved_at__gt=F("resolve_deadline_at"))
            ),
            resolved=Count("pk", filter=Q(state__in=_RESOLVED)),
            verified=Count("pk", filter=Q(state__in=_VERIFIED)),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            rating_sum=Sum("rating", default=0),
        )
    )
    return {
        row.pop(by.value): CaseTally(**{key: int(value or 0) for key, value in row.items()})
        for row in rows
    }


def reports_by_reporter(*, reported_from: datetime, reported_before: datetime) -> dict[int, int]:
    """How many cases each account reported in [reported_from, reported_before)."""
    rows = (
        Case.objects.filter(
            created_at__gte=reported_from,
            created_at__lt=reported_before,
            reporter__isnull=False,
        )
        .values("reporter_id")
        .order_by()
        .annotate(count=Count("pk"))
    )
    return {row["reporter_id"]: row["count"] for row in rows}


def patrol_reports_by_place(
    *, by: TallyBy, reported_from: datetime, reported_before: datetime
) -> dict[str, int]:
    """How many cases grid patrols reported in each village or town in the period."""
    rows = (
        Case.objects.filter(
            created_at__gte=reported_from,
            created_at__lt=reported_before,
            channel=Channel.GRID_PATROL,
        )
        .values(by.value)
        .order_by()
        .annotate(count=Count("pk"))
    )
    return {row[by.value]: row["count"] for row in rows}


# For supervision and package responsibility: a case's lateness, and a place's open work.


def is_late(case: Case, *, now: datetime) -> bool:
    """Still being worked and past the deadline that applies now (what a supervision order is
    issued against)."""
    return case.state in WORKING_STATES and case.due_at is not None and case.due_at < now


@dataclass(frozen=True)
class CaseBrief:
    number: str
    title: str
    state: str
    region_code: str
    due_at: datetime | None
    late: bool

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(self.state, self.state))


def case_briefs(*, numbers: list[str], now: datetime) -> dict[str, CaseBrief]:
    """Where each of these cases stands (for an official's package: no contact, no text)."""
    rows = Case.objects.filter(number__in=numbers).values_list(
        "number", "title", "state", "region_code", "due_at"
    )
    return {
        number: CaseBrief(
            number,
            title,
            state,
            region_code,
            due_at,
            state in WORKING_STATES and due_at is not None and due_at < now,
        )
        for number, title, state, region_code, due_at in rows
    }


@dataclass(frozen=True)
class OpenWork:
    open: int = 0
    late: int = 0


def open_work(*, region_codes: list[str], now: datetime) -> dict[str, OpenWork]:
    """How many cases are open, and how many late, in each of these places."""
    found = {}
    for code in region_codes:
        counts = Case.objects.filter(
            jurisdiction_q([code]), state__in=[s.value for s in OPEN_STATES]
        ).aggregate(
            open=Count("pk"),
            late=Count("pk", filter=Q(state__in=[s.value for s in WORKING_STATES], due_at__lt=now)),
        )
        found[code] = OpenWork(open=counts["open"], late=counts["late"])
    return found

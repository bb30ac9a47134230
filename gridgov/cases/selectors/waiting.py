"""What waits on someone: the lists a unit or a handler must work through, and their counts.

Every state in which a case waits for a person shows up on that person's list: a reported case
waits for its unit to accept it, a resolved one for someone other than its handler to verify it,
a verified one to be closed, an escalated or reopened one for the unit it came to, a returned one
for its handler. Resolved and verified cases have no deadline (the handling clock is stopped),
so the unit's ordinary queue, which walks the deadline index, does not show them: these lists do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.cases.models import Case, CaseEvent
from gridgov.cases.selectors.cases import LIST_COLUMNS, case_queryset, newest_page, queue_page
from gridgov.cases.states import OPEN_STATES, WORKING_STATES, Action, State
from gridgov.core.access import Perm
from gridgov.core.pii import normalize_phone, search_hash
from gridgov.core.scoping import Actor

PAGE_SIZE = 50


class Waiting(StrEnum):
    ACCEPT = "accept"
    VERIFY = "verify"
    CLOSE = "close"
    ESCALATED = "escalated"
    REOPENED = "reopened"
    RETURNED = "returned"


WAITING_LABELS = {
    Waiting.ACCEPT: _("Waiting to be accepted"),
    Waiting.VERIFY: _("To verify"),
    Waiting.CLOSE: _("To close"),
    Waiting.ESCALATED: _("Escalated to us"),
    Waiting.REOPENED: _("Reopened by residents"),
    Waiting.RETURNED: _("Returned for rework"),
}

# The lists a routing unit works through, in the order its home shows them.
UNIT_LISTS = [
    Waiting.ACCEPT,
    Waiting.ESCALATED,
    Waiting.REOPENED,
    Waiting.VERIFY,
    Waiting.CLOSE,
    Waiting.RETURNED,
]
# Lists without a running deadline are paged newest first; the others soonest deadline first.
_WITHOUT_DEADLINE = {Waiting.VERIFY, Waiting.CLOSE}


def _arrived_by(action: str) -> Exists:
    """The case came to its present unit by `action` (an escalation, a reopening)."""
    return Exists(
        CaseEvent.objects.filter(
            case=OuterRef("pk"), action=action, handling_code_after=OuterRef("handling_code")
        )
    )


def _condition(waiting: Waiting, actor: Any) -> Q:
    if waiting == Waiting.ACCEPT:
        return Q(state=State.REPORTED)
    if waiting == Waiting.VERIFY:
        # Whoever resolved a case may not verify it: it is not on their list.
        return Q(state=State.RESOLVED) & ~Q(resolved_by_id=actor.pk)
    if waiting == Waiting.CLOSE:
        return Q(state=State.VERIFIED)
    if waiting == Waiting.ESCALATED:
        return Q(state__in=[State.REPORTED, State.ACCEPTED], escalated_here=True)
    if waiting == Waiting.REOPENED:
        return Q(state=State.ACCEPTED, reopened_here=True)
    return Q(state=State.RETURNED)


def _unit_cases(*, actor: Actor, unit: str) -> QuerySet[Case]:
    return (
        case_queryset(actor=actor)
        .filter(handling_code=unit)
        .alias(
            escalated_here=_arrived_by(Action.ESCALATE), reopened_here=_arrived_by(Action.REOPEN)
        )
    )


def waiting_rows(
    *, actor: Actor, unit: str, waiting: Waiting, cursor: str | None
) -> tuple[list[Case], str | None]:
    """A page of one list of the unit."""
    queryset = (
        _unit_cases(actor=actor, unit=unit)
        .filter(_condition(waiting, actor))
        .select_related("category", "assignee")
        .only(*LIST_COLUMNS)
    )
    if waiting in _WITHOUT_DEADLINE:
        return newest_page(queryset, cursor=cursor, size=PAGE_SIZE)
    return queue_page(queryset, cursor=cursor, size=PAGE_SIZE)


@dataclass(frozen=True)
class WaitingCount:
    unit: str
    waiting: Waiting
    count: int

    @property
    def label(self) -> str:
        return str(WAITING_LABELS[self.waiting])


def unit_waiting_counts(*, actor: Actor, unit: str) -> list[WaitingCount]:
    """How many cases wait on each of the unit's lists, in one query."""
    counts = _unit_cases(actor=actor, unit=unit).aggregate(
        **{waiting.value: Count("pk", filter=_condition(waiting, actor)) for waiting in UNIT_LISTS}
    )
    return [WaitingCount(unit, waiting, counts[waiting.value] or 0) for waiting in UNIT_LISTS]


def routing_units(*, actor: Any) -> list[str]:
    """The units whose lists the actor works through (where they route cases)."""
    return list(actor.jurisdiction_codes(Perm.CASES_ROUTE))


def my_waiting_counts(*, actor: Actor) -> dict[str, int]:
    """A handler's own lists: every open task, the overdue ones, those returned for rework."""
    mine = case_queryset(actor=actor).filter(assignee_id=cast(int, actor.pk), due_at__isnull=False)
    return mine.aggregate(
        tasks=Count("pk"),
        returned=Count("pk", filter=Q(state=State.RETURNED)),
    )


def my_reports(*, actor: Actor, limit: int = 10) -> list[Case]:
    """The cases the actor entered, newest first, with their state (an information officer's or
    a grid worker's "what became of what I reported"). One's own reports, so no jurisdiction
    applies: a volunteer who reports but reads no cases still sees what became of theirs."""
    return list(
        Case.objects.filter(reporter_id=cast(int, actor.pk))
        .select_related("category")
        .only(*LIST_COLUMNS)
        .order_by("-created_at", "-id")[:limit]
    )


def reports_from_my_phone(*, actor: Any, limit: int = 10) -> list[Case]:
    """A signed-in resident's reports, newest first: the cases given the phone of their account.

    Residents report through the public form, which signs nobody in, so a report is theirs by the
    phone they gave. The phone is compared through its keyed hash and never shown."""
    stored = actor.phone
    phone = normalize_phone(stored.reveal()) if stored else None
    if phone is None:
        return []
    return list(
        Case.objects.filter(reporter_phone_hash=search_hash(phone))
        .select_related("category")
        .only(*LIST_COLUMNS, "tracking_token")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class Overview:
    open: int
    overdue: int
    escalated: int


def jurisdiction_overview(*, actor: Actor) -> Overview:
    """Open, overdue and escalated-and-open cases in the whole of the actor's jurisdiction, in
    one query (a county leader's and an operator's home; the command centre has the full view)."""
    now = timezone.now()
    working = [state.value for state in WORKING_STATES]
    counts = (
        case_queryset(actor=actor)
        .filter(state__in=[state.value for state in OPEN_STATES])
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lt=now, state__in=working)),
            escalated=Count(
                "pk",
                filter=Exists(CaseEvent.objects.filter(case=OuterRef("pk"), action="escalate")),
            ),
        )
    )
    return Overview(counts["open"] or 0, counts["overdue"] or 0, counts["escalated"] or 0)

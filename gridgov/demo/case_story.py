"""One case's timeline in memory, moved by the rules the services follow: the state table,
`cases.sla.set_deadlines`, `cases.services.transitions.apply_transition` and the overdue sweep.
The demo writes a year of such timelines in bulk; a test checks they match the services'."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from gridgov.cases.models import (
    LEVEL_CODE_LENGTH,
    LEVEL_ORDER,
    Case,
    Category,
    HandlingLevel,
    SlaRule,
    Urgency,
)
from gridgov.cases.services.intake import handling_unit_for
from gridgov.cases.sla import ESCALATED_ACCEPT_HOURS, ESCALATED_ACCEPT_HOURS_URGENT, Sla
from gridgov.cases.states import (
    WORKING_STATES,
    Action,
    LevelChange,
    State,
    target_state,
    transition_for,
)

# The overdue sweep runs on the clock every five minutes (cases.tasks.sweep_deadlines).
SWEEP_MINUTES = 5
DAY = timedelta(days=1)
RESOLVING = frozenset({State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS, State.RETURNED})


@dataclass
class LeafCategory:
    id: int
    code: str
    top: str
    sla: dict[str, Sla]  # by handling level


def leaf_categories() -> list[LeafCategory]:
    """Categories a case can have (leaves, or top-level ones without children), with the SLA
    each level applies (`cases.sla.sla_for`, read once)."""
    rows = list(Category.objects.filter(is_active=True).select_related("parent"))
    parents = {row.parent_id for row in rows if row.parent_id}
    rules = {(r.category_id, r.level): r for r in SlaRule.objects.all()}
    leaves = []
    for row in sorted(rows, key=lambda r: (r.sort_order, r.code)):
        if row.pk in parents:
            continue
        sla = {}
        for level in LEVEL_ORDER:
            rule = rules.get((row.pk, level))
            source: Any = rule if rule is not None else row
            sla[level] = Sla(source.accept_hours_urgent, source.accept_hours, source.resolve_days)
        top = row.parent.code if row.parent else row.code
        leaves.append(LeafCategory(row.pk, row.code, top, sla))
    return leaves


def sweep_tick(after: datetime) -> datetime:
    """When the five-minute sweep first sees a deadline passed (`due_at < now`), with the few
    seconds the run takes; the same instant for every case of that run."""
    step = SWEEP_MINUTES * 60
    tick = (math.floor(after.timestamp() / step) + 1) * step
    return datetime.fromtimestamp(tick + 0.3 + (tick // step) % 7 * 0.2, tz=UTC)


@dataclass(slots=True)
class Entry:
    """A timeline row before it is written (a CaseEvent's columns but the case)."""

    created_at: datetime
    actor_id: int | None
    action: str
    from_state: str
    to_state: str
    level_before: str
    level_after: str
    handling_code_after: str
    note: str
    data: dict[str, Any]


class Story:
    """A case and its timeline, moved the way the services move it (without the database)."""

    def __init__(self, case: Case, category: LeafCategory) -> None:
        self.case = case
        self.category = category
        self.events: list[Entry] = []
        self.times: list[datetime] = []
        self.states: list[str] = []
        # (recipient, kind, time, message) for the demo logins' inboxes.
        self.inbox: list[tuple[int, str, datetime, str]] = []
        self.possible_duplicate_of: Story | None = None
        self.merged_into: Story | None = None
        # The merge's own event and the "merge_in" row it adds to the target's timeline.
        self.merged_in: tuple[Entry, Entry] | None = None
        self.scripted = False

    def _set_deadlines(self, now: datetime) -> None:
        # Mirrors cases.sla.set_deadlines.
        case = self.case
        sla = self.category.sla[case.level]
        if case.state == State.REPORTED:
            case.accept_deadline_at = now + sla.accept_within(case.urgency)
            case.resolve_deadline_at = case.accept_deadline_at + sla.resolve_within()
            case.due_at = case.accept_deadline_at
        elif case.state in RESOLVING:
            if case.resolve_deadline_at is None or case.resolve_deadline_at < now:
                case.resolve_deadline_at = now + sla.resolve_within()
            case.due_at = case.resolve_deadline_at
        else:
            case.due_at = None
        case.warned_at = None

    def _record(
        self,
        at: datetime,
        actor_id: int | None,
        action: str,
        from_state: str,
        level_before: str,
        note: str = "",
        data: dict[str, Any] | None = None,
    ) -> Entry:
        case = self.case
        event = Entry(
            created_at=at,
            actor_id=actor_id,
            action=action,
            from_state=from_state,
            to_state=case.state,
            level_before=level_before,
            level_after=case.level,
            handling_code_after=case.handling_code,
            note=note,
            data=data or {},
        )
        self.events.append(event)
        self.times.append(at)
        self.states.append(case.state)
        return event

    def report(self, at: datetime, actor_id: int | None) -> None:
        # Mirrors cases.services.intake.case_report.
        case = self.case
        case.state = State.REPORTED
        case.level, case.handling_code = handling_unit_for(case.region_code)
        case.created_at = case.updated_at = at
        case.reporter_id = actor_id
        self._set_deadlines(at)
        self._record(at, actor_id, "report", "", "", data={"channel": case.channel})

    def apply(
        self,
        action: str,
        at: datetime,
        actor_id: int | None,
        note: str = "",
        data: dict[str, Any] | None = None,
    ) -> Entry:
        """Mirrors cases.services.transitions.apply_transition (IllegalTransition if illegal)."""
        case = self.case
        transition = transition_for(action, case.state)
        state_before, level_before = case.state, case.level
        new_state = target_state(transition, previous=case.state_before_suspend or None)
        if transition.level != LevelChange.NONE:
            index = LEVEL_ORDER.index(case.level)
            if transition.level == LevelChange.UP:
                case.level = LEVEL_ORDER[index + 1]
                case.handling_code = case.handling_code[: LEVEL_CODE_LENGTH[case.level]]
            else:
                case.level = LEVEL_ORDER[index - 1]
                case.handling_code = case.region_code[: LEVEL_CODE_LENGTH[case.level]]
            case.assignee_id = None
        if action == Action.SUSPEND:
            case.state_before_suspend = case.state
        elif action == Action.RESUME:
            case.state_before_suspend = ""
        case.state = new_state
        if action == Action.RESOLVE:
            case.resolved_at, case.resolved_by_id = at, actor_id
        elif action == Action.CLOSE:
            case.closed_at = at
        elif action in {Action.REOPEN, Action.TAKE_BACK}:
            case.closed_at, case.transferred_to = None, ""
            case.resolve_deadline_at = None
        if transition.level != LevelChange.NONE:
            case.resolve_deadline_at = None
        self._set_deadlines(at)
        case.updated_at = at
        return self._record(at, actor_id, action, state_before, level_before, note, data)

    def dispatch(self, at: datetime, actor_id: int, assignee_id: int, username: str) -> None:
        self.apply(Action.DISPATCH, at, actor_id, data={"assignee": username})
        self.case.assignee_id = assignee_id

    def transfer(self, at: datetime, actor_id: int, kind: str, to: str, note: str) -> None:
        data = {"transfer_kind": kind, "transfer_to": to}
        self.apply(Action.TRANSFER, at, actor_id, note=note, data=data)
        self.case.transferred_to = f"{kind}:{to}"[:128]

    def reopen_by_resident(self, at: datetime, reason: str) -> None:
        self.apply(Action.REOPEN, at, None, note=reason)
        self.case.rating, self.case.rating_comment = None, ""

    def rate(self, at: datetime, rating: int, comment: str) -> None:
        # Mirrors cases.services.feedback.case_rate.
        case = self.case
        case.rating, case.rating_comment, case.updated_at = rating, comment, at
        self._record(
            at, None, "rate", case.state, case.level, note=comment, data={"rating": rating}
        )

    def sweep_escalate(self, at: datetime) -> None:
        """Mirrors cases.services.sweep.escalate_overdue_cases for this case."""
        case = self.case
        state_before, level_before = case.state, case.level
        case.state = State.REPORTED if case.state == State.REPORTED else State.ACCEPTED
        case.level = LEVEL_ORDER[LEVEL_ORDER.index(case.level) + 1]
        case.handling_code = case.handling_code[: LEVEL_CODE_LENGTH[case.level]]
        case.assignee_id = None
        case.resolve_deadline_at = None
        hours = (
            ESCALATED_ACCEPT_HOURS_URGENT
            if case.urgency == Urgency.URGENT
            else ESCALATED_ACCEPT_HOURS
        )
        case.due_at = at + timedelta(hours=hours)
        if state_before == State.REPORTED:
            case.accept_deadline_at = case.due_at  # the level above's time to accept
        case.warned_at = None
        case.updated_at = at
        self._record(
            at,
            None,
            Action.ESCALATE,
            state_before,
            level_before,
            note=_("Overdue: escalated automatically"),
            data={"automatic": True},
        )

    def sweepable(self) -> bool:
        case = self.case
        return (
            case.state in WORKING_STATES
            and case.level != HandlingLevel.COUNTY
            and case.due_at is not None
        )

    def settle(self, until: datetime) -> None:
        """Let the sweep escalate whatever falls overdue before `until`."""
        while self.sweepable():
            assert self.case.due_at is not None
            tick = sweep_tick(self.case.due_at)
            if tick > until:
                return
            self.sweep_escalate(tick)

    def state_at(self, at: datetime) -> tuple[str, str, str] | None:
        """(state, level, handling code) just after `at`, or None before the report."""
        index = bisect.bisect_right(self.times, at) - 1
        if index < 0:
            return None
        event = self.events[index]
        return event.to_state, event.level_after, event.handling_code_after

    def warn_if_due(self, now: datetime) -> None:
        """Set warned_at as the warning sweep would have by now (cases.sweep.warn_approaching_deadlines)."""
        case = self.case
        if case.state not in WORKING_STATES or case.due_at is None:
            return
        window = timedelta(hours=settings.DEADLINE_WARNING_HOURS)
        since = max(case.due_at - window, self.times[-1])
        tick = sweep_tick(since - timedelta(microseconds=1))
        if tick <= now and tick <= case.due_at:
            case.warned_at = tick

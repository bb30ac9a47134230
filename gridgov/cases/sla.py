"""Deadlines: per category and handling level (SlaRule), falling back to the category's defaults.

Calendar time only; no business-hours calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from gridgov.cases.models import Case, Category, SlaRule, Urgency
from gridgov.cases.states import State

# Once escalated, the level above has this long to take the case up (urgent / normal).
ESCALATED_ACCEPT_HOURS_URGENT = 2
ESCALATED_ACCEPT_HOURS = 24


@dataclass(frozen=True)
class Sla:
    accept_hours_urgent: int
    accept_hours: int
    resolve_days: int

    def accept_within(self, urgency: str) -> timedelta:
        hours = self.accept_hours_urgent if urgency == Urgency.URGENT else self.accept_hours
        return timedelta(hours=hours)

    def resolve_within(self) -> timedelta:
        return timedelta(days=self.resolve_days)


def sla_for(category: Category, level: str) -> Sla:
    rule = SlaRule.objects.filter(category=category, level=level).first()
    if rule is not None:
        return Sla(rule.accept_hours_urgent, rule.accept_hours, rule.resolve_days)
    return Sla(category.accept_hours_urgent, category.accept_hours, category.resolve_days)


def set_deadlines(case: Case, *, now: datetime) -> None:
    """Set the deadlines the case's state calls for at its level, starting `now`."""
    sla = sla_for(case.category, case.level)
    if case.state == State.REPORTED:
        case.accept_deadline_at = now + sla.accept_within(case.urgency)
        case.resolve_deadline_at = case.accept_deadline_at + sla.resolve_within()
        case.due_at = case.accept_deadline_at
    elif case.state in {State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS, State.RETURNED}:
        if case.resolve_deadline_at is None or case.resolve_deadline_at < now:
            case.resolve_deadline_at = now + sla.resolve_within()
        case.due_at = case.resolve_deadline_at
    else:
        # Resolved, verified, transferred, suspended, closed...: the handling clock is stopped.
        case.due_at = None
    case.warned_at = None


def expected_datetime(case: Case) -> datetime | None:
    """When the case is expected to be resolved (Open311's expected_datetime)."""
    if case.state in {State.CLOSED, State.NOT_ACCEPTED, State.MERGED}:
        return None
    return case.resolve_deadline_at

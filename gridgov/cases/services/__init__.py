"""Every write to cases: intake, transitions, feedback, the SLA sweep. See each module."""

from gridgov.cases.services.feedback import case_rate, case_reopen_by_resident
from gridgov.cases.services.intake import CaseInput, case_report
from gridgov.cases.services.sweep import escalate_overdue_cases, warn_approaching_deadlines
from gridgov.cases.services.transitions import (
    case_accept_at_desk,
    case_merge,
    case_transition,
)

__all__ = [
    "CaseInput",
    "case_accept_at_desk",
    "case_merge",
    "case_rate",
    "case_reopen_by_resident",
    "case_report",
    "case_transition",
    "escalate_overdue_cases",
    "warn_approaching_deadlines",
]

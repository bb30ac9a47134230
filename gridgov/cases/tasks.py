"""Background jobs (Huey): thin wrappers around services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gridgov.cases.services.sweep import escalate_overdue_cases, warn_approaching_deadlines


@db_periodic_task(crontab(minute="*/5"))
def sweep_deadlines() -> dict[str, int]:
    """Every five minutes: warn before deadlines, escalate what is overdue one level up."""
    warned = warn_approaching_deadlines()
    escalated = escalate_overdue_cases()
    return {"warned": warned, "escalated": escalated}


__all__ = ["sweep_deadlines"]

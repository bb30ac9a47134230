"""Background jobs (Huey): thin wrappers around services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gridgov.broadcast.terminal_services import mark_silent_terminals_offline


@db_periodic_task(crontab(minute="*"))
def mark_terminals_offline() -> int:
    """Every minute: terminals that missed their heartbeat go offline; each place's people are
    told once per outage."""
    return mark_silent_terminals_offline()


__all__ = ["mark_terminals_offline"]

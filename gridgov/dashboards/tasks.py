"""Background jobs (Huey): thin wrappers around the rollups' services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gridgov.dashboards.services import rollups_fold, rollups_reconcile


@db_periodic_task(crontab(minute="*"))
def fold_rollups() -> dict[str, int]:
    """Every minute: the timeline's new rows and the newly overdue cases into the rollups."""
    result = rollups_fold()
    return {"looked_at": result.looked_at, "moved": result.moved}


@db_periodic_task(crontab(hour="2", minute="30"))
def reconcile_rollups() -> int:
    """Every night: rebuild yesterday from the cases; the differences found are audited."""
    yesterday = timezone.localdate() - timedelta(days=1)
    return len(rollups_reconcile(day=yesterday))


__all__ = ["fold_rollups", "reconcile_rollups"]

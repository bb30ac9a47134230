"""Background jobs (Huey): thin wrappers around services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gridgov.assessment.services.scoring import scores_compute


@db_periodic_task(crontab(minute="*/15"))
def recompute_this_month() -> int:
    """Every quarter of an hour: the month's scores from the records written since."""
    return scores_compute(month=timezone.localdate().replace(day=1))


@db_periodic_task(crontab(hour="2", minute="10"))
def recompute_last_month() -> int:
    """Every night: last month's scores again, as its late cases are resolved, verified, rated."""
    last = timezone.localdate().replace(day=1) - timedelta(days=1)
    return scores_compute(month=last.replace(day=1))


__all__ = ["recompute_last_month", "recompute_this_month"]

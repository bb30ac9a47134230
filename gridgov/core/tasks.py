"""Background jobs of the kernel (Huey): thin wrappers around services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gridgov.core.idempotency import idempotency_records_purge


@db_periodic_task(crontab(minute="23"))
def purge_idempotency_keys() -> int:
    """Hourly: forget Idempotency-Keys older than 24 hours."""
    return idempotency_records_purge()

"""Background jobs of the kernel (Huey): thin wrappers around services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gridgov.core.audit import audit_anchor_heads
from gridgov.core.idempotency import idempotency_records_purge


@db_periodic_task(crontab(minute="23"))
def purge_idempotency_keys() -> int:
    """Hourly: forget Idempotency-Keys older than 24 hours."""
    return idempotency_records_purge()


@db_periodic_task(crontab())
def anchor_audit_chain_heads() -> int:
    """Every minute: append the audit chains' heads, signed, to the anchor file, so the rows of
    a quiet minute are anchored too (writes anchor after commit, at most every few seconds)."""
    return audit_anchor_heads()

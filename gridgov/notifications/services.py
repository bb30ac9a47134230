"""Notifying people: the one way any app tells a person something (inbox and SMS).

`notify` schedules the delivery after the current transaction commits, as a background job, so a
rolled-back change notifies nobody and a slow SMS gateway holds up no request. A mass event
(a sweep over thousands of cases) uses `notify_digest`: one row per recipient and unit, with the
number of events, written in the sweep's own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.notifications.delivery import Delivery, write_inbox_rows
from gridgov.notifications.models import Notification
from gridgov.notifications.tasks import deliver_notice


def notify(
    *,
    recipient_ids: Iterable[int],
    key: str,
    params: Mapping[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
) -> None:
    """Tell the recipients (after commit): an inbox row each, and an SMS to those with a phone."""
    recipients = sorted(set(recipient_ids))
    if not recipients:
        return
    arguments = (recipients, key, dict(params or {}), object_type, object_id)
    transaction.on_commit(lambda: deliver_notice(*arguments))


def notify_digest(deliveries: Iterable[Delivery]) -> int:
    """Inbox rows for a mass event, now, in the caller's transaction; no SMS. Returns how many."""
    return write_inbox_rows(deliveries)


def notification_mark_read(*, actor: Any, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read: the given ones, or all when `notification_ids` is
    None. Another user's ids are simply not matched. Returns how many changed.

    Not audited: it touches only the actor's own inbox and no case or personal data.
    """
    unread = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())

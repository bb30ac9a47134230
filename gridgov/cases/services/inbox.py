"""The staff inbox: marking one's own notifications read."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gridgov.cases.models import Notification


def notification_mark_read(*, actor: Any, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read: the given ones, or all when `notification_ids` is
    None. Another user's ids are simply not matched. Returns how many changed.

    Not audited: it touches only the actor's own inbox and no case or personal data.
    """
    unread = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())

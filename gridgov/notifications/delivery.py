"""Delivering a notice: the inbox rows, and an SMS to each recipient with a phone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation

from gridgov.accounts.models import User
from gridgov.notifications.catalogue import render_notice
from gridgov.notifications.models import Notification
from gridgov.notifications.sms import send_sms


@dataclass(frozen=True)
class Delivery:
    """One notice for some recipients; `count` > 1 when it sums up several events (a digest)."""

    recipient_ids: list[int]
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    object_type: str = ""
    object_id: str = ""
    count: int = 1
    sms: bool = True


def write_inbox_rows(deliveries: Iterable[Delivery]) -> int:
    """The inbox rows of many deliveries in one statement (batched); returns how many."""
    rows = [
        Notification(
            recipient_id=user_id,
            key=delivery.key,
            params=dict(delivery.params),
            object_type=delivery.object_type,
            object_id=delivery.object_id,
            count=delivery.count,
        )
        for delivery in deliveries
        for user_id in sorted(set(delivery.recipient_ids))
    ]
    Notification.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def deliver(delivery: Delivery) -> int:
    """Write the inbox rows and send the SMS; returns how many recipients were notified."""
    if not delivery.recipient_ids:
        return 0
    written = write_inbox_rows([delivery])
    if delivery.sms:
        # An SMS cannot be re-rendered when read: it goes out in the county's language.
        with translation.override(settings.LANGUAGE_CODE):
            _title, body = render_notice(delivery.key, delivery.params)
        for user in User.objects.filter(pk__in=delivery.recipient_ids).only("phone"):
            if user.phone:
                send_sms(to=user.phone.reveal(), body=body)
    return written

"""Background jobs: a notice is delivered after the transaction that caused it commits."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task

from gridgov.notifications.delivery import Delivery, deliver


@db_task()
def deliver_notice(
    recipient_ids: list[int], key: str, params: dict[str, Any], object_type: str, object_id: str
) -> int:
    return deliver(
        Delivery(
            recipient_ids=recipient_ids,
            key=key,
            params=params,
            object_type=object_type,
            object_id=object_id,
        )
    )

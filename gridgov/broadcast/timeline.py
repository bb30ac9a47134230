"""A message's timeline: each step moves its state and writes a timeline row and an audit row,
in the caller's transaction. The people's steps (services) and the dispatcher's (delivery) share it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from gridgov.broadcast.models import Broadcast, BroadcastEvent
from gridgov.broadcast.states import Action, State, next_state
from gridgov.core.audit import audit_record


def write_event(
    *,
    broadcast: Broadcast,
    actor: Any,
    action: str,
    from_state: str,
    now: datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> BroadcastEvent:
    event = BroadcastEvent.objects.create(
        broadcast=broadcast,
        created_at=now,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=broadcast.state,
        revision=broadcast.revision,
        note=note,
        data=data or {},
    )
    audit_record(
        actor=actor,
        action=f"broadcast.{action}",
        object_type="broadcast",
        object_id=broadcast.pk,
        region_code=broadcast.region_code,
        detail={
            "event": event.pk,
            "from": from_state,
            "to": broadcast.state,
            "revision": broadcast.revision,
            **(data or {}),
        },
    )
    return event


def move(
    *, broadcast: Broadcast, actor: Any, action: str, now: datetime, note: str = ""
) -> BroadcastEvent:
    from_state = broadcast.state
    broadcast.state = next_state(action, from_state) or from_state
    broadcast.updated_at = now
    data: dict[str, Any] = {}
    if action == Action.SUBMIT:
        broadcast.submitted_at = now
    elif action == Action.APPROVE:
        broadcast.approved_by, broadcast.approved_at = actor, now
        broadcast.approved_revision = broadcast.revision
    elif action == Action.DISPATCH:
        broadcast.dispatched_at = now
    elif action == Action.COMPLETE:
        broadcast.completed_at = now
    elif action == Action.CANCEL:
        broadcast.cancelled_at = now
        if from_state == State.DISPATCHED:
            # What was heard is withdrawn: a CAP Cancel with its own identifier follows it.
            broadcast.cancel_identifier = uuid.uuid4()
            data["cap_cancel"] = str(broadcast.cancel_identifier)
    broadcast.save()
    return write_event(
        broadcast=broadcast,
        actor=actor,
        action=action,
        from_state=from_state,
        now=now,
        note=note,
        data=data,
    )

"""Background jobs (Huey): thin wrappers around services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gridgov.broadcast.audio import audio_staged_sweep, broadcast_speak
from gridgov.broadcast.delivery import broadcast_dispatch, cancels_publish, deliveries_retry
from gridgov.broadcast.terminal_services import mark_silent_terminals_offline


@db_periodic_task(crontab(minute="*"))
def mark_terminals_offline() -> int:
    """Every minute: terminals that missed their heartbeat go offline; each place's people are
    told once per outage."""
    return mark_silent_terminals_offline()


@db_task()
def dispatch_broadcast(broadcast_id: int) -> int:
    """An approved message goes out to its terminals (scheduled after the approval commits)."""
    return broadcast_dispatch(broadcast_id=broadcast_id)


@db_task()
def send_cancel(broadcast_id: int) -> int:
    """A message withdrawn after it went out: its terminals are told to stop (scheduled after
    the withdrawal commits)."""
    return cancels_publish(broadcast_id=broadcast_id)


@db_task()
def speak_broadcast(broadcast_id: int, revision: int) -> bool:
    """Speech of a message's text, made offline, attached as its audio (when an engine is
    installed; scheduled after the message's revision commits)."""
    return broadcast_speak(broadcast_id=broadcast_id, revision=revision)


@db_periodic_task(crontab(minute="*"))
def retry_deliveries() -> int:
    """Every minute: scheduled messages whose time came go out, terminals that did not answer
    are sent the same payload again, and messages past their expiry are closed."""
    return deliveries_retry()


@db_periodic_task(crontab(minute="17"))
def sweep_staged_recordings() -> int:
    """Hourly: recordings kept for a compose page's preview that no reference can name any more."""
    return audio_staged_sweep()


__all__ = [
    "dispatch_broadcast",
    "mark_terminals_offline",
    "retry_deliveries",
    "send_cancel",
    "speak_broadcast",
    "sweep_staged_recordings",
]

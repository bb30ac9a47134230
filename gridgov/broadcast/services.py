"""Writing broadcast messages: compose, edit, and move them through their states.

Every step checks the two-person rule (`policy`), writes the message's timeline row and an audit
row in one transaction; a refusal changes nothing and is audited once, by the error mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gridgov.broadcast import errors, policy, tasks
from gridgov.broadcast.audio import MAX_AUDIO_BYTES, audio_kind, speech_engine
from gridgov.broadcast.delivery import deliveries_cancel_write
from gridgov.broadcast.models import AudioSource, Broadcast, Certainty, MessageKind, Severity
from gridgov.broadcast.models import Urgency as CapUrgency
from gridgov.broadcast.states import Action, State, next_state, states_allowing
from gridgov.broadcast.timeline import move, write_event
from gridgov.core.access import Perm
from gridgov.core.codes import CODE_LENGTHS, is_valid_code, minimal_cover
from gridgov.core.errors import (
    TOO_LONG,
    Conflict,
    PermissionDenied,
    Problem,
    RefusalTarget,
    ValidationFailed,
)
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import public_names

TITLE_MAX_LENGTH = 100
TEXT_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 500
MAX_REPEATS = 10
DEFAULT_LIFETIME = timedelta(hours=6)
# A time "now" typed into a form is a few seconds old when it arrives.
PAST_SLACK = timedelta(minutes=2)


@dataclass(frozen=True)
class BroadcastInput:
    title: str
    text: str
    kind: str
    severity: str
    urgency: str
    certainty: str
    target_codes: list[str]
    scheduled_at: datetime | None = None
    expires_at: datetime | None = None
    repeats: int = 1
    supersedes_id: int | None = None
    # An uploaded recording; without one, speech is made from the text where an engine is installed.
    audio: UploadedFile | None = None


def scope_code(targets: list[str]) -> str:
    """The smallest region holding every target: their longest common prefix of a level's length."""
    common = targets[0]
    for code in targets[1:]:
        length = 0
        while length < min(len(common), len(code)) and common[length] == code[length]:
            length += 1
        common = common[:length]
    return max(
        (common[:length] for length in CODE_LENGTHS if length <= len(common)),
        key=len,
        default="",
    )


def _checked(
    *, actor: Any, data: BroadcastInput, now: datetime
) -> tuple[list[str], str, Broadcast | None]:
    """The target's minimal cover, its scope and the message it updates; ValidationFailed with
    every problem at once."""
    problems: dict[str, list[Problem]] = {}

    def add(field: str, problem: Problem) -> None:
        problems.setdefault(field, []).append(problem)

    if not data.title.strip():
        add("title", errors.TITLE_REQUIRED.bind())
    if not data.text.strip():
        add("text", errors.TEXT_REQUIRED.bind())
    if len(data.title) > TITLE_MAX_LENGTH:
        add("title", TOO_LONG.bind(limit=TITLE_MAX_LENGTH))
    if len(data.text) > TEXT_MAX_LENGTH:
        add("text", TOO_LONG.bind(limit=TEXT_MAX_LENGTH))
    for field, value, choices in (
        ("kind", data.kind, MessageKind.values),
        ("severity", data.severity, Severity.values),
        ("urgency", data.urgency, CapUrgency.values),
        ("certainty", data.certainty, Certainty.values),
    ):
        if value not in choices:
            add(field, errors.UNKNOWN_CHOICE.bind(value=value))
    targets = minimal_cover([code.strip() for code in data.target_codes if code.strip()])
    if not targets:
        add("targets", errors.TARGET_REQUIRED.bind())
    known = public_names(region_codes={code for code in targets if is_valid_code(code)})
    for code in targets:
        if code not in known:
            add("targets", errors.UNKNOWN_REGION.bind(code=code))
        elif not policy.may_compose(actor, [code]):
            add("targets", errors.TARGET_OUTSIDE.bind(code=code))
    if len({code[:6] for code in targets}) > 1:
        add("targets", errors.ONE_COUNTY.bind())
    starts = data.scheduled_at or now
    if data.scheduled_at is not None and data.scheduled_at < now - PAST_SLACK:
        add("scheduled_at", errors.IN_THE_PAST.bind())
    if data.expires_at is not None and data.expires_at <= starts:
        add("expires_at", errors.EXPIRES_BEFORE.bind())
    if not 1 <= data.repeats <= MAX_REPEATS:
        add("repeats", errors.REPEATS_RANGE.bind(limit=MAX_REPEATS))
    original = None
    if data.supersedes_id is not None:
        original = (
            Broadcast.objects.filter(
                pk=data.supersedes_id, state__in=[State.DISPATCHED, State.COMPLETED]
            )
            .only("pk", "target_codes", "county_code")
            .first()
        )
        if original is None or not policy.covers(
            actor.jurisdiction_codes(Perm.BROADCAST_VIEW), original.target_codes
        ):
            original = None
            add("supersedes", errors.SUPERSEDES_NOT_FOUND.bind(id=data.supersedes_id))
    if data.audio is not None:
        name = data.audio.name or ""
        if audio_kind(data.audio) is None:
            add("audio", errors.AUDIO_TYPE.bind(name=name))
        elif (data.audio.size or 0) > MAX_AUDIO_BYTES:
            add("audio", errors.AUDIO_TOO_LARGE.bind(name=name, limit_mb=MAX_AUDIO_BYTES >> 20))
    if problems:
        raise ValidationFailed(problems)
    return targets, scope_code(targets), original


def _attach_audio(broadcast: Broadcast, data: BroadcastInput) -> None:
    """Store an uploaded recording with the message (saved by the caller); without one, speech
    made from this revision's text replaces any made before, once the revision commits."""
    if data.audio is not None:
        kind = audio_kind(data.audio)
        broadcast.audio.save(
            f"{broadcast.identifier}-r{broadcast.revision}.{kind}", data.audio, save=False
        )
        broadcast.audio_source = AudioSource.UPLOAD
        return
    if broadcast.audio_source == AudioSource.UPLOAD:
        return
    broadcast.audio, broadcast.audio_source = "", ""
    if speech_engine() is not None:
        broadcast_id, revision = broadcast.pk, broadcast.revision
        transaction.on_commit(lambda: tasks.speak_broadcast(broadcast_id, revision))


def _apply_fields(
    broadcast: Broadcast,
    data: BroadcastInput,
    targets: list[str],
    scope: str,
    original: Broadcast | None,
    now: datetime,
) -> None:
    broadcast.title = data.title.strip()
    broadcast.text = data.text.strip()
    broadcast.kind = data.kind
    broadcast.severity = data.severity
    broadcast.urgency = data.urgency
    broadcast.certainty = data.certainty
    broadcast.target_codes = targets
    broadcast.scheduled_at = data.scheduled_at
    broadcast.expires_at = data.expires_at or (data.scheduled_at or now) + DEFAULT_LIFETIME
    broadcast.repeats = data.repeats
    broadcast.supersedes = original
    broadcast.set_region_code(scope)
    broadcast.updated_at = now


def _audio_data(broadcast: Broadcast) -> dict[str, Any]:
    """The recording uploaded with this revision, for its timeline row and the audit."""
    if broadcast.audio_source != AudioSource.UPLOAD or not broadcast.audio:
        return {}
    return {"audio": broadcast.audio.name, "audio_size": broadcast.audio.size}


def broadcast_create(*, actor: Any, data: BroadcastInput, submit: bool = False) -> Broadcast:
    """A new draft (submitted at once with `submit`); the actor is its composer."""
    require_permission(actor, Perm.BROADCAST_COMPOSE)
    now = timezone.now()
    targets, scope, original = _checked(actor=actor, data=data, now=now)
    with transaction.atomic():
        broadcast = Broadcast(
            state=State.DRAFT, composer=actor, author_ids=[actor.pk], created_at=now
        )
        _apply_fields(broadcast, data, targets, scope, original, now)
        broadcast.save()
        _attach_audio(broadcast, data)
        broadcast.save()
        write_event(
            broadcast=broadcast,
            actor=actor,
            action="compose",
            from_state="",
            now=now,
            data=_audio_data(broadcast),
        )
        if submit:
            move(broadcast=broadcast, actor=actor, action=Action.SUBMIT, now=now)
    return broadcast


def _refuse(actor: Any, broadcast: Broadcast, action: str) -> None:
    """Refuse an action the table or the policy does not allow (before anything is written)."""
    if action not in Action._value2member_map_:
        raise ValidationFailed.on("action", errors.UNKNOWN_ACTION, action=action)
    if next_state(action, broadcast.state) is None:
        raise Conflict(
            errors.NOT_IN_STATE,
            state=broadcast.state,
            action=action,
            needs=",".join(states_allowing(action)),
        )
    problem = policy.refusal(actor, broadcast, action)
    if problem is not None:
        raise PermissionDenied(
            problem,
            target=RefusalTarget(
                object_type="broadcast",
                object_id=str(broadcast.pk),
                operation=str(action),
                region_code=broadcast.region_code,
            ),
        )


def broadcast_check(*, actor: Any, broadcast: Broadcast, action: str) -> None:
    """Refuse now what `action` would refuse (a form is not offered for a step that fails)."""
    _refuse(actor, broadcast, action)


def _locked(broadcast: Broadcast) -> Broadcast:
    return Broadcast.objects.select_for_update().get(pk=broadcast.pk)


def broadcast_update(*, actor: Any, broadcast: Broadcast, data: BroadcastInput) -> Broadcast:
    """Edit the message. The editor becomes one of its authors; an approved message goes back to
    submitted, its approval void, and is approved again by somebody who wrote none of it."""
    _refuse(actor, broadcast, Action.EDIT)
    now = timezone.now()
    targets, scope, original = _checked(actor=actor, data=data, now=now)
    if not policy.may_compose(actor, targets):
        raise PermissionDenied(errors.ACTION_REFUSED, action=Action.EDIT)
    with transaction.atomic():
        broadcast = _locked(broadcast)
        _refuse(actor, broadcast, Action.EDIT)
        from_state = broadcast.state
        voided = broadcast.approved_by_id
        _apply_fields(broadcast, data, targets, scope, original, now)
        broadcast.revision += 1
        if actor.pk not in broadcast.author_ids:
            broadcast.author_ids = [*broadcast.author_ids, actor.pk]
        broadcast.state = next_state(Action.EDIT, from_state) or from_state
        broadcast.approved_by, broadcast.approved_at, broadcast.approved_revision = None, None, None
        _attach_audio(broadcast, data)
        broadcast.save()
        write_event(
            broadcast=broadcast,
            actor=actor,
            action=Action.EDIT,
            from_state=from_state,
            now=now,
            data={**({"approval_voided": voided} if voided else {}), **_audio_data(broadcast)},
        )
    return broadcast


def broadcast_transition(
    *, actor: Any, broadcast: Broadcast, action: str, note: str = ""
) -> Broadcast:
    """Submit, approve, reject or cancel the message as `actor`.

    Conflict (409) when the state does not allow it, PermissionDenied (403) when the actor may
    not (an author approving their own message, an approver whose jurisdiction does not cover
    the target), ValidationFailed (400) for a reject without a reason.
    """
    note = note.strip()
    if action in (Action.DISPATCH, Action.COMPLETE, Action.EDIT):
        raise ValidationFailed.on("action", errors.UNKNOWN_ACTION, action=action)
    _refuse(actor, broadcast, action)
    if action == Action.REJECT and not note:
        raise ValidationFailed.on("note", errors.REASON_REQUIRED)
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationFailed.on("note", TOO_LONG, limit=NOTE_MAX_LENGTH)
    with transaction.atomic():
        broadcast = _locked(broadcast)
        _refuse(actor, broadcast, action)
        now = timezone.now()
        was = broadcast.state
        move(broadcast=broadcast, actor=actor, action=action, now=now, note=note)
        if action == Action.CANCEL and was == State.DISPATCHED:
            # Its terminals are told, signed, to stop and never play it: written with the
            # withdrawal, sent once it is committed (and resent by the minute's retry).
            deliveries_cancel_write(broadcast=broadcast, now=now)
            broadcast_id = broadcast.pk
            transaction.on_commit(lambda: tasks.send_cancel(broadcast_id))
        if action == Action.APPROVE and (
            broadcast.scheduled_at is None or broadcast.scheduled_at <= now
        ):
            # Sent once the approval is committed; a scheduled one goes with the minute's retry.
            broadcast_id = broadcast.pk
            transaction.on_commit(lambda: tasks.dispatch_broadcast(broadcast_id))
    return broadcast

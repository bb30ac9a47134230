"""Writes to the service events: hold an event, sign volunteers up (themselves on a phone, or
an organiser for them), check them in and out, correct the hours. Each audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import Conflict, NotFound, Problem, ValidationFailed
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import region_exists
from gridgov.teams.models import TeamKind, TeamMember
from gridgov.teams.selectors import member_serving, memberships_of
from gridgov.volunteers import errors, rules
from gridgov.volunteers.models import ServiceEvent, SignUp

TITLE_MAX_LENGTH = 120
MAX_CAPACITY = 1000
MAX_EVENT_DAYS = 7
NOTE_MAX_LENGTH = 200


@dataclass
class EventInput:
    title: str
    region_code: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    address: str = ""
    description: str = ""


def _within(code: str, allowed: list[str]) -> bool:
    return any(codes.is_within(code, top) for top in allowed)


def event_create(*, actor: Any, data: EventInput) -> ServiceEvent:
    """Hold a service event at a place of the organiser's jurisdiction."""
    allowed = require_permission(actor, Perm.VOLUNTEERS_MANAGE)
    problems: dict[str, list[Problem]] = {}
    title = data.title.strip()
    if not title or len(title) > TITLE_MAX_LENGTH:
        problems["title"] = [errors.TITLE_REQUIRED.bind()]
    place = data.region_code.strip()
    # A well-formed code of one's own jurisdiction may still name no place of the tree.
    if not codes.is_valid_code(place) or not _within(place, allowed) or not region_exists(place):
        problems["region_code"] = [errors.PLACE_OUTSIDE.bind()]
    if data.ends_at <= data.starts_at:
        problems["ends_at"] = [errors.ENDS_BEFORE_START.bind()]
    elif data.ends_at - data.starts_at > timedelta(days=MAX_EVENT_DAYS):
        problems["ends_at"] = [errors.TOO_LONG_EVENT.bind(days=MAX_EVENT_DAYS)]
    if not 1 <= data.capacity <= MAX_CAPACITY:
        problems["capacity"] = [errors.CAPACITY_RANGE.bind(limit=MAX_CAPACITY)]
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        event = ServiceEvent(
            title=title,
            description=data.description.strip(),
            address=data.address.strip()[:200],
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            capacity=data.capacity,
            created_by=actor,
            created_at=timezone.now(),
        )
        event.set_region_code(place)
        event.save()
        audit_record(
            actor=actor,
            action="volunteers.event_create",
            object_type="volunteer_event",
            object_id=event.pk,
            region_code=place,
            detail={"capacity": event.capacity},
        )
    return event


def _volunteer(*, actor: Any, event: ServiceEvent, member_id: int | None) -> TeamMember:
    """Who the act is for: the member an organiser names (serving within the organiser's
    jurisdiction), or the actor themselves, a volunteer serving on a volunteer team."""
    if member_id is not None:
        allowed = require_permission(actor, Perm.VOLUNTEERS_MANAGE)
        if not _within(event.region_code, allowed):
            raise NotFound(errors.EVENT_NOT_FOUND)
        member = member_serving(member_id=member_id, kind=TeamKind.VOLUNTEERS, within=allowed)
        if member is None:
            raise ValidationFailed.on("member", errors.NO_SUCH_VOLUNTEER)
        return member
    allowed = require_permission(actor, Perm.VOLUNTEERS_SERVE)
    # A volunteer joins the events of their place and below, and of their village and town.
    if not _within(event.region_code, allowed) and event.region_code not in rules.places_above(
        allowed
    ):
        raise NotFound(errors.EVENT_NOT_FOUND)
    own = memberships_of(user_id=actor.pk, kind=TeamKind.VOLUNTEERS).first()
    if own is None:
        raise Conflict(errors.NOT_A_VOLUNTEER)
    return own


def _audit(actor: Any, action: str, sign_up: SignUp, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=f"volunteers.{action}",
        object_type="volunteer_event",
        object_id=sign_up.event_id,
        region_code=sign_up.event.region_code,
        detail={"member": sign_up.member_id, **detail},
    )


def sign_up(*, actor: Any, event: ServiceEvent, member_id: int | None = None) -> SignUp:
    """Sign a volunteer up for the event while it has room and is not over; signing up again
    after withdrawing takes the place back."""
    member = _volunteer(actor=actor, event=event, member_id=member_id)
    now = timezone.now()
    if event.ends_at <= now:
        raise Conflict(errors.EVENT_OVER)
    with transaction.atomic():
        locked = ServiceEvent.objects.select_for_update().get(pk=event.pk)
        existing = SignUp.objects.filter(event=locked, member=member).first()
        if existing is not None and existing.withdrawn_at is None:
            raise Conflict(errors.ALREADY_SIGNED_UP, name=member.name)
        taken = SignUp.objects.filter(event=locked, withdrawn_at__isnull=True).count()
        if taken >= locked.capacity:
            raise Conflict(errors.EVENT_FULL, capacity=locked.capacity)
        if existing is not None:
            existing.withdrawn_at = None
            existing.signed_up_at = now
            existing.save(update_fields=["withdrawn_at", "signed_up_at"])
            entry = existing
        else:
            entry = SignUp.objects.create(event=locked, member=member, signed_up_at=now)
        _audit(actor, "sign_up", entry)
    return entry


def _entry(event: ServiceEvent, member: TeamMember) -> SignUp:
    entry = (
        SignUp.objects.select_for_update()
        .select_related("event", "member")
        .filter(event=event, member=member)
        .first()
    )
    if entry is None:
        raise Conflict(errors.SIGN_UP_NOT_FOUND)
    if entry.withdrawn_at is not None:
        raise Conflict(errors.WITHDRAWN, name=member.name)
    return entry


def sign_up_withdraw(*, actor: Any, event: ServiceEvent, member_id: int | None = None) -> SignUp:
    """Give the place back before checking in."""
    member = _volunteer(actor=actor, event=event, member_id=member_id)
    with transaction.atomic():
        entry = _entry(event, member)
        if entry.checked_in_at is not None:
            raise Conflict(errors.ALREADY_CHECKED_IN, name=member.name)
        entry.withdrawn_at = timezone.now()
        entry.save(update_fields=["withdrawn_at"])
        _audit(actor, "withdraw", entry)
    return entry


def _time_given(at: datetime | None, *, now: datetime, earliest: datetime) -> datetime:
    """An organiser's recorded time (a volunteer without a phone); now when none is given."""
    if at is None:
        return now
    if at > now or at < earliest:
        raise ValidationFailed.on("at", errors.TIME_OUT_OF_RANGE)
    return at


def check_in(
    *,
    actor: Any,
    event: ServiceEvent,
    member_id: int | None = None,
    at: datetime | None = None,
) -> SignUp:
    """Check a signed-up volunteer in: from an hour before the start. Only an organiser gives
    a time other than now."""
    member = _volunteer(actor=actor, event=event, member_id=member_id)
    now = timezone.now()
    if member_id is None:
        at = None
    when = _time_given(at, now=now, earliest=event.starts_at - rules.SETTING_UP)
    if when < event.starts_at - rules.SETTING_UP:
        minutes = int(rules.SETTING_UP.total_seconds() // 60)
        raise Conflict(errors.TOO_EARLY, minutes=minutes)
    with transaction.atomic():
        entry = _entry(event, member)
        if entry.checked_in_at is not None:
            raise Conflict(errors.ALREADY_CHECKED_IN, name=member.name)
        entry.checked_in_at = when
        entry.save(update_fields=["checked_in_at"])
        _audit(actor, "check_in", entry)
    return entry


def check_out(
    *,
    actor: Any,
    event: ServiceEvent,
    member_id: int | None = None,
    at: datetime | None = None,
) -> SignUp:
    """Check a volunteer out; the minutes served follow from the two times (see `rules`)."""
    member = _volunteer(actor=actor, event=event, member_id=member_id)
    now = timezone.now()
    if member_id is None:
        at = None
    with transaction.atomic():
        entry = _entry(event, member)
        if entry.checked_in_at is None:
            raise Conflict(errors.NOT_CHECKED_IN, name=member.name)
        if entry.checked_out_at is not None:
            raise Conflict(errors.ALREADY_CHECKED_OUT, name=member.name)
        when = _time_given(at, now=now, earliest=entry.checked_in_at)
        entry.checked_out_at = when
        if not entry.corrected:
            entry.minutes = rules.served_minutes(
                checked_in_at=entry.checked_in_at,
                checked_out_at=when,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
            )
        entry.save(update_fields=["checked_out_at", "minutes"])
        _audit(actor, "check_out", entry, minutes=entry.minutes)
    return entry


def sign_up_correct(
    *, actor: Any, event: ServiceEvent, member_id: int, minutes: int, note: str
) -> SignUp:
    """An organiser sets the minutes a volunteer served (a forgotten check-out, a dead phone),
    with the reason; they replace the computed ones."""
    member = _volunteer(actor=actor, event=event, member_id=member_id)
    problems: dict[str, list[Problem]] = {}
    if not 0 <= minutes <= rules.MAX_MINUTES_PER_SIGN_UP:
        problems["minutes"] = [errors.MINUTES_RANGE.bind(limit=rules.MAX_MINUTES_PER_SIGN_UP)]
    note = note.strip()
    if not note or len(note) > NOTE_MAX_LENGTH:
        problems["note"] = [errors.NOTE_REQUIRED.bind()]
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        entry = _entry(event, member)
        before = entry.minutes
        entry.minutes = minutes
        entry.corrected = True
        entry.correction_note = note
        entry.save(update_fields=["minutes", "corrected", "correction_note"])
        _audit(actor, "correct", entry, before=before, after=minutes)
    return entry

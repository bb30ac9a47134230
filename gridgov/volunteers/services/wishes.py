"""Writes to the micro-wishes: an organiser records a resident's wish for them; a volunteer
takes it up and fulfils it; the organiser confirms it with the resident (or reopens it), or
withdraws it. Each step follows `states.TRANSITIONS` and is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    Problem,
    RefusalTarget,
    ValidationFailed,
)
from gridgov.core.pii import normalize_phone
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import region_exists
from gridgov.teams.models import TeamKind, TeamMember
from gridgov.teams.selectors import member_serving, memberships_of
from gridgov.volunteers import errors
from gridgov.volunteers.models import MicroWish, WishState
from gridgov.volunteers.states import NOTE_REQUIRED, STEP_DONE, TRANSITIONS, Who, WishStep

TITLE_MAX_LENGTH = 120
NAME_MAX_LENGTH = 64
NOTE_MAX_LENGTH = 200


@dataclass
class WishInput:
    title: str
    region_code: str
    resident_name: str
    resident_phone: str = ""
    detail: str = ""


def _within(code: str, allowed: list[str]) -> bool:
    return any(codes.is_within(code, top) for top in allowed)


def wish_record(*, actor: Any, data: WishInput) -> MicroWish:
    """Record a resident's wish for them (they may have no account), at their place."""
    allowed = require_permission(actor, Perm.VOLUNTEERS_MANAGE)
    problems: dict[str, list[Problem]] = {}
    title = data.title.strip()
    if not title or len(title) > TITLE_MAX_LENGTH:
        problems["title"] = [errors.TITLE_REQUIRED.bind()]
    resident = data.resident_name.strip()
    if not resident or len(resident) > NAME_MAX_LENGTH:
        problems["resident_name"] = [errors.RESIDENT_REQUIRED.bind()]
    phone = ""
    if data.resident_phone.strip():
        phone = normalize_phone(data.resident_phone.strip()) or ""
        if not phone:
            problems["resident_phone"] = [errors.BAD_PHONE.bind()]
    place = data.region_code.strip()
    # A well-formed code of one's own jurisdiction may still name no place of the tree.
    if not codes.is_valid_code(place) or not _within(place, allowed) or not region_exists(place):
        problems["region_code"] = [errors.PLACE_OUTSIDE.bind()]
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        wish = MicroWish(
            title=title,
            detail=data.detail.strip(),
            resident_name=resident,
            resident_phone=phone,
            posted_at=timezone.now(),
            recorded_by=actor,
        )
        wish.set_region_code(place)
        wish.save()
        audit_record(
            actor=actor,
            action="volunteers.wish_record",
            object_type="micro_wish",
            object_id=wish.pk,
            region_code=place,
        )
    return wish


def _who(actor: Any, wish: MicroWish, member_id: int | None) -> tuple[Who, TeamMember | None]:
    """Whether the actor acts as an organiser (naming a volunteer, or on a step only they
    take) or as a volunteer for themselves, and the volunteer concerned."""
    organising = actor.jurisdiction_codes(Perm.VOLUNTEERS_MANAGE)
    if _within(wish.region_code, organising):
        member = None
        if member_id is not None:
            member = member_serving(
                member_id=member_id, kind=TeamKind.VOLUNTEERS, within=organising
            )
            if member is None:
                raise ValidationFailed.on("member", errors.NO_SUCH_VOLUNTEER)
        return Who.ORGANISER, member
    serving = require_permission(actor, Perm.VOLUNTEERS_SERVE)
    if not _within(wish.region_code, serving):
        raise NotFound(errors.WISH_NOT_FOUND)
    own = memberships_of(user_id=actor.pk, kind=TeamKind.VOLUNTEERS).first()
    if own is None:
        raise Conflict(errors.NOT_A_VOLUNTEER)
    return Who.VOLUNTEER, own


def wish_step(
    *,
    actor: Any,
    wish: MicroWish,
    step: WishStep,
    note: str = "",
    member_id: int | None = None,
) -> MicroWish:
    """Take one step of the wish's life; an organiser taking it up names the volunteer."""
    transition = TRANSITIONS[step]
    who, member = _who(actor, wish, member_id)
    if who not in transition.who:
        raise PermissionDenied(errors.NOT_YOUR_WISH)
    note = note.strip()
    problems: dict[str, list[Problem]] = {}
    if step in NOTE_REQUIRED and (not note or len(note) > NOTE_MAX_LENGTH):
        problems["note"] = [errors.NOTE_REQUIRED.bind()]
    if step == WishStep.TAKE and member is None:
        problems["member"] = [errors.NO_SUCH_VOLUNTEER.bind()]
    if problems:
        raise ValidationFailed(problems)
    now = timezone.now()
    with transaction.atomic():
        # The volunteer is on the nullable side of an outer join, which PostgreSQL
        # will not lock: lock the wish's own row only.
        wish = (
            MicroWish.objects.select_for_update(of=("self",))
            .select_related("taken_by")
            .get(pk=wish.pk)
        )
        if wish.state not in transition.sources:
            raise Conflict(
                errors.WISH_STEP_NOT_ALLOWED,
                state=WishState(wish.state).label,
                step=STEP_DONE[step],
            )
        # A volunteer moves only a wish they took up themselves.
        taken_by_other = (
            wish.taken_by_id is not None and member is not None and wish.taken_by_id != member.pk
        )
        if who is Who.VOLUNTEER and step != WishStep.TAKE and taken_by_other:
            raise PermissionDenied(errors.NOT_YOUR_WISH)
        before = wish.state
        wish.state = transition.target
        if step == WishStep.TAKE:
            wish.taken_by, wish.taken_at = member, now
        elif step == WishStep.RELEASE:
            wish.taken_by, wish.taken_at = None, None
        elif step == WishStep.FULFIL:
            wish.fulfilled_at, wish.fulfilment_note = now, note
        elif step == WishStep.REOPEN:
            wish.fulfilled_at, wish.closing_note = None, note
        elif step in (WishStep.CONFIRM, WishStep.WITHDRAW):
            wish.closed_at, wish.closing_note = now, note
        wish.save()
        audit_record(
            actor=actor,
            action=f"volunteers.wish_{step.value}",
            object_type="micro_wish",
            object_id=wish.pk,
            region_code=wish.region_code,
            detail={"from": before, "to": wish.state, "member": wish.taken_by_id},
        )
    return wish


# A volunteer calls the resident while the wish is theirs to fulfil; once closed, nobody needs to.
PHONE_STATES = frozenset({WishState.POSTED, WishState.TAKEN, WishState.FULFILLED})


def may_reveal_phone(actor: Any, wish: MicroWish) -> bool:
    """The wish's organisers (they confirm with the resident), or the volunteer who took it up
    while it is open."""
    if _within(wish.region_code, actor.jurisdiction_codes(Perm.VOLUNTEERS_MANAGE)):
        return True
    if wish.taken_by_id is None or wish.state not in PHONE_STATES:
        return False
    own = memberships_of(user_id=actor.pk, kind=TeamKind.VOLUNTEERS).first()
    return own is not None and own.pk == wish.taken_by_id


def wish_reveal_phone(
    *, actor: Any, wish: MicroWish, reason: str, client_address: str | None = None
) -> str:
    """The resident's phone in full, for `reason`: ValidationFailed (400) without a reason,
    PermissionDenied (403, audited as refused) for whoever may not see it; audited when shown."""
    reason = (reason or "").strip()
    if not reason or len(reason) > NOTE_MAX_LENGTH:
        raise ValidationFailed.on("reason", errors.REASON_REQUIRED)
    if not may_reveal_phone(actor, wish):
        raise PermissionDenied(
            errors.PHONE_REFUSED,
            target=RefusalTarget(
                object_type="micro_wish",
                object_id=str(wish.pk),
                operation="reveal_phone",
                region_code=wish.region_code,
                detail={"stated_reason": reason},
            ),
        )
    if not wish.resident_phone:
        raise Conflict(errors.NO_PHONE)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="volunteers.wish_reveal_phone",
            object_type="micro_wish",
            object_id=wish.pk,
            region_code=wish.region_code,
            client_address=client_address,
            detail={"reason": reason},
        )
    return wish.resident_phone.reveal()

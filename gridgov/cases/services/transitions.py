"""Moving a case through its states: look the move up in the table, check who may make it, write
the timeline row, notify after commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gridgov.cases import errors, notices, notifications, policy
from gridgov.cases.models import (
    LEVEL_CODE_LENGTH,
    LEVEL_ORDER,
    Case,
    CaseEvent,
)
from gridgov.cases.services.intake import check_photos, save_photos
from gridgov.cases.sla import set_deadlines
from gridgov.cases.states import (
    Action,
    IllegalTransition,
    LevelChange,
    State,
    states_allowing,
    target_state,
    transition_for,
)
from gridgov.core.audit import audit_record
from gridgov.core.errors import (
    TOO_LONG,
    Conflict,
    PermissionDenied,
    Problem,
    RefusalTarget,
    ValidationFailed,
)

# Actions that must say why.
NOTE_REQUIRED = frozenset(
    {Action.REJECT, Action.RETURN, Action.SUSPEND, Action.TRANSFER, Action.RESOLVE, Action.REOPEN}
)
TRANSFER_KINDS = {"department", "court"}
# What the handler tells the resident they did (shown on the public status page, masked).
PUBLIC_NOTE_MAX_LENGTH = 500


def _not_in_state(error: IllegalTransition) -> Conflict | ValidationFailed:
    if error.action not in Action._value2member_map_:
        return ValidationFailed.on("action", errors.UNKNOWN_ACTION, action=error.action)
    needs = ",".join(states_allowing(error.action))
    return Conflict(errors.NOT_IN_STATE, state=error.state, action=error.action, needs=needs)


def _deny(actor: Any, case: Case, action: str) -> PermissionDenied:
    # The mapping to HTTP writes the refusal's audit row, on the case this names.
    self_verify = action == Action.VERIFY and actor is not None and case.resolved_by_id == actor.pk
    return PermissionDenied(
        errors.SELF_VERIFY if self_verify else errors.ACTION_REFUSED.bind(action=action),
        target=RefusalTarget(
            object_type="case",
            object_id=case.number,
            operation=str(action),
            region_code=case.region_code,
        ),
    )


def _move_level(case: Case, change: LevelChange, region_code: str | None = None) -> None:
    index = LEVEL_ORDER.index(case.level)
    if change == LevelChange.UP:
        if index + 1 >= len(LEVEL_ORDER):
            raise Conflict(errors.AT_COUNTY_LEVEL)
        case.level = LEVEL_ORDER[index + 1]
        case.handling_code = case.handling_code[: LEVEL_CODE_LENGTH[case.level]]
    elif change == LevelChange.DOWN:
        if index == 0:
            raise Conflict(errors.AT_VILLAGE_LEVEL)
        case.level = LEVEL_ORDER[index - 1]
        length = LEVEL_CODE_LENGTH[case.level]
        if len(case.region_code) < length:
            raise Conflict(errors.NOWHERE_BELOW)
        case.handling_code = case.region_code[:length]
    case.assignee = None


def apply_transition(
    *,
    case: Case,
    actor: Any,
    action: str,
    note: str = "",
    now: datetime,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Apply a legal move to a locked case and write its timeline row (no permission check)."""
    try:
        transition = transition_for(action, case.state)
    except IllegalTransition as error:
        raise _not_in_state(error) from error
    state_before, level_before = case.state, case.level
    new_state = target_state(transition, previous=case.state_before_suspend or None)
    if transition.level != LevelChange.NONE:
        _move_level(case, transition.level)
    if action == Action.SUSPEND:
        case.state_before_suspend = case.state
    elif action == Action.RESUME:
        case.state_before_suspend = ""
    case.state = new_state
    if action == Action.RESOLVE:
        case.resolved_at, case.resolved_by = now, actor
    elif action == Action.CLOSE:
        case.closed_at = now
    elif action in {Action.REOPEN, Action.TAKE_BACK}:
        case.closed_at, case.transferred_to = None, ""
        case.resolve_deadline_at = None
    if transition.level != LevelChange.NONE:
        case.resolve_deadline_at = None
    set_deadlines(case, now=now)
    case.updated_at = now
    case.save()
    return CaseEvent.objects.create(
        case=case,
        created_at=now,
        actor=actor,
        action=action,
        from_state=state_before,
        to_state=case.state,
        level_before=level_before,
        level_after=case.level,
        handling_code_after=case.handling_code,
        note=note,
        data=data or {},
    )


def note_event(
    *,
    case: Case,
    actor: Any,
    action: str,
    now: datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """A timeline row that changes neither state nor level (a rating, a merge into the case)."""
    return CaseEvent.objects.create(
        case=case,
        created_at=now,
        actor=actor,
        action=action,
        from_state=case.state,
        to_state=case.state,
        level_before=case.level,
        level_after=case.level,
        handling_code_after=case.handling_code,
        note=note,
        data=data or {},
    )


def _refuse_if_not_allowed(actor: Any, case: Case, action: str) -> None:
    """Check before the transaction: a refusal changes nothing."""
    try:
        transition_for(action, case.state)
    except IllegalTransition as error:
        raise _not_in_state(error) from error
    if not policy.may_take(actor, case, action):
        raise _deny(actor, case, action)


def case_transition(
    *,
    actor: Any,
    case: Case,
    action: str,
    note: str = "",
    assignee: Any = None,
    transfer_kind: str = "",
    transfer_to: str = "",
    public_note: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Case:
    """Take `action` on `case` as `actor`, with `photos` attached to its timeline row.

    Conflict (409) when the state table does not allow it, PermissionDenied (403) when the actor
    may not, ValidationFailed (400) when something the action needs is missing.
    """
    note = note.strip()
    if action not in Action._value2member_map_:
        raise ValidationFailed.on("action", errors.UNKNOWN_ACTION, action=action)
    if action == Action.MERGE:
        raise ValidationFailed.on("action", errors.USE_MERGE)
    now = timezone.now()
    _refuse_if_not_allowed(actor, Case.objects.select_related("category").get(pk=case.pk), action)
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("category").get(pk=case.pk)
        try:
            transition_for(action, case.state)
        except IllegalTransition as error:
            raise _not_in_state(error) from error
        if not policy.may_take(actor, case, action):
            # The case changed between the check above and the lock; rare, not audited twice.
            raise PermissionDenied(errors.ACTION_REFUSED, action=action)
        problems: dict[str, list[Problem]] = {}
        if action in NOTE_REQUIRED and not note:
            problems["note"] = [errors.NOTE_REQUIRED.bind()]
        data: dict[str, Any] = {}
        if action == Action.DISPATCH:
            if assignee is None:
                problems["assignee"] = [errors.ASSIGNEE_REQUIRED.bind()]
            elif not policy.may_handle(assignee, case):
                problems["assignee"] = [errors.ASSIGNEE_CANNOT_HANDLE.bind()]
            else:
                data["assignee"] = assignee.username
        if action == Action.TRANSFER:
            if transfer_kind not in TRANSFER_KINDS:
                problems["transfer_kind"] = [errors.TRANSFER_KIND.bind()]
            if not transfer_to.strip():
                problems["transfer_to"] = [errors.TRANSFER_TO_REQUIRED.bind()]
            data.update(transfer_kind=transfer_kind, transfer_to=transfer_to.strip())
        if action == Action.RESOLVE and public_note.strip():
            if len(public_note) > PUBLIC_NOTE_MAX_LENGTH:
                problems["public_note"] = [TOO_LONG.bind(limit=PUBLIC_NOTE_MAX_LENGTH)]
            data["public_note"] = public_note.strip()
        checked_photos, photo_problems = check_photos(list(photos))
        if photo_problems:
            problems["photos"] = photo_problems
        if problems:
            raise ValidationFailed(problems)
        event = apply_transition(
            case=case, actor=actor, action=action, note=note, now=now, data=data
        )
        save_photos(case=case, event=event, photos=checked_photos)
        if action == Action.DISPATCH:
            case.assignee = assignee
            case.save(update_fields=["assignee"])
            notifications.notify_user_on_commit(case, notice=notices.ASSIGNED, user_id=assignee.pk)
        elif action == Action.TRANSFER:
            case.transferred_to = f"{transfer_kind}:{transfer_to.strip()}"[:128]
            case.save(update_fields=["transferred_to"])
        elif action == Action.RETURN and case.assignee_id:
            notifications.notify_user_on_commit(
                case, notice=notices.RETURNED, user_id=case.assignee_id
            )
        elif action == Action.RESOLVE:
            notifications.notify_unit_on_commit(
                case, notice=notices.TO_VERIFY, except_user_id=getattr(actor, "pk", None)
            )
        elif action == Action.ESCALATE:
            notifications.notify_unit_on_commit(case, notice=notices.ESCALATED)
        elif action == Action.REFER_DOWN:
            notifications.notify_unit_on_commit(case, notice=notices.NEW_CASE)
        audit_record(
            actor=actor,
            action=f"case.{action}",
            object_type="case",
            object_id=case.number,
            region_code=case.region_code,
            detail={"event": event.pk, "from": event.from_state, "to": event.to_state},
        )
    return case


def case_merge(*, actor: Any, case: Case, into: Case, note: str = "") -> Case:
    """Fold a duplicate into another open case of the same unit; both timelines are kept."""
    if case.pk == into.pk:
        raise ValidationFailed.on("into", errors.MERGE_INTO_ITSELF)
    now = timezone.now()
    if not policy.may_take(actor, case, Action.MERGE) or not policy.routes_at_current_level(
        actor, into
    ):
        raise _deny(actor, case, Action.MERGE)
    with transaction.atomic():
        locked = {
            c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[case.pk, into.pk])
        }
        case, into = locked[case.pk], locked[into.pk]
        if into.state in {State.CLOSED, State.NOT_ACCEPTED, State.MERGED}:
            raise Conflict(errors.MERGE_TARGET_CLOSED)
        if not policy.may_take(actor, case, Action.MERGE) or not policy.routes_at_current_level(
            actor, into
        ):
            raise PermissionDenied(errors.ACTION_REFUSED, action=Action.MERGE)
        event = apply_transition(
            case=case,
            actor=actor,
            action=Action.MERGE,
            note=note,
            now=now,
            data={"into": into.number},
        )
        case.merged_into = into
        case.save(update_fields=["merged_into"])
        note_event(
            case=into,
            actor=actor,
            action="merge_in",
            now=now,
            note=note,
            data={"merged": case.number, "event": event.pk},
        )
        audit_record(
            actor=actor,
            action="case.merge",
            object_type="case",
            object_id=case.number,
            region_code=case.region_code,
            detail={"into": into.number},
        )
    return case


# The moves a case registered at a handler's own desk takes at once, in this order.
DESK_ACCEPTANCE = (Action.ACCEPT, Action.DISPATCH, Action.START)


def case_accept_at_desk(*, actor: Any, case: Case, note: str = "") -> Case:
    """One-stop acceptance (一站式受理) at a handler's desk, such as a mediation centre's: the
    handler who has just reported a case they may handle accepts it, takes it and starts on it
    in one step, with the three moves on its timeline, instead of waiting for a dispatcher to
    send it back to them. Only the case's reporter, only while it is newly reported."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("category").get(pk=case.pk)
        if case.state != State.REPORTED:
            raise _not_in_state(IllegalTransition(Action.ACCEPT, case.state))
        if (
            actor is None
            or case.reporter_id != getattr(actor, "pk", None)
            or not policy.may_handle(actor, case)
        ):
            raise _deny(actor, case, Action.ACCEPT)
        now = timezone.now()
        for action in DESK_ACCEPTANCE:
            data = {"assignee": actor.username} if action == Action.DISPATCH else {}
            event = apply_transition(
                case=case, actor=actor, action=action, note=note, now=now, data=data
            )
            if action == Action.DISPATCH:
                case.assignee = actor
                case.save(update_fields=["assignee"])
            audit_record(
                actor=actor,
                action=f"case.{action}",
                object_type="case",
                object_id=case.number,
                region_code=case.region_code,
                detail={"event": event.pk, "from": event.from_state, "to": event.to_state},
            )
    return case

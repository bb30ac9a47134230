"""The broadcast message's life: one declarative table, pure Python (no database).

draft → submitted → approved → dispatched → completed, or rejected / cancelled. Editing keeps a
draft or a submitted message where it is, sends a rejected one back to draft, and sends an
approved one back to submitted: an edit voids the approval, and somebody approves again.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"  # being written by its composer
    SUBMITTED = "submitted"  # waiting for a second person to approve it
    APPROVED = "approved"  # approved; waits for its time to go out
    DISPATCHED = "dispatched"  # on its way to the terminals
    COMPLETED = "completed"  # every terminal answered, or the message expired (terminal)
    REJECTED = "rejected"  # the approver refused it, with a reason; the composer may edit it
    CANCELLED = "cancelled"  # withdrawn; once dispatched, a CAP Cancel follows it (terminal)


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    DISPATCH = "dispatch"
    COMPLETE = "complete"
    CANCEL = "cancel"


TRANSITIONS: dict[tuple[Action, State], State] = {
    (Action.EDIT, State.DRAFT): State.DRAFT,
    (Action.EDIT, State.SUBMITTED): State.SUBMITTED,
    (Action.EDIT, State.APPROVED): State.SUBMITTED,
    (Action.EDIT, State.REJECTED): State.DRAFT,
    (Action.SUBMIT, State.DRAFT): State.SUBMITTED,
    (Action.APPROVE, State.SUBMITTED): State.APPROVED,
    (Action.REJECT, State.SUBMITTED): State.REJECTED,
    (Action.DISPATCH, State.APPROVED): State.DISPATCHED,
    (Action.COMPLETE, State.DISPATCHED): State.COMPLETED,
    (Action.CANCEL, State.DRAFT): State.CANCELLED,
    (Action.CANCEL, State.SUBMITTED): State.CANCELLED,
    (Action.CANCEL, State.APPROVED): State.CANCELLED,
    (Action.CANCEL, State.DISPATCHED): State.CANCELLED,
    (Action.CANCEL, State.REJECTED): State.CANCELLED,
}

TERMINAL_STATES = frozenset({State.COMPLETED, State.CANCELLED})
# Actions a person takes on the message page (dispatch and complete are the dispatcher's).
PERSON_ACTIONS = (Action.SUBMIT, Action.APPROVE, Action.REJECT, Action.CANCEL)


def next_state(action: str, state: str) -> State | None:
    """The state `action` leads to from `state`, or None when the table does not allow it."""
    try:
        return TRANSITIONS.get((Action(action), State(state)))
    except ValueError:
        return None


def states_allowing(action: str) -> list[str]:
    return sorted(source.value for (act, source) in TRANSITIONS if act == action)

"""Who may do what to a message: the two-person rule, checked by every service and listed for the
message page.

- Whoever may compose for every region of the target writes, edits, submits and cancels it.
- A second person approves or rejects it: never one of its authors, holding the approve
  permission over the whole target; a county-wide emergency needs the county leader or their
  deputy (BROADCAST_APPROVE_COUNTY_EMERGENCY).
- Its approver may cancel it as well, until it is completed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gridgov.broadcast import errors
from gridgov.broadcast.models import EMERGENCY_KINDS, Broadcast
from gridgov.broadcast.states import PERSON_ACTIONS, Action, next_state
from gridgov.core.access import Perm
from gridgov.core.codes import COUNTY_LEN, is_within
from gridgov.core.errors import NO_ROLE_GRANTS, Problem


def covers(codes: Iterable[str], targets: Iterable[str]) -> bool:
    """Whether every target lies in the subtree of one of `codes`."""
    tops = list(codes)
    return all(any(is_within(target, top) for top in tops) for target in targets)


def _codes(actor: Any, permission: str) -> list[str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    codes: list[str] = actor.jurisdiction_codes(permission)
    return codes


def may_compose(actor: Any, targets: Iterable[str]) -> bool:
    codes = _codes(actor, Perm.BROADCAST_COMPOSE)
    return bool(codes) and covers(codes, targets)


def is_author(actor: Any, broadcast: Broadcast) -> bool:
    return actor.pk == broadcast.composer_id or actor.pk in broadcast.author_ids


def is_county_wide_emergency(kind: str, targets: Iterable[str]) -> bool:
    return kind in EMERGENCY_KINDS and any(len(code) == COUNTY_LEN for code in targets)


def approval_refusal(actor: Any, broadcast: Broadcast) -> Problem | None:
    """Why `actor` may not approve (or reject) the message, or None when they may."""
    if is_author(actor, broadcast):
        return errors.SELF_APPROVAL.bind()
    codes = _codes(actor, Perm.BROADCAST_APPROVE)
    if not codes:
        return NO_ROLE_GRANTS.bind(permission=Perm.BROADCAST_APPROVE)
    if not covers(codes, broadcast.target_codes):
        return errors.APPROVER_JURISDICTION.bind()
    if is_county_wide_emergency(broadcast.kind, broadcast.target_codes) and not covers(
        _codes(actor, Perm.BROADCAST_APPROVE_COUNTY_EMERGENCY), broadcast.target_codes
    ):
        return errors.COUNTY_EMERGENCY.bind()
    return None


def refusal(actor: Any, broadcast: Broadcast, action: str) -> Problem | None:
    """Why `actor` may not take `action` on the message (state aside), or None."""
    if action in (Action.APPROVE, Action.REJECT):
        return approval_refusal(actor, broadcast)
    if action in (Action.EDIT, Action.SUBMIT):
        allowed = may_compose(actor, broadcast.target_codes)
    elif action == Action.CANCEL:
        allowed = may_compose(actor, broadcast.target_codes) or (
            actor.pk == broadcast.approved_by_id
            or (
                not is_author(actor, broadcast)
                and covers(_codes(actor, Perm.BROADCAST_APPROVE), broadcast.target_codes)
            )
        )
    else:
        # Dispatch and complete belong to the dispatcher, never to a person.
        allowed = False
    return None if allowed else errors.ACTION_REFUSED.bind(action=action)


def allowed_actions(actor: Any, broadcast: Broadcast) -> list[Action]:
    """What the actor may do to the message now, for its page (edit first)."""
    return [
        action
        for action in (Action.EDIT, *PERSON_ACTIONS)
        if next_state(action, broadcast.state) is not None
        and refusal(actor, broadcast, action) is None
    ]

"""Who may do what to a case: checked by every transition, listed for the case page.

- Grid workers report and handle what is dispatched to them, in their grid.
- Village/community secretaries route (accept, dispatch, verify, close...) at village level in
  their village; town and county officials likewise at their level, and may pull a case up.
- County operators see and route everything in the county.
- A handler never verifies their own work.
"""

from __future__ import annotations

from typing import Any

from gridgov.cases.models import LEVEL_CODE_LENGTH, LEVEL_ORDER, Case
from gridgov.cases.states import Action, allowed_actions
from gridgov.core.access import Perm, Role
from gridgov.core.codes import is_within

# Actions only the case's assignee takes.
HANDLER_ACTIONS = frozenset({Action.START, Action.RESOLVE})


def _route_codes(actor: Any) -> list[str]:
    return actor.jurisdiction_codes(Perm.CASES_ROUTE) if actor is not None else []


def is_county_operator_for(actor: Any, case: Case) -> bool:
    return any(
        a.role == Role.COUNTY_OPERATOR and is_within(case.region_code, a.region_code)
        for a in actor.active_assignments()
    )


def routes_at_current_level(actor: Any, case: Case) -> bool:
    """The actor routes at the unit handling the case now (or is the county's operator)."""
    if actor is None:
        return False
    if is_county_operator_for(actor, case):
        return True
    return case.handling_code in _route_codes(actor)


def may_pull_up(actor: Any, case: Case) -> bool:
    """An official of the level above the case's current level, over the case's region."""
    index = LEVEL_ORDER.index(case.level)
    if index + 1 >= len(LEVEL_ORDER):
        return False
    upper_length = LEVEL_CODE_LENGTH[LEVEL_ORDER[index + 1]]
    return case.handling_code[:upper_length] in _route_codes(actor)


def may_take(actor: Any, case: Case, action: str) -> bool:
    """Whether `actor` may take `action` on `case` now (the state table is checked separately)."""
    if actor is None:
        return False
    if action in HANDLER_ACTIONS:
        return case.assignee_id is not None and case.assignee_id == actor.pk
    if action == Action.VERIFY and case.resolved_by_id == actor.pk:
        return False
    if action == Action.ESCALATE:
        return routes_at_current_level(actor, case) or may_pull_up(actor, case)
    if action == Action.REFER_DOWN and case.level == LEVEL_ORDER[0]:
        return False
    return routes_at_current_level(actor, case)


def actions_for(actor: Any, case: Case) -> list[Action]:
    """The actions the case page offers this actor."""
    return [action for action in allowed_actions(case.state) if may_take(actor, case, action)]


def may_handle(user: Any, case: Case) -> bool:
    """Whether `user` can be dispatched the case: a handler whose jurisdiction meets the unit's."""
    for code in user.jurisdiction_codes(Perm.CASES_HANDLE):
        if is_within(code, case.handling_code) or is_within(case.handling_code, code):
            return True
    return False

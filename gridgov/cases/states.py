"""The case state machine: one declarative table, pure Python (no database).

Each row is (action, from state, to state, level change). An action not in the table for the
case's current state is illegal and refused (HTTP 409) with a message that says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    REPORTED = "reported"  # entered, waiting to be accepted (立案) at its level
    ACCEPTED = "accepted"  # accepted, waiting to be dispatched to a handler
    NOT_ACCEPTED = "not_accepted"  # refused at intake, with a reason (terminal)
    DISPATCHED = "dispatched"  # assigned to a handler who has not started
    IN_PROGRESS = "in_progress"  # the handler is working on it
    RETURNED = "returned"  # sent back to the handler for rework after a failed check
    RESOLVED = "resolved"  # the handler says it is done (办结), waiting for verification
    VERIFIED = "verified"  # checked by someone other than the handler (核查)
    CLOSED = "closed"  # closed (结案); the resident may rate it and reopen within 7 days
    TRANSFERRED = "transferred"  # with a functional department or the court's mediation desk
    SUSPENDED = "suspended"  # on hold, with a reason
    MERGED = "merged"  # a duplicate folded into another case (terminal)


class Action(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    DISPATCH = "dispatch"
    START = "start"
    RESOLVE = "resolve"
    VERIFY = "verify"
    RETURN = "return"
    CLOSE = "close"
    ESCALATE = "escalate"
    REFER_DOWN = "refer_down"
    TRANSFER = "transfer"
    TAKE_BACK = "take_back"
    SUSPEND = "suspend"
    RESUME = "resume"
    REOPEN = "reopen"
    MERGE = "merge"


class LevelChange(StrEnum):
    NONE = "none"
    UP = "up"
    DOWN = "down"


# Resume goes back to the state the case was suspended from.
PREVIOUS = "previous"

OPEN_STATES = frozenset(
    {
        State.REPORTED,
        State.ACCEPTED,
        State.DISPATCHED,
        State.IN_PROGRESS,
        State.RETURNED,
        State.RESOLVED,
        State.VERIFIED,
        State.TRANSFERRED,
        State.SUSPENDED,
    }
)
TERMINAL_STATES = frozenset({State.CLOSED, State.NOT_ACCEPTED, State.MERGED})
# States in which the handling level is still working towards resolution (the SLA clock runs).
WORKING_STATES = frozenset(
    {State.REPORTED, State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS, State.RETURNED}
)


@dataclass(frozen=True)
class Transition:
    action: Action
    source: State
    target: State | str  # a State, or PREVIOUS
    level: LevelChange = LevelChange.NONE


def _rows(
    action: Action, sources: set[State], target: State | str, level: LevelChange = LevelChange.NONE
) -> list[Transition]:
    return [Transition(action, source, target, level) for source in sorted(sources)]


_ESCALATABLE = {State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS, State.RETURNED}

TRANSITIONS: tuple[Transition, ...] = tuple(
    _rows(Action.ACCEPT, {State.REPORTED}, State.ACCEPTED)
    + _rows(Action.REJECT, {State.REPORTED}, State.NOT_ACCEPTED)
    + _rows(Action.DISPATCH, {State.ACCEPTED}, State.DISPATCHED)
    + _rows(Action.START, {State.DISPATCHED, State.RETURNED}, State.IN_PROGRESS)
    + _rows(Action.RESOLVE, {State.IN_PROGRESS}, State.RESOLVED)
    + _rows(Action.VERIFY, {State.RESOLVED}, State.VERIFIED)
    + _rows(Action.RETURN, {State.RESOLVED, State.VERIFIED}, State.RETURNED)
    + _rows(Action.CLOSE, {State.VERIFIED}, State.CLOSED)
    # A case not yet accepted goes up (or down) still waiting for acceptance; one already
    # accepted is taken on by the other level, which dispatches it anew.
    + _rows(Action.ESCALATE, {State.REPORTED}, State.REPORTED, LevelChange.UP)
    + _rows(Action.ESCALATE, _ESCALATABLE, State.ACCEPTED, LevelChange.UP)
    + _rows(Action.REFER_DOWN, {State.REPORTED}, State.REPORTED, LevelChange.DOWN)
    + _rows(Action.REFER_DOWN, {State.ACCEPTED}, State.ACCEPTED, LevelChange.DOWN)
    + _rows(
        Action.TRANSFER, {State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS}, State.TRANSFERRED
    )
    + _rows(Action.TAKE_BACK, {State.TRANSFERRED}, State.ACCEPTED)
    + _rows(Action.SUSPEND, _ESCALATABLE, State.SUSPENDED)
    + _rows(Action.RESUME, {State.SUSPENDED}, PREVIOUS)
    + _rows(Action.REOPEN, {State.CLOSED}, State.ACCEPTED)
    + _rows(Action.MERGE, {State.REPORTED, State.ACCEPTED}, State.MERGED)
)

_BY_KEY: dict[tuple[Action, State], Transition] = {(t.action, t.source): t for t in TRANSITIONS}

# Human explanations for the 409, by action: what state it needs.
_NEEDS = {
    action: sorted({t.source.value for t in TRANSITIONS if t.action == action}) for action in Action
}


def states_allowing(action: str) -> list[str]:
    """The states from which `action` may be taken (none for an unknown action)."""
    if action not in Action._value2member_map_:
        return []
    return _NEEDS.get(Action(action), [])


class IllegalTransition(Exception):
    def __init__(self, action: str, state: str) -> None:
        self.action = action
        self.state = state
        needs = (
            ", ".join(_NEEDS.get(Action(action), [])) if action in Action._value2member_map_ else ""
        )
        reason = f"a case in state '{state}' cannot be '{action}'"
        if needs:
            reason += f"; '{action}' needs a case in state: {needs}"
        elif action not in Action._value2member_map_:
            reason = f"unknown action '{action}'"
        super().__init__(reason)


def transition_for(action: str, state: str) -> Transition:
    """The table's row for `action` from `state`; IllegalTransition when there is none."""
    try:
        return _BY_KEY[(Action(action), State(state))]
    except (ValueError, KeyError) as error:
        raise IllegalTransition(action, state) from error


def allowed_actions(state: str) -> list[Action]:
    return [t.action for t in TRANSITIONS if t.source == state]


def target_state(transition: Transition, *, previous: str | None) -> State:
    if transition.target == PREVIOUS:
        if previous is None:
            raise IllegalTransition(transition.action, transition.source)
        return State(previous)
    return State(transition.target)

"""Properties of the case state machine (hypothesis): the pure table under random action
sequences, and random (actor, action) sequences through `case_transition` on a real case."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.accounts.models import User
from gridgov.cases.models import Case, CaseEvent, Channel
from gridgov.cases.services import CaseInput, case_report, case_transition
from gridgov.cases.states import (
    PREVIOUS,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    IllegalTransition,
    State,
    allowed_actions,
    target_state,
    transition_for,
)
from gridgov.core.access import Role
from gridgov.core.api_errors import exception_handler
from gridgov.core.errors import DomainError
from gridgov.testing import Tree

S, A = State, Action

# The lifecycle as issue 3 describes it, written out independently of states.py: for each state,
# the actions it allows and where each leads (RESUME leads back to the suspended-from state).
SPEC: dict[State, dict[Action, State | str]] = {
    S.REPORTED: {
        A.ACCEPT: S.ACCEPTED,
        A.REJECT: S.NOT_ACCEPTED,
        A.ESCALATE: S.REPORTED,
        # Referred down unaccepted, the level below accepts it (立案) itself.
        A.REFER_DOWN: S.REPORTED,
        A.MERGE: S.MERGED,
    },
    S.ACCEPTED: {
        A.DISPATCH: S.DISPATCHED,
        A.ESCALATE: S.ACCEPTED,
        A.REFER_DOWN: S.ACCEPTED,
        A.TRANSFER: S.TRANSFERRED,
        A.SUSPEND: S.SUSPENDED,
        A.MERGE: S.MERGED,
    },
    S.DISPATCHED: {
        A.START: S.IN_PROGRESS,
        A.ESCALATE: S.ACCEPTED,
        A.TRANSFER: S.TRANSFERRED,
        A.SUSPEND: S.SUSPENDED,
    },
    S.IN_PROGRESS: {
        A.RESOLVE: S.RESOLVED,
        A.ESCALATE: S.ACCEPTED,
        A.TRANSFER: S.TRANSFERRED,
        A.SUSPEND: S.SUSPENDED,
    },
    S.RETURNED: {
        A.START: S.IN_PROGRESS,
        A.ESCALATE: S.ACCEPTED,
        A.SUSPEND: S.SUSPENDED,
    },
    S.RESOLVED: {A.VERIFY: S.VERIFIED, A.RETURN: S.RETURNED},
    S.VERIFIED: {A.CLOSE: S.CLOSED, A.RETURN: S.RETURNED},
    S.CLOSED: {A.REOPEN: S.ACCEPTED},
    S.TRANSFERRED: {A.TAKE_BACK: S.ACCEPTED},
    S.SUSPENDED: {A.RESUME: PREVIOUS},
    S.NOT_ACCEPTED: {},
    S.MERGED: {},
}
# The path of a case handled without detours, one action per state.
FORWARD: dict[State, Action] = {
    S.REPORTED: A.ACCEPT,
    S.ACCEPTED: A.DISPATCH,
    S.DISPATCHED: A.START,
    S.RETURNED: A.START,
    S.IN_PROGRESS: A.RESOLVE,
    S.RESOLVED: A.VERIFY,
    S.VERIFIED: A.CLOSE,
    S.CLOSED: A.REOPEN,
    S.TRANSFERRED: A.TAKE_BACK,
    S.SUSPENDED: A.RESUME,
}
ALL_ACTIONS = list(Action)


# (a) The table alone, no database


def test_the_table_is_the_lifecycle_of_the_issue():
    # given every (state, action) pair
    for state in State:
        for action in Action:
            expected = SPEC[state].get(action)
            # when / then: a row exactly where the lifecycle has one, leading where it says
            if expected is None:
                with pytest.raises(IllegalTransition):
                    transition_for(action, state)
            else:
                assert transition_for(action, state).target == expected, (state, action)


@dataclass
class Walk:
    """A case in the pure state machine: its state, what it was suspended from, what it did."""

    state: State = S.REPORTED
    suspended_from: State | None = None
    applied: list[Action] | None = None

    def step(self, action: Action) -> None:
        transition = transition_for(action, self.state)
        new_state = target_state(transition, previous=self.suspended_from)
        if action == A.SUSPEND:
            self.suspended_from = self.state
        elif action == A.RESUME:
            self.suspended_from = None
        self.state = new_state
        assert self.applied is not None
        self.applied.append(action)


@st.composite
def action_walks(draw: st.DrawFn) -> list[Action]:
    """Action sequences that mostly follow the table (so they get somewhere) with random ones
    mixed in (so illegal moves are tried from every state they reach)."""
    state, suspended_from = S.REPORTED, None
    actions: list[Action] = []
    for _ in range(draw(st.integers(min_value=1, max_value=40))):
        mode = draw(st.sampled_from(["forward", "forward", "allowed", "any"]))
        if mode == "forward" and state in FORWARD:
            action = FORWARD[state]
        elif mode == "allowed" and allowed_actions(state):
            action = draw(st.sampled_from(allowed_actions(state)))
        else:
            action = draw(st.sampled_from(ALL_ACTIONS))
        actions.append(action)
        target = SPEC[state].get(action)
        if target is not None:
            if action == A.SUSPEND:
                suspended_from = state
            state = suspended_from if target == PREVIOUS and suspended_from else State(target)
    return actions


@settings(max_examples=300)
@given(action_walks())
def test_random_action_sequences_stay_within_the_table(actions):
    # given a new case
    walk = Walk(applied=[])
    for action in actions:
        before, suspended_from = walk.state, walk.suspended_from
        allowed_here = SPEC[before]
        # when
        if action not in allowed_here:
            with pytest.raises(IllegalTransition) as raised:
                walk.step(action)
            # then an illegal move is refused, says which state refused it, and changes nothing
            assert f"'{before.value}'" in str(raised.value)
            assert f"'{action.value}'" in str(raised.value)
            assert (walk.state, walk.suspended_from) == (before, suspended_from)
            continue
        walk.step(action)
        # then the case is where the lifecycle says, resume going back where it was suspended
        expected = allowed_here[action]
        assert walk.state == (suspended_from if expected == PREVIOUS else expected)
        assert walk.state in {
            t.target for t in TRANSITIONS if t.source == before and t.action == action
        } | ({suspended_from} if action == A.RESUME else set())
        if action == A.RESUME:
            assert walk.state not in {S.SUSPENDED, None}
        # and a closed case got there through accept, resolve, verify and close
        if walk.state == S.CLOSED:
            assert walk.applied is not None
            assert walk.applied[-3:] == [A.RESOLVE, A.VERIFY, A.CLOSE]
            assert A.ACCEPT in walk.applied


@given(st.sampled_from(list(State)), st.sampled_from(ALL_ACTIONS))
def test_an_illegal_action_names_the_state_and_what_it_needs(state, action):
    if action in SPEC[state]:
        return
    # when
    with pytest.raises(IllegalTransition) as raised:
        transition_for(action, state)
    # then
    message = str(raised.value)
    assert f"state '{state.value}'" in message
    needs = sorted(s.value for s, allowed in SPEC.items() if action in allowed)
    for source in needs:
        assert source in message.split("needs a case in state:")[1]
    assert raised.value.state == state


@given(st.text(min_size=1, max_size=12).filter(lambda text: text not in Action._value2member_map_))
def test_an_unknown_action_is_illegal_in_every_state(name):
    for state in State:
        with pytest.raises(IllegalTransition) as raised:
            transition_for(name, state)
        assert "unknown action" in str(raised.value)


def test_terminal_states_allow_only_what_the_table_says():
    # then closed allows reopening only (within 7 days, for residents); the others nothing
    assert set(TERMINAL_STATES) == {S.CLOSED, S.NOT_ACCEPTED, S.MERGED}
    assert allowed_actions(S.CLOSED) == [A.REOPEN]
    assert allowed_actions(S.NOT_ACCEPTED) == []
    assert allowed_actions(S.MERGED) == []
    # and no row leads out of them except that one
    leaving = {(t.source, t.action) for t in TRANSITIONS if t.source in TERMINAL_STATES}
    assert leaving == {(S.CLOSED, A.REOPEN)}


@given(st.sampled_from(sorted(s for s, actions in SPEC.items() if A.SUSPEND in actions)))
def test_resume_returns_to_the_state_suspended_from(suspended_from):
    # given
    suspended = target_state(transition_for(A.SUSPEND, suspended_from), previous=None)
    assert suspended == S.SUSPENDED
    # when
    resumed = target_state(transition_for(A.RESUME, suspended), previous=suspended_from)
    # then
    assert resumed == suspended_from


def test_resume_without_a_remembered_state_is_illegal():
    with pytest.raises(IllegalTransition) as raised:
        target_state(transition_for(A.RESUME, S.SUSPENDED), previous=None)
    assert "suspended" in str(raised.value)


# (b) Random (actor, action) sequences through case_transition on a real case

PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NOTE_REQUIRED = {A.REJECT, A.RETURN, A.SUSPEND, A.TRANSFER, A.RESOLVE, A.REOPEN}
LEVELS = ["village", "town", "county"]
CODE_LENGTH = {"village": 12, "town": 9, "county": 6}


@dataclass
class Staff:
    """The people around the first village of the test tree, and some who have no say there."""

    users: dict[str, User]
    # Where each one routes (accepts, dispatches, verifies...) and may handle cases; "" for none.
    routes_at: dict[str, str]
    handles_at: dict[str, str]
    operator: str = "operator"


@pytest.fixture
def staff(tree: Tree, user_factory: Callable[..., User]) -> Staff:
    village, town, other_town = tree.villages[0], tree.towns[0], tree.towns[1]
    placed = {
        "worker": (Role.GRID_WORKER, tree.grids[0]),
        "worker_next_grid": (Role.GRID_WORKER, tree.grids[1]),
        "secretary": (Role.VILLAGE_SECRETARY, village),
        "deputy_secretary": (Role.VILLAGE_SECRETARY, village),
        "town_official": (Role.TOWN_OFFICIAL, town),
        "other_town_official": (Role.TOWN_OFFICIAL, other_town),
        "operator": (Role.COUNTY_OPERATOR, tree.county),
        "leader": (Role.COUNTY_LEADER, tree.county),
    }
    routers = {Role.VILLAGE_SECRETARY, Role.TOWN_OFFICIAL, Role.COUNTY_OPERATOR}
    handlers = routers | {Role.GRID_WORKER}
    return Staff(
        users={
            name: user_factory(role, code, username=name) for name, (role, code) in placed.items()
        },
        routes_at={name: code if role in routers else "" for name, (role, code) in placed.items()},
        handles_at={
            name: code if role in handlers else "" for name, (role, code) in placed.items()
        },
    )


@dataclass(frozen=True)
class Snapshot:
    state: str
    level: str
    handling_code: str
    assignee_id: int | None
    resolved_by_id: int | None
    events: int

    @classmethod
    def of(cls, case: Case) -> Snapshot:
        case = Case.objects.get(pk=case.pk)
        return cls(
            case.state,
            case.level,
            case.handling_code,
            case.assignee_id,
            case.resolved_by_id,
            CaseEvent.objects.filter(case=case).count(),
        )


@dataclass(frozen=True)
class Attempt:
    actor: str
    action: str
    note: str
    assignee: str | None
    transfer_kind: str
    transfer_to: str


def _routes(staff: Staff, name: str, case: Snapshot) -> bool:
    if name == staff.operator:
        return True  # the county operator routes everything in the county
    return bool(staff.routes_at[name]) and staff.routes_at[name] == case.handling_code


def _pulls_up(staff: Staff, name: str, case: Snapshot) -> bool:
    index = LEVELS.index(case.level)
    if index + 1 >= len(LEVELS) or not staff.routes_at[name]:
        return False
    return staff.routes_at[name] == case.handling_code[: CODE_LENGTH[LEVELS[index + 1]]]


def _may(staff: Staff, name: str, action: str, case: Snapshot) -> bool:
    """Issue 3's "who may do what", written out for the test."""
    user_id = staff.users[name].pk
    if action in {A.START, A.RESOLVE}:
        return case.assignee_id == user_id
    if action == A.VERIFY:
        return _routes(staff, name, case) and case.resolved_by_id != user_id
    if action == A.ESCALATE:
        return _routes(staff, name, case) or _pulls_up(staff, name, case)
    if action == A.REFER_DOWN:
        return case.level != "village" and _routes(staff, name, case)
    return _routes(staff, name, case)


def _may_handle(staff: Staff, name: str | None, case: Snapshot) -> bool:
    if name is None or not staff.handles_at[name]:
        return False
    code = staff.handles_at[name]
    return code.startswith(case.handling_code) or case.handling_code.startswith(code)


def expected_status(staff: Staff, attempt: Attempt, case: Snapshot) -> int:
    """The HTTP status the attempt must get: 200 when it is applied."""
    action = attempt.action
    if action not in Action._value2member_map_ or action == A.MERGE:
        return 400  # not a transition case_transition makes
    if Action(action) not in SPEC[State(case.state)]:
        return 409
    if not _may(staff, attempt.actor, action, case):
        return 403
    missing_note = action in NOTE_REQUIRED and not attempt.note.strip()
    bad_dispatch = action == A.DISPATCH and not _may_handle(staff, attempt.assignee, case)
    bad_transfer = action == A.TRANSFER and (
        attempt.transfer_kind not in {"department", "court"} or not attempt.transfer_to.strip()
    )
    if missing_note or bad_dispatch or bad_transfer:
        return 400
    if action == A.ESCALATE and case.level == "county":
        return 409  # the table allows it; there is no level above the county
    return 200


def detours(state: State) -> list[Action]:
    """What the table allows besides the straight path: escalating, referring down,
    transferring, suspending, returning, rejecting, merging."""
    return [action for action in allowed_actions(state) if action != FORWARD.get(state)]


def _attempts(staff: Staff) -> Callable[[st.DataObject, Snapshot], Attempt]:
    names = sorted(staff.users)

    def draw(data: st.DataObject, case: Snapshot) -> Attempt:
        mode = data.draw(st.sampled_from(["forward"] * 3 + ["detour"] * 3 + ["any"] * 2))
        state = State(case.state)
        if mode == "forward" and state in FORWARD:
            action: str = FORWARD[state]
        elif mode == "detour" and detours(state):
            action = data.draw(st.sampled_from(detours(state)))
        else:
            action = data.draw(st.sampled_from([*ALL_ACTIONS, "teleport"]))
        permitted = [name for name in names if _may(staff, name, action, case)]
        anyone = data.draw(st.sampled_from([False, False, False, True]))
        if mode != "any" and permitted and not anyone:
            actor = data.draw(st.sampled_from(permitted))
        else:
            actor = data.draw(st.sampled_from(names))
        handlers = [name for name in names if _may_handle(staff, name, case)]
        assignee: str | None
        if mode != "any" and handlers:
            assignee = data.draw(st.sampled_from(handlers))
        else:
            assignee = data.draw(st.sampled_from([None, *names]))
        note = "已处理" if mode != "any" else data.draw(st.sampled_from(["", "  ", "说明"]))
        kinds = ["department", "court"] if mode != "any" else ["department", "", "elsewhere"]
        kind = data.draw(st.sampled_from(kinds))
        to = data.draw(st.sampled_from(["县住建局", "", "   "])) if mode == "any" else "县住建局"
        return Attempt(actor, action, note, assignee, kind, to)

    return draw


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_complete_timeline(case: Case) -> None:
    """Starts with the report, each row starts where the one before ended, ends with the close,
    and went through acceptance, resolution and verification."""
    rows = list(
        case.events.order_by("created_at", "id").values_list("action", "from_state", "to_state")
    )
    actions = [action for action, _from, _to in rows]
    assert actions[0] == "report"
    assert rows[0][1:] == ("", S.REPORTED)
    for (_a, _f, previous_to), (action, from_state, _t) in pairwise(rows):
        assert from_state == previous_to, (action, rows)
    assert actions[-1] == A.CLOSE
    assert rows[-1][2] == S.CLOSED
    assert {A.ACCEPT, A.RESOLVE, A.VERIFY} <= set(actions)


@pytest.mark.django_db
def test_random_actors_and_actions_on_a_real_case(staff):
    draw_attempt = _attempts(staff)
    seen: Counter[int] = Counter()
    closed_cases: list[int] = []

    @PROPERTY
    @given(st.data())
    def run(data: st.DataObject) -> None:
        with rolled_back():
            # given a case reported in the first grid
            case = case_report(
                actor=staff.users["worker"],
                data=CaseInput(
                    category_code="dispute-neighbour",
                    description="楼上漏水，邻居不肯维修",
                    channel=Channel.GRID_PATROL,
                    latitude=34.2,
                    longitude=107.06,
                ),
            )
            for _ in range(data.draw(st.integers(min_value=1, max_value=40), label="steps")):
                before = Snapshot.of(case)
                attempt = draw_attempt(data, before)
                expected = expected_status(staff, attempt, before)
                assignee = staff.users[attempt.assignee] if attempt.assignee else None
                # when
                try:
                    case_transition(
                        actor=staff.users[attempt.actor],
                        case=case,
                        action=attempt.action,
                        note=attempt.note,
                        assignee=assignee,
                        transfer_kind=attempt.transfer_kind,
                        transfer_to=attempt.transfer_to,
                    )
                except DomainError as error:
                    response = exception_handler(error, {})
                    assert response is not None
                    status = response.status_code
                else:
                    status = 200
                seen[status] += 1
                after = Snapshot.of(case)
                # then the outcome is the one the table and the rules call for
                assert status == expected, (attempt, before, after)
                if status != 200:
                    # and a refusal changes nothing, timeline included
                    assert after == before, attempt
                    continue
                # and the state is one the table allows from the previous one
                target = SPEC[State(before.state)][Action(attempt.action)]
                assert after.state == (before_suspend(case) if target == PREVIOUS else target)
                # and exactly one timeline row was added, telling the same story
                assert after.events == before.events + 1
                event = case.events.order_by("-created_at", "-id").first()
                assert event is not None
                assert (event.action, event.actor_id) == (
                    attempt.action,
                    staff.users[attempt.actor].pk,
                )
                assert (event.from_state, event.to_state) == (before.state, after.state)
                assert (event.level_before, event.level_after) == (before.level, after.level)
                assert event.handling_code_after == after.handling_code
                if attempt.action == A.VERIFY:
                    # a handler never verifies their own work
                    assert event.actor_id != before.resolved_by_id
                if after.state == S.CLOSED:
                    assert_complete_timeline(case)
                    closed_cases.append(case.pk)

    run()
    # the runs did get somewhere: cases were closed, and every kind of refusal was met
    assert closed_cases
    assert {200, 400, 403, 409} <= set(seen)


def before_suspend(case: Case) -> str:
    """The state a resumed case went back to, as its timeline remembers it."""
    suspend = case.events.filter(action=A.SUSPEND).order_by("-created_at", "-id").first()
    assert suspend is not None
    return suspend.from_state


@pytest.mark.django_db
def test_a_case_referred_down_unaccepted_waits_for_the_level_below_to_accept_it(staff):
    # given a report the village did not accept in time, now with the town
    secretary, official = staff.users["secretary"], staff.users["town_official"]
    case = case_report(
        actor=staff.users["worker"],
        data=CaseInput(
            category_code="environment-waste",
            description="垃圾堆放多日无人清运",
            channel=Channel.GRID_PATROL,
            latitude=34.2,
            longitude=107.06,
        ),
    )
    case = case_transition(actor=official, case=case, action=A.ESCALATE)
    assert (case.state, case.level) == (S.REPORTED, "town")
    # when the town sends it back down as a village matter
    case = case_transition(actor=official, case=case, action=A.REFER_DOWN, note="小事不出村")
    # then the village has it, still to be accepted (立案) with an accept deadline
    assert (case.state, case.level, case.handling_code) == (
        S.REPORTED,
        "village",
        case.region_code[:12],
    )
    assert case.due_at == case.accept_deadline_at
    # and once handled to the end its timeline is complete
    worker = staff.users["worker"]
    case = case_transition(actor=secretary, case=case, action=A.ACCEPT)
    case = case_transition(actor=secretary, case=case, action=A.DISPATCH, assignee=worker)
    case = case_transition(actor=worker, case=case, action=A.START)
    case = case_transition(actor=worker, case=case, action=A.RESOLVE, note="已清运")
    case = case_transition(actor=secretary, case=case, action=A.VERIFY)
    case = case_transition(actor=secretary, case=case, action=A.CLOSE)
    assert_complete_timeline(case)

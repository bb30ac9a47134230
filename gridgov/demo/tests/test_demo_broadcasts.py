"""The demo's year of broadcasts: every message composed by one account and approved by another
who may approve it, its timeline a valid walk of the state machine, and every message sent
delivered (as rows) to exactly the terminals of its target."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from django.db import transaction

from gridgov.accounts.models import User
from gridgov.broadcast.delivery import OFFLINE_DETAIL
from gridgov.broadcast.models import (
    EMERGENCY_KINDS,
    Broadcast,
    BroadcastEvent,
    Delivery,
    DeliveryStatus,
    Terminal,
    TerminalStatus,
)
from gridgov.broadcast.policy import approval_refusal
from gridgov.broadcast.signing import server_public_key
from gridgov.broadcast.states import State, next_state
from gridgov.broadcast.terminal_protocol import TerminalVerifier
from gridgov.core.access import Role
from gridgov.core.codes import minimal_cover
from gridgov.core.scoping import jurisdiction_q
from gridgov.demo import broadcasts
from gridgov.demo.county import STEPS, load_demo
from gridgov.demo.logins import DEMO_ACCOUNTS

# The steps the broadcasts stand on: the places, the logins and the terminals.
NEEDED = {"regions", "staff", "accounts", "terminals", "broadcasts"}


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    timed: list[float] = []

    def timed_broadcasts(build: Any) -> None:
        started = time.monotonic()
        broadcasts.create_broadcasts(build)
        timed.append(time.monotonic() - started)

    steps = [
        (name, timed_broadcasts if name == "broadcasts" else step)
        for name, step in STEPS
        if name in NEEDED
    ]
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo(steps=steps)
        yield summary, timed[0]
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_approver_sits_beside_the_operator() -> None:
    roles = {a["username"]: (a["role"], a["region_code"]) for a in DEMO_ACCOUNTS}
    assert roles["approver"] == (Role.DEPUTY_COUNTY_LEADER.value, roles["operator"][1])
    assert roles["operator"][0] == Role.COUNTY_OPERATOR.value


@pytest.mark.django_db
def test_every_message_was_approved_by_a_second_person_who_may(loaded: Any) -> None:
    summary, seconds = loaded
    messages = list(Broadcast.objects.select_related("composer", "approved_by"))
    assert summary.broadcasts == len(messages) == len(broadcasts.PLAN)
    # the step adds little to the load
    assert seconds < 10, seconds
    approved = [m for m in messages if m.approved_by_id is not None]
    assert len(approved) >= 20
    composers = {m.composer.username for m in messages}
    assert {"operator", "village_xiguan", "village_tiandu"} <= composers
    for message in approved:
        approver = message.approved_by
        assert approver is not None
        assert approver.pk != message.composer_id
        assert approver.pk not in message.author_ids
        # the approver holds the permission over the whole target (and the county-wide
        # emergency's is the county leader's or their deputy's)
        assert approval_refusal(approver, message) is None, message.title
        assert message.approved_revision == message.revision
    assert {m.approved_by.username for m in approved if m.approved_by} >= {
        "approver",
        "county_leader",
        "town_chengguan",
        "town_tiandu",
    }


@pytest.mark.django_db
def test_a_year_of_routine_messages_a_few_emergencies_and_some_still_waiting(
    loaded: Any,
) -> None:
    messages = list(Broadcast.objects.all())
    states = Counter(m.state for m in messages)
    assert states[State.COMPLETED] >= 18
    for waiting in (State.DRAFT, State.SUBMITTED, State.REJECTED, State.CANCELLED):
        assert states[waiting] == 1, waiting
    emergencies = {m.kind for m in messages if m.kind in EMERGENCY_KINDS}
    assert emergencies == {"flood", "fire", "epidemic"}
    assert all(m.state == State.COMPLETED for m in messages if m.kind in EMERGENCY_KINDS)
    first = min(m.created_at for m in messages)
    last = max(m.created_at for m in messages)
    assert (last - first).days >= 330
    # the one waiting for approval is the demo approver's to decide
    submitted = next(m for m in messages if m.state == State.SUBMITTED)
    assert approval_refusal(User.objects.get(username="approver"), submitted) is None


@pytest.mark.django_db
def test_every_timeline_is_a_walk_of_the_state_machine(loaded: Any) -> None:
    for message in Broadcast.objects.all():
        events = list(BroadcastEvent.objects.filter(broadcast=message).order_by("created_at", "id"))
        assert events[0].action == "compose"
        assert events[0].to_state == State.DRAFT
        assert events[0].actor_id == message.composer_id
        for before, after in pairwise(events):
            assert after.from_state == before.to_state
            assert next_state(after.action, after.from_state) == after.to_state
            assert after.created_at >= before.created_at
        assert events[-1].to_state == message.state
        approvals = [e for e in events if e.action in ("approve", "reject")]
        assert all(e.actor_id != message.composer_id for e in approvals)
        if message.state == State.REJECTED:
            assert approvals[-1].note


@pytest.mark.django_db
def test_messages_sent_reached_exactly_their_targets_terminals(loaded: Any) -> None:
    summary, _seconds = loaded
    verifier_key = server_public_key()
    total = 0
    for message in Broadcast.objects.all():
        deliveries = list(Delivery.objects.filter(broadcast=message).select_related("terminal"))
        total += len(deliveries)
        if message.dispatched_at is None:
            assert deliveries == []
            continue
        reached = set(
            Terminal.objects.filter(
                jurisdiction_q(minimal_cover(message.target_codes))
            ).values_list("id", flat=True)
        )
        assert {d.terminal_id for d in deliveries} == reached
        for delivery in deliveries:
            if delivery.terminal.status == TerminalStatus.ONLINE:
                assert delivery.status in (DeliveryStatus.PLAYED, DeliveryStatus.FAILED)
            else:
                assert delivery.status == DeliveryStatus.FAILED
            if delivery.terminal.status == TerminalStatus.OFFLINE:
                assert delivery.detail == OFFLINE_DETAIL
            if delivery.status == DeliveryStatus.PLAYED:
                assert delivery.played_at is not None
        played = sum(d.status == DeliveryStatus.PLAYED for d in deliveries)
        assert played > len(deliveries) / 2
        # the payload is what the terminal would have verified when it arrived
        sample = deliveries[0]
        issued = message.dispatched_at.timestamp()

        def at_arrival(issued: float = issued) -> float:
            return issued + 1

        verdict = TerminalVerifier(sample.terminal.code, verifier_key, clock=at_arrival).verify(
            sample.payload.encode("utf-8")
        )
        assert verdict.accepted, verdict.refusal
        assert verdict.payload is not None
        assert verdict.payload["message_id"] == str(message.identifier)
    assert summary.broadcast_deliveries == total > 0

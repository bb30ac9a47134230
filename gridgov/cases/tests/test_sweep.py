"""The periodic SLA sweep under a frozen clock: warnings before deadlines (once), overdue cases
one level up (village to town to county, never beyond), untouched cases, and the sweep's
statement count, which must not grow with the number of cases it moves."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gridgov.accounts.models import User
from gridgov.cases.models import Case, CaseEvent, Category, Channel, Urgency
from gridgov.cases.services import CaseInput, case_report, case_transition
from gridgov.cases.sla import ESCALATED_ACCEPT_HOURS, ESCALATED_ACCEPT_HOURS_URGENT, sla_for
from gridgov.cases.states import State
from gridgov.cases.tasks import sweep_deadlines
from gridgov.core.access import Role
from gridgov.notifications.models import Notification
from gridgov.testing import Tree

# 2026-03-02 09:00 in the county (Asia/Shanghai).
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
WARNING_HOURS = 4
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _warning_window(settings: Any) -> None:
    settings.DEADLINE_WARNING_HOURS = WARNING_HOURS


@dataclass
class People:
    worker: User
    secretary: User
    town_official: User
    other_town_official: User
    operator: User


@pytest.fixture
def people(tree: Tree, user_factory: Callable[..., User]) -> People:
    return People(
        worker=user_factory(Role.GRID_WORKER, tree.grids[0]),
        secretary=user_factory(Role.VILLAGE_SECRETARY, tree.villages[0]),
        town_official=user_factory(Role.TOWN_OFFICIAL, tree.towns[0]),
        other_town_official=user_factory(Role.TOWN_OFFICIAL, tree.towns[1]),
        operator=user_factory(Role.COUNTY_OPERATOR, tree.county),
    )


def report(actor: User | None, **overrides: Any) -> Case:
    """A case in the first grid of the test tree (first village, first town)."""
    fields: dict[str, Any] = {
        "category_code": "dispute-neighbour",
        "description": "楼上漏水，邻居不肯维修",
        "channel": Channel.GRID_PATROL,
        "latitude": 34.2,
        "longitude": 107.06,
    }
    fields.update(overrides)
    return case_report(actor=actor, data=CaseInput(**fields))


def sweep() -> dict[str, int]:
    """Run the periodic task's body. (Huey keeps no result of a periodic task and only logs
    its exceptions, so the tests call the body; one test below runs it through Huey.)"""
    outcome = sweep_deadlines.call_local()
    assert isinstance(outcome, dict)
    return outcome


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


DIGESTS = {
    "deadline_warning": ["case.deadline_digest", "case.my_deadline_digest"],
    "escalated": ["case.escalated_digest"],
}


def inbox(user: User, kind: str) -> int:
    """How many cases `user` was told of, of one kind, over all the digests they received."""
    rows = Notification.objects.filter(recipient=user, key__in=DIGESTS[kind])
    assert all(row.count == row.params["count"] for row in rows)
    return sum(row.count for row in rows)


def escalations(case: Case) -> list[tuple[Any, ...]]:
    return list(
        CaseEvent.objects.filter(case=case, action="escalate")
        .order_by("created_at", "id")
        .values_list("actor_id", "from_state", "to_state", "level_before", "level_after")
    )


def handled(case: Case, people: People, until: str) -> Case:
    """Take a case along the straight path up to the action `until` (inclusive)."""
    steps: list[tuple[User, str, dict[str, Any]]] = [
        (people.secretary, "accept", {}),
        (people.secretary, "dispatch", {"assignee": people.worker}),
        (people.worker, "start", {}),
        (people.worker, "resolve", {"note": "已协调"}),
        (people.secretary, "verify", {}),
        (people.secretary, "close", {}),
    ]
    for actor, action, extra in steps:
        case = case_transition(actor=actor, case=case, action=action, **extra)
        if action == until:
            return case
    raise AssertionError(until)


# Deadlines


@pytest.mark.django_db
def test_urgent_reports_must_be_accepted_within_2_hours_others_within_24(people, clock):
    # given the category's SLA at village level
    category = Category.objects.get(code="dispute-neighbour")
    sla = sla_for(category, "village")
    assert (sla.accept_hours_urgent, sla.accept_hours) == (2, 24)
    # when
    urgent = report(people.worker, urgency=Urgency.URGENT)
    normal = report(people.worker)
    # then
    assert urgent.due_at == urgent.accept_deadline_at == START + 2 * HOUR
    assert normal.due_at == normal.accept_deadline_at == START + 24 * HOUR


# Warnings


@pytest.mark.django_db
def test_a_warning_goes_out_before_the_deadline_and_only_once(people, clock):
    # given a normal report, to be accepted within 24 hours, and no one assigned yet
    case = report(people.worker)
    deadline = START + 24 * HOUR
    # when the sweep runs just before the warning window opens
    clock.move_to(deadline - WARNING_HOURS * HOUR - MINUTE)
    early = sweep()
    # then nobody is warned yet
    assert early == {"warned": 0, "escalated": 0}
    assert not Notification.objects.filter(key__in=DIGESTS["deadline_warning"]).exists()
    # when it runs inside the window, and again five minutes later
    clock.move_to(deadline - WARNING_HOURS * HOUR + MINUTE)
    first = sweep()
    clock.shift(timedelta(minutes=5))
    second = sweep()
    # then the village's secretary (who must accept it) was warned once; the town was not
    assert (first["warned"], second["warned"]) == (1, 0)
    assert inbox(people.secretary, "deadline_warning") == 1
    assert inbox(people.town_official, "deadline_warning") == 0
    assert inbox(people.worker, "deadline_warning") == 0
    # and the case itself is still waiting at the village
    assert (fresh(case).state, fresh(case).level) == (State.REPORTED, "village")


@pytest.mark.django_db
def test_a_dispatched_case_warns_its_handler_before_the_resolve_deadline(people, clock):
    # given a case dispatched to the grid worker
    case = handled(report(people.worker), people, until="dispatch")
    deadline = fresh(case).resolve_deadline_at
    assert deadline is not None
    assert fresh(case).due_at == deadline
    # when the sweep runs inside the warning window, twice
    clock.move_to(deadline - HOUR)
    warned = [sweep()["warned"], sweep()["warned"]]
    # then the handler is warned, once; not the secretary, who has done their part
    assert warned == [1, 0]
    assert inbox(people.worker, "deadline_warning") == 1
    assert inbox(people.secretary, "deadline_warning") == 0


@pytest.mark.django_db
def test_huey_runs_the_sweep_every_five_minutes(people, clock):
    # given an urgent report left lying
    case = report(people.worker, urgency=Urgency.URGENT)
    clock.move_to(START + 3 * HOUR)
    # then the task is a periodic one, due every five minutes
    task = sweep_deadlines.s()
    assert task.validate_datetime(datetime(2026, 3, 2, 4, 5))
    assert not task.validate_datetime(datetime(2026, 3, 2, 4, 7))
    # when Huey runs it (immediate mode in tests)
    sweep_deadlines()
    # then the case went up
    assert fresh(case).level == "town"


# Escalation


@pytest.mark.django_db
def test_overdue_cases_go_to_the_town_then_the_county_and_never_beyond(people, clock):
    # given an urgent and a normal report, both waiting for the village to accept them
    urgent = report(people.worker, urgency=Urgency.URGENT)
    normal = report(people.worker)

    # when the sweep runs just after the urgent one's 2 hours
    clock.move_to(START + 2 * HOUR + MINUTE)
    first = sweep()
    # then the urgent case went up to the town, still to be accepted, the normal one did not
    assert first["escalated"] == 1
    urgent_now = fresh(urgent)
    assert (urgent_now.state, urgent_now.level, urgent_now.handling_code) == (
        State.REPORTED,
        "town",
        urgent.region_code[:9],
    )
    assert urgent_now.assignee_id is None
    # the town has 2 hours (urgent) to take it up, and the accept deadline says so too
    town_deadline = START + 2 * HOUR + MINUTE + ESCALATED_ACCEPT_HOURS_URGENT * HOUR
    assert urgent_now.due_at == urgent_now.accept_deadline_at == town_deadline
    assert (fresh(normal).state, fresh(normal).level) == (State.REPORTED, "village")
    assert escalations(normal) == []
    # and the timeline row has no actor (the system did it) and the right levels
    assert escalations(urgent) == [(None, "reported", "reported", "village", "town")]
    # and the town's officials were told; not the other town, not the county
    assert inbox(people.town_official, "escalated") == 1
    assert inbox(people.other_town_official, "escalated") == 0
    assert inbox(people.operator, "escalated") == 0

    # when the town lets its 2 hours pass too
    clock.move_to(town_deadline + MINUTE)
    assert sweep()["escalated"] == 1
    # then the county has it, and its operators were told
    assert (fresh(urgent).level, fresh(urgent).handling_code) == ("county", urgent.county_code)
    assert escalations(urgent)[-1] == (None, "reported", "reported", "town", "county")
    assert inbox(people.operator, "escalated") == 1

    # when the normal one's 24 hours pass, and then the town's 24
    clock.move_to(START + 24 * HOUR + MINUTE)
    assert sweep()["escalated"] == 1
    assert fresh(normal).level == "town"
    clock.move_to(START + (24 + ESCALATED_ACCEPT_HOURS) * HOUR + 2 * MINUTE)
    assert sweep()["escalated"] == 1
    assert fresh(normal).level == "county"

    # when the county lets them lie for two months, with the sweep running all the while
    for day in range(3, 61, 7):
        clock.move_to(START + timedelta(days=day))
        assert sweep()["escalated"] == 0
    # then nothing goes beyond the county: two automatic steps each, and they stay overdue there
    for case in (urgent, normal):
        assert [row[3:] for row in escalations(case)] == [("village", "town"), ("town", "county")]
        now = fresh(case)
        assert now.level == "county"
        assert now.due_at is not None
        assert now.due_at < START + timedelta(days=59)  # the last sweep saw it overdue
    assert inbox(people.operator, "escalated") == 2


@pytest.mark.django_db
def test_an_overdue_case_in_hand_goes_up_and_leaves_its_handler(people, clock):
    # given a case the grid worker started, past its resolve deadline
    case = handled(report(people.worker), people, until="start")
    deadline = fresh(case).resolve_deadline_at
    assert deadline is not None
    clock.move_to(deadline + MINUTE)
    # when
    assert sweep()["escalated"] == 1
    # then the town takes it on, to dispatch anew; the worker no longer has it
    now = fresh(case)
    assert (now.state, now.level, now.assignee_id) == (State.ACCEPTED, "town", None)
    assert escalations(case) == [(None, "in_progress", "accepted", "village", "town")]
    assert now.due_at == deadline + MINUTE + ESCALATED_ACCEPT_HOURS * HOUR
    assert inbox(people.town_official, "escalated") == 1


@pytest.mark.django_db
def test_a_case_reported_at_county_level_stays_there_when_overdue(people, tree, clock):
    # given a resident's report with only the county as its place
    case = report(
        None,
        channel=Channel.RESIDENT_WEB,
        latitude=None,
        longitude=None,
        region_code=tree.county,
        address="县城某处",
    )
    assert (case.level, case.handling_code) == ("county", tree.county)
    # when it is long overdue
    clock.move_to(START + timedelta(days=30))
    outcome = sweep()
    # then it stays at the county, still overdue, with no new timeline row
    assert outcome["escalated"] == 0
    now = fresh(case)
    assert (now.state, now.level, now.due_at) == (State.REPORTED, "county", case.due_at)
    assert list(now.events.values_list("action", flat=True)) == ["report"]


@pytest.mark.django_db
def test_cases_not_due_or_not_being_worked_are_untouched(people, clock):
    # given cases whose handling clock is stopped, reported two months ago
    worker, secretary = people.worker, people.secretary
    resolved = handled(report(worker), people, until="resolve")
    closed = handled(report(worker), people, until="close")
    suspended = case_transition(
        actor=secretary,
        case=handled(report(worker), people, until="accept"),
        action="suspend",
        note="等待当事人返乡",
    )
    transferred = case_transition(
        actor=secretary,
        case=handled(report(worker), people, until="accept"),
        action="transfer",
        note="属住建部门职责",
        transfer_kind="department",
        transfer_to="县住建局",
    )
    rejected = case_transition(
        actor=secretary, case=report(worker), action="reject", note="不属于受理范围"
    )
    # and an accepted case that is overdue, so the sweep has something to do
    overdue = handled(report(worker), people, until="accept")
    # and a report made an hour before the sweep (due in 23 hours)
    clock.move_to(START + timedelta(days=60) - HOUR)
    recent = report(worker)
    untouched = [resolved, closed, suspended, transferred, rejected, recent]
    before = {
        case.pk: (row.state, row.level, row.handling_code, row.due_at, row.events.count())
        for case in untouched
        for row in [fresh(case)]
    }
    # when
    clock.move_to(START + timedelta(days=60))
    outcome = sweep()
    # then only the overdue accepted case moved
    assert outcome == {"warned": 0, "escalated": 1}
    assert fresh(overdue).level == "town"
    after = {
        case.pk: (row.state, row.level, row.handling_code, row.due_at, row.events.count())
        for case in untouched
        for row in [fresh(case)]
    }
    assert after == before
    assert not Notification.objects.filter(key__in=DIGESTS["deadline_warning"]).exists()


# Set-based: the statement count does not grow with the number of cases


def _copies(case: Case, count: int) -> None:
    """`count` more cases like `case` (same place, state and deadlines), inserted at once."""
    template = fresh(case)
    copies = []
    for index in range(count):
        copy = fresh(template)
        copy.pk = None
        copy.number = f"{template.number}-{index}"
        copy.tracking_token = secrets.token_urlsafe(16)[:22]
        copies.append(copy)
    Case.objects.bulk_create(copies)


def _sweep_statements(people: People, clock: time_machine.Traveller, count: int) -> int:
    """Statements one sweep runs when `count` cases are overdue and `count` more are due within
    the warning window; the cases are rolled back afterwards."""
    with transaction.atomic():
        clock.move_to(START)
        overdue = report(people.worker)
        _copies(overdue, count - 1)
        clock.move_to(START + 2 * HOUR)
        approaching = report(people.worker)
        _copies(approaching, count - 1)
        # The first ones are past their 24 hours, the others due within the warning window.
        clock.move_to(START + 24 * HOUR + MINUTE)
        with CaptureQueriesContext(connection) as queries:
            outcome = sweep()
        assert outcome == {"warned": count, "escalated": count}
        assert CaseEvent.objects.filter(action="escalate", actor=None).count() == count
        assert inbox(people.town_official, "escalated") == count
        assert inbox(people.secretary, "deadline_warning") == count
        # by digest: one notice each for the town's official and the village's secretary
        assert Notification.objects.filter(recipient=people.town_official).count() == 1
        assert Notification.objects.filter(recipient=people.secretary).count() == 1
        transaction.set_rollback(True)
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_the_sweep_is_set_based(people, clock):
    # when the sweep handles 5 cases of each kind, and then 200
    few = _sweep_statements(people, clock, 5)
    many = _sweep_statements(people, clock, 200)
    # then it runs the same statements for both: no statement per case
    assert many == few
    # each step: its writes, and for the digests a grouped SELECT, the units' names and one INSERT
    # (on PostgreSQL each step also locks the cases table: one statement more per step)
    assert few <= (16 if connection.vendor == "postgresql" else 14)


@pytest.mark.django_db
def test_the_orm_finds_the_sweeps_rows_at_the_sweeps_time(clock, people):
    from gridgov.cases.services import escalate_overdue_cases

    # given a case past its accept deadline
    case = report(people.worker)
    assert case.due_at is not None
    now = case.due_at + MINUTE
    # when the sweep runs at that moment
    assert escalate_overdue_cases(now=now) == 1
    # then an exact-time lookup finds what it wrote (raw SQL stores times as the ORM does)
    assert CaseEvent.objects.filter(case=case, action="escalate", created_at=now).count() == 1
    assert Case.objects.filter(pk=case.pk, updated_at=now).exists()


@pytest.mark.django_db
def test_a_keyset_page_bounds_its_key_with_a_plain_range(clock, people):
    from gridgov.cases.selectors import encode_cursor, queue_page

    # given a case and a cursor just before its key
    case = report(people.worker)
    assert case.due_at is not None
    cursor = encode_cursor({"due_at": case.due_at.isoformat(), "id": case.pk - 1})
    # when the next page is read
    with CaptureQueriesContext(connection) as captured:
        rows, _next = queue_page(Case.objects.all(), cursor=cursor, size=10)
    # then the case is on it, and the SQL gives the index a plain lower bound to seek to
    assert [row.pk for row in rows] == [case.pk]
    assert '"due_at" >= ' in captured.captured_queries[-1]["sql"]

"""The demo's year of cases: loaded once at a reduced size (in a transaction rolled back at the
end), then checked against the state table, the SLA, the sweep and the demo logins' needs."""

from __future__ import annotations

import io
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.cases import policy
from gridgov.cases.catalogue import seed_categories
from gridgov.cases.models import (
    LEVEL_CODE_LENGTH,
    LEVEL_ORDER,
    PUBLIC_CHANNELS,
    Case,
    CaseEvent,
    CaseSequence,
    Category,
)
from gridgov.cases.selectors import CaseFilters, case_list, my_tasks, unit_queue
from gridgov.cases.services import (
    CaseInput,
    case_report,
)
from gridgov.cases.services.intake import handling_unit_for
from gridgov.cases.states import (
    TERMINAL_STATES,
    WORKING_STATES,
    LevelChange,
    State,
    target_state,
    transition_for,
)
from gridgov.core.access import Perm
from gridgov.core.pii import search_hash
from gridgov.dashboards.models import CaseRollup
from gridgov.demo import cases as demo_cases
from gridgov.demo.case_life import CaseContext
from gridgov.demo.case_story import SWEEP_MINUTES
from gridgov.demo.case_year import cases_digest
from gridgov.demo.county import STEPS, load_demo
from gridgov.demo.layout import SEED
from gridgov.demo.logins import DEMO_ACCOUNTS
from gridgov.notifications.models import Notification
from gridgov.open311.models import Open311Client, Open311Request
from gridgov.regions.locator import locate_points

SMALL = 4000
NUMBER = re.compile(r"^610324-(\d{8})-(\d{6})$")


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo with a reduced year of cases; yields what the load reported."""
    now = timezone.now()
    steps = [
        (name, partial(demo_cases.create_cases, count=SMALL, now=now) if name == "cases" else step)
        for name, step in STEPS
    ]
    with django_db_blocker.unblock(), transaction.atomic():
        seed_categories(Category)  # in case an earlier transactional test flushed them
        summary = load_demo(steps=steps)
        yield {"now": now, "summary": summary}
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def timelines(loaded: dict[str, Any], django_db_blocker: Any) -> dict[int, list[CaseEvent]]:
    with django_db_blocker.unblock():
        events: dict[int, list[CaseEvent]] = defaultdict(list)
        for event in CaseEvent.objects.order_by("case_id", "created_at", "id"):
            events[event.case_id].append(event)
        return events


def _user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.mark.django_db(transaction=False)
def test_the_year_has_its_size_and_mix(loaded: dict[str, Any]) -> None:
    # given the reduced demo year
    now = loaded["now"]
    cases = list(Case.objects.values("state", "level", "channel", "created_at", "rating"))
    # then there are about as many cases as asked, all in the year before now
    assert SMALL * 0.97 <= len(cases) <= SMALL * 1.03
    assert loaded["summary"].cases == len(cases)
    assert all(now - timedelta(days=366) < c["created_at"] < now for c in cases)
    # and grid patrols are the commonest channel, every channel and level occurs
    channels = Counter(c["channel"] for c in cases)
    assert channels.most_common(1)[0][0] == "grid_patrol"
    assert set(channels) == set(demo_cases.Channel.values)
    levels = Counter(c["level"] for c in cases)
    assert levels["village"] > levels["town"] > levels["county"] > 0
    # and most cases are closed, most of those rated 1 to 5, and the recent ones still open
    states = Counter(c["state"] for c in cases)
    assert states["closed"] > 0.8 * len(cases)
    assert {"reported", "accepted", "in_progress", "resolved", "not_accepted", "merged"} <= set(
        states
    )
    ratings = [c["rating"] for c in cases if c["state"] == "closed"]
    assert sum(r is not None for r in ratings) > 0.6 * len(ratings)
    assert {r for r in ratings if r is not None} == {1, 2, 3, 4, 5}
    open_cases = [c for c in cases if c["state"] not in TERMINAL_STATES]
    assert open_cases
    assert sum(now - c["created_at"] < timedelta(days=30) for c in open_cases) > 0.8 * len(
        open_cases
    )


def _replay(case: Case, events: list[CaseEvent]) -> list[str]:
    """Problems found playing the timeline through the state table; empty when it is legal."""
    problems: list[str] = []
    first = events[0]
    level, code = handling_unit_for(case.region_code)
    if (first.action, first.to_state, first.level_after, first.handling_code_after) != (
        "report",
        State.REPORTED,
        level,
        code,
    ):
        problems.append("does not start with its report")
    state, level, code, before_suspend = first.to_state, first.level_after, code, None
    for previous, event in itertools.pairwise(events):
        if event.created_at < previous.created_at:
            problems.append(f"{event.action}: earlier than the row before")
        if event.action in {"rate", "merge_in"}:
            if (event.from_state, event.to_state, event.level_after) != (state, state, level):
                problems.append(f"{event.action} changes the case")
            continue
        if event.from_state != state:
            problems.append(f"{event.action} from {event.from_state}, case was {state}")
        transition = transition_for(event.action, state)  # IllegalTransition fails the test
        expected = target_state(transition, previous=before_suspend)
        if event.action == "suspend":
            before_suspend = state
        if event.to_state != expected:
            problems.append(f"{event.action} to {event.to_state}, table says {expected}")
        index = LEVEL_ORDER.index(level)
        if transition.level == LevelChange.UP:
            level = LEVEL_ORDER[index + 1]
            code = code[: LEVEL_CODE_LENGTH[level]]
        elif transition.level == LevelChange.DOWN:
            level = LEVEL_ORDER[index - 1]
            code = case.region_code[: LEVEL_CODE_LENGTH[level]]
        if (event.level_before, event.level_after, event.handling_code_after) != (
            LEVEL_ORDER[index],
            level,
            code,
        ):
            problems.append(f"{event.action}: levels or unit inconsistent")
        state = event.to_state
    if (case.state, case.level, case.handling_code) != (state, level, code):
        problems.append("the case is not where its last row left it")
    return problems


@pytest.mark.django_db(transaction=False)
def test_every_timeline_is_legal_and_ends_where_its_case_is(
    loaded: dict[str, Any], timelines: dict[int, list[CaseEvent]]
) -> None:
    # given every case and its timeline
    problems = {}
    for case in Case.objects.all():
        # when it is replayed through the state table
        found = _replay(case, timelines[case.pk])
        if found:
            problems[case.number] = found
    # then every step is legal and the case's state, level and unit are its last row's
    assert problems == {}


@pytest.mark.django_db(transaction=False)
def test_fields_agree_with_the_timeline(
    loaded: dict[str, Any], timelines: dict[int, list[CaseEvent]]
) -> None:
    # given every case
    wrong: list[str] = []
    for case in Case.objects.all():
        events = timelines[case.pk]
        last = {e.action: e for e in events}
        # then closed, resolved and assignee follow the last close, resolve and dispatch
        if case.state == State.CLOSED and case.closed_at != last["close"].created_at:
            wrong.append(f"{case.number} closed_at")
        if "resolve" in last and case.resolved_by_id != last["resolve"].actor_id:
            wrong.append(f"{case.number} resolved_by")
        moved = [e for e in events if e.level_before and e.level_before != e.level_after]
        if "dispatch" in last and not (
            moved and moved[-1].created_at > last["dispatch"].created_at
        ):
            dispatched_to = last["dispatch"].data["assignee"]
            if case.assignee is None or case.assignee.username != dispatched_to:
                wrong.append(f"{case.number} assignee")
        # and the deadline that is watched is set exactly while the case is being worked
        if (case.due_at is not None) != (case.state in WORKING_STATES):
            wrong.append(f"{case.number} due_at in {case.state}")
        # (a merge_in row, like the service's, leaves the target's updated_at alone)
        changes = [e for e in events if e.action != "merge_in"]
        if case.updated_at != changes[-1].created_at:
            wrong.append(f"{case.number} updated_at")
        # and a rating is the last rate row's, unless the case was reopened since
        if case.rating is not None and case.rating != last["rate"].data["rating"]:
            wrong.append(f"{case.number} rating")
    assert wrong == []


@pytest.mark.django_db(transaction=False)
def test_no_case_is_verified_by_whoever_resolved_it(
    loaded: dict[str, Any], timelines: dict[int, list[CaseEvent]]
) -> None:
    # given every verification with the resolution before it
    pairs = []
    for events in timelines.values():
        resolver = None
        for event in events:
            if event.action == "resolve":
                resolver = event.actor_id
            elif event.action == "verify":
                pairs.append((resolver, event.actor_id))
    # then there are many, and none is by the resolver
    assert len(pairs) > SMALL / 2
    assert [pair for pair in pairs if pair[0] == pair[1]] == []


@pytest.mark.django_db(transaction=False)
def test_overdue_escalated_transferred_and_merged_cases_occur(
    loaded: dict[str, Any], timelines: dict[int, list[CaseEvent]]
) -> None:
    # given the loaded year
    now = loaded["now"]
    overdue = Case.objects.filter(due_at__lt=now, state__in=[s.value for s in WORKING_STATES])
    # then cases are overdue across the county; only at county level does the sweep leave them
    # so for long
    assert len(set(overdue.values_list("town_code", flat=True))) == 8
    sweep_lag = timedelta(minutes=SWEEP_MINUTES, seconds=5)
    assert not overdue.exclude(level="county").filter(due_at__lt=now - sweep_lag).exists()
    # and the sweep and people escalated cases to town and county, consistently
    escalations = CaseEvent.objects.filter(action="escalate")
    assert escalations.filter(actor__isnull=True, data__automatic=True).exists()
    assert escalations.filter(actor__isnull=False).exists()
    assert set(escalations.values_list("level_after", flat=True)) == {"town", "county"}
    for event in escalations.filter(actor__isnull=True)[:200]:
        due = [e for e in timelines[event.case_id] if e.created_at < event.created_at]
        assert event.note, "the sweep says why"
        assert due[-1].to_state == event.from_state
    # and cases went to a department and to the court, and were taken back
    kinds = set(
        CaseEvent.objects.filter(action="transfer").values_list("data__transfer_kind", flat=True)
    )
    assert kinds == {"department", "court"}
    assert CaseEvent.objects.filter(action="take_back").exists()
    actions = set(CaseEvent.objects.values_list("action", flat=True))
    assert {"suspend", "resume", "reject", "reopen", "refer_down", "return", "merge"} <= actions
    # and each merged duplicate points at its case, whose timeline has the merge_in row
    merged = Case.objects.filter(state=State.MERGED).select_related("merged_into")
    assert merged.exists()
    for case in merged:
        assert case.merged_into is not None
        merge = next(e for e in timelines[case.pk] if e.action == "merge")
        assert merge.data == {"into": case.merged_into.number}
        merge_in = [e for e in timelines[case.merged_into.pk] if e.action == "merge_in"]
        assert any(e.data == {"merged": case.number, "event": merge.pk} for e in merge_in)
    assert Case.objects.filter(possible_duplicate_of__isnull=False).count() >= merged.count()


@pytest.mark.django_db(transaction=False)
def test_each_demo_login_has_work(loaded: dict[str, Any]) -> None:
    # given the demo logins
    now = loaded["now"]
    for username in ("grid_xiguan_01", "grid_tiandu_01"):
        # when a grid worker opens their task list
        tasks = list(my_tasks(actor=_user(username)))
        # then tasks wait, some overdue, some new
        assert len(tasks) >= 3, username
        assert any(task.due_at is not None and task.due_at < now for task in tasks), username
        assert {task.state for task in tasks} >= {"dispatched", "in_progress", "returned"}
    for username in ("village_xiguan", "village_tiandu"):
        secretary = _user(username)
        code = secretary.active_assignments()[0].region_code
        # when a secretary opens the village's queue and the cases waiting for a check
        queue = {case.state for case in unit_queue(actor=secretary, handling_code=code)}
        to_verify = case_list(
            actor=secretary, filters=CaseFilters(state="resolved", handling_code=code)
        )
        # then there are cases to accept, to dispatch and to verify
        assert {"reported", "accepted"} <= queue, username
        assert to_verify.exists(), username
    for username in ("town_chengguan", "town_tiandu"):
        official = _user(username)
        code = official.active_assignments()[0].region_code
        # then the town works cases escalated to it
        escalated = case_list(
            actor=official,
            filters=CaseFilters(escalated_only=True, handling_code=code, open_only=True),
        )
        assert escalated.exists(), username
    # and the county's operator sees overdue cases
    operator = _user("operator")
    assert case_list(actor=operator, filters=CaseFilters(overdue_only=True)).exists()
    # and each of these logins has unread inbox rows about its cases
    unread = Counter(
        Notification.objects.filter(read_at__isnull=True).values_list("recipient__username", "key")
    )
    for username, kind in (
        ("grid_xiguan_01", "case.assigned"),
        ("grid_xiguan_01", "case.deadline_warning"),
        ("grid_tiandu_01", "case.returned"),
        ("village_xiguan", "case.new_case"),
        ("village_tiandu", "case.deadline_warning"),
        ("town_chengguan", "case.escalated"),
        ("town_tiandu", "case.escalated"),
        ("operator", "case.escalated"),
    ):
        assert unread[(username, kind)] >= 1, (username, kind)
    assert not Notification.objects.exclude(
        recipient__username__in=[a["username"] for a in DEMO_ACCOUNTS]
    ).exists()


@pytest.mark.django_db(transaction=False)
def test_points_lie_where_the_locator_places_them(loaded: dict[str, Any]) -> None:
    # given the cases reported with a map point
    rows = list(
        Case.objects.filter(latitude__isnull=False).values_list(
            "longitude", "latitude", "region_code", "grid_code", "handling_code"
        )
    )
    assert len(rows) > SMALL / 2
    # when the locator places each point
    located = locate_points(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]))
    # then each case is in the micro-grid the point falls in, handled by a unit above it
    assert [where.region_code if where else None for where in located] == [r[2] for r in rows]
    assert all(len(r[2]) == 18 and r[2].startswith(r[4]) for r in rows)
    # and those without a point have a grid or village and a written address
    without = Case.objects.filter(latitude__isnull=True)
    assert without.exists()
    assert not without.filter(address="").exists()
    assert set(len(code) for code in without.values_list("region_code", flat=True)) <= {12, 15, 18}


@pytest.mark.django_db(transaction=False)
def test_numbers_run_per_day_and_new_reports_continue_them(
    loaded: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given the numbers in report order
    rows = list(Case.objects.order_by("created_at", "id").values_list("number", "created_at"))
    numbers: dict[str, list[int]] = defaultdict(list)
    for number, created_at in rows:
        match = NUMBER.match(number)
        assert match, number
        assert match.group(1) == f"{timezone.localtime(created_at):%Y%m%d}"
        numbers[match.group(1)].append(int(match.group(2)))
    # then each day counts 1, 2, 3... in report order, and the sequence rows know the last
    assert all(seq == list(range(1, len(seq) + 1)) for seq in numbers.values())
    last = {f"{day:%Y%m%d}": n for day, n in CaseSequence.objects.values_list("day", "last")}
    assert last == {day: len(seq) for day, seq in numbers.items()}
    # and tracking tokens are unique
    assert Case.objects.values("tracking_token").distinct().count() == len(rows)
    # when a grid worker reports a new case today
    worker = _user("grid_xiguan_01")
    today = f"{timezone.localdate():%Y%m%d}"
    with django_capture_on_commit_callbacks(execute=True):
        case = case_report(
            actor=worker,
            data=CaseInput(
                category_code="other",
                description="路边井盖缺失",
                channel="grid_patrol",
                region_code="610324001200001",
                address="西关村1组",
            ),
        )
    # then its number follows today's last
    assert case.number == f"610324-{today}-{last.get(today, 0) + 1:06d}"


@pytest.mark.django_db(transaction=False)
def test_reporters_contact_is_encrypted_for_about_half(loaded: dict[str, Any]) -> None:
    # given the stored reporter phone column, as the database holds it
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone, reporter_name FROM cases_case")
        stored = cursor.fetchall()
    with_phone = [phone for phone, _name in stored if phone]
    # then about half the reports left a contact, encrypted at rest (Fernet tokens)
    assert 0.3 < len(with_phone) / len(stored) < 0.7
    assert all(phone.startswith("gAAAAA") for phone in with_phone)
    # and the search hash finds a case by its reporter's phone
    case = Case.objects.exclude(reporter_phone_hash="").first()
    assert case is not None
    phone = case.reporter_phone.reveal()
    assert phone.startswith("+861")
    assert case.reporter_phone_hash == search_hash(phone)
    assert str(case.reporter_phone) != phone


@pytest.mark.django_db(transaction=False)
def test_the_same_seed_plans_the_same_cases(loaded: dict[str, Any]) -> None:
    # given the loaded demo's context
    from gridgov.demo.logins import DEMO_ACCOUNTS as accounts

    context = CaseContext.load("610324", [a["username"] for a in accounts])
    stored = cases_digest(Case.objects.values_list("number", "state"))
    plan = partial(demo_cases.plan_cases, context, now=loaded["now"], count=SMALL)
    # when the year is planned again from the same seed, and from another
    again = plan(rng=demo_cases.cases_rng(SEED)).digest()
    other = plan(rng=demo_cases.cases_rng(SEED + 1)).digest()
    # then the same seed gives what was stored, another seed something else
    assert again == stored == loaded["summary"].cases_digest
    assert other != stored


@pytest.mark.django_db(transaction=False)
def test_open311_cases_belong_to_the_demo_client_and_its_key_is_listed(
    loaded: dict[str, Any],
) -> None:
    # given the Open311 cases
    open311 = Case.objects.filter(channel="open311")
    assert open311.exists()
    # then each came from the demo client
    assert Open311Request.objects.count() == open311.count()
    assert set(Open311Request.objects.values_list("client__name", flat=True)) == {"open311-demo"}
    # when the demo accounts are listed as JSON
    output = io.StringIO()
    call_command("demo_accounts", "--json", stdout=output)
    listed = json.loads(output.getvalue())
    # then the Open311 key is among them and opens the active client
    keys = [item for item in listed if item["role"] == "open311_client"]
    assert len(keys) == 1
    assert Open311Client.objects.filter(
        key_hash=search_hash(keys[0]["api_key"]), is_active=True
    ).exists()
    # and the table shows it too
    table = io.StringIO()
    call_command("demo_accounts", stdout=table)
    assert keys[0]["api_key"] in table.getvalue()


@pytest.mark.django_db(transaction=False)
def test_the_demo_publishes_some_residents_reports_and_nothing_else(
    loaded: dict[str, Any], client: Any
) -> None:
    # given the cases of the public channels, and the others
    public = Case.objects.filter(channel__in=PUBLIC_CHANNELS)
    consented = public.filter(publication_consent=True)
    # when Open311 lists the recent requests
    response = client.get("/open311/v2/requests.json")
    # then a realistic share consented, nobody else, and Open311 shows some of them
    assert 0.3 < consented.count() / public.count() < 0.7
    assert not Case.objects.exclude(channel__in=PUBLIC_CHANNELS).filter(publication_consent=True)
    assert response.status_code == 200
    numbers = [request["service_request_id"] for request in json.loads(response.content)]
    assert numbers
    shown = Case.objects.filter(number__in=numbers)
    assert set(shown.values_list("category__public", "publication_consent")) == {(True, True)}
    assert set(shown.values_list("channel", flat=True)) <= PUBLIC_CHANNELS


# Marked like the module's other tests so it runs beside them (pytest-django moves tests without
# the mark to the end, after transactional tests have flushed the seeded categories).
@pytest.mark.django_db(transaction=False)
def test_a_full_year_is_planned_at_its_size(loaded: dict[str, Any], django_db_blocker: Any) -> None:
    # given the loaded demo's context
    with django_db_blocker.unblock():
        context = CaseContext.load("610324", [a["username"] for a in DEMO_ACCOUNTS])
        # when a full-size year is planned (in memory)
        plan = demo_cases.plan_cases(context, rng=demo_cases.cases_rng(SEED), now=loaded["now"])
    cases = [story.case for story in plan.stories]
    # then it has about 40,000 cases
    assert 35_000 <= len(cases) <= 45_000
    # and the channels rank as a county's do
    channels = [channel for channel, _ in Counter(c.channel for c in cases).most_common()]
    assert channels[:3] == ["grid_patrol", "resident_web", "hotline"]
    assert channels.index("open311") > channels.index("walk_in")

    # and disputes crowd winter, environment summer
    def share(top: str, months: set[int]) -> float:
        ids = {c.id for c in context.categories if c.top == top}
        in_months = [c for c in cases if timezone.localtime(c.created_at).month in months]
        return sum(c.category_id in ids for c in in_months) / len(in_months)

    assert share("dispute", {1, 2}) > 1.15 * share("dispute", {4, 5})
    assert share("environment", {7, 8}) > 1.3 * share("environment", {12, 1})
    # and medical disputes are rare
    medical = next(c.id for c in context.categories if c.code == "dispute-medical")
    assert sum(c.category_id == medical for c in cases) < 0.01 * len(cases)


@pytest.mark.django_db(transaction=False)
def test_everyone_acts_within_their_powers(
    loaded: dict[str, Any], timelines: dict[int, list[CaseEvent]]
) -> None:
    # given every staff member who appears on a timeline, with their roles
    actor_ids = {e.actor_id for events in timelines.values() for e in events if e.actor_id}
    users = {u.pk: u for u in User.objects.filter(pk__in=actor_ids | assignee_ids(timelines))}
    by_name = {u.username: u for u in users.values()}
    refused: list[str] = []
    for case in Case.objects.all():
        events = timelines[case.pk]
        report = events[0]
        # then the reporter, when staff, may report where the case is
        if report.actor_id and not any(
            case.region_code.startswith(code)
            for code in users[report.actor_id].jurisdiction_codes(Perm.CASES_REPORT)
        ):
            refused.append(f"{case.number} report")
        # and each step is one the policy lets its actor take at that moment
        now = Case(region_code=case.region_code, level=report.level_after)
        now.handling_code = report.handling_code_after
        for event in events[1:]:
            automatic = event.actor_id is None and event.action in {"escalate", "reopen", "rate"}
            if event.action not in {"rate", "merge_in"} and not automatic:
                actor = users[event.actor_id] if event.actor_id else None
                if not policy.may_take(actor, now, event.action):
                    refused.append(f"{case.number} {event.action}")
                if event.action == "dispatch" and not policy.may_handle(
                    by_name[event.data["assignee"]], now
                ):
                    refused.append(f"{case.number} dispatched to {event.data['assignee']}")
            if event.level_after != event.level_before and event.level_before:
                now.assignee_id = None
            if event.action == "dispatch":
                now.assignee_id = by_name[event.data["assignee"]].pk
            elif event.action == "resolve":
                now.resolved_by_id = event.actor_id
            now.level, now.handling_code = event.level_after, event.handling_code_after
    assert refused == []


def assignee_ids(timelines: dict[int, list[CaseEvent]]) -> set[int]:
    names = {
        e.data["assignee"]
        for events in timelines.values()
        for e in events
        if e.action == "dispatch"
    }
    return set(User.objects.filter(username__in=names).values_list("pk", flat=True))


@pytest.mark.django_db(transaction=False)
def test_the_command_centre_counts_every_demo_case(loaded: dict[str, Any]) -> None:
    # given the demo year, bulk-written
    # then its rollups count each case once, and the rated ones with their ratings
    totals = CaseRollup.objects.aggregate(
        cases=Sum("cases"), rated=Sum("rated"), sum=Sum("rating_sum")
    )
    cases = Case.objects.aggregate(rated=Count("rating"), sum=Sum("rating"))
    assert totals == {"cases": Case.objects.count(), "rated": cases["rated"], "sum": cases["sum"]}

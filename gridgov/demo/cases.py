"""Demo steps for cases: the officials who route them, the demo Open311 client, and a year of
cases ending now, written in bulk (cases, then their timelines).

Each timeline is what the services would have written; see `case_story` and `case_year`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment, User
from gridgov.cases.models import Case, CaseEvent, CaseSequence, Channel
from gridgov.cases.states import OPEN_STATES, WORKING_STATES, Action
from gridgov.core.access import Role
from gridgov.demo import names
from gridgov.demo.case_life import CaseContext
from gridgov.demo.case_story import Entry
from gridgov.demo.case_year import CasePlan, Planner
from gridgov.demo.logins import DEMO_ACCOUNTS
from gridgov.demo.open311_client import DEMO_CLIENT_NAME, demo_open311_key
from gridgov.notifications.models import Notification
from gridgov.open311.models import Open311Client, Open311Request

if TYPE_CHECKING:
    from gridgov.demo.county import DemoBuild

CASES_PER_YEAR = 40_000


def cases_rng(seed: int) -> np.random.Generator:
    """The generator the cases step draws from for a demo seed."""
    return np.random.default_rng([seed, 3])


def plan_cases(
    context: CaseContext,
    *,
    rng: np.random.Generator,
    now: datetime,
    count: int = CASES_PER_YEAR,
    issued_before: dict[date, int] | None = None,
) -> CasePlan:
    """About `count` cases over the year ending `now` (duplicates and the demo logins' cases
    included), with their whole timelines, in memory. Numbers continue `issued_before` (the
    last number issued per day)."""
    planner = Planner(context, rng, now)
    showcase = planner.showcase()
    twins_count = round(count * 0.012)
    seeds = planner.year(max(count - twins_count - len(showcase), 0))
    seeds += planner.duplicates(seeds, twins_count)
    return planner.simulate(seeds + showcase, issued_before or {})


EVENT_COLUMNS = (
    "case_id",
    "created_at",
    "actor_id",
    "action",
    "from_state",
    "to_state",
    "level_before",
    "level_after",
    "handling_code_after",
    "note",
    "data",
)


def insert_events(rows: Iterable[tuple[int, Entry]]) -> None:
    """Timeline rows straight into their table: the columns and values bulk_create would write
    (dates and JSON adapted by the backend), without the ORM compiling each of ~3 million values
    one by one, which took most of the load (COPY on PostgreSQL, executemany on SQLite)."""
    quote = connection.ops.quote_name
    table = quote(CaseEvent._meta.db_table)
    columns = ", ".join(quote(column) for column in EVENT_COLUMNS)

    def values(case_id: int, e: Entry) -> list[Any]:
        return [
            case_id,
            e.created_at,
            e.actor_id,
            e.action,
            e.from_state,
            e.to_state,
            e.level_before,
            e.level_after,
            e.handling_code_after,
            e.note,
            json.dumps(e.data),
        ]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for case_id, entry in rows:
                    copy.write_row(values(case_id, entry))
            return
        adapt = connection.ops.adapt_datetimefield_value
        placeholders = ", ".join(["%s"] * len(EVENT_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (model's names)
        batch: list[list[Any]] = []
        for case_id, entry in rows:
            row = values(case_id, entry)
            row[1] = adapt(entry.created_at)
            batch.append(row)
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def write_plan(plan: CasePlan, *, open311_client: Open311Client | None) -> None:
    """Cases, then their timelines (and the rows that point at both), in bulk."""
    cases = [story.case for story in plan.stories]
    Case.objects.bulk_create(cases, batch_size=2000)
    linked = []
    for story in plan.stories:
        if story.possible_duplicate_of is not None or story.merged_into is not None:
            story.case.possible_duplicate_of_id = (
                story.possible_duplicate_of.case.pk if story.possible_duplicate_of else None
            )
            story.case.merged_into_id = story.merged_into.case.pk if story.merged_into else None
            linked.append(story.case)
    Case.objects.bulk_update(linked, ["possible_duplicate_of", "merged_into"], batch_size=500)
    insert_events((story.case.pk, entry) for story in plan.stories for entry in story.events)
    # A merge_in row names the merge's own row, which has a key only now.
    merges = {story.case.pk: story for story in plan.stories if story.merged_in is not None}
    merge_keys = dict(
        CaseEvent.objects.filter(case_id__in=list(merges), action=Action.MERGE).values_list(
            "case_id", "pk"
        )
    )
    rows = []
    for case_id, story in merges.items():
        assert story.merged_in is not None
        assert story.merged_into is not None
        row = story.merged_in[1]
        row.data["event"] = merge_keys[case_id]
        rows.append((story.merged_into.case.pk, row))
    insert_events(rows)
    if open311_client is not None:
        Open311Request.objects.bulk_create(
            [
                Open311Request(case=case, client=open311_client, created_at=case.created_at)
                for case in cases
                if case.channel == Channel.OPEN311
            ],
            batch_size=2000,
        )
    county = cases[0].county_code if cases else ""
    existing = set(CaseSequence.objects.filter(county_code=county).values_list("day", flat=True))
    CaseSequence.objects.bulk_create(
        [
            CaseSequence(county_code=county, day=day, last=last)
            for day, last in plan.sequences.items()
            if day not in existing
        ]
    )
    for day, last in plan.sequences.items():
        if day in existing:
            CaseSequence.objects.filter(county_code=county, day=day).update(last=last)
    Notification.objects.bulk_create(
        [notification for notification, _at in plan.notifications], batch_size=2000
    )


def create_officials(build: DemoBuild) -> None:
    """Whoever routes and mediates cases: a secretary per village or community, an official and a
    mediator per town or street, and the county's command-centre operators and mediator (the demo
    logins fill their own places)."""
    county = names.COUNTY_CODE
    taken = set(
        RoleAssignment.objects.filter(county_code=county, is_active=True).values_list(
            "role", "region_code"
        )
    )
    slots: list[tuple[str, str, str]] = []
    for planned in build.layout.regions:
        if planned.level == "village":
            slots.append((f"vs{planned.code}", Role.VILLAGE_SECRETARY, planned.code))
        elif planned.level == "town":
            slots.append((f"to{planned.code}", Role.TOWN_OFFICIAL, planned.code))
            slots.append((f"md{planned.code}", Role.MEDIATOR, planned.code))
    slots += [
        (f"op{county}01", Role.COUNTY_OPERATOR, county),
        (f"op{county}02", Role.COUNTY_OPERATOR, county),
        (f"md{county}", Role.MEDIATOR, county),
    ]
    slots = [slot for slot in slots if (slot[1], slot[2]) not in taken or slot[2] == county]
    users = [
        User(
            username=username,
            display_name=names.person_name(build.rng),
            password=make_password(None),
        )
        for username, _role, _code in slots
    ]
    User.objects.bulk_create(users)
    assignments = []
    for user, (_username, role, code) in zip(users, slots, strict=True):
        assignment = RoleAssignment(user=user, role=role)
        assignment.set_region_code(code)
        assignments.append(assignment)
    RoleAssignment.objects.bulk_create(assignments)
    build.summary.officials = len(users)


def create_open311_client(build: DemoBuild) -> None:
    """The demo Open311 client with its published key (listed by `demo_accounts`)."""
    demo_open311_key()
    build.summary.open311_clients = 1


def create_cases(
    build: DemoBuild, *, count: int = CASES_PER_YEAR, now: datetime | None = None
) -> None:
    """A year of cases ending `now` (default: the moment of loading), about `count` of them."""
    now = now or timezone.now()
    county = names.COUNTY_CODE
    context = CaseContext.load(county, [a["username"] for a in DEMO_ACCOUNTS])
    issued = dict(CaseSequence.objects.filter(county_code=county).values_list("day", "last"))
    plan = plan_cases(
        context, rng=cases_rng(build.seed), now=now, count=count, issued_before=issued
    )
    write_plan(plan, open311_client=Open311Client.objects.filter(name=DEMO_CLIENT_NAME).first())
    summary = build.summary
    summary.cases = len(plan.stories)
    summary.open_cases = sum(1 for s in plan.stories if s.case.state in OPEN_STATES)
    summary.overdue_cases = sum(
        1
        for s in plan.stories
        if s.case.state in WORKING_STATES and s.case.due_at is not None and s.case.due_at < now
    )
    summary.case_events = plan.event_count
    summary.notifications = len(plan.notifications)
    summary.cases_digest = plan.digest()

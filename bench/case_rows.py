"""What the case benchmarks run over: the categories and the people who route cases (each unit's
router), and a fast bulk fill of cases shaped as the services leave them, with one town's queue
deep enough for page 10,000."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import numpy as np
from django.db import connection, transaction

from gridgov.accounts.models import RoleAssignment, User
from gridgov.cases.catalogue import seed_categories
from gridgov.cases.models import Case, Category, Channel, HandlingLevel
from gridgov.cases.states import State
from gridgov.core.access import Perm, Role, roles_granting
from gridgov.core.codes import ancestor_codes
from gridgov.core.pii import encrypt, search_hash
from gridgov.regions.models import Level, Region

SEED = 61032403
BATCH = 20_000
# The town whose queue is read at depth: its own queue holds this share of all rows.
QUEUE_TOWN_SHARE = 0.52
# Of the rows handled in villages, this share is no longer being worked (no deadline).
STOPPED_SHARE = 0.25
MICROSECOND = 1
SECOND = 1_000_000 * MICROSECOND
HOUR = 3600 * SECOND
DAY = 24 * HOUR
WORKING = [State.REPORTED, State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS, State.RETURNED]
WORKING_WEIGHTS = [0.15, 0.20, 0.20, 0.35, 0.10]
STOPPED = [
    State.CLOSED,
    State.RESOLVED,
    State.VERIFIED,
    State.SUSPENDED,
    State.TRANSFERRED,
    State.NOT_ACCEPTED,
]
STOPPED_WEIGHTS = [0.70, 0.10, 0.05, 0.05, 0.05, 0.05]
HAS_HANDLER = {State.DISPATCHED, State.IN_PROGRESS, State.RETURNED, State.RESOLVED, State.VERIFIED}


@dataclass(frozen=True)
class CaseFixtures:
    """The ids and codes the rows point at."""

    leaf_category_ids: list[int]
    resolve_days: dict[int, int]
    queue_town: str
    towns: list[str]
    villages: list[str]
    # Grids and micro-grids, with the user id of each grid's worker.
    places: list[str]
    grid_worker: dict[str, int]


def prepare(*, queue_town: str | None = None) -> CaseFixtures:
    """Categories (a flush removed the migration's), a router at every village and town that has
    none (the demo logins hold a few), and the ids the rows need."""
    seed_categories(Category)
    towns = list(
        Region.objects.filter(level=Level.TOWN)
        .order_by("region_code")
        .values_list("region_code", flat=True)
    )
    villages = list(
        Region.objects.filter(level=Level.VILLAGE)
        .order_by("region_code")
        .values_list("region_code", flat=True)
    )
    routing_roles = {Role.TOWN_OFFICIAL: towns, Role.VILLAGE_SECRETARY: villages}
    with transaction.atomic():
        for role, units in routing_roles.items():
            have = set(
                RoleAssignment.objects.filter(role=role, is_active=True).values_list(
                    "region_code", flat=True
                )
            )
            missing = [code for code in units if code not in have]
            users = User.objects.bulk_create(
                [User(username=f"bench_{role}_{code}", password="!") for code in missing]
            )
            assignments = []
            for user, code in zip(users, missing, strict=True):
                assignment = RoleAssignment(user=user, role=role)
                assignment.set_region_code(code)
                assignments.append(assignment)
            RoleAssignment.objects.bulk_create(assignments)
    leaves = [
        category
        for category in Category.objects.filter(is_active=True).prefetch_related("children")
        if not category.children.all()
    ]
    places = list(
        Region.objects.filter(level__in=[Level.GRID, Level.MICRO_GRID])
        .order_by("region_code")
        .values_list("region_code", flat=True)
    )
    grid_worker = dict(
        RoleAssignment.objects.filter(role=Role.GRID_WORKER).values_list("region_code", "user_id")
    )
    return CaseFixtures(
        leaf_category_ids=[category.pk for category in leaves],
        resolve_days={category.pk: category.resolve_days for category in leaves},
        queue_town=queue_town or towns[0],
        towns=towns,
        villages=villages,
        places=places,
        grid_worker=grid_worker,
    )


def routers_by_unit() -> dict[str, set[int]]:
    """Who routes cases (cases.route) at each unit: whom an escalation there notifies."""
    routers: dict[str, set[int]] = {}
    for code, user_id in RoleAssignment.objects.filter(
        is_active=True, role__in=roles_granting(Perm.CASES_ROUTE)
    ).values_list("region_code", "user_id"):
        routers.setdefault(code, set()).add(user_id)
    return routers


def columns(model: Any = Case) -> list[str]:
    """The model's columns but its primary key, in field order."""
    return [str(field.column) for field in model._meta.concrete_fields if not field.primary_key]


def _time_texts(micros: np.ndarray) -> list[str]:
    """Timestamps (UTC microseconds) as the backend stores them: SQLite keeps Django's text form
    (naive UTC with microseconds), PostgreSQL's COPY reads the same text with an offset."""
    texts = np.char.replace(
        np.datetime_as_string(micros.astype("datetime64[us]"), unit="us"), "T", " "
    )
    if connection.vendor == "postgresql":
        texts = np.char.add(texts, "+00:00")
    return [str(text) for text in texts]


def _pick(choices: list[Any], index: np.ndarray) -> list[Any]:
    return [choices[i] for i in index.tolist()]


def _where(condition: np.ndarray, yes: list[Any], no: list[Any] | Any) -> list[Any]:
    if isinstance(no, list):
        return [a if c else b for c, a, b in zip(condition.tolist(), yes, no, strict=True)]
    return [a if c else no for c, a in zip(condition.tolist(), yes, strict=True)]


@dataclass(frozen=True)
class FillPlan:
    """How many rows, how many of them overdue, and `now` (the rows' deadlines are set from it)."""

    rows: int
    overdue: int
    now: datetime
    # Reported over this many days before `now`.
    span_days: int = 365


def _generate(plan: FillPlan, fixtures: CaseFixtures) -> dict[str, list[Any]]:
    """The rows in creation order, column by column (numpy draws, no per-row Python logic).
    Deterministic for a seed and `now`."""
    rng = np.random.default_rng(SEED)
    count = plan.rows
    now_us = int(plan.now.timestamp() * SECOND)
    # Reported over the span (a year unless told; the day before `now` at the latest), in order.
    created = np.sort(rng.integers(now_us - plan.span_days * DAY, now_us - DAY, count))
    in_queue_town = rng.random(count) < QUEUE_TOWN_SHARE
    town_places = [
        i for i, code in enumerate(fixtures.places) if code.startswith(fixtures.queue_town)
    ]
    place = np.where(
        in_queue_town,
        np.array(town_places)[rng.integers(0, len(town_places), count)],
        rng.integers(0, len(fixtures.places), count),
    )
    stopped = ~in_queue_town & (rng.random(count) < STOPPED_SHARE)
    working_rows = np.flatnonzero(~stopped)
    if plan.overdue > len(working_rows):
        raise ValueError(f"{plan.overdue:,} overdue rows asked of {len(working_rows):,} working")
    overdue = np.zeros(count, dtype=bool)
    overdue[rng.choice(working_rows, plan.overdue, replace=False)] = True
    states = np.where(
        stopped,
        np.array(STOPPED, dtype=object)[rng.choice(len(STOPPED), count, p=STOPPED_WEIGHTS)],
        np.array(WORKING, dtype=object)[rng.choice(len(WORKING), count, p=WORKING_WEIGHTS)],
    )
    state_values = [str(state) for state in states.tolist()]
    is_state = {state: states == state for state in State}
    # Deadlines: overdue ones fall between their report and a minute before `now`; the others
    # between a minute and 15 days after `now`. Odd microseconds, so no value prints without
    # its fraction (Django writes SQLite datetimes with str(), which drops a zero fraction).
    late_by = rng.integers(2 * HOUR, 15 * DAY, count)
    overdue_due = np.minimum(created + late_by, now_us - 60 * SECOND)
    coming_due = now_us + rng.integers(60 * SECOND, 15 * DAY, count)
    due = np.where(overdue, overdue_due, coming_due) | 1
    created |= 1
    updated = np.minimum(created + rng.integers(0, 2 * DAY, count), now_us - SECOND) | 1
    created_text = _time_texts(created)
    due_text = _time_texts(due)
    updated_text = _time_texts(updated)

    # Numbers: county, day, the day's sequence (rows are in creation order).
    days = np.array([text[:10].replace("-", "") for text in created_text])
    _, first_of_day, day_index = np.unique(days, return_index=True, return_inverse=True)
    sequence = np.arange(count) - first_of_day[day_index] + 1
    county = fixtures.places[0][:6]
    place_codes = _pick(fixtures.places, place)
    ancestors = {code: ancestor_codes(code) for code in fixtures.places}
    grid_workers = [fixtures.grid_worker.get(code[:15]) for code in fixtures.places]
    has_handler = np.isin(states, list(HAS_HANDLER))
    done = is_state[State.RESOLVED] | is_state[State.VERIFIED] | is_state[State.CLOSED]
    handler = _where(has_handler | done, _pick(grid_workers, place), None)
    working = ~stopped
    reported = is_state[State.REPORTED]
    # Contacts are encrypted per row by the service; a pool of real ciphertexts keeps the rows'
    # width without a million Fernet calls.
    phones = [f"+86138{index:08d}" for index in range(64)]
    pool = [
        (encrypt(f"居民{i}"), encrypt(phone), search_hash(phone)) for i, phone in enumerate(phones)
    ]
    contact = rng.integers(0, len(pool), count)
    # 18 random bytes are 24 characters of base64; a token is the first 22 of them.
    tokens = base64.urlsafe_b64encode(rng.bytes(18 * count)).decode()
    category = rng.integers(0, len(fixtures.leaf_category_ids), count)
    urgent = rng.random(count) < 0.1
    return {
        "region_code": place_codes,
        "county_code": [county] * count,
        "town_code": [ancestors[code]["town_code"] for code in place_codes],
        "village_code": [ancestors[code]["village_code"] for code in place_codes],
        "grid_code": [ancestors[code]["grid_code"] for code in place_codes],
        "number": [
            f"{county}-{d}-{s:06d}" for d, s in zip(days.tolist(), sequence.tolist(), strict=True)
        ],
        "channel": _pick(Channel.values, rng.integers(0, len(Channel.values), count)),
        "category_id": _pick(fixtures.leaf_category_ids, category),
        "urgency": _where(urgent, ["urgent"] * count, "normal"),
        "state": state_values,
        "state_before_suspend": _where(
            is_state[State.SUSPENDED], [State.IN_PROGRESS.value] * count, ""
        ),
        "level": _where(
            in_queue_town, [HandlingLevel.TOWN.value] * count, HandlingLevel.VILLAGE.value
        ),
        "handling_code": _where(
            in_queue_town, [fixtures.queue_town] * count, [code[:12] for code in place_codes]
        ),
        "assignee_id": _where(has_handler, handler, None),
        "resolved_by_id": _where(done, handler, None),
        "transferred_to": _where(is_state[State.TRANSFERRED], ["department:县水务局"] * count, ""),
        "title": [f"基准测试案件 {index}" for index in range(count)],
        "description": ["村道路灯损坏，夜间行人通行不便，请尽快派人维修。" * 2] * count,
        "latitude": rng.uniform(34.2, 34.6, count).round(6).tolist(),
        "longitude": rng.uniform(107.8, 108.1, count).round(6).tolist(),
        "address": [""] * count,
        "reporter_id": [None] * count,
        "reporter_name": _pick([c[0] for c in pool], contact),
        "reporter_phone": _pick([c[1] for c in pool], contact),
        "reporter_phone_hash": _pick([c[2] for c in pool], contact),
        "publication_consent": [False] * count,
        "tracking_token": [tokens[i * 24 : i * 24 + 22] for i in range(count)],
        "tracking_code": [""] * count,
        "merged_into_id": [None] * count,
        "possible_duplicate_of_id": [None] * count,
        "created_at": created_text,
        "updated_at": updated_text,
        "accept_deadline_at": _where(reported, due_text, _time_texts(created + 24 * HOUR)),
        "resolve_deadline_at": _where(
            reported, _time_texts(due + 7 * DAY), _where(working, due_text, None)
        ),
        "due_at": _where(working, due_text, None),
        "warned_at": [None] * count,
        "resolved_at": _where(done, updated_text, None),
        "closed_at": _where(is_state[State.CLOSED], updated_text, None),
        "rating": _where(is_state[State.CLOSED], [5] * count, None),
        "rating_comment": [""] * count,
    }


def _secondary_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes that back no constraint."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN"
            " (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
            " AND sql IS NOT NULL",
            [table],
        )
    return [(name, sql) for name, sql in cursor.fetchall()]


def fill_cases(plan: FillPlan, fixtures: CaseFixtures) -> tuple[float, float]:
    """Insert the rows the way a bulk load does: drop the secondary indexes, COPY (PostgreSQL)
    or executemany (SQLite) in one transaction, build the indexes again, refresh the planner's
    statistics. Returns (seconds to generate the rows, seconds to load them)."""
    table = Case._meta.db_table
    names = columns()
    started = time.perf_counter()
    generated = _generate(plan, fixtures)
    rows = zip(*(generated[name] for name in names), strict=True)
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor, table)
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # Check the deferred foreign keys now: PostgreSQL builds no index over pending ones.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        else:
            insert = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
            while batch := list(islice(rows, BATCH)):
                cursor.executemany(insert, batch)
        for _name, sql in indexes:
            cursor.execute(sql)
    with connection.cursor() as cursor:
        # Fresh statistics on every table (and on PostgreSQL a visibility map), as a database
        # that has been running a while has; the demo's users were bulk-loaded moments ago.
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")
    return generate_s, time.perf_counter() - started


def utc_now() -> datetime:
    return datetime.now(tz=UTC)

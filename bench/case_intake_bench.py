"""Case creation through the API (`POST /api/v1/cases/` with a token, DRF's test client in this
process: the whole middleware and view stack, no network) against a raw INSERT of the same case row
and its first timeline row, each case in its own transaction, in the same run and database."""

from __future__ import annotations

import secrets
import time
from typing import Any

import numpy as np
from django.db import connection
from huey.contrib.djhuey import HUEY
from rest_framework.test import APIClient

from bench.case_rows import CaseFixtures, columns
from bench.locator_bench import random_points
from gridgov.accounts.authentication import token_for
from gridgov.accounts.models import RoleAssignment, User
from gridgov.cases.models import Case, CaseEvent, Category
from gridgov.cases.services import CaseInput, case_report
from gridgov.core.access import Role
from gridgov.regions.locator import locate_points

WARMUP = 5
SEED = 61032402
DESCRIPTIONS = [
    "村口路灯不亮已经三天，晚上行人看不清路，请尽快维修。",
    "两户邻居因院墙排水问题发生争执，需要村里出面调解。",
    "河道边有人倾倒建筑垃圾，影响环境，请安排清运。",
    "小区电梯频繁停运，老人上下楼困难，物业迟迟不处理。",
]


def _operator(county: str) -> User:
    """A county operator: may report anywhere in the county, as a hotline desk does."""
    user = User.objects.create_user(username="bench_intake_operator", password=None)
    assignment = RoleAssignment(user=user, role=Role.COUNTY_OPERATOR)
    assignment.set_region_code(county)
    assignment.save()
    return user


def _payloads(count: int, fixtures: CaseFixtures) -> list[dict[str, Any]]:
    """Reports at random points that fall inside a grid, over the leaf categories."""
    lngs, lats = random_points(count * 3)
    located = locate_points(lngs, lats)
    inside = [index for index, location in enumerate(located) if location is not None][:count]
    if len(inside) < count:
        raise RuntimeError("too few random points fell inside a grid")
    codes = dict(
        Category.objects.filter(pk__in=fixtures.leaf_category_ids).values_list("pk", "code")
    )
    rng = np.random.default_rng(SEED)
    payloads = []
    for number, index in enumerate(inside):
        payloads.append(
            {
                "category": codes[
                    fixtures.leaf_category_ids[number % len(fixtures.leaf_category_ids)]
                ],
                "description": DESCRIPTIONS[number % len(DESCRIPTIONS)],
                "urgency": "urgent" if rng.random() < 0.1 else "normal",
                "channel": "hotline",
                "lat": round(float(lats[index]), 6),
                "lng": round(float(lngs[index]), 6),
                "reporter_name": "王建国",
                "reporter_phone": f"1391{number:07d}",
            }
        )
    return payloads


def _case_input(payload: dict[str, Any]) -> CaseInput:
    return CaseInput(
        category_code=payload["category"],
        description=payload["description"],
        channel=payload["channel"],
        urgency=payload["urgency"],
        latitude=payload["lat"],
        longitude=payload["lng"],
        reporter_name=payload["reporter_name"],
        reporter_phone=payload["reporter_phone"],
    )


def _raw_statements() -> tuple[str, str, list[str], list[str]]:
    mark = "?" if connection.vendor == "sqlite" else "%s"
    case_columns, event_columns = columns(Case), columns(CaseEvent)
    insert_case = (
        f"INSERT INTO {Case._meta.db_table} ({', '.join(case_columns)})"
        f" VALUES ({', '.join([mark] * len(case_columns))}) RETURNING id"
    )
    insert_event = (
        f"INSERT INTO {CaseEvent._meta.db_table} ({', '.join(event_columns)})"
        f" VALUES ({', '.join([mark] * len(event_columns))})"
    )
    return insert_case, insert_event, case_columns, event_columns


def _stored_rows(case_ids: list[int]) -> list[tuple[list[Any], list[Any]]]:
    """The rows the API wrote (case and its report event), as the database holds them."""
    _insert_case, _insert_event, case_columns, event_columns = _raw_statements()
    raw = connection.connection.cursor()
    mark = "?" if connection.vendor == "sqlite" else "%s"
    rows = []
    for case_id in case_ids:
        raw.execute(
            f"SELECT {', '.join(case_columns)} FROM {Case._meta.db_table} WHERE id = {mark}",
            (case_id,),
        )
        case_row = list(raw.fetchone())
        raw.execute(
            f"SELECT {', '.join(event_columns)} FROM {CaseEvent._meta.db_table}"
            f" WHERE case_id = {mark} AND action = 'report'",
            (case_id,),
        )
        rows.append((case_row, list(raw.fetchone())))
    raw.close()
    return rows


def run(*, count: int, fixtures: CaseFixtures) -> dict[str, Any]:
    user = _operator(fixtures.towns[0][:6])
    client = APIClient(SERVER_NAME="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user).key}")
    payloads = _payloads(WARMUP + 2 * count, fixtures)
    # As in production, the request only queues its notification (the embedded SqliteHuey here);
    # a worker delivers it. The test settings would deliver it inside the request.
    immediate = HUEY.immediate
    HUEY.immediate = False
    try:
        for payload in payloads[:WARMUP]:  # the locator's trees, caches and plans warm up
            client.post("/api/v1/cases/", payload, format="json")
        started = time.perf_counter()
        numbers = []
        for payload in payloads[WARMUP : WARMUP + count]:
            response = client.post("/api/v1/cases/", payload, format="json")
            if response.status_code != 201:
                raise RuntimeError(
                    f"POST /api/v1/cases/ answered {response.status_code}: {response.content[:300]!r}"
                )
            numbers.append(response.json()["number"])
        api_s = time.perf_counter() - started
        # The service alone (what the view calls), to tell the domain's cost from HTTP's.
        inputs = [_case_input(payload) for payload in payloads[WARMUP + count :]]
        started = time.perf_counter()
        for data in inputs:
            case_report(actor=user, data=data, client_address="127.0.0.1")
        service_s = time.perf_counter() - started
    finally:
        HUEY.immediate = immediate
    case_ids = list(Case.objects.filter(number__in=numbers).values_list("id", flat=True))
    if len(case_ids) != count:
        raise RuntimeError(f"{count} POSTs answered 201 but {len(case_ids)} cases are stored")

    # The same rows again, raw: only the unique number and tracking token differ.
    insert_case, insert_event, case_columns, event_columns = _raw_statements()
    number_at, token_at = case_columns.index("number"), case_columns.index("tracking_token")
    case_id_at = event_columns.index("case_id")
    rows = _stored_rows(case_ids)
    for index, (case_row, _event_row) in enumerate(rows):
        case_row[number_at] = f"{case_row[number_at]}-R{index}"
        case_row[token_at] = secrets.token_urlsafe(16)[:22]
    raw_connection = connection.connection
    started = time.perf_counter()
    for case_row, event_row in rows:
        if connection.vendor == "sqlite":
            cursor = raw_connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(insert_case, case_row)
            (new_id,) = cursor.fetchone()
            event_row[case_id_at] = new_id
            cursor.execute(insert_event, event_row)
            cursor.execute("COMMIT")
            cursor.close()
        else:
            with raw_connection.transaction(), raw_connection.cursor() as cursor:
                cursor.execute(insert_case, case_row)
                (new_id,) = cursor.fetchone()
                event_row[case_id_at] = new_id
                cursor.execute(insert_event, event_row)
    raw_s = time.perf_counter() - started
    if Case.objects.filter(number__contains="-R").count() != count:
        raise RuntimeError("the raw inserts did not all land")

    api_rate, raw_rate, service_rate = count / api_s, count / raw_s, count / service_s
    print(
        f"  {count} cases through POST /api/v1/cases/ (token auth, in-process test client; JSON with a "
        f"point, the reporter's name and phone):\n"
        f"    API {api_rate:,.0f} cases/s ({api_s / count * 1000:.2f} ms a case)   "
        f"raw INSERT case + event, a transaction each {raw_rate:,.0f} cases/s ({raw_s / count * 1000:.3f} ms a case)   "
        f"ratio raw/API {raw_rate / api_rate:,.1f}x (no target: the price of validation, locating, numbering, "
        f"the duplicate check, the audit chain, encryption and the response)\n"
        f"    of the API's {api_s / count * 1000:.2f} ms, the service case_report alone takes "
        f"{service_s / count * 1000:.2f} ms ({service_rate:,.0f} cases/s, measured on {count} more cases)"
    )
    return {
        "count": count,
        "api_cases_per_s": api_rate,
        "raw_cases_per_s": raw_rate,
        "service_cases_per_s": service_rate,
        "ratio": raw_rate / api_rate,
    }

"""Scoped count and newest-50 page over a large audit log, through the ORM as the app does it
(scope_queryset for an auditor) against the same SQL run on a raw DB-API cursor."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.test.utils import CaptureQueriesContext

from bench.timing import Comparison, interleaved_medians, median_seconds, time_once
from gridgov.accounts.models import RoleAssignment, User
from gridgov.core.access import Perm, Role
from gridgov.core.codes import ancestor_codes
from gridgov.core.models import AuditEntry
from gridgov.core.scoping import scope_queryset
from gridgov.regions.models import Level, Region

# The ORM may take at most this multiple of the raw query's time.
TARGET = 1.5
PAGE = 50
SEED = 61032401
BATCH = 20_000
ACTIONS = ["region.view", "user.login", "case.update", "resident.unmask", "role.assign"]
OUTCOMES = [AuditEntry.Outcome.SUCCESS] * 8 + [
    AuditEntry.Outcome.DENIED,
    AuditEntry.Outcome.FAILURE,
]


def _columns() -> list[str]:
    return [
        field.column
        for field in AuditEntry._meta.concrete_fields
        if field.column and not field.primary_key
    ]


def _rows(count: int, grid_codes: list[str], first_sequence: int) -> Iterator[tuple[Any, ...]]:
    """Rows in time order over random grids. The hash fields are placeholders (a digest of the
    sequence only): the chain is not what is measured, so never run verify_audit on this database."""
    rng = np.random.default_rng(SEED)
    grid_of_row = rng.integers(0, len(grid_codes), count)
    gaps = rng.integers(1, 60, count).cumsum()
    start = datetime.now(tz=UTC) - timedelta(seconds=int(gaps[-1]) + 3600)
    ancestors = {code: ancestor_codes(code) for code in grid_codes}
    columns = _columns()
    adapt = connection.ops.adapt_datetimefield_value if connection.vendor == "sqlite" else None
    for index in range(count):
        sequence = first_sequence + index
        code = grid_codes[grid_of_row[index]]
        created_at = start + timedelta(seconds=int(gaps[index]))
        values: dict[str, Any] = {
            **ancestors[code],
            "sequence": sequence,
            "created_at": adapt(created_at) if adapt else created_at,
            "actor_id": None,
            "actor_username": f"worker{index % 1264}",
            "action": ACTIONS[index % len(ACTIONS)],
            "object_type": "region",
            "object_id": code,
            "outcome": OUTCOMES[index % len(OUTCOMES)],
            "client_address": "10.0.0.1",
            "detail": "{}",
            "previous_hash": hashlib.blake2b(
                str(sequence - 1).encode(), digest_size=32
            ).hexdigest(),
            "entry_hash": hashlib.blake2b(str(sequence).encode(), digest_size=32).hexdigest(),
        }
        yield tuple(values[column] for column in columns)


def fill_audit_log(count: int) -> float:
    """Bulk-insert `count` rows over the grids; seconds taken, ANALYZE included."""
    grid_codes = list(
        Region.objects.filter(level=Level.GRID)
        .order_by("region_code")
        .values_list("region_code", flat=True)
    )
    tail = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    table = AuditEntry._meta.db_table
    columns = _columns()

    def insert() -> None:
        rows = _rows(count, grid_codes, tail + 1)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                insert_sql = (
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})"
                )
                batch: list[tuple[Any, ...]] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == BATCH:
                        cursor.executemany(insert_sql, batch)
                        batch.clear()
                if batch:
                    cursor.executemany(insert_sql, batch)
        # Fresh statistics and (PostgreSQL) a visibility map, as a long-running database has.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM ANALYZE {table}")
            else:
                cursor.execute("ANALYZE")

    seconds, _ = time_once(insert)
    return seconds


def _auditor(region_code: str) -> User:
    # Created directly: the auditor role is assignable at county and town level only, and the
    # village-scope figure needs the same role scoped one level lower.
    user = User.objects.create_user(username=f"bench_auditor_{region_code}", password=None)
    assignment = RoleAssignment(user=user, role=Role.AUDITOR)
    assignment.set_region_code(region_code)
    assignment.save()
    user.jurisdiction_codes(
        Perm.AUDIT_VIEW
    )  # warm the per-instance assignment cache, as a request does once
    return user


def _plan(sql: str, params: list[Any]) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN {sql}", params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


def _plan_verdict(plan: list[str], index: str) -> str:
    text = "\n".join(plan)
    uses_index = index in text
    sorts = "TEMP B-TREE" in text or "Sort" in text
    return f"index {index}: {'used' if uses_index else 'NOT USED'}; separate sort: {'YES' if sorts else 'no'}"


def _measure_scope(
    level: str, region_code: str, column: str, rows: int, repeat: int
) -> list[Comparison]:
    actor = _auditor(region_code)
    table = AuditEntry._meta.db_table
    select_columns = ", ".join(
        f"{table}.{field.column}" for field in AuditEntry._meta.concrete_fields
    )
    count_sql = f"SELECT COUNT(*) FROM {table} WHERE {column} = %s"
    page_sql = (
        f"SELECT {select_columns} FROM {table} WHERE {column} = %s "
        f"ORDER BY created_at DESC, id DESC LIMIT {PAGE}"
    )
    raw_connection = connection.connection
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    raw_count_sql = count_sql.replace("%s", placeholder)
    raw_page_sql = page_sql.replace("%s", placeholder)

    def scoped() -> QuerySet[AuditEntry]:
        return scope_queryset(AuditEntry.objects.all(), actor=actor, permission=Perm.AUDIT_VIEW)

    def orm_count() -> int:
        return scoped().count()

    def orm_page() -> list[AuditEntry]:
        return list(scoped().order_by("-created_at", "-id")[:PAGE])

    def raw_count() -> int:
        cursor = raw_connection.cursor()
        cursor.execute(raw_count_sql, (region_code,))
        (total,) = cursor.fetchone()
        cursor.close()
        return int(total)

    def raw_page() -> list[tuple[Any, ...]]:
        cursor = raw_connection.cursor()
        cursor.execute(raw_page_sql, (region_code,))
        page = cursor.fetchall()
        cursor.close()
        return list(page)

    # Same answers, or the comparison means nothing.
    if orm_count() != raw_count() or orm_count() != rows:
        raise RuntimeError(
            f"{level} count differs: orm {orm_count()}, raw {raw_count()}, expected {rows}"
        )
    if [entry.pk for entry in orm_page()] != [row[0] for row in raw_page()]:
        raise RuntimeError(f"{level} newest-{PAGE} page differs between the ORM and raw SQL")

    print(f"  {level} {region_code}: {rows:,} rows in scope")
    index = f"audit_{level}_time"
    for label, action in (("count", orm_count), (f"newest {PAGE}", orm_page)):
        # EXPLAIN the very statement the ORM sent.
        with CaptureQueriesContext(connection) as captured:
            action()
        statement = captured.captured_queries[-1]["sql"]
        plan = _plan(statement, [])
        print(f"    ORM {label}: {statement}")
        print(f"      plan: {_plan_verdict(plan, index)}")
        for line in plan:
            print(f"        {line}")

    count_orm_s, count_raw_s = interleaved_medians(orm_count, raw_count, repeat=repeat, warmup=2)
    page_orm_s, page_raw_s = interleaved_medians(orm_page, raw_page, repeat=repeat, warmup=2)

    # Where the ORM's extra time goes on the page: building the scoped queryset, compiling it to
    # SQL, and (the rest, after the same execute + fetch as raw) turning rows into model objects.
    def build_page() -> object:
        return scoped().order_by("-created_at", "-id")[:PAGE]

    def compile_page() -> object:
        return scoped().order_by("-created_at", "-id")[:PAGE].query.sql_with_params()

    build_s = median_seconds(build_page, repeat=repeat * 5)
    compile_s = median_seconds(compile_page, repeat=repeat * 5) - build_s
    print(
        f"    ORM newest {PAGE} breakdown: scope_queryset + order + slice {build_s * 1000:.3f} ms, "
        f"SQL compile {compile_s * 1000:.3f} ms, execute + fetch (as raw) {page_raw_s * 1000:.3f} ms, "
        f"rows -> model instances {max(page_orm_s - build_s - compile_s - page_raw_s, 0) * 1000:.3f} ms"
    )
    return [
        Comparison(
            f"{level} count (median of {repeat})",
            "ms",
            count_orm_s * 1000,
            count_raw_s * 1000,
            "latency",
            TARGET,
        ),
        Comparison(
            f"{level} newest {PAGE} (median of {repeat})",
            "ms",
            page_orm_s * 1000,
            page_raw_s * 1000,
            "latency",
            TARGET,
        ),
    ]


def _busiest(column: str, **within: str) -> tuple[str, int]:
    """The scope value with the most rows (the demo's own audit entries included)."""
    busiest = (
        AuditEntry.objects.filter(**within)
        .values(column)
        .annotate(rows=Count("id"))
        .order_by("-rows", column)
        .first()
    )
    if busiest is None:
        raise RuntimeError("the audit log is empty")
    return busiest[column], busiest["rows"]


def run(*, rows: int, repeat: int) -> dict[str, Any]:
    fill_seconds = fill_audit_log(rows)
    print(
        f"audit log: {rows:,} rows over the grids inserted in {fill_seconds:.1f} s (ANALYZE "
        f"included); {AuditEntry.objects.count():,} rows in the table"
    )
    town, town_rows = _busiest("town_code", town_code__gt="")
    village, village_rows = _busiest("village_code", town_code=town, village_code__gt="")
    comparisons = _measure_scope("town", town, "town_code", town_rows, repeat)
    comparisons += _measure_scope("village", village, "village_code", village_rows, repeat)
    for comparison in comparisons:
        print(comparison.line())
    return {
        "rows": rows,
        "fill_s": fill_seconds,
        "town": town,
        "village": village,
        "comparisons": [c.as_dict() for c in comparisons],
    }

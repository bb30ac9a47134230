"""The command centre over many cases (the demo county, reported over ten years): the county's and
one town's overview read from the rollups (`dashboards.selectors.summary`, every query it sends
and the assembly) against the same figures grouped live from the cases on this database, and by
DuckDB scanning the same rows exported to Parquet; then what keeping the rollups costs a
transition (the worker's fold per moved case, against the transition itself) and how stale the
figures get (the fold's time; it runs every minute).

PostgreSQL is where the targets apply (the overview <= 50 ms, >= 50x faster than live); on SQLite
the same figures print for comparison."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.case_rows import FillPlan, fill_cases, prepare, utc_now
from bench.timing import format_figure, interleaved_medians, time_once
from gridgov.accounts.models import RoleAssignment, User
from gridgov.cases.models import Case
from gridgov.cases.services import case_transition
from gridgov.cases.states import WORKING_STATES
from gridgov.core.access import Perm, Role
from gridgov.dashboards.selectors import Period, summary
from gridgov.dashboards.services import rollups_fold, rollups_rebuild
from gridgov.regions.models import Region

YEARS = 10
TARGET_MS = 50.0
TARGET_RATIO = 50.0
TRANSITIONS = 100
_COLUMNS = (
    "county_code, town_code, village_code, grid_code, created_at, category_id, channel, state,"
    " level, due_at, rating, resolved_at"
)
_WORKING = ", ".join(f"'{state.value}'" for state in WORKING_STATES)


def _live_queries(table: str, column: str, day: str, now: str) -> list[str]:
    """The overview's groupings written against the cases themselves (`table` is the cases table
    or a Parquet scan; `day` the local day of created_at in that dialect)."""
    overdue = f"(state IN ({_WORKING}) AND due_at < {now})"
    scope = f"{column} = $1 AND created_at >= $2 AND created_at < $3"
    measures = "count(*), count(rating), coalesce(sum(rating), 0)"
    return [
        f"SELECT state, level, {overdue}, {measures} FROM {table} WHERE {scope} GROUP BY 1, 2, 3",
        f"SELECT category_id, {measures} FROM {table} WHERE {scope} GROUP BY 1",
        f"SELECT channel, {measures} FROM {table} WHERE {scope} GROUP BY 1",
        f"SELECT village_code, town_code, state, level, {overdue}, {measures} FROM {table}"
        f" WHERE {scope} GROUP BY 1, 2, 3, 4, 5",
        f"SELECT grid_code, count(*) AS n FROM {table} WHERE {scope} GROUP BY 1"
        " ORDER BY n DESC LIMIT 5",
        f"SELECT {day} AS d, count(*) FROM {table} WHERE {scope} GROUP BY 1",
    ]


# The local day of a case and the time now, in each database's dialect (SQLite keeps UTC text).
_DIALECT = {
    "postgresql": ("(created_at AT TIME ZONE 'Asia/Shanghai')::date", "now()"),
    "sqlite": ("date(created_at, '+8 hours')", "strftime('%Y-%m-%d %H:%M:%f', 'now')"),
}


def _database_live(code: str, start: Any, end: Any) -> Callable[[], Any]:
    column = "town_code" if len(code) == 9 else "county_code"
    day, now = _DIALECT[connection.vendor]
    queries = [
        query.replace("%", "%%").replace("$1", "%s").replace("$2", "%s").replace("$3", "%s")
        for query in _live_queries("cases_case", column, day, now)
    ]

    def run() -> None:
        with connection.cursor() as cursor:
            for query in queries:
                cursor.execute(query, [code, start, end])
                cursor.fetchall()

    return run


def _export_parquet(path: Path) -> float:
    """The cases' columns the overview groups by, written to Parquet (pyarrow) in batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    started = time.perf_counter()
    writer = None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_COLUMNS} FROM cases_case")
        names = [column.strip() for column in _COLUMNS.split(",")]
        while rows := cursor.fetchmany(200_000):
            table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})
            if writer is None:
                writer = pq.ParquetWriter(str(path), table.schema)
            writer.write_table(table)
    if writer is not None:
        writer.close()
    return time.perf_counter() - started


def _duckdb_live(path: Path, code: str, start: Any, end: Any) -> Callable[[], Any]:
    import duckdb

    database = duckdb.connect()
    database.execute("SET TimeZone = 'Asia/Shanghai'")
    column = "town_code" if len(code) == 9 else "county_code"
    queries = _live_queries(
        f"read_parquet('{path}')", column, "CAST(created_at AS DATE)", "current_timestamp"
    )

    def run() -> None:
        for query in queries:
            database.execute(query, [code, start, end]).fetchall()

    return run


def _from_rollups(actor: User, region: Region, period: Period) -> Callable[[], Any]:
    def run() -> None:
        summary(actor=actor, region=region, period=period)

    return run


def _query_ms(action: Callable[[], Any], repeat: int) -> float:
    """The median over `repeat` runs of the time the database took for all of one run's
    queries (sending, executing, fetching), without the Python that assembles the figures."""
    spent = [0.0]

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    totals = []
    for _ in range(repeat):
        spent[0] = 0.0
        with connection.execute_wrapper(timed):
            action()
        totals.append(spent[0])
    return sorted(totals)[len(totals) // 2] * 1000


def _leader(county: str) -> User:
    user = User.objects.create_user(username="bench_dashboard_leader", password=None)
    assignment = RoleAssignment(user=user, role=Role.COUNTY_LEADER)
    assignment.set_region_code(county)
    assignment.save()
    user.jurisdiction_codes(Perm.DASHBOARD_VIEW)
    return user


def _transition_cost(repeat_cases: int) -> dict[str, float]:
    """Accept `repeat_cases` reported village cases as their village's router, then fold.

    A fold first brings the rollups up to now, as the worker does every minute: the figures
    above took minutes to measure, and the deadlines that passed meanwhile are not the cost of
    these transitions (that catch-up is printed on its own)."""
    catch_up_s, caught_up = time_once(rollups_fold)
    routers = dict(
        RoleAssignment.objects.filter(role=Role.VILLAGE_SECRETARY, is_active=True).values_list(
            "region_code", "user_id"
        )
    )
    users = User.objects.in_bulk(list(routers.values()))
    cases = list(
        Case.objects.filter(state="reported", level="village").order_by("id")[: repeat_cases * 3]
    )
    cases = [case for case in cases if case.handling_code in routers][:repeat_cases]
    started = time.perf_counter()
    for case in cases:
        case_transition(actor=users[routers[case.handling_code]], case=case, action="accept")
    transitions_s = time.perf_counter() - started
    fold_s, result = time_once(rollups_fold)
    per_transition = transitions_s / max(len(cases), 1)
    per_fold_case = fold_s / max(result.looked_at, 1)
    return {
        "transitions": len(cases),
        "transition_ms": per_transition * 1000,
        "fold_ms": fold_s * 1000,
        "fold_cases": result.looked_at,
        "added_share": per_fold_case / per_transition if per_transition else 0.0,
        "catch_up_s": catch_up_s,
        "catch_up_cases": caught_up.looked_at,
    }


def _empty_cases() -> None:
    """The benchmarks before this one leave their cases: start from none."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "TRUNCATE cases_case, dashboards_caserollup, dashboards_rollupstate CASCADE"
            )
        else:
            for table in (
                "dashboards_casecontribution",
                "dashboards_caserollup",
                "dashboards_rollupstate",
                "cases_casephoto",
                "cases_caseevent",
                "cases_case",
            ):
                cursor.execute(f"DELETE FROM {table}")


def run(*, cases: int, repeat: int) -> dict[str, Any]:
    _empty_cases()
    fixtures = prepare()
    now = utc_now()
    generate_s, load_s = fill_cases(
        FillPlan(rows=cases, overdue=cases // 20, now=now, span_days=365 * YEARS), fixtures
    )
    print(
        f"dashboards: {cases:,} cases over {YEARS} years: generated {generate_s:.1f} s, loaded {load_s:.1f} s"
    )
    rebuild_s, counted = time_once(rollups_rebuild)
    rows = connection.cursor()
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: the statistics and the visibility map.
        rows.execute("VACUUM ANALYZE dashboards_caserollup")
        rows.execute("VACUUM ANALYZE dashboards_regionrollup")
    rows.execute("SELECT count(*) FROM dashboards_caserollup")
    rollup_rows = rows.fetchone()[0]
    rows.execute("SELECT count(*) FROM dashboards_regionrollup")
    coarse_rows = rows.fetchone()[0]
    print(
        f"  rollups rebuilt from {counted:,} cases in {rebuild_s:.1f} s: {rollup_rows:,} fine rows,"
        f" {coarse_rows:,} by region and day, month or year"
    )
    county = fixtures.towns[0][:6]
    leader = _leader(county)
    today = timezone.localdate()
    period = Period(today - timedelta(days=365 * YEARS), today, "range")
    start = timezone.make_aware(datetime.combine(period.start, clock_time.min))
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), clock_time.min))
    results: dict[str, Any] = {"cases": cases, "rollup_rows": rollup_rows, "rebuild_s": rebuild_s}
    # The Parquet copy (tens of MB at millions of cases) is removed when the comparison ends.
    with tempfile.TemporaryDirectory(prefix="gridgov-bench-") as temporary:
        parquet = Path(temporary) / "cases.parquet"
        duckdb_ready = connection.vendor == "postgresql"
        if duckdb_ready:
            export_s = _export_parquet(parquet)
            print(
                f"  exported to Parquet in {export_s:.1f} s ({parquet.stat().st_size / 1e6:.0f} MB)"
            )
        for label, code in (("county", county), ("town", fixtures.towns[0])):
            region = Region.objects.get(region_code=code)
            actions: list[Callable[[], Any]] = [
                _from_rollups(leader, region, period),
                _database_live(code, start, end),
            ]
            if duckdb_ready:
                actions.append(_duckdb_live(parquet, code, start, end))
            with CaptureQueriesContext(connection) as queries:
                summary(actor=leader, region=region, period=period)
            print(f"  {label} overview: {len(queries.captured_queries)} queries")
            medians = interleaved_medians(*actions, repeat=repeat)
            rollup_ms, live_ms = medians[0] * 1000, medians[1] * 1000
            queries_ms = _query_ms(actions[0], repeat)
            line = (
                f"  {label} overview, {YEARS} years: rollups {format_figure(rollup_ms, 'ms')}"
                f" (its queries {format_figure(queries_ms, 'ms')} in all),"
                f" live {connection.vendor} GROUP BY {format_figure(live_ms, 'ms')}"
                f" (ratio {live_ms / rollup_ms:.0f}x)"
            )
            entry = {
                "rollups_ms": rollup_ms,
                "queries_ms": queries_ms,
                "live_ms": live_ms,
                "ratio": live_ms / rollup_ms,
            }
            if duckdb_ready:
                duck_ms = medians[2] * 1000
                line += f", DuckDB over Parquet {format_figure(duck_ms, 'ms')}"
                entry["duckdb_ms"] = duck_ms
            if label == "county" and connection.vendor == "postgresql":
                line += (
                    f"; targets: queries <= {TARGET_MS:.0f} ms:"
                    f" {'met' if queries_ms <= TARGET_MS else 'MISSED'},"
                    f" >= {TARGET_RATIO:.0f}x: {'met' if live_ms / rollup_ms >= TARGET_RATIO else 'MISSED'}"
                )
            print(line)
            results[label] = entry
    cost = _transition_cost(TRANSITIONS)
    print(
        f"  keeping the rollups: {cost['transitions']} transitions at"
        f" {cost['transition_ms']:.1f} ms each add nothing to their own transaction; the fold"
        f" recounted {cost['fold_cases']} cases in {cost['fold_ms']:.0f} ms, i.e."
        f" {cost['added_share']:.1%} of a transition per case (target <= 10%); staleness at"
        f" most 60 s (the schedule) + {cost['fold_ms'] / 1000:.1f} s (the fold)"
    )
    print(
        f"  (before them, a fold caught up {cost['catch_up_cases']:,} cases changed or past their"
        f" deadline while the figures above were measured, in {cost['catch_up_s']:.1f} s)"
    )
    results["transition"] = cost
    return results


__all__ = ["run"]

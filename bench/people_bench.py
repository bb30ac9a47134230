"""The population register at county scale.

Import: `residents` synthetic residents (valid, checksummed ID numbers) over the county's grids,
in workbooks of at most 20,000 rows as a clerk sends them, through the app's import (parsing,
checks, encryption, keyed hashes, duplicate checks, one transaction a file) against a raw bulk
insert of the very rows it wrote (read back, deleted, inserted again with executemany). Writing
the workbooks is not timed; openpyxl writes its strings inline, which take longer to read than
the shared strings Excel and WPS write, so the reading share of the import is an upper bound.

Search: by the start of a name, by a whole ID number (keyed hash) and by the four characters a
masked ID shows, through the selector and keyset page the API runs, for a county operator, against
the same SQL on a raw cursor; median and p95 over different searches, at `residents` and again
after the register is grown to ten times that (copies of the rows with hashes of their own).
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from bench.timing import time_once
from gridgov.accounts.models import User
from gridgov.core.access import Role
from gridgov.people.idnumbers import Gender, synthetic_id
from gridgov.people.models import Household, Resident
from gridgov.people.selectors import ResidentFilters, keyset_page, resident_list
from gridgov.people.spreadsheets import HEADINGS, MAX_ROWS, RELATIONS, resident_import
from gridgov.regions.models import Level, Region
from gridgov.testing import make_user

SEED = 61032411
COUNTY = "610324"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
SEARCHES = 20  # different searches of each kind, each timed once per round
ROUNDS = 2
GROWTH = 10  # at most 10: one digit of copy number in the hash
BATCH = 50_000


def _people(count: int, grids: list[str]) -> list[tuple[Any, ...]]:
    """Rows in the template's column order, three to a household on average. ID numbers are
    unique by construction: 500 a birth date, a sequence of their own each."""
    rng = np.random.default_rng(SEED)
    relations = [label for label in RELATIONS if not label.isascii()]  # as a clerk writes them
    base = dt.date(1950, 1, 1)
    rows = []
    household = 0
    grid = address = ""
    for index in range(count):
        if index == 0 or rng.random() < 1 / 3:
            household += 1
            grid = grids[int(rng.integers(len(grids)))]
            address = f"第{household % 90 + 1}组{household % 200 + 1}号"
        gender = Gender.MALE if index % 2 else Gender.FEMALE
        birth = base + dt.timedelta(days=index // 500)
        name = (
            SURNAMES[int(rng.integers(len(SURNAMES)))]
            + GIVEN[int(rng.integers(len(GIVEN)))]
            + GIVEN[int(rng.integers(len(GIVEN)))]
        )
        rows.append(
            (
                grid,
                f"B{household:08d}",
                address,
                name,
                synthetic_id(
                    place=COUNTY, birth_date=birth, sequence=2 * (index % 500), gender=gender
                ),
                "男" if gender is Gender.MALE else "女",
                birth.isoformat(),
                f"13{int(rng.integers(100_000_000, 999_999_999))}",
                "汉族",
                relations[index % len(relations)],
                "户籍人口",
                "农民",
            )
        )
    return rows


def _workbooks(rows: list[tuple[Any, ...]]) -> list[bytes]:
    """Files of at most MAX_ROWS rows; a household never split across two."""
    books: list[bytes] = []
    start = 0
    while start < len(rows):
        end = min(start + MAX_ROWS, len(rows))
        while end < len(rows) and rows[end][1] == rows[end - 1][1]:
            end -= 1
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADINGS)
        for row in rows[start:end]:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        books.append(buffer.getvalue())
        start = end
    return books


def _import(actor: User, books: list[bytes]) -> int:
    written = 0
    for book in books:
        report = resident_import(actor=actor, content=book, dry_run=False)
        if report.problems:
            raise RuntimeError(f"the import refused rows: {report.problems[:3]}")
        written += report.residents_created
    return written


def _columns(model: type[Any]) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


def _insert_sql(table: str, columns: list[str]) -> str:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"


def _select_after(table: str, columns: list[str], first_id: int) -> list[tuple[Any, ...]]:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"SELECT {quoted} FROM {connection.ops.quote_name(table)} WHERE id > %s ORDER BY id"
    with connection.cursor() as cursor:
        cursor.execute(sql, [first_id])
        return list(cursor.fetchall())


def _raw_reinsert(first_household: int, first_resident: int) -> tuple[float, int]:
    """Read back what the import wrote, delete it, and time inserting the same rows raw."""
    households = (Household._meta.db_table, _columns(Household))
    residents = (Resident._meta.db_table, _columns(Resident))
    household_rows = _select_after(*households, first_household)
    resident_rows = _select_after(*residents, first_resident)
    with transaction.atomic():
        Resident.objects.filter(pk__gt=first_resident).delete()
        Household.objects.filter(pk__gt=first_household).delete()

    def insert() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(_insert_sql(*households), household_rows)
            for start in range(0, len(resident_rows), BATCH):
                cursor.executemany(_insert_sql(*residents), resident_rows[start : start + BATCH])

    seconds, _ = time_once(insert)
    return seconds, len(resident_rows)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _grow(times: int) -> int:
    """Copies of every resident (same household, name and encrypted fields; a hash and tail of
    their own, so an exact search still finds one person); the count added."""
    table, columns = Resident._meta.db_table, _columns(Resident)
    position = {column: i for i, column in enumerate(columns)}
    originals = _select_after(table, columns, 0)
    next_id = max(row[position["id"]] for row in originals) + 1
    sql = _insert_sql(table, columns)
    added = 0
    for copy in range(1, times):
        batch = []
        for row in originals:
            values = list(row)
            values[position["id"]] = next_id
            # "g" is no hex digit: a copy's hash is never a real one, nor another copy's.
            values[position["id_hash"]] = f"g{copy}{row[position['id_hash']][2:]}"
            values[position["id_tail"]] = f"{(next_id * 7919) % 10_000:04d}"
            next_id += 1
            batch.append(tuple(values))
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(batch), BATCH):
                cursor.executemany(sql, batch[start : start + BATCH])
        added += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the copies took ids past the table's sequence
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)",
                [next_id],
            )
    _analyze()
    return added


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _search_pair(actor: User, q: str) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """The app's search (selector and first keyset page, as the API runs it) and the same
    statement on a raw cursor."""

    def app() -> Any:
        return keyset_page(
            resident_list(actor=actor, filters=ResidentFilters(q=q)), key="name", cursor=None
        )

    with CaptureQueriesContext(connection) as captured:
        app()
    statements = [query["sql"] for query in captured.captured_queries]
    (sql,) = [statement for statement in statements if "people_resident" in statement]

    def raw() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    return app, raw


def _measure_searches(actor: User, label: str, searches: dict[str, list[str]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for kind, values in searches.items():
        pairs = [_search_pair(actor, q) for q in values]
        app_samples: list[float] = []
        raw_samples: list[float] = []
        for _round in range(ROUNDS):
            for app, raw in pairs:  # in turn, so drift on a busy machine hits both alike
                app_samples.append(time_once(app)[0])
                raw_samples.append(time_once(raw)[0])
        app_median, app_p95 = _percentiles(app_samples)
        raw_median, raw_p95 = _percentiles(raw_samples)
        print(
            f"  search by {kind:<9} at {label:>10}: gridgov median {app_median * 1000:8.2f} ms "
            f"p95 {app_p95 * 1000:8.2f} ms   raw median {raw_median * 1000:8.2f} ms "
            f"p95 {raw_p95 * 1000:8.2f} ms   ratio (median) {app_median / raw_median:5.2f}"
        )
        found[kind] = {
            "median_ms": app_median * 1000,
            "p95_ms": app_p95 * 1000,
            "raw_median_ms": raw_median * 1000,
            "raw_p95_ms": raw_p95 * 1000,
            "ratio": app_median / raw_median,
        }
    return found


def run(*, residents: int) -> dict[str, Any]:
    grids = list(
        Region.objects.filter(level=Level.GRID)
        .order_by("region_code")
        .values_list("region_code", flat=True)
    )
    rows = _people(residents, grids)
    books = _workbooks(rows)
    operator = make_user(Role.COUNTY_OPERATOR, COUNTY, username="bench_register")
    first_household = Household.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    first_resident = Resident.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    import_seconds, written = time_once(lambda: _import(operator, books))
    raw_seconds, raw_rows = _raw_reinsert(first_household, first_resident)
    if not raw_rows == written == residents:
        raise RuntimeError(f"imported {written}, raw {raw_rows}, asked {residents}")
    print(
        f"  import of {residents:,} residents in {len(books)} workbooks: gridgov "
        f"{import_seconds:.1f} s ({residents / import_seconds:,.0f} rows/s)   raw bulk insert of "
        f"the same rows {raw_seconds:.1f} s ({residents / raw_seconds:,.0f} rows/s)   "
        f"ratio {import_seconds / raw_seconds:.1f}x the raw time"
    )
    rng = np.random.default_rng(SEED + 1)
    picks = [rows[int(i)] for i in rng.choice(len(rows), size=SEARCHES, replace=False)]
    searches = {
        "name": [row[3][:2] for row in picks],  # a surname and the first given character
        "ID number": [row[4] for row in picks],
        "ID tail": [row[4][-4:] for row in picks],
    }
    _analyze()
    at_size = _measure_searches(operator, f"{residents:,}", searches)
    grown = residents + _grow(GROWTH)
    at_grown = _measure_searches(operator, f"{grown:,}", searches)
    return {
        "residents": residents,
        "workbooks": len(books),
        "import_s": import_seconds,
        "raw_insert_s": raw_seconds,
        "import_ratio": import_seconds / raw_seconds,
        "search": {str(residents): at_size, str(grown): at_grown},
    }

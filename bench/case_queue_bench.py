"""A town's work queue, keyset-paginated, over a million cases: page 1 and page 10,000 through the
app's selectors (`unit_queue` + `queue_page`, as the queue page and the API call them) against the
same keyset query on a raw DB-API cursor, and the OFFSET query a naive pager would send."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext

from bench.timing import Comparison, interleaved_medians, median_seconds
from gridgov.accounts.models import RoleAssignment, User
from gridgov.cases.models import Case, Category
from gridgov.cases.selectors import encode_cursor, queue_page, unit_queue
from gridgov.core.access import Perm, Role
from gridgov.core.pii import decrypt

# The deepest page may take at most this multiple of the raw keyset query's time.
TARGET = 2.0
PAGE = 50
DEEP_PAGE = 10_000
INDEX = "case_queue"


def _town_official(town: str) -> User:
    user = User.objects.create_user(username=f"bench_queue_{town}", password=None)
    assignment = RoleAssignment(user=user, role=Role.TOWN_OFFICIAL)
    assignment.set_region_code(town)
    assignment.save()
    user.jurisdiction_codes(Perm.CASES_VIEW)  # warm the per-instance cache, as a request does once
    return user


def _select_list() -> str:
    """The columns the selector's select_related("category", "assignee") reads, in its joins."""
    tables = [
        (Case._meta.db_table, Case),
        (Category._meta.db_table, Category),
        (User._meta.db_table, User),
    ]
    return ", ".join(
        f'"{table}"."{field.column}"'
        for table, model in tables
        for field in model._meta.concrete_fields
    )


def raw_queries(*, keyset: bool, offset: int = 0) -> str:
    """The queue's page written by hand: scope (town_code), unit, working cases, deadline order;
    after a key with a row-value comparison, or after `offset` rows."""
    case, category, user = Case._meta.db_table, Category._meta.db_table, User._meta.db_table
    mark = "?" if connection.vendor == "sqlite" else "%s"
    after = f' AND ("{case}"."due_at", "{case}"."id") > ({mark}, {mark})' if keyset else ""
    return (
        f'SELECT {_select_list()} FROM "{case}"'
        f' INNER JOIN "{category}" ON ("{case}"."category_id" = "{category}"."id")'
        f' LEFT OUTER JOIN "{user}" ON ("{case}"."assignee_id" = "{user}"."id")'
        f' WHERE "{case}"."town_code" = {mark} AND "{case}"."handling_code" = {mark}'
        f' AND "{case}"."due_at" IS NOT NULL{after}'
        f' ORDER BY "{case}"."due_at" ASC, "{case}"."id" ASC LIMIT {PAGE + 1}'
        + (f" OFFSET {offset}" if offset else "")
    )


def _plan(sql: str, params: list[Any] | tuple[Any, ...]) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


def _print_plan(label: str, sql: str, params: list[Any] | tuple[Any, ...]) -> dict[str, Any]:
    plan = _plan(sql, params)
    text = "\n".join(plan)
    uses_index = INDEX in text
    sorts = "TEMP B-TREE" in text or "Sort" in text
    print(
        f"    {label}: index {INDEX} {'walked' if uses_index else 'NOT USED'}; separate sort: {'YES' if sorts else 'no'}"
    )
    for line in plan:
        print(f"        {line}")
    return {"label": label, "index": uses_index, "sort": sorts, "plan": plan}


class _LastQuery:
    """Records the SQL and parameters of the last statement the ORM sends, as it sends them."""

    def __init__(self) -> None:
        self.sql = ""
        self.params: tuple[Any, ...] = ()

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.sql, self.params = sql, tuple(params or ())
        return execute(sql, params, many, context)


def _raw_runner(sql: str, params: tuple[Any, ...]) -> Any:
    """Run a statement as the ORM sent it, on the DB-API cursor (SQLite wants ? marks)."""
    raw_connection = connection.connection
    if connection.vendor == "sqlite":
        sql = sql.replace("%s", "?").replace("%%", "%")

    def run() -> list[tuple[Any, ...]]:
        db_cursor = raw_connection.cursor()
        db_cursor.execute(sql, params)
        rows = db_cursor.fetchall()
        db_cursor.close()
        return list(rows)

    return run


def _breakdown(
    actor: User, town: str, cursor: str, key: tuple[Any, int], orm_s: float, repeat: int
) -> dict[str, float]:
    """Where the selector's time goes on the deep page: building its queryset and compiling the
    SQL, running that very SQL on the raw cursor, decrypting the contacts of each row (the
    EncryptedField decrypts on load), and the rest of turning rows into model objects."""
    last = _LastQuery()
    with connection.execute_wrapper(last):
        rows, _next = queue_page(
            unit_queue(actor=actor, handling_code=town), cursor=cursor, size=PAGE
        )
    run_sql = _raw_runner(last.sql, last.params)
    due_at, last_id = key

    def build_and_compile() -> object:
        # The queryset queue_page builds for this cursor.
        return (
            unit_queue(actor=actor, handling_code=town)
            .filter(due_at__isnull=False)
            .filter(Q(due_at__gt=due_at) | Q(due_at=due_at, id__gt=last_id), due_at__gte=due_at)
            .order_by("due_at", "id")[: PAGE + 1]
            .query.sql_with_params()
        )

    with connection.cursor() as db_cursor:
        db_cursor.execute(
            f"SELECT reporter_name, reporter_phone FROM {Case._meta.db_table} WHERE id IN"
            f" ({', '.join(['%s'] * len(rows))})",
            [case.pk for case in rows],
        )
        tokens = [token for pair in db_cursor.fetchall() for token in pair if token]

    build_s = median_seconds(build_and_compile, repeat=repeat * 5)
    sql_s = median_seconds(run_sql, repeat=repeat * 5)
    decrypt_s = median_seconds(lambda: [decrypt(token) for token in tokens], repeat=repeat * 5)
    rest_s = max(orm_s - build_s - sql_s - decrypt_s, 0)
    print(
        f"    selector page breakdown: queryset + SQL compile {build_s * 1000:.3f} ms, its SQL on a raw "
        f"cursor {sql_s * 1000:.3f} ms, decrypting {len(tokens)} reporter names/phones "
        f"{decrypt_s * 1000:.3f} ms, the rest of building {len(rows)} cases (+ category, assignee) "
        f"{rest_s * 1000:.3f} ms"
    )
    return {
        "build_compile": build_s * 1000,
        "sql": sql_s * 1000,
        "decrypt": decrypt_s * 1000,
        "rest": rest_s * 1000,
    }


# What the queue page shows of each case (and what the policy needs to offer bulk dispatch).
QUEUE_COLUMNS = [
    "number",
    "title",
    "urgency",
    "state",
    "level",
    "handling_code",
    "region_code",
    "county_code",
    "town_code",
    "village_code",
    "grid_code",
    "due_at",
    "assignee_id",
    "resolved_by_id",
    "category__code",
    "category__name",
    "category__name_en",
    "assignee__username",
    "assignee__display_name",
]


def _variants(actor: User, town: str, cursor: str, raw_s: float, repeat: int) -> dict[str, float]:
    """The deep page with the fixes a queue could make in its own read: not loading (and so not
    decrypting) the reporter's contacts it never shows, or loading only the columns it shows."""
    shapes: dict[str, Callable[[QuerySet[Case]], QuerySet[Case]]] = {
        "contacts deferred": lambda queryset: queryset.defer("reporter_name", "reporter_phone"),
        "queue columns only": lambda queryset: queryset.only(*QUEUE_COLUMNS),
    }
    figures: dict[str, float] = {}
    for label, shape in shapes.items():

        def page(shape: Callable[[QuerySet[Case]], QuerySet[Case]] = shape) -> list[Case]:
            return queue_page(
                shape(unit_queue(actor=actor, handling_code=town)), cursor=cursor, size=PAGE
            )[0]

        last = _LastQuery()
        with connection.execute_wrapper(last):
            page()
        orm_s, sql_s = interleaved_medians(
            page, _raw_runner(last.sql, last.params), repeat=repeat, warmup=2
        )
        figures[label] = orm_s * 1000
        print(
            f"    with {label}: {orm_s * 1000:.3f} ms ({orm_s / raw_s:.2f}x the raw keyset page; its own "
            f"SQL on a raw cursor {sql_s * 1000:.3f} ms)"
        )
    return figures


def run(*, town: str, repeat: int) -> dict[str, Any]:
    actor = _town_official(town)
    in_queue = Case.objects.filter(handling_code=town, due_at__isnull=False)
    total = in_queue.count()
    deep = min(DEEP_PAGE, total // PAGE)
    skipped = (deep - 1) * PAGE
    print(
        f"  queue of town {town}: {total:,} cases being worked; deepest page measured: {deep:,} (rows {skipped + 1:,}-{skipped + PAGE:,}, {PAGE} a page)"
    )
    if deep < DEEP_PAGE:
        print(f"  (a quick run: {total:,} rows do not reach page {DEEP_PAGE:,})")

    # The key of the last row before the deep page, as the pager hands it on.
    due_at, last_id = in_queue.order_by("due_at", "id").values_list("due_at", "id")[skipped - 1]
    assert due_at is not None
    cursor = encode_cursor({"due_at": due_at.isoformat(), "id": last_id})
    with connection.cursor() as db_cursor:
        # The same key as the database holds it (SQLite: text; PostgreSQL: a timestamp).
        db_cursor.execute(f"SELECT due_at FROM {Case._meta.db_table} WHERE id = %s", [last_id])
        (raw_due_at,) = db_cursor.fetchone()

    def orm(page_cursor: str | None) -> list[Case]:
        rows, _next = queue_page(
            unit_queue(actor=actor, handling_code=town), cursor=page_cursor, size=PAGE
        )
        return rows

    raw_connection = connection.connection
    page_one_sql = raw_queries(keyset=False)
    keyset_sql = raw_queries(keyset=True)
    offset_sql = raw_queries(keyset=False, offset=skipped)

    def raw(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        db_cursor = raw_connection.cursor()
        db_cursor.execute(sql, params)
        rows = db_cursor.fetchall()
        db_cursor.close()
        return list(rows)

    def orm_first() -> list[Case]:
        return orm(None)

    def orm_deep() -> list[Case]:
        return orm(cursor)

    def raw_first() -> list[tuple[Any, ...]]:
        return raw(page_one_sql, (town, town))

    def raw_deep() -> list[tuple[Any, ...]]:
        return raw(keyset_sql, (town, town, raw_due_at, last_id))

    def raw_offset() -> list[tuple[Any, ...]]:
        return raw(offset_sql, (town, town))

    # Same answers, or the comparison means nothing: ORM, raw keyset and raw OFFSET agree, and
    # the ORM's own next cursor from page 1 leads to rows 51-100.
    first_ids = [case.pk for case in orm_first()]
    deep_ids = [case.pk for case in orm_deep()]
    if first_ids != [row[0] for row in raw_first()][:PAGE]:
        raise RuntimeError("page 1 differs between the selector and raw SQL")
    if (
        deep_ids != [row[0] for row in raw_deep()][:PAGE]
        or deep_ids != [row[0] for row in raw_offset()][:PAGE]
    ):
        raise RuntimeError(f"page {deep} differs between the selector, raw keyset and raw OFFSET")
    _rows, second_cursor = queue_page(
        unit_queue(actor=actor, handling_code=town), cursor=None, size=PAGE
    )
    second = [case.pk for case in orm(second_cursor)]
    if (
        second
        != [row[0] for row in raw(raw_queries(keyset=False, offset=PAGE), (town, town))][:PAGE]
    ):
        raise RuntimeError("page 2 reached by the selector's cursor differs from OFFSET 50")
    print(
        f"  checked: page 1, page 2 (by the selector's cursor) and page {deep:,} are the same rows by every path"
    )

    with CaptureQueriesContext(connection) as captured:
        orm_deep()
    orm_sql = captured.captured_queries[-1]["sql"]
    selected = orm_sql[: orm_sql.index(" FROM ")].count(",") + 1
    print(
        f"    selector's SQL for page {deep:,}: SELECT <{selected} columns>{orm_sql[orm_sql.index(' FROM ') :]}"
    )
    plans = [
        _print_plan(f"selector, page {deep:,}", orm_sql, []),
        _print_plan(
            f"raw keyset, page {deep:,}",
            keyset_sql.replace("?", "%s"),
            (town, town, raw_due_at, last_id),
        ),
        _print_plan(f"raw OFFSET {skipped:,}", offset_sql.replace("?", "%s"), (town, town)),
    ]

    first_orm_s, first_raw_s = interleaved_medians(orm_first, raw_first, repeat=repeat, warmup=2)
    deep_orm_s, deep_raw_s = interleaved_medians(orm_deep, raw_deep, repeat=repeat, warmup=2)
    offset_s = median_seconds(raw_offset, repeat=max(3, repeat // 4), warmup=1)
    print(
        f"    raw OFFSET {skipped:,} (page {deep:,} the naive way): {offset_s * 1000:.1f} ms, "
        f"{offset_s / deep_raw_s:,.0f}x the raw keyset page"
    )
    print(
        f"    selector: page {deep:,} takes {deep_orm_s / first_orm_s:.2f}x page 1 (raw keyset: "
        f"{deep_raw_s / first_raw_s:.2f}x)"
    )
    breakdown = _breakdown(actor, town, cursor, (due_at, last_id), deep_orm_s, repeat)
    variants = _variants(actor, town, cursor, deep_raw_s, repeat)

    comparisons = [
        Comparison(
            f"queue page 1 (median of {repeat})",
            "ms",
            first_orm_s * 1000,
            first_raw_s * 1000,
            "latency",
            TARGET,
        ),
        Comparison(
            f"queue page {deep:,} (median of {repeat})",
            "ms",
            deep_orm_s * 1000,
            deep_raw_s * 1000,
            "latency",
            TARGET,
        ),
    ]
    # Not the app's read today: what the queue would cost if it loaded only what it shows.
    comparisons.append(
        Comparison(
            f"variant: page {deep:,} .only(shown cols)",
            "ms",
            variants["queue columns only"],
            deep_raw_s * 1000,
            "latency",
            TARGET,
        )
    )
    for comparison in comparisons:
        print(comparison.line())
    return {
        "town": town,
        "rows_in_queue": total,
        "deep_page": deep,
        "offset_ms": offset_s * 1000,
        "breakdown_ms": breakdown,
        "variants_ms": variants,
        "plans": plans,
        "comparisons": [c.as_dict() for c in comparisons],
    }

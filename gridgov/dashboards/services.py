"""Keeping the rollups current: a worker folds the cases' timeline into them every minute, a
nightly reconcile rebuilds a day from the cases and reports any difference.

Why a worker rather than the transition's own transaction: every write to a case already leaves
a timeline row (the report, each move, a rating, the sweep's set-based escalation), so folding the
timeline catches them all, the bulk SQL paths included, without cases knowing about the command
centre, and a transition pays nothing for it. A case is recounted from what it is now (its
contribution is replaced, never added to), so folding the same case twice changes nothing, and
the fold looks back a few minutes past its last run to catch transactions that committed late.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from gridgov.cases.selectors.facts import (
    CaseFact,
    case_facts,
    case_facts_reported,
    cases_changed_since,
    cases_turning_overdue,
)
from gridgov.core.audit import audit_record
from gridgov.core.codes import ancestor_codes
from gridgov.dashboards import buckets
from gridgov.dashboards.models import CaseContribution, CaseRollup, RegionRollup, RollupState

# How far before its last run a fold looks again: a transaction that wrote its timeline row
# earlier but committed after that run is still folded in.
LOOKBACK = timedelta(minutes=10)
_BATCH = 2000
_COPY_BATCH = 50_000

Key = tuple[str, date, int, str, str, str, str, bool]
MEASURES = ("cases", "rated", "rating_sum", "resolved", "resolve_seconds")
_ANCESTORS = ("county_code", "town_code", "village_code", "grid_code")
KEY_FIELDS = ("region_code", "day", "category_id", "channel", "state", "level", "timeliness")


def _place(fact: CaseFact | CaseContribution | CaseRollup) -> str:
    return fact.grid_code or fact.village_code or fact.town_code or fact.county_code


def _key(fact: CaseFact | CaseContribution | CaseRollup) -> Key:
    return (
        _place(fact),
        fact.day,
        fact.category_id,
        fact.channel,
        fact.state,
        fact.level,
        fact.timeliness,
        fact.escalated,
    )


def _measures(rating: int | None, resolve_seconds: int | None) -> tuple[int, int, int, int, int]:
    return (
        1,
        1 if rating is not None else 0,
        rating or 0,
        1 if resolve_seconds is not None else 0,
        resolve_seconds or 0,
    )


def _key_dict(key: Key) -> dict[str, Any]:
    region_code, day, category_id, channel, state, level, timeliness, escalated = key
    return {
        **ancestor_codes(region_code),
        "day": day,
        "category_id": category_id,
        "channel": channel,
        "state": state,
        "level": level,
        "timeliness": timeliness,
        "escalated": escalated,
    }


def _add(totals: dict[Key, list[int]], key: Key, measures: Iterable[int], sign: int) -> None:
    row = totals.setdefault(key, [0, 0, 0, 0, 0])
    for index, value in enumerate(measures):
        row[index] += sign * value


Coarse = dict[buckets.BucketKey, dict[str, int]]


def _coarse(fine: dict[Key, list[int]], sign: int = 1, into: Coarse | None = None) -> Coarse:
    """The fine rows (or their changes) projected onto the coarse rows: each place's days, then
    its months and years from those, then every tree row from the places'."""
    into = {} if into is None else into
    place_days: Coarse = {}
    for key, measures in fine.items():
        region_code, day, category_id, channel, state, level, timeliness, escalated = key
        values = buckets.vector(
            category_id=category_id,
            channel=channel,
            state=state,
            level=level,
            timeliness=timeliness,
            escalated=escalated,
            measures=measures,
        )
        buckets.add(
            place_days.setdefault((buckets.PLACE, region_code, buckets.DAY, day), {}), values
        )
    places: Coarse = dict(place_days)
    for span in (buckets.MONTH, buckets.YEAR):
        for (_scope, code, _span, day), values in place_days.items():
            start = buckets.bucket_start(day, span)
            buckets.add(places.setdefault((buckets.PLACE, code, span, start), {}), values)
    for (_scope, code, span, start), values in places.items():
        for scope, region in buckets.regions_of(code):
            buckets.add(into.setdefault((scope, region, span, start), {}), values, sign)
    return into


def _keys_table(
    names: tuple[str, ...], types: tuple[str, ...], keys: list[tuple[Any, ...]]
) -> Iterator[tuple[str, list[Any]]]:
    """`WITH k(<names>) AS (...)` holding these keys, to join a table with, and its parameters:
    on PostgreSQL one array a column for all of them (thousands of placeholders cost the driver
    more to bind than the server to join), elsewhere a VALUES list in batches of 500."""
    if not keys:
        return
    head = f"WITH k({', '.join(names)}) AS "
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        columns = [list(column) for column in zip(*keys, strict=True)]
        yield f"{head}(SELECT * FROM unnest({arrays}))", columns  # noqa: S608
        return
    row = f"({', '.join(['%s'] * len(names))})"
    for first in range(0, len(keys), 500):
        batch = keys[first : first + 500]
        yield (
            f"{head}(VALUES {', '.join([row] * len(batch))})",
            [value for key in batch for value in key],
        )


def _coarse_rows(
    keys: list[buckets.BucketKey],
) -> dict[buckets.BucketKey, tuple[int, dict[str, int]]]:
    """The coarse rows of these keys, each as its id and its figures (columns and counts in one
    dict). Read as plain values: a fold reads thousands, and a model apiece cost more than the
    reading."""
    table = RegionRollup._meta.db_table
    columns = ", ".join(f"r.{name}" for name in buckets.COLUMNS)
    found: dict[buckets.BucketKey, tuple[int, dict[str, int]]] = {}
    with connection.cursor() as cursor:
        for keys_table, params in _keys_table(
            ("scope", "region_code", "span", "start"), ("text", "text", "text", "date"), keys
        ):
            cursor.execute(
                f"{keys_table} SELECT r.id, r.scope, r.region_code, r.span, r.start, {columns},"  # noqa: S608
                f" r.counts FROM {table} r JOIN k ON r.scope = k.scope"
                " AND r.region_code = k.region_code AND r.span = k.span AND r.start = k.start",
                params,
            )
            for pk, scope, region_code, span, start, *figures, counts in cursor.fetchall():
                if not isinstance(start, date):  # SQLite hands back the ISO text
                    start = date.fromisoformat(start)
                if not isinstance(counts, dict):  # as stored: JSON text
                    counts = json.loads(counts)
                found[scope, region_code, span, start] = (
                    pk,
                    dict(zip(buckets.COLUMNS, figures, strict=True)) | counts,
                )
    return found


def _apply_coarse(deltas: Coarse) -> None:
    """Add the changes to the coarse rows: each touched row is read, replaced by its new sums
    (one DELETE and one COPY for them all, however many), and gone when it counts no case."""
    deltas = {key: delta for key, delta in deltas.items() if delta}
    if not deltas:
        return
    existing = _coarse_rows(list(deltas))
    replaced: list[int] = []
    fresh: Coarse = {}
    for key, delta in deltas.items():
        values: dict[str, int] = {}
        if key in existing:
            pk, values = existing[key]
            replaced.append(pk)
        buckets.add(values, delta)
        if values.get("cases"):
            fresh[key] = values
    _delete_ids(RegionRollup, replaced)
    # Written as the rebuild writes them (COPY on PostgreSQL): the ORM's bulk INSERT binds each
    # row's counts as an element of a JSON array, which psycopg escapes character by character;
    # that was 8.6 of a 22 s fold of 1,382 cases over ten years.
    _create_coarse(fresh)


def _delete_ids(model: type[Model], ids: list[int]) -> None:
    """Delete rows by primary key, thousands at once: one array parameter on PostgreSQL (a list
    of thousands of placeholders costs the driver more to bind than the server to delete)."""
    if not ids:
        return
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {table} WHERE {pk} = ANY(%s)", [ids])  # noqa: S608
            return
        for first in range(0, len(ids), 500):
            batch = ids[first : first + 500]
            cursor.execute(
                f"DELETE FROM {table} WHERE {pk} IN ({', '.join(['%s'] * len(batch))})",  # noqa: S608
                batch,
            )


def _plain_key(row: tuple[Any, ...]) -> Key:
    """A rollup key as read back by a cursor (SQLite gives days as text and booleans as 0/1)."""
    region_code, day, category_id, channel, state, level, timeliness, escalated = row
    if not isinstance(day, date):
        day = date.fromisoformat(day)
    return (region_code, day, category_id, channel, state, level, timeliness, bool(escalated))


_KEY_SELECT = (
    "r.region_code, r.day, r.category_id, r.channel, r.state, r.level, r.timeliness, r.escalated"
)


def _fine_rows(place_days: list[tuple[str, date]]) -> dict[Key, tuple[int, list[int]]]:
    """The fine rows of these places and days, each as its id and its measures."""
    table = CaseRollup._meta.db_table
    measures = ", ".join(f"r.{name}" for name in MEASURES)
    found: dict[Key, tuple[int, list[int]]] = {}
    with connection.cursor() as cursor:
        for keys_table, params in _keys_table(("place", "day"), ("text", "date"), place_days):
            cursor.execute(
                f"{keys_table} SELECT r.id, {_KEY_SELECT}, {measures} FROM {table} r"  # noqa: S608
                " JOIN k ON r.region_code = k.place AND r.day = k.day",
                params,
            )
            for pk, *rest in cursor.fetchall():
                found[_plain_key(tuple(rest[:8]))] = (pk, list(rest[8:]))
    return found


def _apply_deltas(deltas: dict[Key, list[int]]) -> None:
    """Add the changes to the fine rows and the coarse: the touched rows are read, deleted and
    written again with their new counts (a row counting no case is not written again)."""
    deltas = {key: delta for key, delta in deltas.items() if any(delta)}
    if not deltas:
        return
    _apply_coarse(_coarse(deltas))
    existing = _fine_rows(sorted({(key[0], key[1]) for key in deltas}))
    replaced: list[int] = []
    created: list[tuple[Any, ...]] = []
    for key, delta in deltas.items():
        measures = [0] * len(MEASURES)
        if key in existing:
            pk, measures = existing[key]
            replaced.append(pk)
        measures = [old + change for old, change in zip(measures, delta, strict=True)]
        if measures[0]:
            created.append((*_key_row(key), *measures))
    _delete_ids(CaseRollup, replaced)
    _insert(CaseRollup, [*_KEY_COLUMNS, *MEASURES], created)


# What a case adds now, as the fold reads and writes it: its key and its measures' sources.
Contribution = tuple[Key, tuple[int, int, int, int, int]]


def _contributions(case_ids: list[int]) -> dict[int, Contribution]:
    table = CaseContribution._meta.db_table
    found: dict[int, Contribution] = {}
    with connection.cursor() as cursor:
        for keys_table, params in _keys_table(("id",), ("bigint",), [(pk,) for pk in case_ids]):
            cursor.execute(
                f"{keys_table} SELECT r.case_id, {_KEY_SELECT}, r.rating, r.resolve_seconds"  # noqa: S608
                f" FROM {table} r JOIN k ON r.case_id = k.id",
                params,
            )
            for case_id, *rest in cursor.fetchall():
                found[case_id] = (_plain_key(tuple(rest[:8])), _measures(rest[8], rest[9]))
    return found


def _fold_facts(facts: list[CaseFact], gone: set[int]) -> int:
    """Move each case from the rollup row it was counted under to the one it belongs to now;
    returns how many cases moved."""
    before = _contributions([fact.case_id for fact in facts] + sorted(gone))
    deltas: dict[Key, list[int]] = {}
    written: list[tuple[Any, ...]] = []
    replaced: list[int] = []
    for fact in facts:
        new_key, new_measures = _key(fact), _measures(fact.rating, fact.resolve_seconds)
        old = before.get(fact.case_id)
        if old is not None:
            if old == (new_key, new_measures):
                continue
            _add(deltas, old[0], old[1], -1)
            replaced.append(fact.case_id)
        _add(deltas, new_key, new_measures, +1)
        written.append((fact.case_id, *_key_row(new_key), fact.rating, fact.resolve_seconds))
    removed = [case_id for case_id in gone if case_id in before]
    for case_id in removed:
        _add(deltas, *before[case_id], -1)
    _apply_deltas(deltas)
    # Replaced rather than updated: one DELETE and one INSERT however many cases moved.
    _delete_ids(CaseContribution, removed + replaced)
    _insert(CaseContribution, ["case_id", *_KEY_COLUMNS, "rating", "resolve_seconds"], written)
    return len(written) + len(removed)


def _locked_state() -> RollupState:
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


@dataclass(frozen=True)
class FoldResult:
    looked_at: int
    moved: int
    rebuilt: bool


def rollups_fold(*, now: datetime | None = None) -> FoldResult:
    """Bring the rollups up to `now`: recount every case whose timeline moved since the last
    run (less LOOKBACK) and every case that became overdue meanwhile. The first run rebuilds."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _locked_state()
        if state.folded_at is None:
            count = _rebuild(reported_from=None, reported_before=None, now=now)
            state.folded_at = state.rebuilt_at = now
            state.save()
            return FoldResult(looked_at=count, moved=count, rebuilt=True)
        since = min(state.folded_at, now) - LOOKBACK
        ids = cases_changed_since(since=since) | cases_turning_overdue(since=since, now=now)
        facts = case_facts(case_ids=ids, now=now)
        gone = ids - {fact.case_id for fact in facts}
        moved = _fold_facts(facts, gone)
        state.folded_at = now
        state.save(update_fields=["folded_at"])
    return FoldResult(looked_at=len(ids), moved=moved, rebuilt=False)


def _expected(facts: Iterable[CaseFact]) -> dict[Key, list[int]]:
    totals: dict[Key, list[int]] = {}
    for fact in facts:
        _add(totals, _key(fact), _measures(fact.rating, fact.resolve_seconds), +1)
    return totals


def _rebuild(
    *, reported_from: datetime | None, reported_before: datetime | None, now: datetime
) -> int:
    """Replace the rollup rows and contributions of the cases reported in the range."""
    rows = CaseRollup.objects.all()
    contributions = CaseContribution.objects.all()
    if reported_from is not None:
        day = timezone.localtime(reported_from).date()
        rows, contributions = rows.filter(day__gte=day), contributions.filter(day__gte=day)
    if reported_before is not None:
        day = timezone.localtime(reported_before).date()
        rows, contributions = rows.filter(day__lt=day), contributions.filter(day__lt=day)
    whole = reported_from is None and reported_before is None
    if whole:
        RegionRollup.objects.all().delete()
    rows.delete()
    contributions.delete()
    totals: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    count = 0

    columns = ["case_id", *_KEY_COLUMNS, "rating", "resolve_seconds"]
    batch: list[tuple[Any, ...]] = []
    for fact in case_facts_reported(
        reported_from=reported_from, reported_before=reported_before, now=now
    ):
        key = _key(fact)
        _add(totals, key, _measures(fact.rating, fact.resolve_seconds), +1)
        count += 1
        batch.append((fact.case_id, *_key_row(key), fact.rating, fact.resolve_seconds))
        if len(batch) >= _COPY_BATCH:
            # Written between the reads' batches: a COPY holds the connection while it runs.
            _insert(CaseContribution, columns, batch)
            batch = []
    _insert(CaseContribution, columns, batch)
    _insert(
        CaseRollup,
        [*_KEY_COLUMNS, *MEASURES],
        ((*_key_row(key), *measures) for key, measures in totals.items()),
    )
    if whole:
        _create_coarse(_coarse(totals))
    else:
        # The reconcile's range: whole local days, the end excluded.
        assert reported_from is not None
        assert reported_before is not None
        first = timezone.localtime(reported_from).date()
        _recount_coarse(first, timezone.localtime(reported_before).date() - timedelta(days=1))
    return count


def _create_coarse(coarse: Coarse) -> None:
    def rows() -> Iterator[tuple[Any, ...]]:
        for (scope, region_code, span, start), values in coarse.items():
            columns = [values.pop(name, 0) for name in buckets.COLUMNS]
            yield (
                *ancestor_codes(region_code).values(),
                scope,
                span,
                start,
                *columns,
                json.dumps(values, separators=(",", ":")),
            )

    _insert(
        RegionRollup,
        [*_ANCESTOR_COLUMNS, "scope", "span", "start", *buckets.COLUMNS, "counts"],
        rows(),
    )


# The columns of a rollup key as the rebuild writes them (`_key_row`).
_ANCESTOR_COLUMNS = ["region_code", *_ANCESTORS]
_KEY_COLUMNS = [
    *_ANCESTOR_COLUMNS,
    "day",
    "category_id",
    "channel",
    "state",
    "level",
    "timeliness",
    "escalated",
]


def _key_row(key: Key) -> tuple[Any, ...]:
    region_code, *rest = key
    return (*ancestor_codes(region_code).values(), *rest)


def _insert(model: type[Model], columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Write many rows at once: PostgreSQL's COPY (a rebuild writes a row per case), batched
    INSERTs elsewhere. No model is built and no signal sent: the rows are plain values."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        statement = (
            f"INSERT INTO {table} ({', '.join(columns)})"  # noqa: S608
            f" VALUES ({', '.join(['%s'] * len(columns))})"
        )
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= _BATCH:
                cursor.executemany(statement, batch)
                batch = []
        if batch:
            cursor.executemany(statement, batch)


def _recount_coarse(first: date, last: date) -> None:
    """Count again from the fine rows every coarse row holding a day of first..last: the days',
    their months' and their years' (a reconcile mends the coarse rows as well as the fine)."""
    first_year, end_year = first.replace(month=1, day=1), date(last.year + 1, 1, 1)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    wanted = {(span, buckets.bucket_start(day, span)) for day in days for span in buckets.SPANS}
    stale = Q(pk__in=[])
    for span, start in wanted:
        stale |= Q(span=span, start=start)
    RegionRollup.objects.filter(stale).delete()
    fine = {
        _key(row): [getattr(row, name) for name in MEASURES]
        for row in CaseRollup.objects.filter(day__gte=first_year, day__lt=end_year)
    }
    _create_coarse(
        {key: values for key, values in _coarse(fine).items() if (key[2], key[3]) in wanted}
    )


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return start, end


@dataclass(frozen=True)
class Difference:
    """A rollup row that did not match the cases: what it said and what they say."""

    key: dict[str, Any]
    recorded: dict[str, int]
    expected: dict[str, int]


def _rows_of_day(day: date) -> dict[Key, list[int]]:
    found: dict[Key, list[int]] = {}
    for row in CaseRollup.objects.filter(day=day):
        found[_key(row)] = [getattr(row, name) for name in MEASURES]
    return found


def rollups_reconcile(*, day: date, now: datetime | None = None) -> list[Difference]:
    """Rebuild one day's rollups from the cases reported that day; returns every row that
    differed (empty when the fold kept them right). Audited when anything differed."""
    now = now or timezone.now()
    start, end = _day_bounds(day)
    with transaction.atomic():
        _locked_state()
        recorded = _rows_of_day(day)
        expected = _expected(case_facts_reported(reported_from=start, reported_before=end, now=now))
        differences = [
            Difference(
                key={
                    name: value
                    for name, value in _key_dict(key).items()
                    if name in {*KEY_FIELDS, "escalated"}
                },
                recorded=dict(zip(MEASURES, recorded.get(key, [0] * 5), strict=True)),
                expected=dict(zip(MEASURES, expected.get(key, [0] * 5), strict=True)),
            )
            for key in sorted(set(recorded) | set(expected), key=str)
            if recorded.get(key, [0] * 5) != expected.get(key, [0] * 5)
        ]
        _rebuild(reported_from=start, reported_before=end, now=now)
        if differences:
            audit_record(
                actor=None,
                action="rollup.reconcile",
                object_type="rollup",
                object_id=day.isoformat(),
                detail={"differences": len(differences)},
            )
    return differences


def rollups_rebuild(*, now: datetime | None = None) -> int:
    """Recount every case from scratch (after a bulk load); returns how many were counted."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _locked_state()
        count = _rebuild(reported_from=None, reported_before=None, now=now)
        state.folded_at = state.rebuilt_at = now
        state.save()
    return count

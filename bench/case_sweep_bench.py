"""The overdue sweep: `escalate_overdue_cases` (one transaction, a few set-based statements) over
every overdue case, against escalating case by case (lock, the state machine's transition, its
timeline row and inbox rows, a transaction each) timed on a sample and scaled per case."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from bench.case_rows import routers_by_unit
from bench.timing import Comparison
from gridgov.cases import notices
from gridgov.cases.models import Case, CaseEvent, HandlingLevel
from gridgov.cases.notifications import unit_routers
from gridgov.cases.services.sweep import escalate_overdue_cases
from gridgov.cases.services.transitions import apply_transition
from gridgov.cases.states import WORKING_STATES, Action
from gridgov.notifications.models import Notification

# The sweep must be at least this many times faster per case than escalating one by one.
TARGET = 100.0


class Speedup(Comparison):
    def line(self) -> str:
        verdict = "MET" if self.met else "NOT MET"
        return (
            f"  {self.name:<34} sweep {self.gridgov:>10,.0f} cases/s   case by case "
            f"{self.baseline:>8,.0f} cases/s   {self.ratio:,.0f}x faster  (target >= {self.target:.0f}x: {verdict})"
        )


class _Statements:
    """Times each statement the sweep sends."""

    def __init__(self) -> None:
        self.timed: list[tuple[str, float]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timed.append((sql.strip(), time.perf_counter() - started))


def _overdue(now: datetime) -> Any:
    return Case.objects.filter(
        due_at__lt=now,
        state__in=[state.value for state in WORKING_STATES],
        level__in=[HandlingLevel.VILLAGE, HandlingLevel.TOWN],
    )


def escalate_one(case_id: int, *, now: datetime) -> None:
    """What the sweep does for one case, done the ordinary way: lock the case, take the state
    machine's escalate transition (new level, unit and deadline, its timeline row), and write
    the inbox rows of the unit it goes up to."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("category").get(pk=case_id)
        apply_transition(
            case=case,
            actor=None,
            action=Action.ESCALATE,
            note=_("Overdue: escalated automatically"),
            now=now,
            data={"automatic": True},
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=user_id,
                    key=notices.ESCALATED.key,
                    params={"number": case.number, "title": case.title},
                    object_type=notices.CASE,
                    object_id=case.number,
                )
                for user_id in unit_routers(case.handling_code)
            ]
        )


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise RuntimeError(f"sweep check failed: {what}")


def run(*, now: datetime, sample: int) -> dict[str, Any]:
    overdue = _overdue(now)
    total_before = overdue.count()
    print(
        f"  {total_before:,} overdue cases being worked at village and town level, of {Case.objects.count():,}"
    )

    # Case by case, on a sample, a second earlier (so its timeline rows are told apart).
    sample_now = now - timedelta(seconds=1)
    sample_ids = list(overdue.order_by("id").values_list("id", flat=True)[:sample])
    one_by_one = _Statements()
    with connection.execute_wrapper(one_by_one):
        started = time.perf_counter()
        for case_id in sample_ids:
            escalate_one(case_id, now=sample_now)
        one_by_one_s = time.perf_counter() - started
    in_statements_s = sum(seconds for _sql, seconds in one_by_one.timed)
    _check(
        CaseEvent.objects.filter(action=Action.ESCALATE, created_at=sample_now).count()
        == len(sample_ids),
        "one timeline row per case escalated one by one",
    )
    _check(overdue.count() == total_before - len(sample_ids), "the sample is no longer overdue")

    # The sweep over all the others.
    due = overdue.count()
    by_level = dict(overdue.values_list("level").annotate(rows=Count("id")).order_by())
    events_before = CaseEvent.objects.count()
    statements = _Statements()
    with connection.execute_wrapper(statements):
        started = time.perf_counter()
        escalated = escalate_overdue_cases(now=now)
        sweep_s = time.perf_counter() - started
    writes = [
        (sql, seconds)
        for sql, seconds in statements.timed
        if sql.upper().startswith(("INSERT", "UPDATE"))
    ]

    # Correctness: every overdue case moved up once, with its timeline row and inbox rows.
    _check(escalated == due, f"the sweep says {escalated:,} escalated, {due:,} were overdue")
    _check(overdue.count() == 0, "no case is left overdue at village or town level")
    events = CaseEvent.objects.filter(action=Action.ESCALATE, created_at=now, actor__isnull=True)
    _check(
        events.count() == due and CaseEvent.objects.count() - events_before == due,
        "one timeline row per case",
    )
    moves = dict(
        ((before, after), rows)
        for before, after, rows in events.values_list("level_before", "level_after")
        .annotate(rows=Count("id"))
        .order_by()
    )
    _check(
        moves.get((HandlingLevel.VILLAGE, HandlingLevel.TOWN), 0)
        == by_level.get(HandlingLevel.VILLAGE, 0)
        and moves.get((HandlingLevel.TOWN, HandlingLevel.COUNTY), 0)
        == by_level.get(HandlingLevel.TOWN, 0)
        and sum(moves.values()) == due,
        f"village cases went to the town and town cases to the county: {moves} vs {by_level}",
    )
    _check(
        not Case.objects.filter(pk__in=events.values("case_id"), due_at__lte=now).exists(),
        "every escalated case has a new deadline after now",
    )
    routers = routers_by_unit()
    by_unit = dict(events.values_list("handling_code_after").annotate(rows=Count("id")).order_by())
    # One digest per router of each unit cases went up to; case by case it was one per case.
    expected_notes = sum(len(routers.get(unit, ())) for unit in by_unit)
    per_case_notes = sum(rows * len(routers.get(unit, ())) for unit, rows in by_unit.items())
    digests = Notification.objects.filter(key=notices.ESCALATED_DIGEST.key, created_at=now)
    notes = digests.count()
    _check(notes == expected_notes, f"{notes:,} inbox rows, {expected_notes:,} routers to tell")
    told = sum(digests.values_list("count", flat=True))
    _check(told == per_case_notes, f"the digests count {told:,} cases, {per_case_notes:,} expected")

    per_case_s = one_by_one_s / len(sample_ids)
    print(
        f"    sweep: {escalated:,} cases escalated ({by_level.get(HandlingLevel.VILLAGE, 0):,} village -> town, "
        f"{by_level.get(HandlingLevel.TOWN, 0):,} town -> county) in {sweep_s:.2f} s, one transaction of "
        f"{len(statements.timed)} statements ({len(writes)} set-based writes); {notes:,} inbox digests "
        f"(one a case would have been {per_case_notes:,} rows)"
    )
    for sql, seconds in writes:
        print(f"      {seconds:6.2f} s  {' '.join(sql.split()[:4])} ...")
    print(
        f"      {sweep_s - sum(seconds for _sql, seconds in statements.timed):6.2f} s  the rest (commit)"
    )
    print(
        f"    case by case: {len(one_by_one.timed) / len(sample_ids):.0f} statements a case taking "
        f"{in_statements_s / len(sample_ids) * 1000:.2f} ms, the rest (Python, commit) "
        f"{(one_by_one_s - in_statements_s) / len(sample_ids) * 1000:.2f} ms"
    )
    print(
        f"    case by case: {len(sample_ids):,} cases in {one_by_one_s:.2f} s ({per_case_s * 1000:.2f} ms a case, "
        f"a transaction each); scaled per case to the sweep's {escalated:,}: {per_case_s * escalated:,.0f} s"
    )
    print(
        "    checked: counts of escalated cases, timeline rows, level moves, new deadlines and inbox rows"
    )
    comparison = Speedup(
        f"overdue sweep, {escalated:,} cases",
        "cases/s",
        escalated / sweep_s,
        len(sample_ids) / one_by_one_s,
        "throughput",
        TARGET,
    )
    print(comparison.line())
    return {
        "overdue": total_before,
        "sample": len(sample_ids),
        "escalated": escalated,
        "sweep_s": sweep_s,
        "per_case_ms": per_case_s * 1000,
        "statements": len(statements.timed),
        "statement_s": {" ".join(sql.split()[:4]): seconds for sql, seconds in writes},
        "notifications": notes,
        "comparisons": [comparison.as_dict()],
    }

"""The rollups stay equal to a count from scratch whatever happens to the cases, and the nightly
reconcile finds and mends a row that went wrong."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.cases.models import Case, Channel
from gridgov.cases.selectors.facts import case_facts_reported
from gridgov.cases.services.sweep import escalate_overdue_cases
from gridgov.cases.services.transitions import apply_transition, note_event
from gridgov.cases.states import Action, allowed_actions
from gridgov.core.errors import Conflict
from gridgov.core.models import AuditEntry
from gridgov.dashboards import buckets
from gridgov.dashboards.models import CaseContribution, CaseRollup, RegionRollup
from gridgov.dashboards.services import (
    LOOKBACK,
    MEASURES,
    Key,
    _coarse,
    _expected,
    _key,
    rollups_fold,
    rollups_reconcile,
)
from gridgov.testing import Tree


def recorded_rollups() -> dict[Key, list[int]]:
    return {
        _key(row): [getattr(row, name) for name in MEASURES] for row in CaseRollup.objects.all()
    }


def counted_from_scratch(now: datetime) -> dict[Key, list[int]]:
    return _expected(case_facts_reported(reported_from=None, reported_before=None, now=now))


def recorded_coarse() -> dict[buckets.BucketKey, dict[str, int]]:
    return {
        (row.scope, row.region_code, row.span, row.start): {
            **{name: getattr(row, name) for name in buckets.COLUMNS if getattr(row, name)},
            **row.counts,
        }
        for row in RegionRollup.objects.all()
    }


def move(case_id: int, action: str, now: datetime) -> None:
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("category").get(pk=case_id)
        apply_transition(case=case, actor=None, action=action, note="说明", now=now)


def rate(case_id: int, rating: int, now: datetime) -> None:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        case.rating = rating
        case.save(update_fields=["rating"])
        note_event(case=case, actor=None, action="rate", now=now, data={"rating": rating})


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["move", "move", "move", "fold", "wait", "wait", "sweep", "rate"]),
        st.integers(min_value=0, max_value=5),
        st.integers(min_value=0, max_value=20),
    ),
    min_size=1,
    max_size=40,
)


@pytest.mark.django_db
def test_rollups_equal_a_count_from_scratch_after_random_transitions(tree: Tree, report):
    # given six cases in different places, categories and channels
    places = [tree.grids[0], tree.grids[3], tree.micro_grids[5], tree.villages[2], tree.towns[1]]
    categories = ["environment-waste", "dispute-neighbour"]
    channels = [Channel.GRID_PATROL, Channel.HOTLINE, Channel.RESIDENT_WEB]
    ids = [
        report(
            places[i % len(places)],
            category=categories[i % 2],
            channel=channels[i % 3],
            urgency="urgent" if i == 4 else "normal",
        ).pk
        for i in range(6)
    ]
    rollups_fold()

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(STEPS)
    def run(steps: list[tuple[str, int, int]]) -> None:
        with transaction.atomic():
            # past the fold's look-back, so only what happens from here tells it what moved
            clock = timezone.now() + LOOKBACK * 2
            rollups_fold(now=clock)
            for kind, which, amount in steps:
                case_id = ids[which]
                if kind == "move":
                    state = Case.objects.get(pk=case_id).state
                    actions = [a for a in allowed_actions(state) if a != Action.MERGE]
                    if actions:
                        clock += timedelta(minutes=1)
                        # a level that cannot go further up or down refuses the move
                        with suppress(Conflict):
                            move(case_id, actions[amount % len(actions)], clock)
                elif kind == "wait":
                    # deadlines pass with nothing written
                    clock += timedelta(hours=amount * 7)
                elif kind == "sweep":
                    clock += timedelta(minutes=1)
                    escalate_overdue_cases(now=clock)
                elif kind == "rate":
                    clock += timedelta(minutes=1)
                    rate(case_id, 1 + amount % 5, clock)
                else:
                    clock += timedelta(seconds=30)
                    rollups_fold(now=clock)
            # when the worker folds once more
            clock += timedelta(seconds=30)
            rollups_fold(now=clock)
            # then the rollups equal a count from scratch, and each case is counted once
            assert recorded_rollups() == counted_from_scratch(clock)
            # and so do the coarse rows (each day, month and year of each place and region)
            assert recorded_coarse() == _coarse(counted_from_scratch(clock))
            assert sum(row.cases for row in CaseRollup.objects.all()) == len(ids)
            assert CaseContribution.objects.count() == len(ids)
            transaction.set_rollback(True)

    run()


@given(st.dates(), st.integers(min_value=0, max_value=1200))
def test_a_period_is_covered_by_its_years_months_and_days_each_day_once(first, length):
    last = min(first + timedelta(days=length), date.max - timedelta(days=400))
    first = min(first, last)
    found = buckets.pieces(first, last)
    covered = [
        day + timedelta(days=n)
        for span, starts in found.items()
        for day in starts
        for n in range(
            {
                buckets.DAY: 1,
                buckets.MONTH: (
                    (day.replace(day=28) + timedelta(days=4)).replace(day=1) - day
                ).days,
                buckets.YEAR: (date(day.year + 1, 1, 1) - day).days,
            }[span]
        )
    ]
    assert sorted(covered) == [first + timedelta(days=n) for n in range((last - first).days + 1)]
    # and no more days than a month's at either end, no more months than a year's
    assert len(found[buckets.DAY]) <= 60
    assert len(found[buckets.MONTH]) <= 22


@pytest.mark.django_db
def test_a_case_turning_overdue_is_moved_without_any_timeline_row(tree: Tree, report):
    # given a case due in 24 hours, folded in as on time
    case = report(tree.grids[0])
    rollups_fold()
    assert list(CaseRollup.objects.values_list("timeliness", "cases")) == [("on_time", 1)]
    # when its deadline passes and the worker runs
    later = case.due_at + timedelta(minutes=1)
    result = rollups_fold(now=later)
    # then it is counted as overdue, once
    assert result.moved == 1
    assert list(CaseRollup.objects.values_list("timeliness", "cases")) == [("overdue", 1)]


@pytest.mark.django_db
def test_folding_twice_changes_nothing(tree: Tree, report):
    report(tree.grids[0])
    report(tree.grids[1], channel=Channel.HOTLINE)
    rollups_fold()
    before = recorded_rollups()
    # when the worker runs again over the same timeline rows
    result = rollups_fold()
    # then nothing moves
    assert result.moved == 0
    assert recorded_rollups() == before


@pytest.mark.django_db
def test_the_reconcile_finds_and_mends_a_wrong_row(tree: Tree, report):
    # given a day's rollups, one of them changed by hand
    case = report(tree.grids[0])
    report(tree.grids[0])
    rollups_fold()
    CaseRollup.objects.update(cases=5)
    RegionRollup.objects.filter(span=buckets.MONTH).update(cases=7)
    day = timezone.localtime(case.created_at).date()
    # when the day is reconciled
    differences = rollups_reconcile(day=day)
    # then the difference is reported, mended and audited
    assert [(d.recorded["cases"], d.expected["cases"]) for d in differences] == [(5, 2)]
    assert recorded_rollups() == counted_from_scratch(timezone.now())
    assert recorded_coarse() == _coarse(counted_from_scratch(timezone.now()))
    assert AuditEntry.objects.filter(action="rollup.reconcile").count() == 1
    # and a second reconcile finds nothing
    assert rollups_reconcile(day=day) == []


@pytest.mark.django_db
def test_the_reconcile_command_reports_differences(tree: Tree, report, capsys):
    case = report(tree.grids[0])
    rollups_fold()
    CaseRollup.objects.all().delete()
    day = timezone.localtime(case.created_at).date()
    call_command("reconcile_rollups", day=day.isoformat())
    out = capsys.readouterr()
    assert f"{day}: 1 difference(s)" in out.out
    assert recorded_rollups() == counted_from_scratch(timezone.now())


@pytest.mark.django_db
def test_the_reconcile_command_refuses_a_bad_day(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reconcile_rollups", day="2026-13-45")

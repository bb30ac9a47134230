"""The demo's front-line activities: patrols of the workers' own grids with check-ins the locator
places there, a patrol on each day a worker reported a grid-patrol case, visits logged as service
management, the villages' monthly publicity and prevention, mediation linked to the demo's files
and the year's law education; the month's scores count them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import Any

import numpy as np
import pytest
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment
from gridgov.activities.models import Activity, ActivityKind, CheckIn
from gridgov.cases.catalogue import seed_categories
from gridgov.cases.models import Case, Category, Channel
from gridgov.demo import activities as demo_activities
from gridgov.demo import cases as demo_cases
from gridgov.demo.county import STEPS, load_demo
from gridgov.mediation.models import MediationFile
from gridgov.people.models import HomeVisit
from gridgov.regions.locator import locate_points
from gridgov.regions.models import Region

SMALL = 1500


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    now = timezone.now()
    steps = [
        (name, partial(demo_cases.create_cases, count=SMALL, now=now) if name == "cases" else step)
        for name, step in STEPS
    ]
    with django_db_blocker.unblock(), transaction.atomic():
        seed_categories(Category)
        yield load_demo(steps=steps)
        transaction.set_rollback(True)


def _workers() -> dict[int, str]:
    return dict(
        RoleAssignment.objects.filter(role="grid_worker", is_active=True).values_list(
            "user_id", "region_code"
        )
    )


@pytest.mark.django_db
def test_every_worker_patrols_their_own_grid_with_check_ins_placed_there(loaded: Any) -> None:
    workers = _workers()
    patrols = Activity.objects.filter(kind=ActivityKind.PATROL)
    assert loaded.activities == Activity.objects.count()
    assert loaded.check_ins == CheckIn.objects.count() > 0
    walked = set(patrols.values_list("recorded_by_id", flat=True))
    assert walked == set(workers)
    assert not patrols.filter(ended_at__isnull=True).exists()
    assert not patrols.filter(ended_at__gt=timezone.now()).exists()
    for recorder, grid_code in patrols.values_list("recorded_by_id", "grid_code").distinct():
        assert workers[recorder] == grid_code
    # The locator (as a check-in on the phone would) places every point where it is stored.
    points = list(
        CheckIn.objects.order_by("id").values_list("longitude", "latitude", "region_code")
    )
    lngs = np.array([p[0] for p in points])
    lats = np.array([p[1] for p in points])
    located = locate_points(lngs, lats)
    assert [where.region_code if where else None for where in located] == [p[2] for p in points]
    assert not CheckIn.objects.exclude(grid_code=F("activity__grid_code")).exists()


@pytest.mark.django_db
def test_a_patrol_on_each_day_a_worker_reported_a_grid_patrol_case(loaded: Any) -> None:
    workers = _workers()
    first = Activity.objects.filter(kind=ActivityKind.PATROL).order_by("started_at").first()
    assert first is not None
    reported = Case.objects.filter(
        channel=Channel.GRID_PATROL,
        reporter_id__in=list(workers),
        created_at__gte=timezone.localtime(first.started_at).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        ),
    )
    assert reported.exists()
    for case in reported:
        patrol = case.activities.get()
        assert patrol.kind == ActivityKind.PATROL
        assert patrol.recorded_by_id == case.reporter_id
        assert patrol.started_at <= case.created_at
        assert patrol.ended_at is not None
        assert case.created_at <= patrol.ended_at
        if case.latitude is not None:
            assert patrol.check_ins.filter(note=case.number).exists()
    # One patrol a worker a day.
    days = Activity.objects.filter(kind=ActivityKind.PATROL).values_list(
        "recorded_by_id", "started_at"
    )
    seen = [(who, timezone.localdate(at)) for who, at in days]
    assert len(seen) == len(set(seen))


@pytest.mark.django_db
def test_visits_publicity_prevention_mediation_and_law_education(loaded: Any) -> None:
    workers = _workers()
    # A few visits by each worker, in their grid, logged as service management.
    visits = Activity.objects.filter(kind=ActivityKind.SERVICE_MANAGEMENT)
    assert visits.count() == len(workers) * demo_activities.VISITS_EACH
    assert loaded.home_visits == HomeVisit.objects.count()
    for recorder, grid_code, visit_grid, visitor in visits.values_list(
        "recorded_by_id", "grid_code", "visit__grid_code", "visit__visited_by_id"
    )[:300]:
        assert workers[recorder] == grid_code == visit_grid
        assert visitor == recorder
    # Safety publicity and prevention in every village each month.
    villages = set(
        Region.objects.filter(level="village", county_code="610324").values_list(
            "region_code", flat=True
        )
    )
    for kind in (ActivityKind.SAFETY_PUBLICITY, ActivityKind.SECURITY_PREVENTION):
        by_village = dict(
            Activity.objects.filter(kind=kind)
            .values_list("village_code")
            .annotate(n=Count("id"))
            .values_list("village_code", "n")
        )
        assert set(by_village) == villages
        assert set(by_village.values()) == {demo_activities.MONTHS}
    # Mediation activities name real files, where their disputes arose.
    mediation = Activity.objects.filter(kind=ActivityKind.DISPUTE_MEDIATION)
    assert 0 < mediation.count() <= demo_activities.MEDIATION_MAX
    files = dict(MediationFile.objects.values_list("number", "region_code"))
    for number, region_code in mediation.values_list("mediation_file_number", "region_code"):
        assert files[number] == region_code
    # The seed's 90 law-education events, 60 of them lectures in schools by the vice-principal.
    law = Activity.objects.filter(kind=ActivityKind.LAW_EDUCATION)
    assert law.count() == demo_activities.LAW_EVENTS
    lectures = law.exclude(school="")
    assert lectures.count() == demo_activities.SCHOOL_LECTURES
    assert not lectures.filter(lecturer="").exists()
    assert all("法治副校长" in lecturer for lecturer in lectures.values_list("lecturer", flat=True))
    year_ago = timezone.now() - timedelta(days=366)
    assert not law.filter(started_at__lt=year_ago).exists()
    assert not Activity.objects.filter(started_at__gt=timezone.now()).exists()
    # Every activity lists its recorder among its participants.
    without = Activity.objects.exclude(participants=F("recorded_by")).count()
    assert without == 0


@pytest.mark.django_db
def test_the_load_times_each_step(loaded: Any) -> None:
    assert "activities" in loaded.step_seconds
    names = list(loaded.step_seconds)
    assert names.index("activities") < names.index("assessment")

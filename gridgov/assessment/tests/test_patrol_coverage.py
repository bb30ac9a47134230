"""Patrol coverage, counted from the front lines' patrols, equals the values worked out by hand
from a small fixture: the November of tests/fixture.py (workers W1 of grid G1 and W2 of G2,
both grids of 城关街道第1村) and these patrols:

    P1  W1, 3 Nov, finished; check-ins in G1 (a micro-grid of it) and in G2 (standing in for W2)
    P2  W1, 5 Nov, still under way; a check-in in G2                  -> not counted (open)
    P3  W2, 31 Oct 23:30, finished; a check-in in G2                 -> not counted (October)
    P4  W2, 20 Nov, finished; no check-in                            -> a patrol, no grid
    P5  W2, 1 Dec 00:10, finished; a check-in in G2                  -> not counted (December)

It is in the county's scheme weighted 0, so the totals are what they were without it."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from gridgov.accounts.models import User
from gridgov.activities.models import Activity, ActivityKind, CheckIn
from gridgov.assessment.indicators import spec_of, subject_of
from gridgov.assessment.models import Indicator, Score
from gridgov.assessment.services.scoring import scores_compute
from gridgov.assessment.tests.fixture import MONTH, NOW, SHANGHAI, build_month, component
from gridgov.regions.models import Region


def _patrol(who: User, started: datetime, *, finished: bool, check_ins: list[str]) -> Activity:
    patrol = Activity(
        kind=ActivityKind.PATROL,
        started_at=started,
        ended_at=started + timedelta(hours=1) if finished else None,
        recorded_by=who,
        created_at=started,
    )
    patrol.set_region_code(check_ins[0][:15] if check_ins else _grid_of(who))
    patrol.save()
    patrol.participants.set([who])
    for minutes, region_code in enumerate(check_ins):
        at = started + timedelta(minutes=minutes)
        point = CheckIn(activity=patrol, at=at, latitude=34.3, longitude=107.9)
        point.set_region_code(region_code)
        point.save()
    return patrol


def _grid_of(who: User) -> str:
    assignment = who.role_assignments.order_by("id").first()
    assert assignment is not None
    return assignment.region_code


@pytest.fixture
def month(tree):
    return build_month(tree)


@pytest.fixture
def patrols(month, tree):
    g1, g2 = tree.grids[0], tree.grids[1]
    micro_of_g1 = next(code for code in tree.micro_grids if code.startswith(g1))
    w1, w2 = month.w1, month.w2
    return {
        "P1": _patrol(
            w1,
            datetime(2026, 11, 3, 9, tzinfo=SHANGHAI),
            finished=True,
            check_ins=[micro_of_g1, g2],
        ),
        "P2": _patrol(
            w1, datetime(2026, 11, 5, 9, tzinfo=SHANGHAI), finished=False, check_ins=[g2]
        ),
        "P3": _patrol(
            w2, datetime(2026, 10, 31, 23, 30, tzinfo=SHANGHAI), finished=True, check_ins=[g2]
        ),
        "P4": _patrol(w2, datetime(2026, 11, 20, 9, tzinfo=SHANGHAI), finished=True, check_ins=[]),
        "P5": _patrol(
            w2, datetime(2026, 12, 1, 0, 10, tzinfo=SHANGHAI), finished=True, check_ins=[g2]
        ),
    }


def _score(subject: str) -> Score:
    return Score.objects.prefetch_related("components").get(month=MONTH, subject=subject)


@pytest.mark.django_db
def test_weighted_0_in_the_scheme_it_leaves_the_totals_as_they_were(month, patrols):
    # given the seeded scheme: patrol coverage is there, weighted 0
    assert Indicator.objects.get(code="patrol_coverage").weight == 0
    # when November is scored
    scores_compute(month=MONTH, now=NOW)
    # then W1's total is the fixture's hand-worked 59.92 (test_scoring) and nothing of patrols
    w1 = _score(f"user:{month.w1.pk}")
    assert w1.total == Decimal("59.92")
    assert "patrol_coverage" not in {c.indicator for c in w1.components.all()}


@pytest.mark.django_db
def test_patrol_coverage_is_counted_as_worked_out_by_hand(month, patrols, tree):
    # given the county weighs patrol coverage 10
    Indicator.objects.filter(code="patrol_coverage").update(weight=10)
    # when November is scored
    scores_compute(month=MONTH, now=NOW)
    # then W1: of W1's grids {G1}, P1 checked in G1 -> 1/1 -> 1.0 x 10 = 10.00
    w1 = component(_score(f"user:{month.w1.pk}"), "patrol_coverage")
    assert (w1.numerator, w1.denominator, w1.points) == (1, 1, Decimal("10.00"))
    # W2: of {G2}, W2's own finished November patrols (P4) checked in nowhere; P1's check-in in
    # G2 is W1's, P3 is October's and P5 December's -> 0/1 -> 0.00
    w2 = component(_score(f"user:{month.w2.pk}"), "patrol_coverage")
    assert (w2.numerator, w2.denominator, w2.points) == (0, 1, Decimal("0.00"))
    # the village (two grids): G1 and G2 were checked in on a finished November patrol (P1, by
    # anyone) -> 2/2 -> 10.00
    village = component(_score(tree.villages[0]), "patrol_coverage")
    assert (village.numerator, village.denominator, village.points) == (2, 2, Decimal("10.00"))
    # the town: the same two grids of all the town's grids
    town_grids = Region.objects.filter(level="grid", region_code__startswith=tree.towns[0]).count()
    town = component(_score(tree.towns[0]), "patrol_coverage")
    assert (town.numerator, town.denominator) == (2, town_grids)
    assert town.points == (Decimal(2) / town_grids * 10).quantize(Decimal("0.01"))


@pytest.mark.django_db
def test_the_link_lists_the_patrols_counted(month, patrols, client):
    spec = spec_of("patrol_coverage")
    assert spec is not None
    Indicator.objects.filter(code="patrol_coverage").update(weight=10)
    scores_compute(month=MONTH, now=NOW)
    client.force_login(month.town)
    last = MONTH.replace(day=30)
    # W1's: P1 only (P2 is not finished)
    href = spec.records(subject_of(_score(f"user:{month.w1.pk}")), MONTH, last)
    page = client.get(href)
    assert page.status_code == 200
    assert [a.pk for a, _place in page.context["rows"]] == [patrols["P1"].pk]
    # W2's: P4 (P3 is October's, P5 December's)
    href = spec.records(subject_of(_score(f"user:{month.w2.pk}")), MONTH, last)
    assert [a.pk for a, _place in client.get(href).context["rows"]] == [patrols["P4"].pk]
    # the village's: every finished November patrol in it, P1 and P4
    href = spec.records(subject_of(_score(month.tree.villages[0])), MONTH, last)
    listed = {a.pk for a, _place in client.get(href).context["rows"]}
    assert listed == {patrols["P1"].pk, patrols["P4"].pk}
    assert urlsplit(href).path == reverse("activities:list")


@pytest.mark.django_db
def test_a_link_with_a_bad_person_is_refused_with_the_form(month, client):
    client.force_login(month.town)
    response = client.get(reverse("activities:list"), {"kind": "patrol", "by": "someone"})
    assert response.status_code == 400
    assert "rows" not in response.context

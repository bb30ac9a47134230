"""The demo's supervision and assessment: a year of monthly scores computed from the demo's
records (recomputing gives the same), visits by the grid workers of their own grids, orders in
each state on the lists of whom they wait on, and the demo officials' packages."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from gridgov.accounts.models import RoleAssignment, User
from gridgov.assessment.models import OrderState, Responsibility, Score, SupervisionOrder
from gridgov.assessment.selectors import order_list
from gridgov.assessment.services.scoring import scores_compute
from gridgov.cases.catalogue import seed_categories
from gridgov.cases.models import Category
from gridgov.demo import cases as demo_cases
from gridgov.demo.county import STEPS, load_demo
from gridgov.people.models import HomeVisit

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


@pytest.mark.django_db
def test_a_year_of_scores_that_recomputing_from_the_records_gives_again(loaded: Any) -> None:
    months = sorted(set(Score.objects.values_list("month", flat=True)))
    assert len(months) == 12
    assert months[-1] == timezone.localdate().replace(day=1)
    workers = RoleAssignment.objects.filter(role="grid_worker", is_active=True).count()
    for kind, expected in (("worker", workers), ("town", 8)):
        assert Score.objects.filter(month=months[-1], kind=kind).count() == expected
    assert loaded.scores == Score.objects.count()
    # the scores differ: workers visit and report differently
    assert Score.objects.filter(month=months[-2]).values("total").distinct().count() > 10
    month = months[-2]
    before = dict(Score.objects.filter(month=month).values_list("subject", "total"))
    computed_at = Score.objects.filter(month=month).values_list("computed_at", flat=True).first()
    scores_compute(month=month, now=computed_at)
    after = dict(Score.objects.filter(month=month).values_list("subject", "total"))
    assert after == before


@pytest.mark.django_db
def test_grid_workers_visit_the_focus_households_of_their_own_grids(loaded: Any) -> None:
    assert loaded.home_visits == HomeVisit.objects.count() > 0
    grids = dict(
        RoleAssignment.objects.filter(role="grid_worker").values_list("user_id", "region_code")
    )
    for grid_code, visitor in HomeVisit.objects.values_list("grid_code", "visited_by_id")[:500]:
        assert grids[visitor] == grid_code
    assert not HomeVisit.objects.filter(visited_on__gt=timezone.localdate()).exists()


@pytest.mark.django_db
def test_orders_in_each_state_wait_on_someone(loaded: Any) -> None:
    states = set(SupervisionOrder.objects.values_list("state", flat=True))
    assert {
        OrderState.OPEN,
        OrderState.RESPONDED,
        OrderState.CLOSED,
        OrderState.WITHDRAWN,
    } <= states
    assert loaded.supervision_orders == SupervisionOrder.objects.count()

    def waiting(username: str) -> int:
        return order_list(actor=User.objects.get(username=username)).count()

    assert waiting("grid_xiguan_01") >= 1  # to answer
    assert waiting("town_chengguan") >= 1  # to review
    assert waiting("village_tiandu") >= 1  # sent back
    for order in SupervisionOrder.objects.all():
        actions = list(order.events.order_by("id").values_list("action", flat=True))
        assert actions[0] == "issue"
        last = order.events.order_by("-id").first()
        assert last is not None
        assert last.to_state == order.state


@pytest.mark.django_db
def test_the_demo_officials_answer_for_places_and_risks(loaded: Any) -> None:
    for username in ("town_chengguan", "town_tiandu", "county_leader"):
        kinds = set(
            Responsibility.objects.filter(official__username=username).values_list(
                "kind", flat=True
            )
        )
        assert "region" in kinds, username
    assert loaded.package_responsibilities == Responsibility.objects.count()

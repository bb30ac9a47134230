"""The demo's volunteer service: a year of events at villages, communities and towns whose
sign-ups' minutes follow the service's own rule, every star level reached by someone, events the
demo volunteer can see and sign up for, and micro-wishes in every state, each waiting state on
someone's list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.cases.catalogue import seed_categories
from gridgov.cases.models import Category
from gridgov.demo import cases as demo_cases
from gridgov.demo.county import STEPS, load_demo
from gridgov.volunteers import rules
from gridgov.volunteers.models import MicroWish, ServiceEvent, SignUp, WishState
from gridgov.volunteers.selectors import (
    WishFilters,
    event_list,
    own_volunteer,
    volunteer_hours,
    wish_list,
)
from gridgov.volunteers.services.events import sign_up

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
def test_a_year_of_events_with_minutes_as_the_service_counts_them(loaded: Any) -> None:
    assert loaded.volunteer_events == ServiceEvent.objects.count() > 0
    assert loaded.volunteer_sign_ups == SignUp.objects.count() > 0
    now = timezone.now()
    levels = set(ServiceEvent.objects.values_list("region_code", flat=True))
    assert any(len(code) == 9 for code in levels)  # towns
    assert any(len(code) == 12 for code in levels)  # villages and communities
    assert not ServiceEvent.objects.filter(starts_at__lt=now - timedelta(days=366)).exists()
    assert ServiceEvent.objects.filter(title__contains="邻里节").exists()  # a community's festival
    served = SignUp.objects.filter(checked_out_at__isnull=False).select_related("event")
    for entry in served[:2000]:
        assert entry.checked_in_at is not None
        assert entry.checked_out_at is not None
        assert entry.checked_out_at <= now
        assert entry.minutes == rules.served_minutes(
            checked_in_at=entry.checked_in_at,
            checked_out_at=entry.checked_out_at,
            starts_at=entry.event.starts_at,
            ends_at=entry.event.ends_at,
        )
    # a volunteer's sign-ups fill no event beyond its room
    for event in ServiceEvent.objects.all()[:500]:
        assert event.sign_ups.count() <= event.capacity


@pytest.mark.django_db
def test_someone_has_reached_every_star_level(loaded: Any) -> None:
    operator = User.objects.get(username="operator")
    stars = {row.stars for row in volunteer_hours(actor=operator)}
    assert set(range(1, len(rules.STAR_HOURS) + 1)) <= stars


@pytest.mark.django_db
def test_the_demo_volunteer_sees_events_to_sign_up_for(loaded: Any) -> None:
    volunteer = User.objects.get(username="volunteer_xiangyun")
    assert own_volunteer(actor=volunteer) is not None
    coming = event_list(actor=volunteer).filter(starts_at__gt=timezone.now())
    assert coming.count() >= 2
    open_ones = [e for e in coming if e.sign_ups.count() < e.capacity]
    signed = SignUp.objects.filter(member__user=volunteer, event__in=coming)
    assert signed.count() >= 1
    free = [e for e in open_ones if not signed.filter(event=e).exists()]
    assert free
    # and can sign up for one of them
    entry = sign_up(actor=volunteer, event=free[0])
    assert entry.member.user_id == volunteer.pk


@pytest.mark.django_db
def test_wishes_in_every_state_each_waiting_state_on_someones_list(loaded: Any) -> None:
    assert loaded.micro_wishes == MicroWish.objects.count()
    assert set(MicroWish.objects.values_list("state", flat=True)) == set(WishState.values)
    volunteer = User.objects.get(username="volunteer_xiangyun")
    organiser = User.objects.get(username="town_chengguan")
    waiting = {
        username: set(
            wish_list(
                actor=User.objects.get(username=username), filters=WishFilters(show="waiting_on_me")
            ).values_list("state", flat=True)
        )
        for username in ("volunteer_xiangyun", "town_chengguan")
    }
    assert {WishState.POSTED, WishState.TAKEN} <= waiting[volunteer.username]
    assert WishState.FULFILLED in waiting[organiser.username]
    # taken wishes name the volunteer who took them
    assert not MicroWish.objects.filter(
        state__in=[WishState.TAKEN, WishState.FULFILLED, WishState.CONFIRMED],
        taken_by__isnull=True,
    ).exists()

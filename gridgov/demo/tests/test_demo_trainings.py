"""The demo's trainings: 112 sessions over the past year across the county with exactly 6,400
attendances (the seed's "6,400 people trained"), most passing with a certificate numbered per
county and year; some certificates expired and some expiring soon; the same whatever the seed
draws on any load day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from gridgov.demo.county import STEPS, DemoSummary, load_demo
from gridgov.demo.trainings import ATTENDANCES, SESSIONS
from gridgov.trainings.models import Attendance, Certificate, CertificateCounter, Session
from gridgov.trainings.rules import EXPIRING_DAYS
from gridgov.trainings.selectors import trained_by_kind

NEEDED = {"regions", "staff", "accounts", "officials", "teams", "trainings"}


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    steps = [(name, step) for name, step in STEPS if name in NEEDED]
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(steps=steps)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_year_of_sessions_with_exactly_the_seeds_6400_attendances(loaded: Any) -> None:
    summary = loaded
    assert Session.objects.count() == SESSIONS == summary.training_sessions == 112
    assert Attendance.objects.count() == ATTENDANCES == summary.training_attendances == 6400
    # every attendance attended: the county's people trained adds up to the seed's figure
    assert Attendance.objects.filter(attended=True).count() == 6400
    first, last = Session.objects.order_by("starts_at").values_list("starts_at", flat=True)[::111]
    assert last - first > timedelta(days=330)
    assert last <= timezone.now()
    # across the county: sessions in every town and at the county
    places = {code[:9] for code in Session.objects.values_list("region_code", flat=True)}
    assert len(places) == 9  # the county (6 digits, cut to itself) and its 8 towns
    # nobody attends the same session twice (the constraint holds) and sessions are of sizes
    sizes = list(
        Attendance.objects.values("session").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert (len(sizes), sum(sizes)) == (112, 6400)
    assert max(sizes) > min(sizes)


@pytest.mark.django_db
def test_most_pass_with_a_certificate_some_expired_some_expiring(loaded: Any) -> None:
    passed = Attendance.objects.filter(passed=True).count()
    assert 0.8 * 6400 < passed < 6400
    assert Certificate.objects.count() == passed == loaded.training_certificates
    assert not Certificate.objects.filter(attendance__passed=False).exists()
    # numbers run 1..n within each year, as the counter says
    for counter in CertificateCounter.objects.all():
        numbers = Certificate.objects.filter(number__contains=f"-{counter.year}-")
        assert numbers.count() == counter.last
        assert numbers.filter(number__endswith=f"-{counter.last:06d}").exists()
    today = timezone.localdate()
    expired = Certificate.objects.filter(expires_on__lt=today).count()
    expiring = Certificate.objects.filter(
        expires_on__gte=today, expires_on__lte=today + timedelta(days=EXPIRING_DAYS)
    ).count()
    assert expired > 0
    assert expiring > 0
    assert expired + expiring < passed


@pytest.mark.django_db
def test_the_county_sees_6400_trained_by_kind(loaded: Any) -> None:
    from gridgov.accounts.models import User

    operator = User.objects.get(username="operator")
    rows = trained_by_kind(actor=operator)
    assert sum(row.trained for row in rows) == 6400
    assert sum(1 for row in rows if row.trained) >= 5

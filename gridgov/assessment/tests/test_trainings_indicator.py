"""The trainings-attended indicator, computed from a small fixture and checked against values
worked out by hand; weighted 0 in the county's scheme, so the totals do not change until the
county weighs it. Its component links to the attendance records it counts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from gridgov.assessment.models import Indicator, Score
from gridgov.assessment.services.scoring import scores_compute
from gridgov.assessment.tests.fixture import MONTH, NOW, SHANGHAI, build_month, component
from gridgov.teams.models import Team, TeamKind, TeamMember
from gridgov.trainings.models import Attendance, Course, Session
from gridgov.trainings.selectors import sessions_attended_by_user

pytestmark = pytest.mark.django_db


def _team(code: str, kind: str) -> Team:
    team = Team(kind=kind, name=f"{code}{kind}", created_at=NOW)
    team.set_region_code(code)
    team.save()
    return team


def _member(team: Team, name: str, code: str, user: Any = None) -> TeamMember:
    member = TeamMember(team=team, name=name, user=user, joined_on=MONTH - timedelta(days=400))
    member.set_region_code(code)
    member.save()
    return member


def _session(course: Course, day: datetime) -> Session:
    session = Session(
        course=course,
        starts_at=day,
        ends_at=day + timedelta(hours=3),
        trainer="讲师",
        capacity=50,
        created_at=day,
    )
    session.set_region_code(course.region_code)
    session.save()
    return session


def _attend(session: Session, member: TeamMember, attended: bool = True) -> None:
    row = Attendance(
        session=session,
        member=member,
        kind=session.course.kind,
        held_at=session.starts_at,
        attended=attended,
        recorded_at=session.starts_at,
    )
    row.set_region_code(member.region_code)
    row.save()


def _trainings(month: Any) -> None:
    """W1 (grid worker of G1, 城关街道第1村) on the village's grid-worker team; 王法 a legal
    understander of the same village without an account; 赵外 one of 天度镇第1村.

    Sessions of the village's course: S1 on 5 November, S2 on 20 November, S0 on 31 October,
    S3 on 25 November.
      W1: attended S1, S2 and S0 (October); registered for S3 but absent.
      王法: attended S1.
      赵外 (another town): attended a session of his own town on 10 November.
    """
    tree = month.tree
    village, g1 = tree.villages[0], tree.grids[0]
    workers = _team(village, TeamKind.GRID_WORKERS)
    understanders = _team(village, TeamKind.LEGAL_UNDERSTANDERS)
    other_village = tree.villages[2]
    w1 = _member(workers, "W1", g1, user=month.w1)
    wang = _member(understanders, "王法", village)
    zhao = _member(_team(other_village, TeamKind.LEGAL_UNDERSTANDERS), "赵外", other_village)
    course = Course(
        kind=TeamKind.GRID_WORKERS, title="网格员培训", hours=4, validity_months=12, created_at=NOW
    )
    course.set_region_code(village)
    course.save()
    theirs = Course(
        kind=TeamKind.LEGAL_UNDERSTANDERS, title="x", hours=4, validity_months=12, created_at=NOW
    )
    theirs.set_region_code(other_village)
    theirs.save()

    def day(d: int, m: int = 11) -> datetime:
        return datetime(2026, m, d, 9, 0, tzinfo=SHANGHAI)

    s1, s2, s0, s3 = (
        _session(course, day(5)),
        _session(course, day(20)),
        _session(course, day(31, 10)),
        _session(course, day(25)),
    )
    for session in (s1, s2, s0):
        _attend(session, w1)
    _attend(s3, w1, attended=False)
    _attend(s1, wang)
    _attend(_session(theirs, day(10)), zhao)


def test_the_indicator_is_weighted_0_so_totals_do_not_change(tree):
    month = build_month(tree)
    scores_compute(month=MONTH, now=NOW)
    before = dict(Score.objects.filter(month=MONTH).values_list("subject", "total"))
    _trainings(month)
    scores_compute(month=MONTH, now=NOW)
    after = dict(Score.objects.filter(month=MONTH).values_list("subject", "total"))
    assert Indicator.objects.get(code="trainings_attended").weight == 0
    assert after == before
    w1 = Score.objects.prefetch_related("components").get(subject=f"user:{month.w1.pk}")
    assert "trainings_attended" not in {c.indicator for c in w1.components.all()}


def test_weighed_it_scores_as_worked_out_by_hand(tree):
    # given the fixture's November and the county weighing the indicator 10, target 4 a month
    month = build_month(tree)
    _trainings(month)
    Indicator.objects.filter(code="trainings_attended").update(weight=10, target=4)
    # when
    scores_compute(month=MONTH, now=NOW)
    # then W1 attended S1 and S2 in November (S0 was October, S3 absent): 2 of a target of 4
    #   -> 2/4 = 0.5 -> 0.5 x 10 = 5.00
    w1 = Score.objects.prefetch_related("components").get(subject=f"user:{month.w1.pk}")
    trained = component(w1, "trainings_attended")
    assert (trained.numerator, trained.denominator, trained.normalised) == (2, 4, 0.5)
    assert trained.points == Decimal("5.00")
    assert sessions_attended_by_user(user_id=month.w1.pk, month=MONTH) == 2
    assert sessions_attended_by_user(user_id=month.w1.pk, month=MONTH.replace(month=10)) == 1
    # 城关街道第1村 (2 grids): W1's S1 and S2 and 王法's S1 = 3 attendances, of a target of
    # 4 a grid x 2 grids = 8 -> 3/8 = 0.375 -> 3.75 (赵外 serves in another town)
    village = Score.objects.prefetch_related("components").get(subject=tree.villages[0])
    trained = component(village, "trainings_attended")
    assert (trained.numerator, trained.denominator, trained.points) == (3, 8, Decimal("3.75"))
    # 城关街道 (2 villages, 4 grids): the same 3 of 4 x 4 = 16
    town = Score.objects.prefetch_related("components").get(subject=tree.towns[0])
    assert component(town, "trainings_attended").numerator == 3
    # each component's link lists exactly the records it counts
    client = Client()
    client.force_login(month.town)
    for score, expected in ((w1, 2), (village, 3)):
        page = client.get(f"/assessment/scores/{score.pk}/")
        rows = {row["component"].indicator: row for row in page.context["rows"]}
        href = rows["trainings_attended"]["href"]
        records = client.get(href).content.decode()
        count = re.search(r'id="record-count" data-count="(\d+)"', records)
        assert count is not None, href
        assert int(count.group(1)) == expected, href

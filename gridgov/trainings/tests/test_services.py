"""The training services: setting up courses and sessions, recording attendance in one batch
(all or nothing), the passing rules, and the certificates a pass issues: numbered per county and
year without gaps or repeats, even under concurrency, expiring after the course's months."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from gridgov.core.errors import Conflict, PermissionDenied, ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.teams.models import TeamKind
from gridgov.trainings import rules
from gridgov.trainings.models import Attendance, Certificate, CertificateCounter, Course, Session
from gridgov.trainings.services import (
    AttendanceEntry,
    CourseInput,
    SessionInput,
    attendance_record,
    course_create,
    session_create,
    take_certificate_numbers,
)
from gridgov.trainings.tests.conftest import make_course, make_member, make_session, make_team

pytestmark = pytest.mark.django_db


def _codes(error: ValidationFailed) -> dict[str, list[str]]:
    return {field: [p.code for p in problems] for field, problems in error.problems.items()}


def test_a_course_is_set_up_at_a_place_of_ones_own(world):
    course = course_create(
        actor=world["official"],
        data=CourseInput(
            kind=TeamKind.MEDIATORS,
            title=" 人民调解员业务培训 ",
            region_code=world["town"],
            hours=16,
            validity_months=36,
        ),
    )
    assert (course.title, course.town_code, course.pass_mark) == (
        "人民调解员业务培训",
        world["town"],
        60,
    )
    assert AuditEntry.objects.filter(action="trainings.course_create").count() == 1


def test_a_bad_course_is_refused_field_by_field_with_nothing_saved(world):
    before = Course.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        course_create(
            actor=world["official"],
            data=CourseInput(
                kind="astronauts",
                title="",
                region_code=world["other_village"],
                hours=0,
                validity_months=121,
                pass_mark=101,
            ),
        )
    assert _codes(refused.value) == {
        "title": ["trainings.title_required"],
        "kind": ["trainings.kind_unknown"],
        "region_code": ["trainings.place_outside"],
        "hours": ["trainings.hours_range"],
        "validity_months": ["trainings.validity_range"],
        "pass_mark": ["trainings.pass_mark_range"],
    }
    assert Course.objects.count() == before
    # a well-formed code of one's own town that names no place
    with pytest.raises(ValidationFailed) as refused:
        course_create(
            actor=world["official"],
            data=CourseInput(
                kind=TeamKind.MEDIATORS,
                title="x",
                region_code=f"{world['town']}999",
                hours=1,
                validity_months=1,
            ),
        )
    assert _codes(refused.value) == {"region_code": ["trainings.place_outside"]}
    assert Course.objects.count() == before
    with pytest.raises(PermissionDenied):  # the county leader reads, does not run trainings
        course_create(
            actor=world["leader"],
            data=CourseInput(
                kind=TeamKind.MEDIATORS,
                title="x",
                region_code=world["tree"].county,
                hours=1,
                validity_months=1,
            ),
        )


def test_a_session_is_held_at_the_courses_place_or_below(world):
    start = timezone.now() + timedelta(days=3)
    data = SessionInput(
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        region_code=world["village"],
        trainer="王律师",
        capacity=40,
    )
    session = session_create(actor=world["official"], course=world["course"], data=data)
    assert session.village_code == world["village"]
    village_course = make_course(world["village"], "村级培训")
    data.region_code = world["town"]  # above the village's course
    with pytest.raises(ValidationFailed) as refused:
        session_create(actor=world["official"], course=village_course, data=data)
    assert _codes(refused.value) == {"region_code": ["trainings.outside_course"]}
    data.region_code = world["village"]
    data.ends_at = start
    data.trainer = " "
    data.capacity = 0
    with pytest.raises(ValidationFailed) as refused:
        session_create(actor=world["official"], course=village_course, data=data)
    assert _codes(refused.value) == {
        "ends_at": ["trainings.ends_before_start"],
        "trainer": ["trainings.trainer_required"],
        "capacity": ["trainings.capacity_range"],
    }
    assert Session.objects.filter(course=village_course).count() == 0
    data.ends_at = start + timedelta(hours=2)
    data.trainer = "王律师"
    data.capacity = 10
    data.region_code = f"{world['village']}999"  # no such grid
    with pytest.raises(ValidationFailed) as refused:
        session_create(actor=world["official"], course=village_course, data=data)
    assert _codes(refused.value) == {"region_code": ["trainings.place_outside"]}


def test_passing_issues_a_certificate_numbered_for_the_county_and_the_sessions_year(world):
    session = world["session"]
    saved = attendance_record(
        actor=world["secretary"],
        session=session,
        entries=[
            AttendanceEntry(world["ann"].pk, attended=True, passed=True, score=92),
            AttendanceEntry(world["bo"].pk, attended=True, passed=False, score=41),
            AttendanceEntry(world["cy"].pk, attended=False),
        ],
    )
    assert len(saved) == 3
    issued_on = timezone.localtime(session.starts_at).date()
    certificate = Certificate.objects.get()
    assert certificate.number == f"610324-{issued_on.year}-000001"
    assert certificate.member == world["ann"]
    assert certificate.issued_on == issued_on
    # the course is valid for 24 months: until the day before the same day two years on
    assert certificate.expires_on == rules.expiry(issued_on, 24)
    assert certificate.expires_on.year == issued_on.year + 2
    assert certificate.village_code == world["village"]  # where the holder serves
    # a second session of the same year continues the sequence
    later = make_session(world["course"], world["village"], starts_at=session.starts_at)
    attendance_record(
        actor=world["official"],
        session=later,
        entries=[
            AttendanceEntry(world["bo"].pk, attended=True, passed=True, score=75),
            AttendanceEntry(world["cy"].pk, attended=True, passed=True),
        ],
    )
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"610324-{issued_on.year}-{n:06d}" for n in (1, 2, 3)]
    entry = AuditEntry.objects.filter(
        action="trainings.attendance_record", object_id=str(later.pk)
    ).first()
    assert entry is not None
    assert len(entry.detail["certificates"]) == 2


def test_each_year_has_its_own_sequence(world):
    this_year = timezone.localtime(world["session"].starts_at).year
    last_year = make_session(
        world["course"],
        world["village"],
        starts_at=timezone.make_aware(datetime(this_year - 1, 12, 31, 9)),
    )
    attendance_record(
        actor=world["secretary"],
        session=last_year,
        entries=[AttendanceEntry(world["ann"].pk, attended=True, passed=True)],
    )
    attendance_record(
        actor=world["secretary"],
        session=world["session"],
        entries=[AttendanceEntry(world["ann"].pk, attended=True, passed=True)],
    )
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [
        f"610324-{this_year - 1}-000001",
        f"610324-{this_year}-000001",
    ]


def test_the_passing_rules_refuse_the_whole_batch(world):
    session = world["session"]
    outsider = world["outsider"]
    with pytest.raises(ValidationFailed) as refused:
        attendance_record(
            actor=world["official"],
            session=session,
            entries=[
                AttendanceEntry(world["ann"].pk, attended=True, passed=True, score=95),
                AttendanceEntry(world["bo"].pk, attended=False, passed=True),
                AttendanceEntry(world["cy"].pk, attended=True, passed=True, score=59),
                AttendanceEntry(outsider.pk, attended=True),
                AttendanceEntry(world["ann"].pk, attended=True),
            ],
        )
    assert _codes(refused.value) == {
        "entries": [
            "trainings.passed_without_attending",
            "trainings.score_below_pass",
            "trainings.not_on_roster",
            "trainings.duplicate_member",
        ]
    }
    assert Attendance.objects.count() == 0
    assert Certificate.objects.count() == 0
    assert not CertificateCounter.objects.filter(last__gt=0).exists()


def test_no_more_attend_than_the_session_has_places(world):
    session = make_session(world["course"], world["village"], capacity=2)
    with pytest.raises(ValidationFailed) as refused:
        attendance_record(
            actor=world["secretary"],
            session=session,
            entries=[
                AttendanceEntry(m.pk, attended=True)
                for m in (world["ann"], world["bo"], world["cy"])
            ],
        )
    assert _codes(refused.value) == {"entries": ["trainings.over_capacity"]}


def test_a_session_not_started_takes_no_attendance(world):
    coming = make_session(world["course"], world["village"], starts_in=timedelta(days=1))
    with pytest.raises(Conflict) as refused:
        attendance_record(
            actor=world["secretary"],
            session=coming,
            entries=[AttendanceEntry(world["ann"].pk, attended=True)],
        )
    assert refused.value.code == "trainings.not_held_yet"


def test_a_pass_taken_back_revokes_the_certificate_and_given_again_restores_it(world):
    session, ann = world["session"], world["ann"]
    attendance_record(
        actor=world["secretary"],
        session=session,
        entries=[AttendanceEntry(ann.pk, attended=True, passed=True)],
    )
    number = Certificate.objects.get().number
    attendance_record(
        actor=world["secretary"],
        session=session,
        entries=[AttendanceEntry(ann.pk, attended=True, passed=False)],
    )
    assert Certificate.objects.get().revoked_at is not None
    attendance_record(
        actor=world["secretary"],
        session=session,
        entries=[AttendanceEntry(ann.pk, attended=True, passed=True)],
    )
    restored = Certificate.objects.get()
    assert (restored.number, restored.revoked_at) == (number, None)
    assert CertificateCounter.objects.get().last == 1  # no number was spent twice


def test_a_member_who_left_keeps_the_row_recorded_for_them(world):
    session, bo = world["session"], world["bo"]
    attendance_record(
        actor=world["secretary"], session=session, entries=[AttendanceEntry(bo.pk, attended=True)]
    )
    bo.left_on = timezone.localdate()
    bo.save()
    attendance_record(
        actor=world["secretary"],
        session=session,
        entries=[AttendanceEntry(bo.pk, attended=True, passed=True, score=80)],
    )
    assert Attendance.objects.get(member=bo).score == 80


def test_numbers_taken_in_one_transaction_follow_on():
    first = take_certificate_numbers("610324", 2031, 2)
    second = take_certificate_numbers("610324", 2031, 1)
    assert first + second == [f"610324-2031-{n:06d}" for n in (1, 2, 3)]
    assert take_certificate_numbers("610323", 2031, 1) == ["610323-2031-000001"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_never_share_a_number(tree: Any, user_factory: Any):
    """Four organisers record four sessions at once: every pass gets its own number, and the
    numbers run 1..n without a gap (the counter's row is locked while a batch takes them)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction: no two batches run at once")
    from gridgov.core.access import Role

    village = tree.villages[0]
    team = make_team(village)
    course = make_course(village)
    members = [make_member(team, f"学员{i}") for i in range(20)]
    organiser = user_factory(Role.VILLAGE_SECRETARY, village)
    sessions = [make_session(course, village, starts_in=timedelta(days=-1)) for _ in range(4)]
    failures: list[BaseException] = []
    barrier = threading.Barrier(len(sessions))

    def record(session: Session) -> None:
        try:
            barrier.wait()
            attendance_record(
                actor=organiser,
                session=session,
                entries=[AttendanceEntry(m.pk, attended=True, passed=True) for m in members],
            )
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    year = timezone.localtime(sessions[0].starts_at).year
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"610324-{year}-{n:06d}" for n in range(1, 81)]

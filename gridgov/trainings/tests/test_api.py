"""The trainings API: courses and sessions set up and listed by jurisdiction, attendance
recorded in one batch with certificates, the certificates' status, and the people trained by
kind whose every figure links to the records it counts. Bad input 400 with nothing saved,
another town's course or session 404, a role without trainings 403."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gridgov.teams.models import TeamKind
from gridgov.trainings.models import Attendance, Certificate, Course, Session
from gridgov.trainings.rules import EXPIRING_DAYS
from gridgov.trainings.services import AttendanceEntry, attendance_record

pytestmark = pytest.mark.django_db

COURSES = "/api/v1/trainings/courses/"
SESSIONS = "/api/v1/trainings/sessions/"
CERTIFICATES = "/api/v1/trainings/certificates/"
TRAINED = "/api/v1/trainings/trained/"


def _course_body(place, **changes):
    body = {
        "kind": TeamKind.GRID_WORKERS,
        "title": "网格员业务能力培训",
        "region": place,
        "hours": 12,
        "validity_months": 12,
    }
    return body | changes


def test_a_course_is_set_up_and_listed_only_where_one_may_see_it(world, api_as):
    official = api_as(world["official"])
    response = official.post(COURSES, _course_body(world["town"]), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["kind"], created["pass_mark"]) == ("grid_workers", 60)
    assert response["Location"].endswith(f"{COURSES}{created['id']}/")
    titles = {row["title"] for row in official.get(COURSES).json()["results"]}
    assert titles == {"网格员业务能力培训", "法律明白人培训"}
    assert api_as(world["leader"]).get(COURSES).json()["count"] == 3
    assert official.get(f"{COURSES}{created['id']}/").json()["title"] == "网格员业务能力培训"
    filtered = official.get(COURSES, {"kind": "grid_workers"}).json()
    assert [row["title"] for row in filtered["results"]] == ["网格员业务能力培训"]


def test_a_bad_course_is_400_with_nothing_saved(world, api_as):
    official = api_as(world["official"])
    before = Course.objects.count()
    for changes, field in [
        ({"title": ""}, "title"),
        ({"kind": "astronauts"}, "kind"),
        ({"region": world["other_village"]}, "region_code"),
        ({"hours": 0}, "hours"),
        ({"validity_months": "ever"}, "validity_months"),
    ]:
        response = official.post(COURSES, _course_body(world["town"], **changes), format="json")
        assert response.status_code == 400, changes
        assert field in response.json(), response.json()
    assert Course.objects.count() == before
    assert official.get(COURSES, {"kind": "astronauts"}).status_code == 400


def test_another_towns_course_is_404_and_a_role_without_trainings_403(world, api_as):
    theirs = world["theirs"].course_id
    assert api_as(world["official"]).get(f"{COURSES}{theirs}/").status_code == 404
    assert api_as(world["official"]).get(f"{COURSES}999999/").status_code == 404
    worker = api_as(world["worker"])
    assert worker.get(COURSES).status_code == 403
    assert (
        worker.post(COURSES, _course_body(world["tree"].grids[0]), format="json").status_code == 403
    )
    leader = api_as(world["leader"])
    assert (
        leader.post(COURSES, _course_body(world["tree"].county), format="json").status_code == 403
    )


def _session_body(world, **changes):
    start = timezone.now() + timedelta(days=2)
    body = {
        "course": world["course"].pk,
        "region": world["village"],
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=4)).isoformat(),
        "trainer": "司法所李所长",
        "capacity": 40,
        "address": "镇政府三楼会议室",
    }
    return body | changes


def test_a_session_is_scheduled_listed_and_read(world, api_as):
    official = api_as(world["official"])
    response = official.post(SESSIONS, _session_body(world), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["course_title"], created["attendance"]) == ("法律明白人培训", [])
    body = official.get(SESSIONS, {"course": world["course"].pk}).json()
    assert body["count"] == 2
    assert {row["region_code"] for row in body["results"]} == {world["village"]}
    assert official.get(f"{SESSIONS}{created['id']}/").status_code == 200
    # /api/v1/trainings/ lists the same trainings held, and schedules none
    trainings = official.get("/api/v1/trainings/", {"course": world["course"].pk}).json()
    assert trainings == body
    assert (
        official.post("/api/v1/trainings/", _session_body(world), format="json").status_code == 405
    )


def test_a_bad_session_is_400_another_towns_404_a_reader_403(world, api_as):
    official = api_as(world["official"])
    before = Session.objects.count()
    for changes in (
        {"trainer": ""},
        {"capacity": 0},
        {"region": world["other_village"]},
        {"ends_at": timezone.now().isoformat()},
    ):
        assert (
            official.post(SESSIONS, _session_body(world, **changes), format="json").status_code
            == 400
        )
    theirs_course = world["theirs"].course_id
    response = official.post(SESSIONS, _session_body(world, course=theirs_course), format="json")
    assert response.status_code == 404
    assert Session.objects.count() == before
    assert official.get(f"{SESSIONS}{world['theirs'].pk}/").status_code == 404
    assert (
        api_as(world["leader"]).post(SESSIONS, _session_body(world), format="json").status_code
        == 403
    )
    assert api_as(world["worker"]).get(SESSIONS).status_code == 403


def _attendance(world, *rows):
    return {"entries": [{"member": world[name].pk, **fields} for name, fields in rows]}


def test_attendance_is_recorded_in_one_batch_with_certificates(world, api_as):
    secretary = api_as(world["secretary"])
    path = f"{SESSIONS}{world['session'].pk}/attendance/"
    body = _attendance(
        world,
        ("ann", {"attended": True, "passed": True, "score": 88}),
        ("bo", {"attended": True}),
        ("cy", {"attended": False}),
    )
    response = secretary.post(path, body, format="json")
    assert response.status_code == 200, response.json()
    rows = {row["name"]: row for row in response.json()["attendance"]}
    assert rows["李明白"]["certificate"].startswith("610324-")
    assert rows["张学法"]["certificate"] is None
    assert (rows["赵守法"]["attended"], rows["张学法"]["passed"]) == (False, False)


def test_bad_attendance_is_400_with_nothing_saved(world, api_as):
    secretary = api_as(world["secretary"])
    path = f"{SESSIONS}{world['session'].pk}/attendance/"
    bodies: tuple[dict[str, Any], ...] = (
        {"entries": []},
        {"entries": [{"member": "x", "attended": True}]},
        _attendance(world, ("ann", {"attended": True, "score": 101})),
        _attendance(world, ("ann", {"attended": False, "passed": True})),
        _attendance(world, ("ann", {"attended": True}), ("outsider", {"attended": True})),
    )
    for body in bodies:
        response = secretary.post(path, body, format="json")
        assert response.status_code == 400, body
    assert Attendance.objects.count() == 0
    coming = f"{SESSIONS}{world['session'].pk + 1000}/attendance/"
    assert (
        secretary.post(
            coming, _attendance(world, ("ann", {"attended": True})), format="json"
        ).status_code
        == 404
    )


def test_attendance_at_another_towns_session_is_404_and_a_reader_403(world, api_as):
    body = {"entries": [{"member": world["outsider"].pk, "attended": True}]}
    theirs = f"{SESSIONS}{world['theirs'].pk}/attendance/"
    assert api_as(world["official"]).post(theirs, body, format="json").status_code == 404
    own = f"{SESSIONS}{world['session'].pk}/attendance/"
    leader_body = _attendance(world, ("ann", {"attended": True}))
    assert api_as(world["leader"]).post(own, leader_body, format="json").status_code == 403
    assert Attendance.objects.count() == 0


def _pass(world, session, *members):
    attendance_record(
        actor=world["official"],
        session=session,
        entries=[AttendanceEntry(m.pk, attended=True, passed=True) for m in members],
    )


def test_certificates_list_their_status(world, api_as):
    # given a pass at the session two days ago (valid for 24 months) and one long ago that
    # has expired, and one expiring: their expiry is written relative to today
    _pass(world, world["session"], world["ann"], world["bo"], world["cy"])
    today = timezone.localdate()
    Certificate.objects.filter(member=world["bo"]).update(expires_on=today - timedelta(days=1))
    Certificate.objects.filter(member=world["cy"]).update(
        expires_on=today + timedelta(days=EXPIRING_DAYS)
    )
    official = api_as(world["official"])
    # when / then
    statuses = {row["name"]: row["status"] for row in official.get(CERTIFICATES).json()["results"]}
    assert statuses == {"李明白": "valid", "张学法": "expired", "赵守法": "expiring"}
    expired = official.get(CERTIFICATES, {"status": "expired"}).json()["results"]
    assert [row["name"] for row in expired] == ["张学法"]
    assert official.get(CERTIFICATES, {"status": "lost"}).status_code == 400
    assert api_as(world["worker"]).get(CERTIFICATES).status_code == 403
    # another town's official sees none of them
    assert api_as(world["leader"]).get(CERTIFICATES).json()["count"] == 3


def test_people_trained_by_kind_each_figure_linking_to_its_records(world, api_as):
    _pass(world, world["session"], world["ann"], world["bo"])
    again = world["session"]
    later = type(again).objects.create(
        course=again.course,
        region_code=again.region_code,
        starts_at=again.starts_at + timedelta(hours=5),
        ends_at=again.starts_at + timedelta(hours=8),
        trainer="x",
        capacity=5,
        created_at=again.created_at,
    )
    attendance_record(
        actor=world["official"],
        session=later,
        entries=[
            AttendanceEntry(world["ann"].pk, attended=True),
            AttendanceEntry(world["cy"].pk, attended=False),
        ],
    )
    official = api_as(world["official"])
    body = official.get(TRAINED, {"region": world["town"]}).json()
    figures = {row["kind"]: row for row in body["kinds"]}
    assert len(figures) == len(TeamKind.values)
    legal = figures["legal_understanders"]
    # ann twice, bo once attended; cy did not attend
    assert (legal["trained"], legal["people"], legal["passed"]) == (3, 2, 2)
    assert body["total"] == 3
    assert figures["mediators"]["trained"] == 0
    records = official.get(legal["href"]).json()
    assert records["count"] == legal["trained"]
    assert {row["name"] for row in records["results"]} == {"李明白", "张学法"}
    assert legal["page"].startswith("/trainings/attendance/?")
    # a period that ends before the sessions counts none
    day = timezone.localtime(again.starts_at).date()
    before = official.get(TRAINED, {"to": (day - timedelta(days=1)).isoformat()}).json()
    assert before["total"] == 0
    assert (
        official.get(TRAINED, {"from": day.isoformat(), "to": day.isoformat()}).json()["total"] == 3
    )
    assert official.get(TRAINED, {"from": "2026-02-01", "to": "2026-01-01"}).status_code == 400
    assert official.get(TRAINED, {"region": world["other_village"]}).json()["total"] == 0
    assert api_as(world["worker"]).get(TRAINED).status_code == 403

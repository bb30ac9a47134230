"""The training pages: courses (and setting one up), a course's sessions (and scheduling one), a
session's attendance as a tick list of the roster, the people trained by kind with each figure
opening its records, certificates by status. Form errors 400 with nothing saved, another town's
404, a role without trainings 403."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gridgov.trainings.models import Attendance, Certificate, Course, Session
from gridgov.trainings.services import AttendanceEntry, attendance_record

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_courses_list_and_an_organiser_sets_one_up(world):
    official = _client(world["official"])
    page = official.get("/trainings/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "法律明白人培训" in body
    assert "天度镇法律明白人培训" not in body
    assert 'id="course-form"' in body
    response = official.post(
        "/trainings/",
        {
            "title": "调解员培训",
            "kind": "mediators",
            "region_code": world["town"],
            "hours": 6,
            "validity_months": 24,
            "pass_mark": 70,
        },
    )
    course = Course.objects.get(title="调解员培训")
    assert response.status_code == 302
    assert response["Location"] == f"/trainings/courses/{course.pk}/"
    # the county leader reads, with no form to set one up
    leader = _client(world["leader"]).get("/trainings/").content.decode()
    assert "天度镇法律明白人培训" in leader
    assert 'id="course-form"' not in leader


def test_a_bad_course_form_comes_back_400_with_nothing_saved(world):
    before = Course.objects.count()
    response = _client(world["official"]).post(
        "/trainings/", {"title": "", "kind": "mediators", "region_code": world["other_village"]}
    )
    assert response.status_code == 400
    assert Course.objects.count() == before
    assert _client(world["leader"]).post("/trainings/", {"title": "x"}).status_code == 403
    assert _client(world["worker"]).get("/trainings/").status_code == 403


def test_a_course_page_schedules_a_session(world):
    official = _client(world["official"])
    course = world["course"]
    page = official.get(f"/trainings/courses/{course.pk}/")
    assert page.status_code == 200
    assert 'id="session-form"' in page.content.decode()
    start = timezone.localtime() + timedelta(days=5)
    fields = {
        "region_code": world["village"],
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "trainer": "王律师",
        "capacity": 30,
    }
    response = official.post(f"/trainings/courses/{course.pk}/", fields)
    assert response.status_code == 302
    assert Session.objects.filter(course=course).count() == 2
    bad = official.post(f"/trainings/courses/{course.pk}/", fields | {"trainer": ""})
    assert bad.status_code == 400
    assert Session.objects.filter(course=course).count() == 2
    theirs = world["theirs"].course_id
    assert official.get(f"/trainings/courses/{theirs}/").status_code == 404
    assert (
        _client(world["leader"]).post(f"/trainings/courses/{course.pk}/", fields).status_code == 403
    )


def _ticks(world, **marks) -> dict[str, object]:
    data: dict[str, object] = {"member": [world[n].pk for n in ("ann", "bo", "cy")]}
    for name, (attended, passed, score) in marks.items():
        pk = world[name].pk
        if attended:
            data[f"attended_{pk}"] = "on"
        if passed:
            data[f"passed_{pk}"] = "on"
        data[f"score_{pk}"] = "" if score is None else str(score)
    return data


def test_the_session_page_records_the_roster_ticked(world):
    secretary = _client(world["secretary"])
    path = f"/trainings/sessions/{world['session'].pk}/"
    body = secretary.get(path).content.decode()
    assert 'id="attendance-form"' in body
    # the roster: the village's legal understanders, not another town's
    assert set(re.findall(r'name="member" value="(\d+)"', body)) == {
        str(world[n].pk) for n in ("ann", "bo", "cy")
    }
    response = secretary.post(
        path, _ticks(world, ann=(True, True, 90), bo=(True, False, 30), cy=(False, False, None))
    )
    assert response.status_code == 302
    rows = {a.member.name: (a.attended, a.passed, a.score) for a in Attendance.objects.all()}
    assert rows == {
        "李明白": (True, True, 90),
        "张学法": (True, False, 30),
        "赵守法": (False, False, None),
    }
    number = Certificate.objects.get().number
    assert number in secretary.get(path).content.decode()


def test_a_bad_tick_list_comes_back_400_with_nothing_saved(world):
    secretary = _client(world["secretary"])
    path = f"/trainings/sessions/{world['session'].pk}/"
    response = secretary.post(path, _ticks(world, ann=(False, True, None)))
    assert response.status_code == 400
    assert "李明白" in response.content.decode()
    assert secretary.post(path, _ticks(world, ann=(True, True, 120))).status_code == 400
    assert secretary.post(path, {"member": ["x"]}).status_code == 400
    assert Attendance.objects.count() == 0
    theirs = f"/trainings/sessions/{world['theirs'].pk}/"
    assert secretary.get(theirs).status_code == 404
    assert secretary.post(theirs, {"member": [world["outsider"].pk]}).status_code == 404
    leader = _client(world["leader"])
    assert leader.get(path).status_code == 200
    assert leader.post(path, _ticks(world, ann=(True, False, None))).status_code == 403
    assert Attendance.objects.count() == 0


def test_trained_figures_open_the_records_they_count(world):
    attendance_record(
        actor=world["official"],
        session=world["session"],
        entries=[
            AttendanceEntry(world["ann"].pk, attended=True, passed=True),
            AttendanceEntry(world["bo"].pk, attended=True),
            AttendanceEntry(world["cy"].pk, attended=False),
        ],
    )
    official = _client(world["official"])
    body = official.get("/trainings/trained/").content.decode()
    link = re.search(
        r'<tr data-kind="legal_understanders">.*?<a href="([^"]+)" data-trained="(\d+)"', body, re.S
    )
    assert link is not None
    href, figure = link.group(1).replace("&amp;", "&"), int(link.group(2))
    assert figure == 2
    records = official.get(href).content.decode()
    count = re.search(r'id="record-count" data-count="(\d+)"', records)
    assert count is not None
    assert count.group(1) == str(figure)
    assert "李明白" in records
    assert "赵守法" not in records
    bad = official.get("/trainings/trained/", {"from": "2026-02-01", "to": "2026-01-01"})
    assert bad.status_code == 400
    assert _client(world["worker"]).get("/trainings/trained/").status_code == 403
    assert _client(world["worker"]).get("/trainings/attendance/").status_code == 403


def test_certificates_page_shows_the_expired(world):
    attendance_record(
        actor=world["official"],
        session=world["session"],
        entries=[AttendanceEntry(world["ann"].pk, attended=True, passed=True)],
    )
    Certificate.objects.update(expires_on=timezone.localdate() - timedelta(days=1))
    official = _client(world["official"])
    body = official.get("/trainings/certificates/", {"status": "expired"}).content.decode()
    assert 'data-status="expired"' in body
    assert "李明白" in body
    assert (
        official.get("/trainings/certificates/", {"status": "valid"})
        .content.decode()
        .count("data-certificate=")
        == 0
    )
    assert official.get("/trainings/certificates/", {"status": "lost"}).status_code == 400
    assert _client(world["worker"]).get("/trainings/certificates/").status_code == 403

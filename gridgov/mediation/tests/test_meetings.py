"""Joint meetings on an analysis report: recorded with attendees, cases and risks discussed,
decisions and follow-up tasks; a task shows on its owner's mediation home until they mark it
done; bad input saves nothing; another jurisdiction 404, a wrong role 403 (services, pages, API)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gridgov.core.errors import PermissionDenied, ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.mediation.models import JointMeeting, MeetingTask
from gridgov.mediation.services import (
    MeetingInput,
    RiskInput,
    TaskInput,
    meeting_record,
    meeting_task_done,
    risk_raise,
)

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/reports/analysis/meetings/"
DECISIONS = "由镇综治中心牵头，三日内约谈涉事企业负责人。"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _month() -> tuple[date, date]:
    first = timezone.localdate().replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


@pytest.fixture
def discussed(world, register):
    file = register()
    risk = risk_raise(
        actor=world["official"],
        data=RiskInput(
            title="工程款纠纷可能引发聚集",
            kind="labour",
            level="orange",
            people_involved=30,
            description="某工地拖欠30名务工人员工资",
            region_code=world["tree"].towns[0],
        ),
    )
    return file, risk


def _meeting(world, discussed, **overrides):
    file, risk = discussed
    first, last = _month()
    data = MeetingInput(
        region_code=world["tree"].towns[0],
        since=first,
        until=last,
        held_on=timezone.localdate(),
        attendees="镇党委副书记、综治中心主任、派出所所长、司法所所长",
        decisions=DECISIONS,
        case_numbers=[file.case.number],
        risk_ids=[risk.pk],
        tasks=[
            TaskInput("约谈企业负责人", world["mediator"].username, timezone.localdate()),
            TaskInput("核实欠薪名单", world["official"].username, timezone.localdate()),
        ],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return meeting_record(actor=world["official"], data=data)


def test_a_meeting_is_recorded_and_its_tasks_show_on_their_owners_home(world, discussed):
    # given a town's monthly report with a dispute and an orange risk
    # when the town official records the joint meeting with two tasks
    meeting = _meeting(world, discussed)
    # then the meeting keeps what was discussed and decided, and is audited
    file, risk = discussed
    assert [c.number for c in meeting.cases.all()] == [file.case.number]
    assert [r.pk for r in meeting.risks.all()] == [risk.pk]
    assert AuditEntry.objects.filter(action="mediation.meeting_record").count() == 1
    # and the mediator's task shows on the mediator's home, not the official's
    task = MeetingTask.objects.get(owner=world["mediator"])
    mediator_home = client_for(world["mediator"]).get("/mediation/").content.decode()
    assert f'data-task="{task.pk}"' in mediator_home
    official_home = client_for(world["official"]).get("/mediation/").content.decode()
    assert f'data-task="{task.pk}"' not in official_home
    # when someone else tries to mark it done, then they are refused
    with pytest.raises(PermissionDenied):
        meeting_task_done(actor=world["official"], task=task)
    # when the mediator marks it done on the meeting's page, then it leaves their home
    done = client_for(world["mediator"]).post(f"/mediation/meetings/tasks/{task.pk}/done/")
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    assert (
        f'data-task="{task.pk}"'
        not in client_for(world["mediator"]).get("/mediation/").content.decode()
    )


def test_an_overdue_task_is_marked_so_on_the_home(world, discussed):
    meeting = _meeting(
        world,
        discussed,
        tasks=[
            TaskInput("回访", world["mediator"].username, timezone.localdate() - timedelta(days=2))
        ],
    )
    task = meeting.tasks.get()
    home = client_for(world["mediator"]).get("/mediation/").content.decode()
    assert f'<li data-task="{task.pk}" class="is-overdue">' in home


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"attendees": " "}, "attendees"),
        ({"decisions": ""}, "decisions"),
        ({"held_on": None}, "held_on"),
        ({"since": date(2026, 12, 31), "until": date(2026, 12, 1)}, "since"),
        ({"case_numbers": ["610324-20260101-999999"]}, "cases"),
        ({"risk_ids": [999999]}, "risks"),
        ({"tasks": [TaskInput("没有负责人", "", date(2026, 12, 1))]}, "tasks"),
        ({"tasks": [TaskInput("外镇的人", "nobody_here", date(2026, 12, 1))]}, "tasks"),
        ({"region_code": "610323"}, "region_code"),
    ],
)
def test_bad_input_saves_nothing(world, discussed, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        _meeting(world, discussed, **overrides)
    assert field in caught.value.problems
    assert not JointMeeting.objects.exists()
    assert not MeetingTask.objects.exists()


def test_an_owner_from_another_town_is_refused(world, discussed):
    with pytest.raises(ValidationFailed) as caught:
        _meeting(
            world,
            discussed,
            tasks=[TaskInput("跨镇任务", world["other_mediator"].username, date(2026, 12, 1))],
        )
    assert "tasks" in caught.value.problems


def test_the_pages_record_a_meeting_from_the_report_and_show_it(world, discussed):
    file, risk = discussed
    town = world["tree"].towns[0]
    first, last = _month()
    client = client_for(world["official"])
    # given the analysis page, which offers to record a meeting on this report
    report = client.get("/mediation/analysis/").content.decode()
    assert 'id="meeting-new"' in report
    query = f"?region={town}&start={first.isoformat()}&end={last.isoformat()}"
    form = client.get(f"/mediation/meetings/new/{query}")
    assert form.status_code == 200
    assert risk.title in form.content.decode()
    # when the form is sent without decisions, then it comes back with its errors, nothing saved
    body = {
        "held_on": timezone.localdate().isoformat(),
        "attendees": "镇领导、综治中心",
        "cases": file.case.number,
        "risks": [str(risk.pk)],
        "task_1": "约谈企业负责人",
        "task_1_owner": world["mediator"].username,
        "task_1_due": timezone.localdate().isoformat(),
    }
    bad = client.post(f"/mediation/meetings/new/{query}", body)
    assert bad.status_code == 400
    assert not JointMeeting.objects.exists()
    # when it is sent with them, then the meeting's page shows it and the report lists it
    done = client.post(f"/mediation/meetings/new/{query}", {**body, "decisions": DECISIONS})
    assert done.status_code == 302
    meeting = JointMeeting.objects.get()
    page = client.get(f"/mediation/meetings/{meeting.pk}/").content.decode()
    assert DECISIONS in page
    assert file.case.number in page
    assert f'data-meeting="{meeting.pk}"' in client.get("/mediation/analysis/").content.decode()


def test_pages_answer_404_outside_and_403_to_a_wrong_role(world, discussed):
    meeting = _meeting(world, discussed)
    task = meeting.tasks.first()
    url = f"/mediation/meetings/{meeting.pk}/"
    assert client_for(world["other_mediator"]).get(url).status_code == 404
    assert (
        client_for(world["other_mediator"])
        .post(f"/mediation/meetings/tasks/{task.pk}/done/")
        .status_code
        == 404
    )
    assert client_for(world["worker"]).get(url).status_code == 403
    assert client_for(world["worker"]).get("/mediation/meetings/new/").status_code == 403
    assert client_for(world["leader"]).get(url).status_code == 200
    other_town = f"?region={world['tree'].towns[1]}"
    assert (
        client_for(world["official"]).get(f"/mediation/meetings/new/{other_town}").status_code
        == 400
    )


def test_api(world, discussed, api_as):
    file, risk = discussed
    first, last = _month()
    official = api_as(world["official"])
    body = {
        "region": world["tree"].towns[0],
        "from": first.isoformat(),
        "to": last.isoformat(),
        "held_on": timezone.localdate().isoformat(),
        "attendees": "镇领导",
        "decisions": DECISIONS,
        "cases": [file.case.number],
        "risks": [risk.pk],
        "tasks": [
            {
                "description": "约谈",
                "owner": world["mediator"].username,
                "due_on": timezone.localdate().isoformat(),
            }
        ],
    }
    # bad input: 400 with the field, nothing saved
    bad = official.post(MEETINGS, {**body, "tasks": [{"description": "x"}]}, format="json")
    assert bad.status_code == 400
    assert not JointMeeting.objects.exists()
    created = official.post(MEETINGS, body, format="json")
    assert created.status_code == 201, created.content
    meeting_id = created.json()["id"]
    assert created.json()["tasks"][0]["owner"] == (
        world["mediator"].display_name or world["mediator"].username
    )
    listed = official.get(
        MEETINGS, {"region": body["region"], "from": body["from"], "to": body["to"]}
    )
    assert [m["id"] for m in listed.json()] == [meeting_id]
    assert official.get(f"{MEETINGS}{meeting_id}/").json()["cases"] == [file.case.number]
    # another town's mediator: not found, and not listed; a grid worker: 403
    assert api_as(world["other_mediator"]).get(f"{MEETINGS}{meeting_id}/").status_code == 404
    assert api_as(world["other_mediator"]).get(MEETINGS).json() == []
    assert api_as(world["worker"]).get(MEETINGS).status_code == 403
    assert api_as(world["worker"]).post(MEETINGS, body, format="json").status_code == 403
    # another town's mediator may not record a meeting on this town's report
    refused = api_as(world["other_mediator"]).post(MEETINGS, body, format="json")
    assert refused.status_code == 400
    assert "region_code" in refused.json()

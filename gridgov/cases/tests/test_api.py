"""API v1 for cases: each endpoint's happy path, bad input, jurisdiction (404), role (403),
illegal transitions (409), and personal data masked everywhere but the audited reveal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from gridgov.cases.models import Case, CaseEvent, CasePhoto
from gridgov.cases.serializers import CaseListOutput
from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.notifications.models import Notification
from gridgov.regions.geometry import to_shape

CASES = "/api/v1/cases/"
PHONE = "13812345678"
NAME = "王小明"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def payload(**overrides: Any) -> dict[str, Any]:
    # (34.2, 107.06) lies in the first grid's first micro-grid, in the first village.
    data: dict[str, Any] = {
        "category": "dispute-neighbour",
        "description": "楼上漏水，邻居不肯维修",
        "channel": "grid_patrol",
        "lat": 34.2,
        "lng": 107.06,
        "reporter_name": NAME,
        "reporter_phone": PHONE,
    }
    data.update(overrides)
    return data


def report(client: APIClient, **overrides: Any) -> dict[str, Any]:
    response = client.post(CASES, payload(**overrides), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def transition(client: APIClient, number: str, **body: Any) -> Any:
    return client.post(f"{CASES}{number}/transition/", body, format="json")


@pytest.fixture
def people(tree, user_factory) -> dict[str, Any]:
    return {
        "worker": user_factory(Role.GRID_WORKER, tree.grids[0]),
        "secretary": user_factory(Role.VILLAGE_SECRETARY, tree.villages[0]),
        "town": user_factory(Role.TOWN_OFFICIAL, tree.towns[0]),
        "leader": user_factory(Role.COUNTY_LEADER, tree.county),
        "sysadmin": user_factory(Role.SYSADMIN, tree.county),
        "volunteer": user_factory(Role.VOLUNTEER, tree.grids[0]),
        # Another county's secretary: every case of 扶风县 is outside their jurisdiction.
        "stranger": user_factory(Role.VILLAGE_SECRETARY, "610323100200"),
    }


@pytest.fixture
def clients(people, api_as) -> dict[str, APIClient]:
    return {name: api_as(user) for name, user in people.items()}


# --- report -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_creates_the_case_at_its_village_with_contact_masked(tree, clients):
    # when
    response = clients["worker"].post(CASES, payload(title="漏水"), format="json")
    # then
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get(number=body["number"])
    assert response["Location"] == f"{CASES}{case.number}/"
    assert body["state"] == "reported"
    assert body["level"] == "village"
    assert body["handling_code"] == tree.villages[0]
    assert body["location"]["region_code"] == tree.micro_grids[0]
    assert body["title"] == "漏水"
    assert body["reporter_phone"] == "138****5678"
    assert body["reporter_name"] == "王**"
    assert PHONE not in response.content.decode()
    assert case.reporter_phone.reveal() == "+86" + PHONE


@pytest.mark.django_db
def test_report_with_photos_as_multipart(clients):
    # given
    photo = SimpleUploadedFile("leak.png", PNG, content_type="image/png")
    # when
    response = clients["worker"].post(CASES, {**payload(), "photos": [photo]}, format="multipart")
    # then
    assert response.status_code == 201, response.content
    assert response.json()["photos"] == [{"content_type": "image/png", "size": len(PNG)}]
    assert CasePhoto.objects.filter(case__number=response.json()["number"]).count() == 1


@pytest.mark.django_db
def test_report_by_address_without_a_map_point(tree, clients):
    # when
    response = clients["worker"].post(
        CASES,
        payload(lat=None, lng=None, region_code=tree.grids[0], address="3组12号"),
        format="json",
    )
    # then
    assert response.status_code == 201, response.content
    assert response.json()["location"] == {
        "lat": None,
        "lng": None,
        "region_code": tree.grids[0],
        "grid_code": tree.grids[0],
        "address": "3组12号",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"category": "dispute"}, "category"),  # a parent: choose a sub-category
        ({"description": ""}, "description"),
        ({"reporter_phone": "12345"}, "reporter_phone"),
        ({"lat": None, "lng": None}, "location"),
        ({"lat": 95}, "lat"),
        ({"channel": "open311"}, "channel"),  # not a staff channel
        ({"urgency": "whenever"}, "urgency"),
    ],
)
def test_bad_report_is_400_and_saves_nothing(clients, overrides, field):
    # when
    response = clients["worker"].post(CASES, payload(**overrides), format="json")
    # then
    assert response.status_code == 400
    assert field in response.json()
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0


@pytest.mark.django_db
def test_report_with_a_photo_that_is_not_an_image_saves_nothing(clients):
    # given
    fake = SimpleUploadedFile("leak.png", b"MZ not an image at all", content_type="image/png")
    photo = SimpleUploadedFile("ok.png", PNG, content_type="image/png")
    # when
    response = clients["worker"].post(
        CASES, {**payload(), "photos": [photo, fake]}, format="multipart"
    )
    # then
    assert response.status_code == 400
    assert "photos" in response.json()
    assert Case.objects.count() == 0
    assert CasePhoto.objects.count() == 0


@pytest.mark.django_db
def test_report_outside_the_reporters_grid_is_400(clients):
    # when: a point in the other town
    response = clients["worker"].post(CASES, payload(lng=107.9), format="json")
    # then
    assert response.status_code == 400
    assert "location" in response.json()
    assert Case.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "sysadmin"])
def test_report_is_403_for_roles_that_do_not_report(clients, role):
    # when
    response = clients[role].post(CASES, payload(), format="json")
    # then
    assert response.status_code == 403
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_volunteer_without_cases_view_can_still_report(clients):
    # when
    response = clients["volunteer"].post(CASES, payload(), format="json")
    # then
    assert response.status_code == 201
    assert response.json()["actions"] == []


@pytest.mark.django_db
def test_anonymous_is_refused(client):
    # when
    response = APIClient().post(CASES, payload(), format="json")
    # then
    assert response.status_code in {401, 403}
    assert Case.objects.count() == 0


# --- list ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_is_scoped_newest_first_and_keyset_paged(clients):
    # given
    numbers = [report(clients["worker"], description=f"第{i}件")["number"] for i in range(3)]
    # when
    first = clients["secretary"].get(CASES, {"page_size": 2})
    second = clients["secretary"].get(first.json()["next"])
    # then
    assert first.status_code == 200
    assert [row["number"] for row in first.json()["results"]] == numbers[::-1][:2]
    assert [row["number"] for row in second.json()["results"]] == numbers[:1]
    assert second.json()["next"] is None
    assert clients["stranger"].get(CASES).json() == {"results": [], "next": None}


@pytest.mark.django_db
def test_list_filters(clients, people):
    # given
    accepted = report(clients["worker"])["number"]
    waiting = report(clients["worker"], category="environment-waste", description="垃圾没清运")[
        "number"
    ]
    transition(clients["secretary"], accepted, action="accept")
    transition(
        clients["secretary"], accepted, action="dispatch", assignee=people["worker"].username
    )

    def numbers(client: APIClient, **query: Any) -> list[str]:
        response = client.get(CASES, query)
        assert response.status_code == 200, response.content
        return [row["number"] for row in response.json()["results"]]

    # then
    assert numbers(clients["secretary"], state="reported") == [waiting]
    assert numbers(clients["secretary"], state="dispatched") == [accepted]
    assert numbers(clients["worker"], assignee="me") == [accepted]
    assert numbers(clients["secretary"], assignee="me") == []
    assert set(numbers(clients["secretary"], open="true")) == {accepted, waiting}
    assert numbers(clients["secretary"], category="dispute") == [accepted]
    assert numbers(clients["secretary"], category="environment-waste") == [waiting]
    assert numbers(clients["secretary"], category="safety") == []
    assert numbers(clients["secretary"], level="town") == []
    assert numbers(clients["secretary"], escalated="true") == []
    assert numbers(clients["secretary"], overdue="true") == []


@pytest.mark.django_db
def test_work_queue_order_is_by_deadline(clients):
    # given: an urgent case is due to be accepted within 2 hours, a normal one within 24
    normal = report(clients["worker"])["number"]
    urgent = report(clients["worker"], urgency="urgent", description="燃气泄漏")["number"]
    # when
    first = clients["secretary"].get(CASES, {"order": "deadline", "page_size": 1})
    second = clients["secretary"].get(first.json()["next"])
    # then
    assert [row["number"] for row in first.json()["results"]] == [urgent]
    assert [row["number"] for row in second.json()["results"]] == [normal]
    assert second.json()["next"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"page_size": 201},
        {"page_size": 0},
        {"cursor": "not-a-cursor"},
        {"state": "lost"},
        # beyond a 64-bit id: SQLite cannot take it as a parameter
        {"assignee_id": 2**64},
        {"reporter_id": 2**63},
    ],
)
def test_list_bad_query_is_400(clients, query):
    assert clients["secretary"].get(CASES, query).status_code == 400


@pytest.mark.django_db
def test_list_is_403_without_cases_view(clients):
    assert clients["sysadmin"].get(CASES).status_code == 403


# --- detail -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_lists_the_actions_the_viewer_may_take(clients):
    # given
    number = report(clients["worker"])["number"]
    # when
    as_secretary = clients["secretary"].get(f"{CASES}{number}/")
    as_worker = clients["worker"].get(f"{CASES}{number}/")
    as_town = clients["town"].get(f"{CASES}{number}/")
    # then
    assert as_secretary.status_code == 200
    assert set(as_secretary.json()["actions"]) >= {"accept", "reject", "escalate", "merge"}
    assert as_worker.json()["actions"] == []
    # The town above may pull the case up, nothing else.
    assert as_town.json()["actions"] == ["escalate"]
    body = as_secretary.json()
    assert body["possible_duplicate_of"] is None
    assert body["merged_into"] is None
    assert body["assignee"] is None
    assert body["accept_deadline_at"] is not None


@pytest.mark.django_db
def test_detail_of_a_case_elsewhere_is_404_and_audited(clients, people):
    # given
    number = report(clients["worker"])["number"]
    # when
    response = clients["stranger"].get(f"{CASES}{number}/")
    # then
    assert response.status_code == 404
    assert clients["secretary"].get(f"{CASES}NOPE-1/").status_code == 404
    assert AuditEntry.objects.filter(
        actor=people["stranger"], action="case.view", outcome="denied", object_id=number
    ).exists()


@pytest.mark.django_db
def test_detail_is_403_without_cases_view(clients):
    number = report(clients["worker"])["number"]
    assert clients["sysadmin"].get(f"{CASES}{number}/").status_code == 403


@pytest.mark.django_db
def test_detail_flags_a_possible_duplicate(clients):
    # given
    first = report(clients["worker"])["number"]
    # when: the same category, a few metres away
    second = report(clients["worker"], lat=34.2001, description="又漏水了")
    # then
    assert second["possible_duplicate_of"] == first


# --- transitions --------------------------------------------------------------------------


@pytest.mark.django_db
def test_accept_dispatch_and_handle(clients, people):
    # given
    number = report(clients["worker"])["number"]
    # when
    accepted = transition(clients["secretary"], number, action="accept", note="受理")
    dispatched = transition(
        clients["secretary"], number, action="dispatch", assignee=people["worker"].username
    )
    started = transition(clients["worker"], number, action="start")
    # then
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "accepted"
    assert dispatched.json()["assignee"] == {
        "username": people["worker"].username,
        "display_name": people["worker"].display_name,
    }
    assert started.json()["state"] == "in_progress"
    assert set(started.json()["actions"]) == {"resolve"}


@pytest.mark.django_db
def test_illegal_transition_is_409_with_the_reason(clients):
    # given
    number = report(clients["worker"])["number"]
    # when
    response = transition(clients["secretary"], number, action="close")
    # then
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "case.not_in_state"
    assert body["params"] == {"state": "reported", "action": "close", "needs": "verified"}
    # The detail says it in the request's language (Chinese by default), with the states' names.
    assert "待受理" in body["detail"]
    assert "已核查" in body["detail"]
    assert Case.objects.get(number=number).state == "reported"


@pytest.mark.django_db
def test_transition_by_a_role_that_may_not_is_403(clients):
    # given
    number = report(clients["worker"])["number"]
    # when
    response = transition(clients["worker"], number, action="accept")
    # then
    assert response.status_code == 403
    assert Case.objects.get(number=number).state == "reported"


@pytest.mark.django_db
def test_transition_of_a_case_elsewhere_is_404(clients):
    number = report(clients["worker"])["number"]
    assert transition(clients["stranger"], number, action="accept").status_code == 404
    assert Case.objects.get(number=number).state == "reported"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setup", "body", "fields"),
    [
        ([], {"action": "reject"}, {"note"}),
        ([], {"action": "fly"}, {"action"}),
        ([], {}, {"action"}),
        (["accept"], {"action": "dispatch"}, {"assignee"}),
        (["accept"], {"action": "dispatch", "assignee": "nobody"}, {"assignee"}),
        (["accept"], {"action": "transfer", "note": "交法院"}, {"transfer_kind", "transfer_to"}),
        ([], {"action": "merge"}, {"into"}),
        ([], {"action": "merge", "into": "610324-20000101-000001"}, {"into"}),
    ],
)
def test_transition_missing_what_it_needs_is_400(clients, setup, body, fields):
    # given
    number = report(clients["worker"])["number"]
    for action in setup:
        transition(clients["secretary"], number, action=action)
    events = CaseEvent.objects.count()
    # when
    response = transition(clients["secretary"], number, **body)
    # then
    assert response.status_code == 400
    assert set(response.json()) >= fields
    assert CaseEvent.objects.count() == events


@pytest.mark.django_db
def test_dispatch_to_someone_who_cannot_handle_the_unit_is_400(clients, people):
    number = report(clients["worker"])["number"]
    transition(clients["secretary"], number, action="accept")
    response = transition(
        clients["secretary"], number, action="dispatch", assignee=people["stranger"].username
    )
    assert response.status_code == 400
    assert Case.objects.get(number=number).assignee is None


@pytest.mark.django_db
def test_transfer_to_the_court(clients):
    number = report(clients["worker"])["number"]
    transition(clients["secretary"], number, action="accept")
    response = transition(
        clients["secretary"],
        number,
        action="transfer",
        note="诉调对接",
        transfer_kind="court",
        transfer_to="县法院诉讼服务中心",
    )
    assert response.status_code == 200
    assert response.json()["state"] == "transferred"
    assert response.json()["transferred_to"] == "court:县法院诉讼服务中心"


@pytest.mark.django_db
def test_merge_a_duplicate_into_the_first_case(clients):
    # given
    first = report(clients["worker"])["number"]
    second = report(clients["worker"], lat=34.2001)["number"]
    # when
    response = transition(clients["secretary"], second, action="merge", into=first, note="重复")
    # then
    assert response.status_code == 200
    assert response.json()["state"] == "merged"
    assert response.json()["merged_into"] == first
    assert CaseEvent.objects.filter(case__number=first, action="merge_in").exists()


# --- timeline -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_timeline_lists_who_did_what_and_when(clients, people):
    # given
    number = report(clients["worker"])["number"]
    transition(clients["secretary"], number, action="accept", note="受理")
    # when
    response = clients["secretary"].get(f"{CASES}{number}/timeline/")
    # then
    assert response.status_code == 200
    rows = response.json()
    assert [row["action"] for row in rows] == ["report", "accept"]
    assert rows[0]["who"] == people["worker"].display_name
    assert rows[1]["who"] == people["secretary"].display_name
    assert rows[1]["from_state"] == "reported"
    assert rows[1]["to_state"] == "accepted"
    assert rows[1]["level_before"] == rows[1]["level_after"] == "village"
    assert rows[1]["note"] == "受理"
    assert rows[0]["data"] == {"channel": "grid_patrol"}
    assert all(row["at"] for row in rows)


@pytest.mark.django_db
def test_timeline_of_a_case_elsewhere_is_404_and_without_role_403(clients):
    number = report(clients["worker"])["number"]
    assert clients["stranger"].get(f"{CASES}{number}/timeline/").status_code == 404
    assert clients["sysadmin"].get(f"{CASES}{number}/timeline/").status_code == 403


# --- categories ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_categories_are_two_levels_with_their_sla(clients):
    # when
    response = clients["worker"].get("/api/v1/case-categories/")
    # then
    assert response.status_code == 200
    top = {row["code"]: row for row in response.json()}
    assert {"dispute", "safety", "environment"} <= set(top)
    dispute = top["dispute"]
    assert dispute["is_dispute"] is True
    assert dispute["sla"]["resolve_days"] == 15
    assert "dispute-neighbour" in {child["code"] for child in dispute["children"]}
    assert all("children" not in child for child in dispute["children"])


# --- personal data ------------------------------------------------------------------------


@pytest.mark.django_db
def test_reveal_contact_gives_it_in_full_and_writes_an_audit_row(clients, people):
    # given
    number = report(clients["worker"])["number"]
    # when
    response = clients["secretary"].post(
        f"{CASES}{number}/reveal-contact/", {"reason": "回访当事人"}, format="json"
    )
    # then
    assert response.status_code == 200
    assert response.json() == {
        "number": number,
        "reporter_name": NAME,
        "reporter_phone": "+86" + PHONE,
    }
    assert response["Cache-Control"] == "no-store"
    row = AuditEntry.objects.get(action="case.reveal_contact")
    assert row.actor == people["secretary"]
    assert row.object_id == number
    assert row.detail == {"reason": "回访当事人"}
    assert row.outcome == "success"


@pytest.mark.django_db
def test_reveal_contact_needs_a_reason(clients):
    number = report(clients["worker"])["number"]
    response = clients["secretary"].post(f"{CASES}{number}/reveal-contact/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not AuditEntry.objects.filter(action="case.reveal_contact").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("worker", 403), ("leader", 403), ("stranger", 404)])
def test_reveal_contact_is_refused_to_who_neither_routes_nor_handles(clients, role, status):
    # given
    number = report(clients["worker"])["number"]
    # when
    response = clients[role].post(
        f"{CASES}{number}/reveal-contact/", {"reason": "想知道"}, format="json"
    )
    # then
    assert response.status_code == status
    assert PHONE not in response.content.decode()
    assert not AuditEntry.objects.filter(action="case.reveal_contact", outcome="success").exists()
    if status == 403:
        # the service records the refused read itself, with the reason given
        assert AuditEntry.objects.filter(outcome="denied", action="case.reveal_contact").exists()


@pytest.mark.django_db
def test_reveal_contact_to_the_assignee(clients, people):
    # given
    number = report(clients["worker"])["number"]
    transition(clients["secretary"], number, action="accept")
    transition(clients["secretary"], number, action="dispatch", assignee=people["worker"].username)
    # when
    response = clients["worker"].post(
        f"{CASES}{number}/reveal-contact/", {"reason": "上门核实"}, format="json"
    )
    # then
    assert response.status_code == 200
    assert response.json()["reporter_phone"] == "+86" + PHONE


@pytest.mark.django_db
def test_the_phone_appears_in_full_in_no_other_response(clients, people):
    # given
    responses = [clients["worker"].post(CASES, payload(), format="json")]
    number = responses[0].json()["number"]
    # when
    responses += [
        clients["secretary"].get(CASES),
        clients["secretary"].get(CASES, {"order": "deadline"}),
        clients["secretary"].get(f"{CASES}{number}/"),
        transition(clients["secretary"], number, action="accept"),
        transition(
            clients["secretary"], number, action="dispatch", assignee=people["worker"].username
        ),
        clients["worker"].get(f"{CASES}{number}/timeline/"),
        clients["worker"].get(f"{CASES}{number}/"),
        transition(clients["secretary"], number, action="close"),
    ]
    # then
    for response in responses:
        text = response.content.decode()
        assert response.status_code < 500
        assert PHONE not in text
        assert NAME not in text
    assert responses[3].json()["reporter_phone"] == "138****5678"


# --- notifications ------------------------------------------------------------------------


@pytest.mark.django_db
def test_inbox_lists_newest_first_and_marks_read(
    clients, people, django_capture_on_commit_callbacks
):
    # given: the village is told of each new case
    with django_capture_on_commit_callbacks(execute=True):
        first = report(clients["worker"])["number"]
        second = report(clients["worker"], description="路灯坏了")["number"]
    # when
    inbox = clients["secretary"].get("/api/v1/notifications/")
    # then
    assert inbox.status_code == 200
    assert inbox.json()["unread"] == 2
    assert [row["case"] for row in inbox.json()["results"]] == [second, first]
    assert {row["kind"] for row in inbox.json()["results"]} == {"case.new_case"}
    newest = inbox.json()["results"][0]
    assert newest["link"] == f"/cases/{second}/"
    assert newest["params"]["number"] == second
    assert newest["message"] == f"新案件 {second} 待受理：{newest['params']['title']}"
    # when
    notification_id = inbox.json()["results"][0]["id"]
    read = clients["secretary"].post(f"/api/v1/notifications/{notification_id}/read/")
    # then
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert clients["secretary"].get("/api/v1/notifications/").json()["unread"] == 1
    unread = clients["secretary"].get("/api/v1/notifications/", {"unread": "true"}).json()
    assert [row["case"] for row in unread["results"]] == [first]


@pytest.mark.django_db
def test_inbox_pages_and_is_personal(clients, people, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        numbers = [report(clients["worker"], description=f"第{i}件")["number"] for i in range(3)]
    # when
    first = clients["secretary"].get("/api/v1/notifications/", {"page_size": 2})
    second = clients["secretary"].get(first.json()["next"])
    # then
    assert [row["case"] for row in first.json()["results"]] == numbers[::-1][:2]
    assert [row["case"] for row in second.json()["results"]] == numbers[:1]
    assert second.json()["next"] is None
    assert clients["worker"].get("/api/v1/notifications/").json()["unread"] == 0
    # Someone else's notification answers as a missing one does, and stays unread.
    theirs = Notification.objects.filter(recipient=people["secretary"]).first()
    assert theirs is not None
    assert clients["worker"].post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_inbox_is_403_for_roles_without_cases(clients):
    assert clients["sysadmin"].get("/api/v1/notifications/").status_code == 403
    assert clients["sysadmin"].post("/api/v1/notifications/1/read/").status_code == 403


@pytest.mark.django_db
def test_the_list_writes_each_case_as_its_documented_serializer_would(clients, people):
    # given cases of several kinds: waiting, dispatched to someone, overdue, closed
    waiting = report(clients["worker"])["number"]
    dispatched = report(clients["worker"], category="environment-waste", description="垃圾")[
        "number"
    ]
    transition(clients["secretary"], dispatched, action="accept")
    transition(
        clients["secretary"], dispatched, action="dispatch", assignee=people["worker"].username
    )
    overdue = report(clients["worker"], description="路灯坏了")["number"]
    Case.objects.filter(number=overdue).update(due_at=timezone.now() - timedelta(days=2))
    # when the list is read
    listed = clients["secretary"].get(CASES).json()["results"]
    # then each row is what CaseListOutput (the schema's component) makes of the case
    by_number = {case.number: case for case in Case.objects.select_related("category", "assignee")}
    assert {row["number"] for row in listed} == {waiting, dispatched, overdue}
    for row in listed:
        assert row == dict(CaseListOutput(by_number[row["number"]]).data)
    assert {row["number"]: row["is_overdue"] for row in listed}[overdue] is True
    assert {row["number"]: row["assignee"] for row in listed}[dispatched] is not None


@pytest.mark.django_db
def test_a_link_to_a_case_outside_the_jurisdiction_is_not_shown(tree, people, api_as, user_factory):
    # given a case of the first town flagged as a possible duplicate of a case of another town
    here = report(api_as(people["worker"]))["number"]
    far_worker = user_factory(Role.GRID_WORKER, tree.grids[-1])
    far = report(api_as(far_worker), lat=far_worker_point(tree)[1], lng=far_worker_point(tree)[0])
    Case.objects.filter(number=here).update(
        possible_duplicate_of=Case.objects.get(number=far["number"])
    )
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    # when the town's official and the county operator read it, on the API and the page
    town_view = api_as(people["town"]).get(f"{CASES}{here}/").json()
    county_view = api_as(operator).get(f"{CASES}{here}/").json()
    page = Client()
    page.force_login(people["town"])
    town_page = page.get(f"/cases/{here}/").content.decode()
    # then only the one whose jurisdiction holds the other case sees its number
    assert town_view["possible_duplicate_of"] is None
    assert county_view["possible_duplicate_of"] == far["number"]
    assert far["number"] not in town_page


def far_worker_point(tree) -> tuple[float, float]:
    point = to_shape(tree.region(tree.grids[-1]).boundary).representative_point()
    return point.x, point.y

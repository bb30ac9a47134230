"""The staff pages of cases: report form, task list, work queues, the case page, overdue view,
inbox; and the audited reveal of a reporter's contact."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation.reloader import translation_file_changed

from gridgov.accounts.models import User
from gridgov.cases.models import Case, CaseEvent, CasePhoto, Category
from gridgov.cases.services import CaseInput, case_report, case_transition
from gridgov.cases.services.contact import case_reveal_contact
from gridgov.core.access import Role
from gridgov.core.errors import PermissionDenied, ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.notifications.models import Notification
from gridgov.notifications.views import inbox_unread

# A point inside the first grid (its first micro-grid) of the test tree; the second village of
# the first town, and the second town, lie further east.
LNG, LAT = 107.06, 34.2
SECOND_VILLAGE_LNG = 107.3
SECOND_TOWN_LNG = 107.6
# The smallest valid PNG: a signature the intake recognises as an image.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """The default language is Simplified Chinese: the .mo files must exist (not committed)."""
    call_command("compile_translations", stdout=io.StringIO())
    translation_file_changed(sender=None, file_path=Path("django.mo"))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def client_for(user: User | None, language: str = "en") -> Client:
    """A client signed in as `user`, with pages in `language` (chosen by the language cookie)."""
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def report(actor: Any, **overrides: Any) -> Case:
    fields: dict[str, Any] = {
        "category_code": "dispute-neighbour",
        "description": "楼上漏水，邻居不肯维修",
        "channel": "grid_patrol",
        "latitude": LAT,
        "longitude": LNG,
        "reporter_name": "王小明",
        "reporter_phone": "13812345678",
    }
    fields.update(overrides)
    return case_report(actor=actor, data=CaseInput(**fields))


def photo(name: str = "scene.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def detail_url(case: Case) -> str:
    return reverse("cases:detail", kwargs={"number": case.number})


def action_url(case: Case) -> str:
    return reverse("cases:transition", kwargs={"number": case.number})


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def dispatched_to(people: dict[str, User], assignee_key: str = "worker", **overrides: Any) -> Case:
    secretary = people["secretary"]
    case = report(people["worker"], **overrides)
    case = case_transition(actor=secretary, case=case, action="accept")
    return case_transition(
        actor=secretary, case=case, action="dispatch", assignee=people[assignee_key]
    )


# The reveal service


@pytest.mark.django_db
def test_router_at_the_current_level_sees_the_contact_and_it_is_audited(people):
    # given
    case = report(people["worker"])
    # when
    contact = case_reveal_contact(actor=people["secretary"], case=case, reason="回访当事人")
    # then
    assert contact == {"name": "王小明", "phone": "+8613812345678"}
    entry = AuditEntry.objects.get(action="case.reveal_contact")
    assert entry.actor_id == people["secretary"].pk
    assert entry.outcome == AuditEntry.Outcome.SUCCESS
    assert entry.object_id == case.number
    assert entry.detail == {"reason": "回访当事人"}


@pytest.mark.django_db
def test_assignee_sees_the_contact_but_the_reporter_alone_does_not(people):
    # given
    worker, handler = people["worker"], people["handler"]
    case = dispatched_to(people, "handler")
    # when
    contact = case_reveal_contact(actor=handler, case=case, reason="上门核实")
    with pytest.raises(PermissionDenied) as refused:
        case_reveal_contact(actor=worker, case=case, reason="想看看")
    # then the read is audited; the refusal names the case and the stated reason for the one
    # writer of refusal rows (the mapping to HTTP)
    assert contact["phone"] == "+8613812345678"
    outcomes = list(
        AuditEntry.objects.filter(action="case.reveal_contact")
        .order_by("sequence")
        .values_list("actor_id", "outcome")
    )
    assert outcomes == [(handler.pk, AuditEntry.Outcome.SUCCESS)]
    target = refused.value.target
    assert target is not None
    assert (target.object_type, target.object_id, target.operation) == (
        "case",
        case.number,
        "reveal_contact",
    )
    assert target.detail == {"stated_reason": "想看看"}


@pytest.mark.django_db
def test_reveal_needs_a_reason_from_anyone(people):
    # given
    case = report(people["worker"])
    # when / then: allowed or not, no reason is a 400 and nothing is revealed or logged
    for actor in (people["secretary"], people["worker"]):
        with pytest.raises(ValidationFailed) as raised:
            case_reveal_contact(actor=actor, case=case, reason="   ")
        assert "reason" in raised.value.errors
    assert not AuditEntry.objects.filter(action="case.reveal_contact").exists()


@pytest.mark.django_db
def test_an_official_of_the_level_above_does_not_see_the_contact_of_a_village_case(people):
    # given: the town may pull the case up, but the village handles it now
    case = report(people["worker"])
    # when / then
    with pytest.raises(PermissionDenied):
        case_reveal_contact(actor=people["town"], case=case, reason="了解情况")


# The report form


@pytest.mark.django_db
def test_report_form_offers_gps_map_address_and_camera(people):
    # given
    client = client_for(people["worker"])
    # when
    response = client.get(reverse("cases:report"))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    key = response.context["idempotency_key"]
    assert f'name="idempotency_key" value="{key}"' in body
    assert uuid.UUID(key)
    assert 'accept="image/*" capture="environment" multiple' in body
    assert "data-locate" in body
    assert 'id="report-map"' in body
    assert "<optgroup" in body
    assert 'value="dispute-neighbour"' in body
    # address regions: the worker's own grid, not the village around it
    choices = [code for code, _ in response.context["form"].fields["region_code"].choices]
    assert people["worker"].jurisdiction_codes("cases.report")[0] in choices
    assert not any(len(code) == 12 for code in choices if code)


@pytest.mark.django_db
def test_report_form_is_in_simplified_chinese_by_default(people):
    # given
    client = client_for(people["worker"], language="zh-hans")
    # when
    body = client.get(reverse("cases:report")).content.decode()
    # then
    assert "上报案件" in body
    assert "邻里纠纷" in body


@pytest.mark.django_db
def test_report_creates_one_case_even_when_sent_twice(people, tree, media):
    # given
    client = client_for(people["worker"])
    key = str(uuid.uuid4())
    form = {
        "idempotency_key": key,
        "category": "environment-waste",
        "description": "路口垃圾堆积",
        "urgency": "urgent",
        "channel": "grid_patrol",
        "latitude": str(LAT),
        "longitude": str(LNG),
        "region_code": "",
        "address": "",
        "reporter_name": "",
        "reporter_phone": "",
    }
    # when: a double tap
    first = client.post(reverse("cases:report"), {**form, "photos": [photo()]})
    second = client.post(reverse("cases:report"), {**form, "photos": [photo()]})
    # then
    case = Case.objects.get()
    assert first.status_code == 302
    assert first["Location"] == detail_url(case)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert case.channel == "grid_patrol"
    assert case.urgency == "urgent"
    assert case.region_code == tree.micro_grids[0]
    assert case.reporter_id == people["worker"].pk
    assert CasePhoto.objects.filter(case=case, event__action="report").count() == 1


@pytest.mark.django_db
def test_report_by_address_in_a_chosen_region(people, tree):
    # given
    client = client_for(people["worker"])
    form = {
        "idempotency_key": str(uuid.uuid4()),
        "category": "policy",
        "description": "咨询低保政策",
        "urgency": "normal",
        "channel": "walk_in",
        "region_code": tree.grids[0],
        "address": "村委会东侧",
    }
    # when
    response = client.post(reverse("cases:report"), form)
    # then
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.region_code, case.address, case.latitude) == (tree.grids[0], "村委会东侧", None)


@pytest.mark.django_db
def test_bad_report_shows_errors_and_saves_nothing(people, media):
    # given
    client = client_for(people["worker"])
    form = {
        "idempotency_key": str(uuid.uuid4()),
        "category": "dispute",  # a group, not a sub-category
        "description": "楼道堆物",
        "urgency": "normal",
        "channel": "grid_patrol",
        "reporter_phone": "12345",
        "photos": [photo("notes.png", b"not an image at all")],
    }
    # when
    response = client.post(reverse("cases:report"), form)
    # then
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"category", "reporter_phone", "photos"} <= set(errors)
    assert "notes.png" in " ".join(errors["photos"])
    assert Case.objects.count() == 0
    assert CasePhoto.objects.count() == 0
    # a corrected form is a new request: the page carries a new key
    assert response.context["idempotency_key"] != form["idempotency_key"]


@pytest.mark.django_db
def test_report_without_any_place_or_outside_the_jurisdiction_is_refused(people):
    # given
    client = client_for(people["worker"])
    base = {"category": "other", "description": "x", "urgency": "normal", "channel": "hotline"}
    # when
    nowhere = client.post(reverse("cases:report"), {**base, "idempotency_key": uuid.uuid4()})
    elsewhere = client.post(
        reverse("cases:report"),
        {
            **base,
            "idempotency_key": uuid.uuid4(),
            "latitude": LAT,
            "longitude": SECOND_VILLAGE_LNG,
        },
    )
    # then
    assert nowhere.status_code == 400
    assert "Give a map point, or an address with its region." in nowhere.content.decode()
    assert elsewhere.status_code == 400
    assert "The place is outside your jurisdiction." in elsewhere.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "sysadmin", "leader"])
def test_roles_that_do_not_report_get_403(people, role):
    # given
    client = client_for(people[role])
    # when
    response = client.get(reverse("cases:report"))
    # then
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["cases:report", "cases:my-tasks", "cases:queue", "cases:overdue", "notifications:inbox"],
)
def test_anonymous_is_sent_to_login(db, name):
    # when
    response = Client().get(reverse(name))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


# The task list


@pytest.mark.django_db
def test_task_list_shows_dispatched_cases_with_overdue_highlighted(people):
    # given
    on_time = dispatched_to(people)
    late = dispatched_to(people, description="井盖缺失")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=3))
    someone_elses = dispatched_to(people, "handler", description="路灯不亮")
    # when
    response = client_for(people["worker"]).get(reverse("cases:my-tasks"))
    # then
    assert response.status_code == 200
    numbers = [case.number for case in response.context["tasks"]]
    assert numbers == [late.number, on_time.number]  # soonest deadline first
    assert someone_elses.number not in response.content.decode()
    body = response.content.decode()
    assert f'class="card task is-overdue" data-case="{late.number}"' in body
    assert f'class="card task" data-case="{on_time.number}"' in body
    assert body.count('name="action" value="start"') == 2


@pytest.mark.django_db
def test_worker_starts_and_resolves_from_the_phone_with_photos(people, media):
    # given
    case = dispatched_to(people)
    client = client_for(people["worker"])
    here = reverse("cases:my-tasks")
    # when
    started = client.post(action_url(case), {"action": "start", "next": here})
    resolved = client.post(
        action_url(case),
        {"action": "resolve", "note": "已清理", "next": here, "photos": [photo(), photo("b.png")]},
    )
    # then
    assert started.status_code == 302
    assert started["Location"] == here
    assert resolved.status_code == 302
    assert resolved["Location"] == here
    case.refresh_from_db()
    assert case.state == "resolved"
    event = CaseEvent.objects.get(case=case, action="resolve")
    assert event.note == "已清理"
    assert event.photos.count() == 2
    assert client.get(here).context["tasks"] == []


@pytest.mark.django_db
def test_resolve_without_a_note_changes_nothing(people, media):
    # given
    case = dispatched_to(people)
    client = client_for(people["worker"])
    client.post(action_url(case), {"action": "start"})
    # when
    response = client.post(action_url(case), {"action": "resolve", "photos": [photo()]})
    # then
    assert response.status_code == 400
    assert response.context["action_rows"][-1]["form"].errors["note"]
    case.refresh_from_db()
    assert case.state == "in_progress"
    assert not CasePhoto.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_task_list_needs_the_handle_permission(people):
    # when
    response = client_for(people["leader"]).get(reverse("cases:my-tasks"))
    # then
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_forged_cursor_is_a_400_not_a_500(people):
    # when
    response = client_for(people["worker"]).get(reverse("cases:my-tasks"), {"cursor": "!!"})
    # then
    assert response.status_code == 400


# Work queues and bulk dispatch


@pytest.mark.django_db
def test_queue_lists_the_units_cases_by_deadline_with_filters(people, tree):
    # given
    worker = people["worker"]
    normal = report(worker)
    urgent = report(worker, urgency="urgent", description="燃气泄漏")
    late = report(worker, description="占道经营")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    other_village = report(people["operator"], longitude=SECOND_VILLAGE_LNG)
    client = client_for(people["secretary"])
    # when
    everything = client.get(reverse("cases:queue"))
    only_urgent = client.get(reverse("cases:queue"), {"urgency": "urgent"})
    only_overdue = client.get(reverse("cases:queue"), {"overdue": "on"})
    # then
    assert everything.status_code == 200
    assert everything.context["unit"].region_code == tree.villages[0]  # the default unit
    numbers = [case.number for case in everything.context["rows"]]
    assert numbers == [late.number, urgent.number, normal.number]
    assert other_village.number not in everything.content.decode()
    assert [case.number for case in only_urgent.context["rows"]] == [urgent.number]
    assert [case.number for case in only_overdue.context["rows"]] == [late.number]
    assert f'class="is-overdue" data-case="{late.number}"' in everything.content.decode()


@pytest.mark.django_db
def test_queue_of_a_unit_outside_the_jurisdiction_is_404(people, tree):
    # given
    client = client_for(people["secretary"])
    # when
    sibling = client.get(reverse("cases:queue"), {"unit": tree.villages[1]})
    town = client.get(reverse("cases:queue"), {"unit": tree.towns[0]})
    missing = client.get(reverse("cases:queue"), {"unit": tree.villages[0][:-3] + "999"})
    # then
    assert (sibling.status_code, town.status_code, missing.status_code) == (404, 404, 404)


@pytest.mark.django_db
def test_county_operator_opens_a_village_queue(people, tree):
    # given
    case = report(people["worker"])
    # when
    response = client_for(people["operator"]).get(
        reverse("cases:queue"), {"unit": tree.villages[0]}
    )
    # then
    assert response.status_code == 200
    assert [row.number for row in response.context["rows"]] == [case.number]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "sysadmin"])
def test_queue_refuses_roles_without_cases(people, role):
    # when
    response = client_for(people[role]).get(reverse("cases:queue"))
    # then
    assert response.status_code == 403


@pytest.mark.django_db
def test_bulk_dispatch_dispatches_each_and_reports_each_failure(
    people, tree, django_capture_on_commit_callbacks
):
    # given: two accepted cases, one not yet accepted, one in another village
    secretary, handler = people["secretary"], people["handler"]
    first, second, not_accepted = (report(people["worker"]) for _ in range(3))
    for case in (first, second):
        case_transition(actor=secretary, case=case, action="accept")
    elsewhere = report(people["operator"], longitude=SECOND_VILLAGE_LNG)
    client = client_for(secretary)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cases:bulk-dispatch"),
            {
                "unit": tree.villages[0],
                "cases": [first.number, second.number, not_accepted.number, elsewhere.number],
                "assignee": handler.pk,
                "note": "请尽快处理",
            },
        )
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('cases:queue')}?unit={tree.villages[0]}"
    states = dict(Case.objects.values_list("number", "state"))
    assert states[first.number] == states[second.number] == "dispatched"
    assert states[not_accepted.number] == "reported"
    assert states[elsewhere.number] == "reported"
    assert set(Case.objects.filter(state="dispatched").values_list("assignee", flat=True)) == {
        handler.pk
    }
    texts = messages_of(response)
    assert any(not_accepted.number in text and "not possible" in text for text in texts)
    assert any(elsewhere.number in text and "no such case" in text for text in texts)
    assert any("Dispatched 2 cases" in text for text in texts)
    assert Notification.objects.filter(recipient=handler, key="case.assigned").count() == 2


@pytest.mark.django_db
def test_bulk_dispatch_refuses_a_non_candidate_and_an_empty_selection(people, tree):
    # given
    case = report(people["worker"])
    case_transition(actor=people["secretary"], case=case, action="accept")
    client = client_for(people["secretary"])
    url = reverse("cases:bulk-dispatch")
    # when
    stranger = client.post(
        url,
        {"unit": tree.villages[0], "cases": [case.number], "assignee": people["other_town"].pk},
    )
    empty = client.post(url, {"unit": tree.villages[0], "assignee": people["handler"].pk})
    # then
    assert stranger.status_code == 400
    assert empty.status_code == 400
    assert Case.objects.get(pk=case.pk).state == "accepted"


@pytest.mark.django_db
def test_bulk_dispatch_needs_routing_and_the_unit(people, tree):
    # given
    form = {"unit": tree.villages[0], "cases": [], "assignee": people["worker"].pk}
    # when
    worker = client_for(people["worker"]).post(reverse("cases:bulk-dispatch"), form)
    outside = client_for(people["other_secretary"]).post(reverse("cases:bulk-dispatch"), form)
    # then
    assert worker.status_code == 403
    assert outside.status_code == 404


# The case page


@pytest.mark.django_db
def test_case_page_shows_details_masked_contact_timeline_map_and_actions(people):
    # given
    case = report(people["worker"])
    # when
    response = client_for(people["secretary"]).get(detail_url(case))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert case.title in body
    assert "138****5678" in body
    assert "13812345678" not in body
    assert "王**" in body
    assert "王小明" not in body
    assert reverse("cases:reveal-contact", kwargs={"number": case.number}) in body
    assert 'id="case-map" class="case-map" data-lat="34.200000" data-lng="107.060000"' in body
    assert [event.action for event in response.context["events"]] == ["report"]
    offered = [row["action"] for row in response.context["action_rows"]]
    assert offered == ["accept", "reject", "escalate"]  # not refer_down: it is at village level
    assert response.context["may_merge"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_case_page_offers_the_worker_no_routing_and_no_contact(people):
    # given
    case = report(people["worker"])
    # when
    response = client_for(people["worker"]).get(detail_url(case))
    # then
    assert response.status_code == 200
    assert response.context["action_rows"] == []
    assert not response.context["may_reveal"]
    assert reverse("cases:reveal-contact", kwargs={"number": case.number}) not in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_case_page_outside_the_jurisdiction_is_404_like_a_missing_one(people):
    # given
    case = report(people["worker"])
    client = client_for(people["other_secretary"])
    # when
    outside = client.get(detail_url(case))
    missing = client.get(reverse("cases:detail", kwargs={"number": "610324-20000101-999999"}))
    # then
    assert outside.status_code == 404
    assert missing.status_code == 404
    assert AuditEntry.objects.filter(
        action="case.view", outcome="denied", object_id=case.number
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "sysadmin"])
def test_case_page_refuses_roles_without_cases(people, role):
    # given
    case = report(people["worker"])
    # when
    response = client_for(people[role]).get(detail_url(case))
    # then
    assert response.status_code == 403


@pytest.mark.django_db
def test_anonymous_case_page_goes_to_login(people):
    # given
    case = report(people["worker"])
    # when
    response = Client().get(detail_url(case))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.django_db
def test_accept_then_dispatch_from_the_case_page(people, django_capture_on_commit_callbacks):
    # given
    case = report(people["worker"])
    client = client_for(people["secretary"])
    # when
    accepted = client.post(action_url(case), {"action": "accept", "note": "受理"})
    page = client.get(detail_url(case))
    with django_capture_on_commit_callbacks(execute=True):
        dispatched = client.post(
            action_url(case), {"action": "dispatch", "assignee": people["handler"].pk}
        )
    # then
    assert accepted.status_code == 302
    assert accepted["Location"] == detail_url(case)
    assert people["handler"].pk in [user_id for user_id, _ in page.context["candidates"]]
    assert people["other_town"].pk not in [user_id for user_id, _ in page.context["candidates"]]
    assert dispatched.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.assignee_id) == ("dispatched", people["handler"].pk)
    events = list(case.events.order_by("id").values_list("action", "from_state", "to_state"))
    assert events[1:] == [
        ("accept", "reported", "accepted"),
        ("dispatch", "accepted", "dispatched"),
    ]
    timeline = client.get(detail_url(case)).content.decode()
    assert "受理" in timeline


@pytest.mark.django_db
def test_an_illegal_action_is_409_with_the_reason_on_the_page(people):
    # given
    case = report(people["worker"])
    # when
    response = client_for(people["secretary"]).post(action_url(case), {"action": "close"})
    # then
    assert response.status_code == 409
    page = response.content.decode()
    assert "This case is “Reported” now, so “Close” is not possible (it needs: Verified)." in page
    assert Case.objects.get(pk=case.pk).state == "reported"


@pytest.mark.django_db
def test_a_forbidden_action_is_403_and_audited(people):
    # given
    case = report(people["worker"])
    # when
    response = client_for(people["worker"]).post(action_url(case), {"action": "accept"})
    # then
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).state == "reported"
    refusal = AuditEntry.objects.get(outcome="denied")
    assert (refusal.action, refusal.actor_id, refusal.object_id) == (
        "case.accept",
        people["worker"].pk,
        case.number,
    )
    assert refusal.detail["path"] == action_url(case)


@pytest.mark.django_db
def test_bad_action_input_is_400_and_changes_nothing(people):
    # given
    case = report(people["worker"])
    client = client_for(people["secretary"])
    # when
    no_reason = client.post(action_url(case), {"action": "reject"})
    unknown = client.post(action_url(case), {"action": "explode"})
    case_transition(actor=people["secretary"], case=case, action="accept")
    stranger = client.post(
        action_url(case), {"action": "dispatch", "assignee": people["other_town"].pk}
    )
    # then
    assert (no_reason.status_code, unknown.status_code, stranger.status_code) == (400, 400, 400)
    assert "Say why (this action needs a note)." in no_reason.content.decode()
    case.refresh_from_db()
    assert (case.state, case.assignee_id) == ("accepted", None)


@pytest.mark.django_db
def test_an_action_on_a_case_outside_the_jurisdiction_is_404(people):
    # given
    case = report(people["worker"])
    # when
    response = client_for(people["other_secretary"]).post(action_url(case), {"action": "accept"})
    # then
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).state == "reported"


@pytest.mark.django_db
def test_a_duplicate_is_flagged_and_merged_from_its_page(people):
    # given
    original = report(people["worker"])
    duplicate = report(people["worker"], description="楼上又漏水了")
    client = client_for(people["secretary"])
    # when
    page = client.get(detail_url(duplicate))
    merged = client.post(
        reverse("cases:merge", kwargs={"number": duplicate.number}),
        {"into": original.number, "note": "同一件事"},
    )
    # then
    assert f"{detail_url(original)}" in page.content.decode()
    assert page.context["merge_form"]["into"].value() == original.number
    assert merged.status_code == 302
    assert merged["Location"] == detail_url(original)
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.merged_into_id) == ("merged", original.pk)
    target_page = client.get(detail_url(original))
    assert [c.number for c in target_page.context["merged_in"]] == [duplicate.number]
    assert "merge_in" in [event.action for event in target_page.context["events"]]


@pytest.mark.django_db
def test_merging_into_a_case_outside_the_jurisdiction_says_no_such_case(people):
    # given
    mine = report(people["worker"])
    other = report(people["operator"], longitude=SECOND_VILLAGE_LNG)
    # when
    response = client_for(people["secretary"]).post(
        reverse("cases:merge", kwargs={"number": mine.number}), {"into": other.number}
    )
    # then
    assert response.status_code == 400
    assert "No case with this number in your jurisdiction." in response.content.decode()
    assert Case.objects.get(pk=mine.pk).state == "reported"


# Revealing the contact from the page


@pytest.mark.django_db
def test_show_contact_reveals_it_for_a_reason_and_audits_it(people):
    # given
    case = report(people["worker"])
    url = reverse("cases:reveal-contact", kwargs={"number": case.number})
    # when
    response = client_for(people["secretary"]).post(url, {"reason": "电话回访"})
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "+8613812345678" in body
    assert "王小明" in body
    assert response["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.get(action="case.reveal_contact")
    assert (entry.actor_id, entry.detail) == (people["secretary"].pk, {"reason": "电话回访"})


@pytest.mark.django_db
def test_show_contact_without_a_reason_is_400_and_reveals_nothing(people):
    # given
    case = report(people["worker"])
    url = reverse("cases:reveal-contact", kwargs={"number": case.number})
    # when
    response = client_for(people["secretary"]).post(url, {"reason": "  "})
    # then
    assert response.status_code == 400
    assert "13812345678" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="case.reveal_contact").exists()


@pytest.mark.django_db
def test_show_contact_is_403_for_who_may_not_and_404_outside(people):
    # given
    case = report(people["worker"])
    url = reverse("cases:reveal-contact", kwargs={"number": case.number})
    # when
    worker = client_for(people["worker"]).post(url, {"reason": "看看"})
    leader = client_for(people["leader"]).post(url, {"reason": "看看"})
    outside = client_for(people["other_secretary"]).post(url, {"reason": "看看"})
    # then
    assert (worker.status_code, leader.status_code, outside.status_code) == (403, 403, 404)
    assert "13812345678" not in worker.content.decode()
    denied = AuditEntry.objects.filter(action="case.reveal_contact", outcome="denied")
    assert set(denied.values_list("actor_id", flat=True)) == {
        people["worker"].pk,
        people["leader"].pk,
    }


# Photos


@pytest.mark.django_db
def test_a_photo_is_served_to_who_sees_the_case_only(people, media):
    # given
    case = report(people["worker"], photos=[photo()])
    item = CasePhoto.objects.get(case=case)
    url = reverse("cases:photo", kwargs={"number": case.number, "photo_id": item.pk})
    # when
    mine = client_for(people["secretary"]).get(url)
    outside = client_for(people["other_secretary"]).get(url)
    wrong_case = client_for(people["secretary"]).get(
        reverse(
            "cases:photo",
            kwargs={"number": report(people["worker"]).number, "photo_id": item.pk},
        )
    )
    # then
    assert mine.status_code == 200
    assert mine.getvalue() == PNG
    assert mine["Content-Type"] == "image/png"
    assert (outside.status_code, wrong_case.status_code) == (404, 404)


# Overdue and escalated


@pytest.mark.django_db
def test_overdue_view_counts_per_town_and_level(people, tree):
    # given: two overdue in the first town's village, one escalated to the second town
    operator = people["operator"]
    late = [report(people["worker"]) for _ in range(2)]
    on_time = report(people["worker"])
    far = report(operator, longitude=SECOND_TOWN_LNG)
    far = case_transition(actor=operator, case=far, action="escalate")
    Case.objects.filter(pk__in=[c.pk for c in [*late, far]]).update(
        due_at=timezone.now() - timedelta(hours=2)
    )
    client = client_for(operator)
    # when
    overdue = client.get(reverse("cases:overdue"))
    escalated = client.get(reverse("cases:overdue"), {"show": "escalated"})
    one_town = client.get(reverse("cases:overdue"), {"town": tree.towns[1]})
    # then
    assert overdue.status_code == 200
    per_town = {code: count for code, _, count in overdue.context["per_town"]}
    assert per_town == {tree.towns[0]: 2, tree.towns[1]: 1}
    per_level = {code: count for code, _, count in overdue.context["per_level"]}
    assert per_level == {"village": 2, "town": 1}
    listed = [c.number for c in overdue.context["rows"]]
    assert on_time.number not in listed
    assert set(listed) == {c.number for c in [*late, far]}
    assert [c.number for c in escalated.context["rows"]] == [far.number]
    assert [c.number for c in one_town.context["rows"]] == [far.number]


@pytest.mark.django_db
def test_overdue_view_of_a_town_holds_only_its_cases(people, tree):
    # given
    mine = report(people["worker"])
    theirs = report(people["operator"], longitude=SECOND_TOWN_LNG)
    Case.objects.update(due_at=timezone.now() - timedelta(hours=2))
    # when
    response = client_for(people["town"]).get(reverse("cases:overdue"))
    # then
    assert response.status_code == 200
    assert [c.number for c in response.context["rows"]] == [mine.number]
    assert theirs.number not in response.content.decode()
    assert tree.names[tree.towns[1]] not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "sysadmin"])
def test_overdue_view_refuses_roles_without_cases(people, role):
    # when
    response = client_for(people[role]).get(reverse("cases:overdue"))
    # then
    assert response.status_code == 403


# Inbox


@pytest.mark.django_db
def test_inbox_lists_and_marks_read(people, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        first = report(people["worker"])
        second = report(people["worker"], description="第二件")
    secretary = people["secretary"]
    client = client_for(secretary)
    notes = list(Notification.objects.filter(recipient=secretary).order_by("id"))
    assert len(notes) == 2
    others = Notification.objects.create(
        recipient=people["town"], key="case.new_case", object_type="case", object_id=first.number
    )
    # when
    page = client.get(reverse("notifications:inbox"))
    one = client.post(reverse("notifications:inbox-read"), {"notification": notes[0].pk})
    forged = client.post(reverse("notifications:inbox-read"), {"notification": others.pk})
    unread_page = client.get(reverse("notifications:inbox"), {"unread": "1"})
    # then
    assert page.status_code == 200
    assert [n.pk for n in page.context["notifications"]] == [notes[1].pk, notes[0].pk]
    assert detail_url(second) in page.content.decode()
    assert one.status_code == 302
    assert forged.status_code == 302
    notes[0].refresh_from_db()
    others.refresh_from_db()
    assert notes[0].read_at is not None
    assert others.read_at is None
    assert [n.pk for n in unread_page.context["notifications"]] == [notes[1].pk]
    client.post(reverse("notifications:inbox-read"), {"all": "1"})
    assert not Notification.objects.filter(recipient=secretary, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_inbox_speaks_the_readers_language(people, django_capture_on_commit_callbacks):
    # given a notice stored as a key and parameters
    with django_capture_on_commit_callbacks(execute=True):
        case = report(people["worker"], description="路灯不亮")
    # when the secretary reads the inbox in Chinese, then in English
    chinese = client_for(people["secretary"], "zh-hans").get(reverse("notifications:inbox"))
    english = client_for(people["secretary"], "en").get(reverse("notifications:inbox"))
    # then each page says it in its language, naming the case
    assert f"New case {case.number} to accept" in english.content.decode()
    assert f"New case {case.number} to accept" not in chinese.content.decode()
    assert case.number in chinese.content.decode()
    assert f"新案件 {case.number} 待受理" in chinese.content.decode()


@pytest.mark.django_db
def test_unread_count_for_the_header(people, rf):
    # given
    Notification.objects.create(recipient=people["secretary"], key="case.new_case")
    Notification.objects.create(recipient=people["town"], key="case.new_case")
    request = rf.get("/")
    request.user = people["secretary"]
    # when
    context = inbox_unread(request)
    # then
    assert context["inbox_unread_count"]() == 1


@pytest.mark.django_db
def test_inbox_refuses_roles_without_cases(people):
    # when
    response = client_for(people["auditor"]).get(reverse("notifications:inbox"))
    # then
    assert response.status_code == 403


# Admin


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(username="root", password="x-admin-Passphrase-9")


@pytest.mark.django_db
def test_admin_edits_sla_deadlines_and_audits_them(tree, superuser):
    # given
    client = client_for(superuser)
    category_id = Category.objects.get(code="other").pk
    # when
    page = client.get(reverse("admin:cases_category_change", args=[category_id]))
    form = {
        "code": "other",
        "name": "其他",
        "name_en": "Other",
        "description": "",
        "is_dispute": "",
        "sort_order": "900",
        "is_active": "on",
        "accept_hours_urgent": "1",
        "accept_hours": "12",
        "resolve_days": "3",
        "sla_rules-TOTAL_FORMS": "1",
        "sla_rules-INITIAL_FORMS": "0",
        "sla_rules-MIN_NUM_FORMS": "0",
        "sla_rules-MAX_NUM_FORMS": "3",
        "sla_rules-0-level": "town",
        "sla_rules-0-accept_hours_urgent": "2",
        "sla_rules-0-accept_hours": "8",
        "sla_rules-0-resolve_days": "5",
    }
    saved = client.post(reverse("admin:cases_category_change", args=[category_id]), form)
    # then
    assert page.status_code == 200
    assert saved.status_code == 302
    category = Category.objects.get(pk=category_id)
    assert (category.accept_hours, category.resolve_days) == (12, 3)
    rule = category.sla_rules.get()
    assert (rule.level, rule.accept_hours, rule.resolve_days) == ("town", 8, 5)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"case_category.change", "sla_rule.create"} <= actions


@pytest.mark.django_db
def test_admin_shows_cases_read_only_without_the_contact(people, superuser):
    # given
    case = report(people["worker"])
    client = client_for(superuser)
    url = reverse("admin:cases_case_change", args=[case.pk])
    # when
    page = client.get(url)
    edited = client.post(url, {"title": "改过的标题"})
    listing = client.get(reverse("admin:cases_case_changelist"))
    # then
    assert page.status_code == 200
    body = page.content.decode()
    assert case.title in body
    assert "13812345678" not in body
    assert "138****5678" not in body
    assert edited.status_code == 403
    assert Case.objects.get(pk=case.pk).title == case.title
    assert listing.status_code == 200
    assert reverse("admin:cases_case_add") not in listing.content.decode()


@pytest.mark.django_db
def test_a_leader_who_routes_nowhere_sees_the_highest_unit_and_a_worker_none(people, tree):
    # given
    case = report(people["worker"])
    # when
    leader = client_for(people["leader"]).get(reverse("cases:queue"))
    worker = client_for(people["worker"]).get(reverse("cases:queue"))
    # then
    assert leader.status_code == 200
    assert leader.context["unit"].region_code == tree.county
    assert leader.context["rows"] == []  # the county itself handles nothing yet
    assert case.handling_code in [unit.region_code for unit in leader.context["units"]]
    assert worker.status_code == 200
    assert worker.context["unit"] is None


@pytest.mark.django_db
def test_the_timeline_names_whom_a_case_was_dispatched_to_by_their_name(people):
    # given a grid worker who goes by a name, and a case dispatched to them
    worker = people["worker"]
    worker.display_name = "张网格员"
    worker.save(update_fields=["display_name"])
    case = dispatched_to(people)
    # when the secretary reads the case page
    page = client_for(people["secretary"]).get(detail_url(case)).content.decode()
    # then the dispatch says to whom by name
    assert "to 张网格员" in page
    assert f"to {worker.username}" not in page


@pytest.mark.django_db
def test_the_dispatch_picker_lists_the_grids_worker_first_by_name_with_their_load(people, tree):
    # given a reported and accepted case in the first grid, and the worker of the second grid
    # already handling one case
    dispatched_to(people, assignee_key="handler")
    case = report(people["worker"], description="第二件")
    case = case_transition(actor=people["secretary"], case=case, action="accept")
    # when the secretary opens the case
    page = client_for(people["secretary"]).get(detail_url(case))
    options = [label for _id, label in page.context["candidates"]]
    # then the first grid's worker comes first, then the others; each by name, role and place
    worker, handler = people["worker"], people["handler"]
    assert options[0].startswith(f"{worker} · ")
    assert tree.names[tree.grids[0]] in options[0]
    assert "0 open tasks" in options[0]
    handler_option = next(label for label in options if label.startswith(f"{handler} · "))
    assert "1 open task" in handler_option
    # (each place by its name, never its code)
    assert not any(label.split(" · ")[2].isdigit() for label in options)


@pytest.mark.django_db
def test_a_dispute_offers_mediators_after_the_villages_people_and_other_cases_none(
    people, tree, user_factory
):
    # given a mediator of the first town (which holds the village), and a dispute and a road case
    # in the first grid, both accepted by the village
    mediator = user_factory(Role.MEDIATOR, tree.towns[0], username="mediator")
    dispute = case_transition(
        actor=people["secretary"], case=report(people["worker"]), action="accept"
    )
    road = case_transition(
        actor=people["secretary"],
        case=report(people["worker"], category_code="infrastructure-road"),
        action="accept",
    )
    client = client_for(people["secretary"])
    # when
    dispute_ids = [
        user_id for user_id, _label in client.get(detail_url(dispute)).context["candidates"]
    ]
    road_ids = [user_id for user_id, _label in client.get(detail_url(road)).context["candidates"]]
    # then: the grid's worker, the village's other people, the mediator, then the town's others
    village_people = {people["worker"].pk, people["handler"].pk, people["secretary"].pk}
    assert dispute_ids[0] == people["worker"].pk
    mediator_at = dispute_ids.index(mediator.pk)
    assert set(dispute_ids[:mediator_at]) <= village_people
    assert set(dispute_ids[mediator_at + 1 :]).isdisjoint(village_people)
    assert mediator.pk not in road_ids
    assert road_ids[0] == people["worker"].pk

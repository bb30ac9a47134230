"""The case lifecycle through the services: report, accept, dispatch, handle, verify, close, rate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gridgov.cases.models import Case, CaseEvent, HandlingLevel
from gridgov.cases.services import (
    CaseInput,
    case_rate,
    case_report,
    case_transition,
    escalate_overdue_cases,
)
from gridgov.cases.states import State
from gridgov.core.access import Role
from gridgov.core.errors import Conflict, PermissionDenied, ValidationFailed
from gridgov.notifications.models import Notification


def report(actor, tree, **overrides) -> Case:
    # The first grid is x in [107.0, 107.125], y in [34, 35]; its first micro-grid the south half.
    fields: dict[str, Any] = {
        "category_code": "dispute-neighbour",
        "description": "楼上漏水，邻居不肯维修",
        "channel": "grid_patrol",
        "latitude": 34.2,
        "longitude": 107.06,
    }
    fields.update(overrides)
    return case_report(actor=actor, data=CaseInput(**fields))


@pytest.mark.django_db
def test_full_journey_writes_a_complete_timeline(
    tree, user_factory, django_capture_on_commit_callbacks
):
    # given
    village = tree.villages[0]
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    secretary = user_factory(Role.VILLAGE_SECRETARY, village)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        case = report(worker, tree)
        case = case_transition(actor=secretary, case=case, action="accept")
        case = case_transition(actor=secretary, case=case, action="dispatch", assignee=worker)
        case = case_transition(actor=worker, case=case, action="start")
        case = case_transition(actor=worker, case=case, action="resolve", note="已协调维修")
        case = case_transition(actor=secretary, case=case, action="verify")
        case = case_transition(actor=secretary, case=case, action="close")
        case = case_rate(case=case, rating=5, comment="满意")
    # then
    assert case.state == State.CLOSED
    assert case.region_code == tree.micro_grids[0]
    assert case.handling_code == village
    assert case.number.startswith("610324-")
    actions = list(case.events.order_by("id").values_list("action", flat=True))
    assert actions == [
        "report",
        "accept",
        "dispatch",
        "start",
        "resolve",
        "verify",
        "close",
        "rate",
    ]
    mine = Notification.objects.filter(object_type="case", object_id=case.number)
    assert mine.filter(recipient=worker, key="case.assigned").exists()
    assert mine.filter(recipient=secretary, key="case.new_case").exists()


@pytest.mark.django_db
def test_handler_cannot_verify_own_work(tree, user_factory):
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    case = report(secretary, tree)
    case = case_transition(actor=secretary, case=case, action="accept")
    case = case_transition(actor=secretary, case=case, action="dispatch", assignee=secretary)
    case = case_transition(actor=secretary, case=case, action="start")
    case = case_transition(actor=secretary, case=case, action="resolve", note="done")
    with pytest.raises(PermissionDenied):
        case_transition(actor=secretary, case=case, action="verify")


@pytest.mark.django_db
def test_illegal_transition_is_a_conflict_that_says_why(tree, user_factory):
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    case = report(secretary, tree)
    with pytest.raises(Conflict) as raised:
        case_transition(actor=secretary, case=case, action="close")
    assert raised.value.code == "case.not_in_state"
    assert raised.value.params == {"state": "reported", "action": "close", "needs": "verified"}
    assert Case.objects.get(pk=case.pk).state == State.REPORTED


@pytest.mark.django_db
def test_bad_report_is_refused_whole(tree, user_factory):
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    with pytest.raises(ValidationFailed) as raised:
        report(worker, tree, category_code="nope", description=" ", reporter_phone="123")
    assert set(raised.value.errors) >= {"category", "description", "reporter_phone"}
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_grid_worker_cannot_report_outside_their_grid(tree, user_factory):
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    with pytest.raises(ValidationFailed):
        report(worker, tree, longitude=107.9)


@pytest.mark.django_db
def test_reporter_phone_is_encrypted_and_masked(tree, user_factory):
    from django.db import connection

    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    case = report(worker, tree, reporter_phone="13812345678", reporter_name="王小明")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone FROM cases_case WHERE id = %s", [case.pk])
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored
    loaded = Case.objects.get(pk=case.pk)
    assert str(loaded.reporter_phone) == "138****5678"
    assert loaded.reporter_phone.reveal() == "+8613812345678"
    assert str(loaded.reporter_name) == "王**"


@pytest.mark.django_db
def test_duplicate_within_200m_and_48h_is_flagged(tree, user_factory):
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    first = report(worker, tree)
    near = report(worker, tree, latitude=34.2005)  # ~55 m north
    far = report(worker, tree, latitude=34.21)  # ~1.1 km north
    other_kind = report(worker, tree, category_code="environment-waste")
    assert near.possible_duplicate_of_id == first.pk
    assert far.possible_duplicate_of_id is None
    assert other_kind.possible_duplicate_of_id is None


@pytest.mark.django_db
def test_sweep_escalates_overdue_cases_one_level_up(tree, user_factory):
    # given an accepted case past its deadline and a town official to hear of it
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    case = report(secretary, tree)
    case = case_transition(actor=secretary, case=case, action="accept")
    fresh = report(secretary, tree, category_code="environment-waste")
    later = timezone.now() + timedelta(days=30)
    # when
    escalated = escalate_overdue_cases(now=later)
    # then both are overdue by then; each moved exactly once
    assert escalated == 2
    case.refresh_from_db()
    assert case.level == HandlingLevel.TOWN
    assert case.handling_code == tree.towns[0]
    assert case.state == State.ACCEPTED
    event = CaseEvent.objects.filter(case=case, action="escalate").get()
    assert (event.level_before, event.level_after, event.actor_id) == ("village", "town", None)
    # one digest for the town's official, counting both cases
    digest = Notification.objects.get(recipient=official, key="case.escalated_digest")
    assert (digest.count, digest.params["count"]) == (2, 2)
    fresh.refresh_from_db()
    assert fresh.state == State.REPORTED
    assert escalate_overdue_cases(now=later) == 0


@pytest.mark.django_db
def test_a_refused_transition_names_its_case_for_the_audit(tree, user_factory):
    from gridgov.core.models import AuditEntry

    # given a grid worker who may report but not accept
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    case = report(worker, tree)
    # when
    with pytest.raises(PermissionDenied) as refused:
        case_transition(actor=worker, case=case, action="accept")
    # then the refusal names what it refused, for the one writer of refusal rows (the mapping to
    # HTTP), and the service wrote none itself
    target = refused.value.target
    assert target is not None
    assert (target.object_type, target.object_id, target.operation, target.region_code) == (
        "case",
        case.number,
        "accept",
        case.region_code,
    )
    assert not AuditEntry.objects.filter(outcome="denied").exists()

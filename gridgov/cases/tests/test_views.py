"""The staff pages of cases: report form, task list, work queues, the case page, overdue view,
inbox; and the audited reveal of a reporter's contact."""

from __future__ import annotations

from typing import Any

import pytest

from gridgov.accounts.roles import Role
from gridgov.cases.models import Case
from gridgov.cases.services import CaseInput, case_report, case_transition
from gridgov.cases.services.contact import case_reveal_contact
from gridgov.core.errors import PermissionDenied, ValidationFailed
from gridgov.core.models import AuditEntry

# A point inside the first grid (its first micro-grid) of the test tree.
LNG, LAT = 107.06, 34.2


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


# The reveal service


@pytest.mark.django_db
def test_router_at_the_current_level_sees_the_contact_and_it_is_audited(tree, user_factory):
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    case = report(worker)
    # when
    contact = case_reveal_contact(actor=secretary, case=case, reason="回访当事人")
    # then
    assert contact == {"name": "王小明", "phone": "+8613812345678"}
    entry = AuditEntry.objects.get(action="case.reveal_contact")
    assert entry.actor_id == secretary.pk
    assert entry.outcome == AuditEntry.Outcome.SUCCESS
    assert entry.object_id == case.number
    assert entry.detail == {"reason": "回访当事人"}


@pytest.mark.django_db
def test_assignee_sees_the_contact_but_the_reporter_alone_does_not(tree, user_factory):
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    handler = user_factory(Role.GRID_WORKER, tree.grids[0], username="handler")
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    case = report(worker)
    case = case_transition(actor=secretary, case=case, action="accept")
    case = case_transition(actor=secretary, case=case, action="dispatch", assignee=handler)
    # when
    contact = case_reveal_contact(actor=handler, case=case, reason="上门核实")
    with pytest.raises(PermissionDenied):
        case_reveal_contact(actor=worker, case=case, reason="想看看")
    # then
    assert contact["phone"] == "+8613812345678"
    outcomes = list(
        AuditEntry.objects.filter(action="case.reveal_contact")
        .order_by("sequence")
        .values_list("actor_id", "outcome")
    )
    assert outcomes == [
        (handler.pk, AuditEntry.Outcome.SUCCESS),
        (worker.pk, AuditEntry.Outcome.DENIED),
    ]


@pytest.mark.django_db
def test_reveal_needs_a_reason(tree, user_factory):
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    case = report(worker)
    # when
    with pytest.raises(ValidationFailed) as raised:
        case_reveal_contact(actor=secretary, case=case, reason="   ")
    # then
    assert "reason" in raised.value.errors
    assert not AuditEntry.objects.filter(action="case.reveal_contact").exists()


@pytest.mark.django_db
def test_an_official_of_the_level_above_does_not_see_the_contact_of_a_village_case(
    tree, user_factory
):
    # given: the town may pull the case up, but it is handled by the village now
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    town = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    case = report(worker)
    # when / then
    with pytest.raises(PermissionDenied):
        case_reveal_contact(actor=town, case=case, reason="了解情况")

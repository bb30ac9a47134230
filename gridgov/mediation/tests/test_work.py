"""Work on a file: sessions, outcome (resolving the case for its handler), follow-up, judicial
confirmation; each refused in the wrong state, with bad input, outside the jurisdiction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gridgov.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gridgov.mediation.selectors import mediator_day
from gridgov.mediation.services import (
    file_record_follow_up,
    file_record_judicial,
    file_record_outcome,
    session_record,
    session_schedule,
)
from gridgov.mediation.services.work import OutcomeInput
from gridgov.mediation.tests.conftest import TERMS

pytestmark = pytest.mark.django_db


def test_sessions_are_scheduled_then_recorded_and_show_as_due(world, register):
    file = register()
    mediator = world["mediator"]
    soon = timezone.now() + timedelta(days=1)
    session = session_schedule(actor=mediator, file=file, starts_at=soon, place="镇调解室")
    assert [s.pk for s in mediator_day(actor=mediator).sessions_due] == [session.pk]
    session_record(actor=mediator, session=session, record="双方陈述事实，同意再次协商。")
    assert mediator_day(actor=mediator).sessions_due == []
    with pytest.raises(Conflict):
        session_record(actor=mediator, session=session, record="again")


def test_a_session_needs_a_time_and_a_place_unless_online(world, register):
    file = register()
    with pytest.raises(ValidationFailed) as caught:
        session_schedule(actor=world["mediator"], file=file, starts_at=None, place="")
    assert set(caught.value.problems) == {"starts_at", "place"}
    online = session_schedule(
        actor=world["mediator"], file=file, starts_at=timezone.now(), online=True
    )
    assert online.online
    with pytest.raises(ValidationFailed):
        session_record(actor=world["mediator"], session=online, record=" ")


def test_an_agreement_resolves_the_case_taken_at_the_desk_and_falls_due_for_follow_up(
    world, register
):
    # given a walk-in dispute the mediator registered at the desk (so took on at once)
    file = register()
    assert (file.case.state, file.case.assignee_id) == ("in_progress", world["mediator"].pk)
    deadline = timezone.localdate() + timedelta(days=3)
    file = file_record_outcome(
        actor=world["mediator"],
        file=file,
        data=OutcomeInput(outcome="agreement", agreed_terms=TERMS, performance_deadline=deadline),
    )
    file.case.refresh_from_db()
    assert file.case.state == "resolved"
    assert file.follow_up_due_on == deadline
    assert [f.pk for f in mediator_day(actor=world["mediator"]).follow_ups_due] == [file.pk]
    file = file_record_follow_up(
        actor=world["mediator"], file=file, performed=True, note="已按约支付"
    )
    assert file.performed is True
    assert mediator_day(actor=world["mediator"]).follow_ups_due == []
    with pytest.raises(Conflict):
        file_record_outcome(
            actor=world["mediator"], file=file, data=OutcomeInput(outcome="failed", note="x")
        )


def test_an_agreement_states_its_terms_and_a_failure_its_reason(world, register):
    file = register()
    for data, field in [
        (OutcomeInput(outcome="agreement"), "agreed_terms"),
        (OutcomeInput(outcome="failed"), "note"),
        (OutcomeInput(outcome="nonsense"), "outcome"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            file_record_outcome(actor=world["mediator"], file=file, data=data)
        assert field in caught.value.problems
    file.refresh_from_db()
    assert file.outcome == ""


def test_follow_up_and_judicial_need_an_agreement(world, register):
    file = register()
    with pytest.raises(Conflict):
        file_record_follow_up(actor=world["mediator"], file=file, performed=True, note="x")
    with pytest.raises(Conflict):
        file_record_judicial(
            actor=world["mediator"], file=file, status="applied", court="扶风县人民法院"
        )
    file_record_outcome(
        actor=world["mediator"], file=file, data=OutcomeInput(outcome="failed", note="拒绝调解")
    )
    with pytest.raises(Conflict):
        file_record_follow_up(actor=world["mediator"], file=file, performed=True, note="x")


def test_judicial_confirmation_is_applied_for_then_decided(world, register):
    file = register()
    file = file_record_outcome(
        actor=world["mediator"],
        file=file,
        data=OutcomeInput(outcome="agreement", agreed_terms=TERMS),
    )
    with pytest.raises(ValidationFailed):
        file_record_judicial(actor=world["mediator"], file=file, status="confirmed")
    with pytest.raises(ValidationFailed):
        file_record_judicial(actor=world["mediator"], file=file, status="applied", court="")
    file = file_record_judicial(
        actor=world["mediator"], file=file, status="applied", court="扶风县人民法院"
    )
    file = file_record_judicial(
        actor=world["mediator"], file=file, status="confirmed", on=date(2026, 12, 20)
    )
    assert (file.judicial_status, file.judicial_result_on) == ("confirmed", date(2026, 12, 20))


def test_work_outside_the_jurisdiction_is_not_found_and_a_wrong_role_is_refused(world, register):
    file = register()
    with pytest.raises(NotFound):
        session_schedule(
            actor=world["other_mediator"], file=file, starts_at=timezone.now(), place="x"
        )
    with pytest.raises(PermissionDenied):
        session_schedule(actor=world["worker"], file=file, starts_at=timezone.now(), place="x")
    with pytest.raises(PermissionDenied):
        # The county leader sees mediation but does not work files.
        session_schedule(actor=world["leader"], file=file, starts_at=timezone.now(), place="x")

"""The three-mediation linkage: a dispute referred to the court's desk or a department and back,
each referral a record and a step on the case's timeline, counted by direction."""

from __future__ import annotations

import pytest

from gridgov.cases.models import CaseEvent
from gridgov.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gridgov.mediation.selectors import referral_counts
from gridgov.mediation.services import file_record_outcome, file_refer
from gridgov.mediation.services.work import OutcomeInput

pytestmark = pytest.mark.django_db

COURT = "扶风县人民法院诉调对接中心"


def _accepted(world, file):
    # A dispute registered by a mediator at the desk is accepted there and in progress.
    assert file.case.state == "in_progress"
    return file


def _counts(actor, **kwargs):
    return {(c.from_track, c.to_track): c.count for c in referral_counts(actor=actor, **kwargs)}


def test_a_referral_to_the_court_and_back_is_on_the_timeline_and_counted(world, register):
    file = _accepted(world, register())
    official = world["official"]
    # when the town refers the dispute to the court's desk
    referral = file_refer(
        actor=official, file=file, to_track="judicial", unit=COURT, reason="涉及金额大，需诉前调解"
    )
    file.refresh_from_db()
    file.case.refresh_from_db()
    # then the case is transferred to the court, with the reason on its timeline
    assert (file.track, file.case.state) == ("judicial", "transferred")
    step = CaseEvent.objects.get(case=file.case, action="transfer")
    assert step.note == "涉及金额大，需诉前调解"
    assert step.data["transfer_kind"] == "court"
    assert step.data["transfer_to"] == COURT
    assert (referral.from_track, referral.to_track) == ("people", "judicial")
    # and back to people's mediation
    file_refer(
        actor=official,
        file=file,
        to_track="people",
        unit="城关街道人民调解委员会",
        reason="法院委派调解",
    )
    file.refresh_from_db()
    assert file.track == "people"
    assert CaseEvent.objects.filter(case=file.case, action="take_back").exists()
    counts = _counts(world["leader"])
    assert counts[("people", "judicial")] == 1
    assert counts[("judicial", "people")] == 1
    assert counts[("people", "administrative")] == 0
    assert _counts(world["other_mediator"])[("people", "judicial")] == 0


def test_only_between_peoples_mediation_and_another_kind(world, register):
    file = _accepted(world, register())
    with pytest.raises(Conflict):
        file_refer(actor=world["official"], file=file, to_track="people", unit="x", reason="y")
    file_refer(
        actor=world["official"],
        file=file,
        to_track="administrative",
        unit="县人社局",
        reason="劳资",
    )
    with pytest.raises(Conflict):
        file_refer(actor=world["official"], file=file, to_track="judicial", unit=COURT, reason="z")


def test_bad_input_changes_nothing(world, register):
    file = _accepted(world, register())
    with pytest.raises(ValidationFailed) as caught:
        file_refer(actor=world["official"], file=file, to_track="nowhere", unit=" ", reason="")
    assert set(caught.value.problems) == {"to_track", "unit", "reason"}
    file.refresh_from_db()
    assert file.track == "people"
    assert not file.referrals.exists()


def test_who_may_refer(world, register):
    file = _accepted(world, register())
    # Moving the case is the routing official's step, not the mediator's.
    with pytest.raises(PermissionDenied):
        file_refer(actor=world["mediator"], file=file, to_track="judicial", unit=COURT, reason="r")
    with pytest.raises(NotFound):
        file_refer(
            actor=world["other_mediator"], file=file, to_track="judicial", unit=COURT, reason="r"
        )
    assert not file.referrals.exists()


def test_a_concluded_mediation_is_not_referred(world, register):
    file = _accepted(world, register())
    file_record_outcome(
        actor=world["mediator"], file=file, data=OutcomeInput(outcome="failed", note="拒绝")
    )
    with pytest.raises(Conflict):
        file_refer(actor=world["official"], file=file, to_track="judicial", unit=COURT, reason="r")

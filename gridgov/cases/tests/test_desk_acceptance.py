"""One-stop acceptance at a handler's desk: the handler who reported a case takes it on in one
step (accept, dispatch to themselves, start); nobody else, and only while it is new."""

from __future__ import annotations

import pytest

from gridgov.cases.models import CaseEvent
from gridgov.cases.services import CaseInput, case_accept_at_desk, case_report, case_transition
from gridgov.core.access import Role
from gridgov.core.errors import Conflict, PermissionDenied

pytestmark = pytest.mark.django_db


def _walk_in(actor, town):
    return case_report(
        actor=actor,
        data=CaseInput(
            category_code="dispute-neighbour",
            description="邻里漏水纠纷，来调解中心窗口反映",
            channel="walk_in",
            region_code=town,
            address="镇调解中心",
            handling_code=town,
        ),
    )


def test_the_reporting_handler_takes_the_case_on_with_every_step_on_the_timeline(
    tree, user_factory
):
    # given a mediator of the town who has just reported a walk-in dispute at the desk
    mediator = user_factory(Role.MEDIATOR, tree.towns[0])
    case = _walk_in(mediator, tree.towns[0])
    # when they accept it at the desk
    case = case_accept_at_desk(actor=mediator, case=case)
    # then it is theirs and in progress, and the timeline shows the three steps
    assert (case.state, case.assignee_id) == ("in_progress", mediator.pk)
    steps = CaseEvent.objects.filter(case=case).order_by("id")
    assert [(e.action, e.to_state) for e in steps][-3:] == [
        ("accept", "accepted"),
        ("dispatch", "dispatched"),
        ("start", "in_progress"),
    ]


def test_someone_else_or_a_case_already_moving_is_refused_and_nothing_changes(tree, user_factory):
    # given a case reported by one mediator, and a mediator of the same town who did not
    mediator = user_factory(Role.MEDIATOR, tree.towns[0])
    colleague = user_factory(Role.MEDIATOR, tree.towns[0], username="colleague")
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    case = _walk_in(mediator, tree.towns[0])
    # when the colleague tries to take it at the desk, then they are refused, the case unchanged
    with pytest.raises(PermissionDenied):
        case_accept_at_desk(actor=colleague, case=case)
    case.refresh_from_db()
    assert (case.state, case.assignee_id) == ("reported", None)
    # when the town has already accepted it, then the desk's acceptance is a conflict
    case_transition(actor=official, case=case, action="accept")
    with pytest.raises(Conflict):
        case_accept_at_desk(actor=mediator, case=case)
    # and a reporter who cannot handle the unit's cases (a volunteer only reports) is
    # refused too
    volunteer = user_factory(Role.VOLUNTEER, tree.towns[0])
    other = _walk_in(volunteer, tree.towns[0])
    with pytest.raises(PermissionDenied):
        case_accept_at_desk(actor=volunteer, case=other)

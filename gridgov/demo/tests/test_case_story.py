"""The demo's in-memory timelines (`case_story.Story`) against the services: the same steps at the
same times give the same case and the same timeline rows, so bulk-written demo cases are what the
services would have written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from gridgov.accounts.models import User
from gridgov.cases.models import Case
from gridgov.cases.services import (
    CaseInput,
    case_merge,
    case_rate,
    case_reopen_by_resident,
    case_report,
    case_transition,
    escalate_overdue_cases,
)
from gridgov.core.access import Role
from gridgov.demo.case_story import Story, leaf_categories
from gridgov.testing import Tree

CASE_FIELDS = (
    "state",
    "state_before_suspend",
    "level",
    "handling_code",
    "assignee_id",
    "resolved_by_id",
    "transferred_to",
    "accept_deadline_at",
    "resolve_deadline_at",
    "due_at",
    "warned_at",
    "resolved_at",
    "closed_at",
    "created_at",
    "updated_at",
    "rating",
    "rating_comment",
)
EVENT_FIELDS = (
    "created_at",
    "actor_id",
    "action",
    "from_state",
    "to_state",
    "level_before",
    "level_after",
    "handling_code_after",
    "note",
    "data",
)


class Both:
    """Runs each step through the services (at a frozen time) and through a Story."""

    def __init__(self, start: datetime, **report: Any) -> None:
        self.clock = start
        fields: dict[str, Any] = {
            "category_code": "dispute-neighbour",
            "description": "楼上漏水，邻居不肯维修",
            "channel": "grid_patrol",
            "latitude": 34.2,
            "longitude": 107.06,
        }
        fields.update(report)
        actor: User | None = fields.pop("actor")
        with time_machine.travel(start, tick=False):
            self.case = case_report(actor=actor, data=CaseInput(**fields))
        category = next(c for c in leaf_categories() if c.code == fields["category_code"])
        twin = Case(
            channel=self.case.channel,
            category_id=category.id,
            urgency=self.case.urgency,
            region_code=self.case.region_code,
        )
        self.story = Story(twin, category)
        self.story.report(start, actor.pk if actor else None)

    def at(self, hours: float) -> datetime:
        self.clock += timedelta(hours=hours)
        return self.clock

    def step(self, hours: float, actor: User | None, action: str, **kwargs: Any) -> None:
        when = self.at(hours)
        note = kwargs.get("note", "")
        with time_machine.travel(when, tick=False):
            if action == "rate":
                self.case = case_rate(case=self.case, rating=kwargs["rating"], comment=note)
                self.story.rate(when, kwargs["rating"], note)
                return
            if action == "reopen":
                self.case = case_reopen_by_resident(case=self.case, reason=note)
                self.story.reopen_by_resident(when, note)
                return
            assert actor is not None
            self.case = case_transition(actor=actor, case=self.case, action=action, **kwargs)
        if action == "dispatch":
            assignee = kwargs["assignee"]
            self.story.dispatch(when, actor.pk, assignee.pk, assignee.username)
        elif action == "transfer":
            self.story.transfer(
                when, actor.pk, kwargs["transfer_kind"], kwargs["transfer_to"], note
            )
        else:
            self.story.apply(action, when, actor.pk, note)

    def sweep(self, hours: float) -> None:
        when = self.at(hours)
        assert escalate_overdue_cases(now=when) == 1
        self.case.refresh_from_db()
        self.story.sweep_escalate(when)
        self.assert_same()

    def assert_same(self) -> None:
        self.case.refresh_from_db()
        stored = {name: getattr(self.case, name) for name in CASE_FIELDS}
        mirrored = {name: getattr(self.story.case, name) for name in CASE_FIELDS}
        assert mirrored == stored
        rows = [
            tuple(getattr(e, name) for name in EVENT_FIELDS)
            for e in self.case.events.order_by("created_at", "id")
        ]
        assert [tuple(getattr(e, name) for name in EVENT_FIELDS) for e in self.story.events] == rows


@pytest.fixture
def people(tree: Tree, user_factory: Any) -> dict[str, User]:
    return {
        "worker": user_factory(Role.GRID_WORKER, tree.grids[0]),
        "secretary": user_factory(Role.VILLAGE_SECRETARY, tree.villages[0]),
        "town": user_factory(Role.TOWN_OFFICIAL, tree.towns[0]),
        "operator": user_factory(Role.COUNTY_OPERATOR, tree.county),
        "mediator": user_factory(Role.MEDIATOR, tree.towns[0]),
    }


@pytest.mark.django_db
def test_a_story_moves_a_case_exactly_as_the_services_do(people: dict[str, User]) -> None:
    # given a case reported through the intake and its in-memory twin
    worker, secretary = people["worker"], people["secretary"]
    both = Both(datetime(2026, 3, 2, 1, 0, 0, 123456, tzinfo=UTC), actor=worker)
    # when both go through a long life: suspended, returned, closed, rated, reopened, closed
    both.step(1, secretary, "accept")
    both.step(1, secretary, "dispatch", assignee=worker)
    both.step(1, worker, "start")
    both.step(1, secretary, "suspend", note="当事人外出")
    both.step(24 * 5, secretary, "resume")
    both.step(24, worker, "resolve", note="已调解")
    both.step(2, secretary, "return", note="未彻底解决")
    both.step(1, worker, "start")
    both.step(20, worker, "resolve", note="已修复")
    both.step(1, secretary, "verify")
    both.step(1, secretary, "close")
    both.step(3, None, "rate", rating=4, note="比较满意")
    both.step(30, None, "reopen", note="又漏水了")
    both.step(1, secretary, "dispatch", assignee=worker)
    both.step(1, worker, "start")
    both.step(5, worker, "resolve", note="更换管道")
    both.step(1, secretary, "verify")
    both.step(1, secretary, "close")
    # then the case and every timeline row are the same
    both.assert_same()


@pytest.mark.django_db
def test_a_story_escalates_transfers_and_refers_as_the_services_and_sweep_do(
    people: dict[str, User],
) -> None:
    # given a resident's report nobody accepts in time
    worker, secretary, town = people["worker"], people["secretary"], people["town"]
    operator, mediator = people["operator"], people["mediator"]
    start = datetime(2026, 7, 9, 23, 59, 1, 5, tzinfo=UTC)
    both = Both(start, actor=None, channel="resident_web", category_code="safety-fire")
    # when the sweep sends it up, the town refers it down, the village sends it up again, the
    # town hands it to a department and takes it back, then the county handles it
    both.sweep(24 + 0.1)
    both.step(2, town, "refer_down", note="村级办理")
    both.step(1, secretary, "accept")
    both.step(1, secretary, "dispatch", assignee=worker)
    both.step(1, worker, "start")
    both.step(3, secretary, "escalate")
    both.step(
        1, town, "transfer", transfer_kind="department", transfer_to="县应急管理局", note="转办"
    )
    both.step(48, town, "take_back")
    both.step(2, town, "escalate")
    both.step(1, operator, "dispatch", assignee=mediator)
    both.step(1, mediator, "start")
    both.step(30, mediator, "resolve", note="已整改")
    both.step(1, operator, "verify")
    both.step(1, operator, "close")
    # then the case and every timeline row are the same
    both.assert_same()


@pytest.mark.django_db
def test_a_story_is_escalated_while_worked_as_the_sweep_does(people: dict[str, User]) -> None:
    # given an urgent case dispatched and started, then left past its resolve deadline
    worker, secretary = people["worker"], people["secretary"]
    start = datetime(2026, 1, 20, 3, 4, 5, 678, tzinfo=UTC)
    both = Both(start, actor=worker, urgency="urgent", category_code="epidemic")
    both.step(0.5, secretary, "accept")
    both.step(0.5, secretary, "dispatch", assignee=worker)
    both.step(0.5, worker, "start")
    # when the sweep runs after the deadline, the town takes it up late and the sweep runs again
    both.sweep(24 * 3)
    both.sweep(3)
    both.step(1, people["operator"], "suspend", note="等待检测结果")
    both.step(10, people["operator"], "resume")
    # then the case and every timeline row are the same
    both.assert_same()


@pytest.mark.django_db
def test_a_story_merges_and_rejects_as_the_services_do(people: dict[str, User]) -> None:
    # given a case, and a second report of the same thing nearby soon after
    secretary = people["secretary"]
    start = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    first = Both(start, actor=people["worker"])
    second = Both(start + timedelta(hours=3), actor=None, channel="resident_web", latitude=34.2005)
    assert second.case.possible_duplicate_of_id == first.case.pk
    # when the second is merged into the first
    when = second.at(1)
    with time_machine.travel(when, tick=False):
        case_merge(actor=secretary, case=second.case, into=first.case, note="重复反映")
    second.story.apply("merge", when, secretary.pk, "重复反映", data={"into": first.case.number})
    # and a third report is not accepted
    third = Both(start + timedelta(hours=5), actor=None, channel="open311", category_code="other")
    third.step(1, secretary, "reject", note="不属于受理范围")
    # then the merged and the rejected case match their twins
    second.assert_same()
    third.assert_same()

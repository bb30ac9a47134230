"""Every state that waits on someone is on that someone's list: resolved cases to verify (never
for the person who resolved them), verified ones to close, reported ones to accept, escalated and
reopened ones at the unit they came to, returned ones with their handler; the home page counts
them and links to each list; the unit accepts several cases at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.cases.models import Case
from gridgov.cases.selectors.waiting import Waiting, unit_waiting_counts, waiting_rows
from gridgov.cases.services import case_reopen_by_resident, case_transition
from gridgov.cases.services.sweep import escalate_overdue_cases
from gridgov.cases.tests.test_views import client_for, dispatched_to, messages_of, report
from gridgov.notifications.models import Notification

pytestmark = pytest.mark.django_db


def on_list(actor: User, unit: str, waiting: Waiting) -> list[str]:
    rows, _cursor = waiting_rows(actor=actor, unit=unit, waiting=waiting, cursor=None)
    return [case.number for case in rows]


def counts(actor: User, unit: str) -> dict[str, int]:
    return {row.waiting: row.count for row in unit_waiting_counts(actor=actor, unit=unit)}


def resolved_by_worker(people: dict[str, User]) -> Case:
    case = dispatched_to(people)
    case = case_transition(actor=people["worker"], case=case, action="start")
    return case_transition(actor=people["worker"], case=case, action="resolve", note="已修好")


def test_a_resolved_case_waits_for_the_unit_to_verify_it_and_they_are_told(
    people, tree, django_capture_on_commit_callbacks
):
    # given a case the grid worker resolved
    with django_capture_on_commit_callbacks(execute=True):
        case = resolved_by_worker(people)
    village = tree.villages[0]
    # then it is on the village's list to verify, and counted
    assert on_list(people["secretary"], village, Waiting.VERIFY) == [case.number]
    assert counts(people["secretary"], village)[Waiting.VERIFY] == 1
    # and the secretary was told, the worker who resolved it was not
    told = Notification.objects.filter(key="case.to_verify", object_id=case.number)
    assert list(told.values_list("recipient_id", flat=True)) == [people["secretary"].pk]
    # when it is verified, it moves to the list to close; closed, it is on no list
    case = case_transition(actor=people["secretary"], case=case, action="verify")
    assert on_list(people["secretary"], village, Waiting.VERIFY) == []
    assert on_list(people["secretary"], village, Waiting.CLOSE) == [case.number]
    case_transition(actor=people["secretary"], case=case, action="close")
    assert set(counts(people["secretary"], village).values()) == {0}


def test_whoever_resolved_a_case_does_not_see_it_to_verify(people, tree):
    # given a case the village secretary dispatched to themself and resolved
    case = dispatched_to(people, assignee_key="secretary")
    case = case_transition(actor=people["secretary"], case=case, action="start")
    case_transition(actor=people["secretary"], case=case, action="resolve", note="已处理")
    # then it is not on their own list to verify (someone else checks it)
    assert on_list(people["secretary"], tree.villages[0], Waiting.VERIFY) == []


def test_reported_escalated_and_reopened_cases_wait_at_their_unit(people, tree):
    # given a new case, an overdue one the sweep escalated to the town, a reopened one
    waiting = report(people["worker"])
    overdue = report(people["worker"], description="井盖丢了")
    escalate_overdue_cases(now=timezone.now() + timedelta(days=30))
    closed = resolved_by_worker(people)
    closed = case_transition(actor=people["secretary"], case=closed, action="verify")
    closed = case_transition(actor=people["secretary"], case=closed, action="close")
    case_reopen_by_resident(case=closed, reason="又坏了")
    # then each is on the list of the unit it waits at
    assert on_list(people["town"], tree.towns[0], Waiting.ESCALATED) == sorted(
        [waiting.number, overdue.number]
    )
    assert on_list(people["secretary"], tree.villages[0], Waiting.REOPENED) == [closed.number]
    assert counts(people["secretary"], tree.villages[0])[Waiting.ACCEPT] == 0
    # and a case reported now waits to be accepted
    fresh = report(people["worker"], description="路灯坏了")
    assert on_list(people["secretary"], tree.villages[0], Waiting.ACCEPT) == [fresh.number]


def test_a_returned_case_waits_for_its_handler(people, tree):
    case = resolved_by_worker(people)
    case_transition(actor=people["secretary"], case=case, action="return", note="照片不清楚")
    assert on_list(people["secretary"], tree.villages[0], Waiting.RETURNED) == [case.number]
    home = client_for(people["worker"]).get(reverse("web:home"))
    assert home.context["my_work"] == {"tasks": 1, "returned": 1}


def test_the_home_page_counts_each_list_and_links_to_it(people, tree):
    # given one case to verify and one to accept at the village
    resolved_by_worker(people)
    report(people["worker"], description="垃圾没清")
    # when the secretary opens the home page
    page = client_for(people["secretary"]).get(reverse("web:home")).content.decode()
    # then the lists are there with their counts, each a link to the list
    village = tree.villages[0]
    for waiting, count in ((Waiting.VERIFY, 1), (Waiting.ACCEPT, 1), (Waiting.CLOSE, 0)):
        link = f"/cases/queue/?unit={village}&amp;waiting={waiting}"
        assert (
            f'<a href="{link}" data-waiting="{waiting}"><span class="count">{count}</span>' in page
        )
    # and the list opens on the queue page
    listed = client_for(people["secretary"]).get(
        reverse("cases:queue"), {"unit": village, "waiting": "verify"}
    )
    assert listed.status_code == 200
    assert [case.number for case in listed.context["rows"]] == [
        case.number for case in Case.objects.filter(state="resolved")
    ]


def test_a_list_that_does_not_exist_is_a_400(people, tree):
    response = client_for(people["secretary"]).get(
        reverse("cases:queue"), {"unit": tree.villages[0], "waiting": "everything"}
    )
    assert response.status_code == 400


def bulk_accept(user: User, unit: str, numbers: list[str], **extra: Any) -> Any:
    return client_for(user).post(
        reverse("cases:bulk-accept"), {"unit": unit, "cases": numbers, **extra}
    )


def test_bulk_accept_accepts_each_and_says_why_one_was_not(people, tree):
    # given two new cases and one already accepted
    first = report(people["worker"])
    second = report(people["worker"], description="第二件")
    done = case_transition(
        actor=people["secretary"], case=report(people["worker"]), action="accept"
    )
    # when the secretary accepts all three at once
    response = bulk_accept(
        people["secretary"], tree.villages[0], [first.number, second.number, done.number]
    )
    # then the two are accepted, the third is refused with its reason, nothing else changes
    assert response.status_code == 302
    states = dict(Case.objects.values_list("number", "state"))
    assert (states[first.number], states[second.number], states[done.number]) == (
        "accepted",
        "accepted",
        "accepted",
    )
    notes = messages_of(response)
    assert "Accepted 2 cases." in notes
    assert any(note.startswith(done.number) and "Accepted" in note for note in notes)


def test_bulk_accept_refuses_bad_input_other_units_and_other_roles(people, tree):
    case = report(people["worker"])
    # no case chosen: a 400 that says so, nothing accepted
    assert bulk_accept(people["secretary"], tree.villages[0], []).status_code == 400
    # another village's unit: as if it did not exist
    assert (
        bulk_accept(people["other_secretary"], tree.villages[0], [case.number]).status_code == 404
    )
    # a grid worker routes nothing
    assert bulk_accept(people["worker"], tree.villages[0], [case.number]).status_code == 403
    assert Case.objects.get(pk=case.pk).state == "reported"

"""The two-person rule: who may compose, approve, reject and cancel a message at each level, and
every way its composer might try to approve it themselves."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from gridgov.broadcast import policy
from gridgov.broadcast.models import Broadcast, BroadcastEvent
from gridgov.broadcast.states import Action, State
from gridgov.core.access import Perm
from gridgov.core.audit_labels import action_label
from gridgov.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _step(api_as, user, broadcast, step, **data):
    path = reverse(f"broadcast-api:{step}", args=[broadcast.pk])
    return api_as(user).post(path, data, format="json")


# (composer, the target's regions, kind, approver, the approver's answer)
APPROVAL_MATRIX = [
    # County-wide emergency: the county leader or their deputy, nobody else.
    ("operator", "county", "flood", "leader", 200),
    ("operator", "county", "flood", "deputy", 200),
    ("operator", "county", "flood", "operator", 403),  # its own composer
    ("operator", "county", "flood", "town", 404),  # not in a town's jurisdiction at all
    ("operator", "county", "notice", "deputy", 200),
    # A town's message: a second official of the town, or the county above it.
    ("town", "town_villages", "fire", "town_colleague", 200),
    ("town", "town_villages", "fire", "leader", 200),
    ("town", "town_villages", "fire", "town", 403),
    ("town", "town_villages", "fire", "other_town", 404),
    ("town", "town_villages", "fire", "secretary", 404),  # the message is the town's, not theirs
    ("town", "town_villages", "fire", "operator", 403),  # composes, never approves
    # A village's message: its town approves, the village never approves its own.
    ("secretary", "village", "epidemic", "town", 200),
    ("secretary", "village", "epidemic", "secretary", 403),
    ("secretary", "village", "epidemic", "other_secretary", 404),
    ("secretary", "village", "epidemic", "worker", 403),
    # Two villages of two towns: only the county covers the whole target.
    ("operator", "two_towns", "flood", "town", 404),
    ("operator", "two_towns", "flood", "leader", 200),
]


def _targets(tree, name):
    return {
        "county": [tree.county],
        "town_villages": [tree.villages[0], tree.villages[1]],
        "village": [tree.villages[0]],
        "two_towns": [tree.villages[0], tree.villages[2]],
    }[name]


@pytest.mark.parametrize(("composer", "target", "kind", "approver", "expected"), APPROVAL_MATRIX)
def test_who_may_approve(
    tree, people, compose, api_as, composer, target, kind, approver, expected
) -> None:
    # given a submitted message
    message = compose(people[composer], _targets(tree, target), kind=kind)
    # when the approver approves it over the API
    response = _step(api_as, people[approver], message, "approve")
    # then
    assert response.status_code == expected, response.content
    message.refresh_from_db()
    if expected == 200:
        assert message.state == State.APPROVED
        assert message.approved_by == people[approver]
        assert message.approved_revision == message.revision
    else:
        assert message.state == State.SUBMITTED
        assert message.approved_by is None


@pytest.mark.parametrize(("composer", "target", "kind", "approver", "expected"), APPROVAL_MATRIX)
def test_who_may_reject(
    tree, people, compose, api_as, composer, target, kind, approver, expected
) -> None:
    message = compose(people[composer], _targets(tree, target), kind=kind)
    response = _step(api_as, people[approver], message, "reject", note="措辞不准确")
    assert response.status_code == expected, response.content
    message.refresh_from_db()
    assert message.state == (State.REJECTED if expected == 200 else State.SUBMITTED)


# (composer, target, who may compose for it)
COMPOSE_MATRIX = [
    ("operator", "county", 201),
    ("leader", "county", 403),  # approves, does not compose
    ("deputy", "county", 403),
    ("town", "town_villages", 201),
    ("town", "two_towns", 400),  # one village is another town's
    ("secretary", "village", 201),
    ("secretary", "town_villages", 400),
    ("worker", "village", 403),
    ("other_county_operator", "village", 400),
]


@pytest.mark.parametrize(("composer", "target", "expected"), COMPOSE_MATRIX)
def test_who_may_compose(tree, people, api_as, composer, target, expected) -> None:
    body = {
        "title": "停水通知",
        "text": "明天上午九点至十二点停水。",
        "kind": "notice",
        "severity": "Minor",
        "urgency": "Expected",
        "certainty": "Likely",
        "targets": _targets(tree, target),
    }
    response = api_as(people[composer]).post(reverse("broadcast-api:list"), body, format="json")
    assert response.status_code == expected, response.content
    assert Broadcast.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        assert response.json()["state"] == State.DRAFT
        assert response.json()["actions"] == ["edit", "submit", "cancel"]


# (composer, target, who cancels, in which state, the answer)
CANCEL_MATRIX = [
    ("town", "town_villages", "town", "draft", 200),
    ("town", "town_villages", "town", "submitted", 200),
    ("town", "town_villages", "town_colleague", "submitted", 200),
    ("town", "town_villages", "other_town", "submitted", 404),
    ("town", "town_villages", "secretary", "submitted", 404),  # the town's message
    ("town", "town_villages", "leader", "approved", 200),
    ("secretary", "village", "secretary", "approved", 200),
    ("secretary", "village", "other_secretary", "approved", 404),
    ("secretary", "village", "worker", "approved", 403),
    ("operator", "county", "deputy", "approved", 200),
]


@pytest.mark.parametrize(("composer", "target", "who", "state", "expected"), CANCEL_MATRIX)
def test_who_may_cancel(
    tree, people, compose, api_as, composer, target, who, state, expected
) -> None:
    message = compose(people[composer], _targets(tree, target), submit=state != "draft")
    if state == "approved":
        approver = "town" if composer == "secretary" else "leader"
        assert _step(api_as, people[approver], message, "approve").status_code == 200
    response = _step(api_as, people[who], message, "cancel", note="情况已解除")
    assert response.status_code == expected, response.content
    message.refresh_from_db()
    assert (message.state == State.CANCELLED) == (expected == 200)


def test_the_composer_cannot_approve_through_the_page(tree, people, compose, client) -> None:
    message = compose(people["town"], [tree.villages[0]])
    client.force_login(people["town"])
    page = client.get(reverse("broadcast:detail", args=[message.pk]))
    assert b'data-step="approve"' not in page.content
    assert "第二人" in page.content.decode() or b"data-approval-problem" in page.content
    response = client.post(reverse("broadcast:step", args=[message.pk]), {"action": "approve"})
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.state == State.SUBMITTED


def test_the_composer_cannot_approve_in_another_s_name(tree, people, compose, api_as) -> None:
    # The approver is always the signed-in account: naming another one in the request, or in a
    # header a proxy might set, changes nothing.
    message = compose(people["town"], [tree.villages[0]])
    client = api_as(people["town"])
    response = client.post(
        reverse("broadcast-api:approve", args=[message.pk]),
        {"approver": people["town_colleague"].pk, "approved_by": "town_colleague"},
        format="json",
        HTTP_X_REMOTE_USER="town_colleague",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "broadcast.self_approval"
    message.refresh_from_db()
    assert message.state == State.SUBMITTED
    refused = AuditEntry.objects.filter(
        action="broadcast.approve", outcome=AuditEntry.Outcome.DENIED, object_id=str(message.pk)
    )
    assert refused.count() == 1


def test_a_co_author_cannot_approve(tree, people, compose, api_as) -> None:
    # given the colleague edited the message
    message = compose(people["town"], [tree.villages[0]])
    path = reverse("broadcast-api:detail", args=[message.pk])
    edit = api_as(people["town_colleague"]).patch(path, {"text": "改过的文字"}, format="json")
    assert edit.status_code == 200, edit.content
    # then neither author approves it; the county does
    assert _step(api_as, people["town_colleague"], message, "approve").status_code == 403
    assert _step(api_as, people["town"], message, "approve").status_code == 403
    assert _step(api_as, people["leader"], message, "approve").status_code == 200


def test_an_edit_after_approval_voids_it(tree, people, compose, api_as) -> None:
    # given an approved message
    message = compose(people["town"], [tree.villages[0]])
    assert _step(api_as, people["town_colleague"], message, "approve").status_code == 200
    # when its composer changes the text
    path = reverse("broadcast-api:detail", args=[message.pk])
    response = api_as(people["town"]).patch(path, {"text": "转移地点改为村小学"}, format="json")
    # then it waits for approval again, of the new revision
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == State.SUBMITTED
    assert body["approved_by"] is None
    assert body["revision"] == 2
    edit = BroadcastEvent.objects.get(broadcast=message, action="edit")
    assert edit.data == {"approval_voided": people["town_colleague"].pk}
    assert _step(api_as, people["town_colleague"], message, "approve").status_code == 200
    message.refresh_from_db()
    assert message.approved_revision == 2


def test_every_step_is_on_the_timeline_and_in_the_audit_log(tree, people, compose, api_as):
    message = compose(people["secretary"], [tree.villages[0]])
    assert _step(api_as, people["town"], message, "reject", note="写明集合地点").status_code == 200
    path = reverse("broadcast-api:detail", args=[message.pk])
    api_as(people["secretary"]).patch(path, {"text": "到村委会集合。"}, format="json")
    assert _step(api_as, people["secretary"], message, "submit").status_code == 200
    assert _step(api_as, people["town"], message, "approve").status_code == 200
    assert _step(api_as, people["town"], message, "cancel").status_code == 200
    events = list(BroadcastEvent.objects.filter(broadcast=message).order_by("id"))
    expected = ["compose", "submit", "reject", "edit", "submit", "approve", "cancel"]
    assert [event.action for event in events] == expected
    assert [event.to_state for event in events] == [
        "draft",
        "submitted",
        "rejected",
        "draft",
        "submitted",
        "approved",
        "cancelled",
    ]
    audited = AuditEntry.objects.filter(
        object_type="broadcast", object_id=str(message.pk), outcome=AuditEntry.Outcome.SUCCESS
    ).order_by("chain", "sequence")
    assert [row.action for row in audited] == [f"broadcast.{action}" for action in expected]
    assert {row.region_code for row in audited} == {tree.villages[0]}


def test_a_county_wide_emergency_needs_the_county_s_emergency_permission(tree, people, compose):
    # given someone who approves over the whole county but not county-wide emergencies
    message = compose(people["operator"], [tree.county])
    approver = SimpleNamespace(
        pk=-1,
        is_authenticated=True,
        jurisdiction_codes=lambda permission: (
            [tree.county] if permission == Perm.BROADCAST_APPROVE else []
        ),
    )
    problem = policy.approval_refusal(approver, message)
    assert problem is not None
    assert problem.code == "broadcast.county_emergency"
    # a routine county-wide notice, and an emergency for one town, they approve
    message.kind = "notice"
    assert policy.approval_refusal(approver, message) is None
    message.kind, message.target_codes = "flood", [tree.towns[0]]
    assert policy.approval_refusal(approver, message) is None


def test_each_step_of_a_message_reads_by_its_label_in_the_audit_log():
    # given: the steps a message's timeline writes to the audit log as broadcast.<action>
    # when / then: each has a label of its own, not its code or its family's label
    for action in ["compose", *Action]:
        label = action_label(f"broadcast.{action}")
        assert label != f"broadcast.{action}"
        assert "(" not in label, label

"""The broadcast pages: compose with the terminals reached per village, the approver's page with
the exact text, and bad input answered with the form again, nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gridgov.broadcast.models import Broadcast
from gridgov.broadcast.states import State

pytestmark = pytest.mark.django_db


def _form(targets: list[str], step: str, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "防汛紧急通知",
        "text": "渭河水位上涨，沿河群众请立即向高处转移。",
        "kind": "flood",
        "severity": "Severe",
        "urgency": "Immediate",
        "certainty": "Likely",
        "targets": targets,
        "repeats": "3",
        "step": step,
    }
    data.update(changes)
    return data


def test_compose_previews_the_terminals_reached_per_village(tree, people, terminals, client):
    client.force_login(people["operator"])
    page = client.get(reverse("broadcast:compose"))
    assert page.status_code == 200
    assert tree.names[tree.villages[0]] in page.content.decode()
    # when the operator asks which terminals two villages reach
    targets = [tree.villages[0], tree.villages[2]]
    response = client.post(reverse("broadcast:compose"), _form(targets, "preview"))
    # then each village shows its two loudspeakers, one online; nothing is saved yet
    assert response.status_code == 200
    text = response.content.decode()
    for village in targets:
        assert f'data-village="{village}"' in text
    assert f'data-village="{tree.villages[1]}"' not in text
    assert 'data-reach-total="4"' in text
    assert Broadcast.objects.count() == 0


def test_compose_and_submit_then_the_leader_approves_the_exact_text(tree, people, client):
    client.force_login(people["operator"])
    response = client.post(
        reverse("broadcast:compose"), _form([tree.villages[0], tree.villages[2]], "submit")
    )
    assert response.status_code == 302
    message = Broadcast.objects.get()
    assert message.state == State.SUBMITTED
    assert message.region_code == tree.county  # two towns: the county holds the target
    assert message.repeats == 3
    client.force_login(people["leader"])
    page = client.get(reverse("broadcast:detail", args=[message.pk]))
    assert "渭河水位上涨，沿河群众请立即向高处转移。" in page.content.decode()
    assert b'data-step="approve"' in page.content
    done = client.post(reverse("broadcast:step", args=[message.pk]), {"action": "approve"})
    assert done.status_code == 302
    message.refresh_from_db()
    assert message.state == State.APPROVED
    assert message.approved_by == people["leader"]


def test_editing_on_the_page_voids_the_approval(tree, people, compose, client):
    message = compose(people["town"], [tree.villages[0]])
    client.force_login(people["town_colleague"])
    client.post(reverse("broadcast:step", args=[message.pk]), {"action": "approve"})
    client.force_login(people["town"])
    form = client.get(reverse("broadcast:edit", args=[message.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("broadcast:edit", args=[message.pk]),
        _form([tree.villages[0]], "save", text="集合地点改为村小学。"),
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.approved_by, message.revision) == (State.SUBMITTED, None, 2)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"text": " "}, "text"),
        ({"kind": "tsunami"}, "kind"),
        ({"repeats": "0"}, "repeats"),
        ({"targets": []}, "targets"),
        ({"targets": ["610323"]}, "targets"),  # another county: not a choice
        ({"expires_at": "2020-01-01T08:00"}, "expires_at"),
        ({"scheduled_at": "2020-01-01T08:00"}, "scheduled_at"),
    ],
)
def test_bad_input_shows_the_form_again_and_saves_nothing(tree, people, client, changes, field):
    client.force_login(people["town"])
    data = {**_form([tree.villages[0]], "save"), **changes}
    response = client.post(reverse("broadcast:compose"), data)
    assert response.status_code == 400
    assert "has-errors" in response.content.decode()
    assert Broadcast.objects.count() == 0


def test_bad_input_over_the_api_is_400_and_saves_nothing(tree, people, api_as):
    client = api_as(people["town"])
    base = {
        "title": "通知",
        "text": "内容",
        "kind": "notice",
        "severity": "Minor",
        "urgency": "Expected",
        "certainty": "Likely",
    }
    for targets, code in (
        ([tree.villages[0][:-3] + "999"], "broadcast.unknown_region"),
        ([tree.villages[2]], "broadcast.target_outside"),
    ):
        response = client.post(
            reverse("broadcast-api:list"), {**base, "targets": targets}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["errors"]["targets"][0]["code"] == code
    assert client.post(reverse("broadcast-api:list"), base, format="json").status_code == 400
    assert Broadcast.objects.count() == 0


def test_a_step_the_state_does_not_allow_is_409(tree, people, compose, api_as):
    draft = compose(people["town"], [tree.villages[0]], submit=False)
    path = reverse("broadcast-api:approve", args=[draft.pk])
    response = api_as(people["town_colleague"]).post(path, {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "broadcast.not_in_state"
    reject = api_as(people["town_colleague"]).post(
        reverse("broadcast-api:reject", args=[draft.pk]), {}, format="json"
    )
    assert reject.status_code == 409


def test_a_reject_needs_a_reason(tree, people, compose, api_as):
    message = compose(people["town"], [tree.villages[0]])
    path = reverse("broadcast-api:reject", args=[message.pk])
    response = api_as(people["town_colleague"]).post(path, {"note": " "}, format="json")
    assert response.status_code == 400
    message.refresh_from_db()
    assert message.state == State.SUBMITTED


def test_roles_without_the_broadcast_see_403(tree, people, client, api_as):
    assert api_as(people["worker"]).get(reverse("broadcast-api:list")).status_code == 403
    client.force_login(people["worker"])
    assert client.get(reverse("broadcast:list")).status_code == 403
    assert client.get(reverse("broadcast:compose")).status_code == 403
    client.force_login(people["leader"])
    assert client.get(reverse("broadcast:list")).status_code == 200
    assert client.get(reverse("broadcast:compose")).status_code == 403  # approves only


def test_the_list_shows_the_jurisdiction_s_messages_only(tree, people, compose, api_as):
    mine = compose(people["secretary"], [tree.villages[0]])
    compose(people["other_secretary"], [tree.villages[1]])
    body = api_as(people["secretary"]).get(reverse("broadcast-api:list")).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["targets"] == [
        {"code": tree.villages[0], "name": tree.names[tree.villages[0]]}
    ]
    town = api_as(people["town"]).get(reverse("broadcast-api:list"), {"page_size": 1}).json()
    assert len(town["results"]) == 1
    assert town["next"]

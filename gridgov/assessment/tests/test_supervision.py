"""Supervision orders (督办): issued against a late case, a unit or a grid worker; the addressee
answers; the issuer closes or sends back. Every state that waits on someone is on their list,
and each step tells them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gridgov.assessment.models import OrderState, SupervisionOrder
from gridgov.assessment.selectors import order_list
from gridgov.assessment.tests.fixture import _case
from gridgov.core.access import Role
from gridgov.notifications.models import Notification
from gridgov.testing import make_user

ORDERS = reverse("assessment-api:order-list")


@pytest.fixture
def people(tree):
    return {
        "town": make_user(Role.TOWN_OFFICIAL, tree.towns[0], username="town"),
        "other_town": make_user(Role.TOWN_OFFICIAL, tree.towns[1], username="other_town"),
        "worker": make_user(Role.GRID_WORKER, tree.grids[0], username="w1"),
        "secretary": make_user(Role.VILLAGE_SECRETARY, tree.villages[0], username="secretary"),
        "volunteer": make_user(Role.VOLUNTEER, tree.villages[0], username="volunteer"),
    }


def _late_case(tree, assignee=None, title="c-late"):
    now = timezone.now()
    return _case(
        title,
        region_code=tree.grids[0],
        channel="grid_patrol",
        state="in_progress" if assignee else "accepted",
        assignee=assignee,
        created=now - timedelta(days=10),
        resolve_by=now - timedelta(days=1),
        due=now - timedelta(days=1),
    )


def _deadline(days: int = 7) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.mark.django_db(transaction=True)
def test_an_order_goes_round_issued_answered_sent_back_answered_closed(tree, people, api_as):
    town, worker = people["town"], people["worker"]
    case = _late_case(tree, assignee=worker)
    # the town official issues an order against the late case: its handler answers
    response = api_as(town).post(
        ORDERS,
        {
            "target": "case",
            "case_number": case.number,
            "request": "三日内办结",
            "deadline_on": _deadline(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    number = response.json()["number"]
    assert response.json()["addressee"] == "w1"
    assert response.json()["state"] == "open"
    # it waits on the worker: on their list, and they were told
    assert [o["number"] for o in api_as(worker).get(ORDERS).json()] == [number]
    assert api_as(town).get(ORDERS).json() == []
    assert Notification.objects.filter(recipient=worker, key="assessment.order_issued").exists()
    # someone else may not answer it
    respond = reverse("assessment-api:order-respond", args=[number])
    assert api_as(people["secretary"]).post(respond, {"response": "x"}).status_code == 403
    # the worker answers: it now waits on the issuer
    assert api_as(worker).post(respond, {"response": "已处理"}).status_code == 200
    assert api_as(worker).get(ORDERS).json() == []
    assert [o["number"] for o in api_as(town).get(ORDERS).json()] == [number]
    assert Notification.objects.filter(recipient=town, key="assessment.order_responded").exists()
    # answering twice is refused: it is not open any more
    assert api_as(worker).post(respond, {"response": "再次"}).status_code == 409
    # the issuer sends it back: on the worker's list again
    review = reverse("assessment-api:order-review", args=[number])
    sent_back = api_as(town).post(review, {"decision": "return", "note": "请附照片"})
    assert sent_back.json()["state"] == "open"
    assert [o["number"] for o in api_as(worker).get(ORDERS).json()] == [number]
    assert api_as(worker).post(respond, {"response": "附照片"}).status_code == 200
    # only the issuer reviews
    assert api_as(worker).post(review, {"decision": "close"}).status_code == 403
    closed = api_as(town).post(review, {"decision": "close"})
    assert closed.json()["state"] == "closed"
    assert api_as(town).get(ORDERS).json() == []
    assert api_as(worker).get(ORDERS).json() == []
    order = SupervisionOrder.objects.get(number=number)
    assert [e.action for e in order.events.order_by("id")] == [
        "issue",
        "respond",
        "return",
        "respond",
        "close",
    ]


@pytest.mark.django_db
def test_an_order_to_a_village_waits_on_its_officials(tree, people, api_as):
    response = api_as(people["town"]).post(
        ORDERS,
        {"target": "unit", "unit": tree.villages[0], "request": "整改", "deadline_on": _deadline()},
        format="json",
    )
    assert response.status_code == 201
    number = response.json()["number"]
    assert [o.number for o in order_list(actor=people["secretary"])] == [number]
    # the worker of a grid below does not answer for the village
    assert list(order_list(actor=people["worker"])) == []
    respond = reverse("assessment-api:order-respond", args=[number])
    assert api_as(people["worker"]).post(respond, {"response": "x"}).status_code == 404
    assert api_as(people["secretary"]).post(respond, {"response": "已整改"}).status_code == 200


@pytest.mark.django_db
def test_bad_orders_are_400_and_nothing_is_saved(tree, people, api_as):
    town = people["town"]
    on_time = _case(
        "c-on-time",
        region_code=tree.grids[0],
        channel="hotline",
        state="accepted",
        created=timezone.now(),
        due=timezone.now() + timedelta(days=3),
    )
    cases = [
        ({"target": "case", "case_number": on_time.number}, "case_number"),
        ({"target": "case", "case_number": "610324-20000101-999999"}, "case_number"),
        ({"target": "unit", "unit": tree.villages[2]}, "unit"),  # another town's village
        ({"target": "worker", "worker": "nobody"}, "worker"),
        ({"target": "worker", "worker": "w1", "deadline_on": "2000-01-01"}, "deadline_on"),
        ({"target": "worker", "worker": "w1", "request": " "}, "request"),
        ({"target": "case"}, "case_number"),
    ]
    for extra, field in cases:
        body = {"request": "督办", "deadline_on": _deadline(), **extra}
        response = api_as(town).post(ORDERS, body, format="json")
        assert response.status_code == 400, extra
        assert field in response.json(), (extra, response.json())
    assert SupervisionOrder.objects.count() == 0


@pytest.mark.django_db
def test_another_jurisdiction_gets_404_and_a_role_without_it_403(tree, people, api_as):
    response = api_as(people["town"]).post(
        ORDERS,
        {"target": "worker", "worker": "w1", "request": "加强巡查", "deadline_on": _deadline()},
        format="json",
    )
    number = response.json()["number"]
    detail = reverse("assessment-api:order-detail", args=[number])
    assert api_as(people["other_town"]).get(detail).status_code == 404
    assert api_as(people["worker"]).get(detail).status_code == 200
    assert api_as(people["volunteer"]).get(detail).status_code == 403
    assert api_as(people["volunteer"]).get(ORDERS).status_code == 403
    # a village secretary answers orders but issues none
    body = {"target": "worker", "worker": "w1", "request": "x", "deadline_on": _deadline()}
    assert api_as(people["secretary"]).post(ORDERS, body, format="json").status_code == 403
    # the other town cannot issue against this town's worker
    other = api_as(people["other_town"]).post(ORDERS, body, format="json")
    assert other.status_code == 400
    withdraw = reverse("assessment-api:order-withdraw", args=[number])
    assert api_as(people["worker"]).post(withdraw).status_code == 403
    assert api_as(people["town"]).post(withdraw).json()["state"] == OrderState.WITHDRAWN
    assert api_as(people["town"]).post(withdraw).status_code == 409


@pytest.mark.django_db
def test_the_pages_issue_list_answer_and_review(tree, people, client):
    town, worker = people["town"], people["worker"]
    client.force_login(town)
    page = client.get(reverse("assessment:order-new"), {"target": "worker", "worker": "w1"})
    assert page.status_code == 200
    bad = client.post(reverse("assessment:order-new"), {"target": "worker", "worker": "w1"})
    assert bad.status_code == 400
    response = client.post(
        reverse("assessment:order-new"),
        {"target": "worker", "worker": "w1", "request": "加强巡查", "deadline_on": _deadline()},
    )
    assert response.status_code == 302
    order = SupervisionOrder.objects.get()
    client.force_login(worker)
    waiting = client.get(reverse("assessment:orders"))
    assert order.number in waiting.content.decode()
    page = client.get(reverse("assessment:order", args=[order.number]))
    assert page.context["respond"] is not None
    empty = client.post(reverse("assessment:order-respond", args=[order.number]), {"response": ""})
    assert empty.status_code == 400
    client.post(reverse("assessment:order-respond", args=[order.number]), {"response": "已加强"})
    client.force_login(town)
    assert order.number in client.get(reverse("assessment:orders")).content.decode()
    client.post(reverse("assessment:order-review", args=[order.number]), {"decision": "close"})
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED
    issued = client.get(reverse("assessment:orders"), {"list": "issued"}).content.decode()
    assert order.number in issued
    client.force_login(people["other_town"])
    assert client.get(reverse("assessment:order", args=[order.number])).status_code == 404

"""The home page counts the supervision orders waiting on the person: the worker's to answer,
the official's to review once answered; someone who answers for none sees no such count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gridgov.assessment.services.supervision import OrderInput, order_issue, order_step
from gridgov.core.access import Role
from gridgov.testing import make_user


def _orders_count(body: str) -> int | None:
    found = re.search(r'id="my-orders".*?<span class="count">(\d+)</span>', body, re.S)
    return int(found.group(1)) if found else None


@pytest.mark.django_db
def test_the_home_page_counts_the_orders_waiting_on_me(tree, client):
    # given a town official and a grid worker of the town, with no orders yet
    worker = make_user(Role.GRID_WORKER, tree.grids[0], username="w1")
    town = make_user(Role.TOWN_OFFICIAL, tree.towns[0], username="town")
    client.force_login(worker)
    assert _orders_count(client.get(reverse("web:home")).content.decode()) == 0
    # when the official issues two orders to the worker
    deadline = timezone.localdate() + timedelta(days=5)
    orders = [
        order_issue(
            actor=town,
            data=OrderInput(target="worker", worker="w1", request=text, deadline_on=deadline),
        )
        for text in ("请加强巡查。", "请补齐走访记录。")
    ]
    # then both wait on the worker, with a link to their list
    body = client.get(reverse("web:home")).content.decode()
    assert _orders_count(body) == 2
    assert f'href="{reverse("assessment:orders")}"' in body
    # and once one is answered it waits on the official instead
    order_step(actor=worker, order=orders[0], step="respond", note="已加强巡查。")
    assert _orders_count(client.get(reverse("web:home")).content.decode()) == 1
    client.force_login(town)
    assert _orders_count(client.get(reverse("web:home")).content.decode()) == 1


@pytest.mark.django_db
def test_someone_who_answers_no_orders_sees_no_count(tree, client):
    client.force_login(make_user(Role.AUDITOR, tree.county, username="auditor"))
    assert _orders_count(client.get(reverse("web:home")).content.decode()) is None

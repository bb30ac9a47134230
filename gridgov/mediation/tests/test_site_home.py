"""The site's home (/) shows a mediator their day: the disputes they mediate and what falls due,
each leading to the mediation home; people who do no mediation work see nothing of it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _count(body: str, of: str) -> int:
    found = re.search(rf'data-count-of="{of}"><span class="count">([0-9]+)<', body)
    assert found is not None, f"no count of {of}"
    return int(found.group(1))


def test_a_mediator_sees_the_disputes_they_mediate_on_the_home_page(world, register):
    # given a dispute the mediator registered at the town's desk (and so mediates)
    file = register()
    assert world["mediator"] in file.mediators.all()
    client = Client()
    client.force_login(world["mediator"])
    # when
    body = client.get(reverse("web:home")).content.decode()
    # then
    assert 'id="my-disputes"' in body
    assert _count(body, "open") == 1
    assert _count(body, "overdue") == 0
    assert reverse("mediation:home") in body


def test_someone_who_does_no_mediation_work_sees_no_disputes_card(world):
    client = Client()
    client.force_login(world["worker"])
    body = client.get(reverse("web:home")).content.decode()
    assert 'id="my-disputes"' not in body

"""Lists load only the columns they show (selectors.LIST_COLUMNS); a template or serializer
reading another field would cost a query a row. These tests count queries to keep it so."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from gridgov.cases.models import Case
from gridgov.cases.services import CaseInput, case_report, case_transition
from gridgov.core.access import Role


def _cases(count: int, secretary: Any, worker: Any) -> None:
    for index in range(count):
        case = case_report(
            actor=worker,
            data=CaseInput(
                category_code="environment-waste",
                description=f"垃圾堆积 {index}",
                channel="grid_patrol",
                latitude=34.2 + index * 0.01,
                longitude=107.06,
                reporter_name="王小明",
                reporter_phone="13812345678",
            ),
        )
        case = case_transition(actor=secretary, case=case, action="accept")
        case_transition(actor=secretary, case=case, action="dispatch", assignee=worker)


def _queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_the_queue_page_costs_the_same_for_3_or_12_cases(tree, user_factory):
    # given a village with a secretary and a worker
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    client = Client()
    client.force_login(secretary)
    url = f"/cases/queue/?unit={tree.villages[0]}"
    # when the queue is read with 3 cases, then with 12
    _cases(3, secretary, worker)
    few = _queries(lambda: client.get(url))
    _cases(9, secretary, worker)
    many = _queries(lambda: client.get(url))
    # then it takes as many queries either way
    assert many == few


@pytest.mark.django_db
def test_the_api_list_costs_the_same_for_3_or_12_cases(tree, user_factory):
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    client = APIClient()
    client.force_authenticate(secretary)
    _cases(3, secretary, worker)
    few = _queries(lambda: client.get("/api/v1/cases/"))
    _cases(9, secretary, worker)
    many = _queries(lambda: client.get("/api/v1/cases/"))
    assert many == few
    assert len(client.get("/api/v1/cases/").json()["results"]) == 12


@pytest.mark.django_db
def test_the_overdue_view_costs_the_same_for_3_or_12_cases(tree, user_factory):
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    client = Client()
    client.force_login(operator)
    _cases(3, secretary, worker)
    _overdue()
    few = _queries(lambda: client.get("/cases/overdue/?show=overdue"))
    _cases(9, secretary, worker)
    _overdue()
    many = _queries(lambda: client.get("/cases/overdue/?show=overdue"))
    assert many == few
    assert Case.objects.filter(due_at__lt=timezone.now()).count() == 12


def _overdue() -> None:
    Case.objects.update(due_at=timezone.now() - timedelta(hours=1))
